import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context.js';
import { Team } from '../team/team.entity.js';
import { Case } from '../case/case.entity.js';
import { Address, Household } from './household.entity.js';
import { Resident } from './resident.entity.js';
import { RegisterHouseholdInput } from './household.inputs.js';
import * as households from './household.service.js';
import { fieldResolverReads } from '../../db/lean.js';

@Resolver(() => Household)
export class HouseholdResolver {
  @Query(() => Household, { nullable: true, description: 'A household of one of your teams (null with NOT_FOUND otherwise).' })
  household(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return households.householdById(ctx, id);
  }

  @Mutation(() => Household, { description: 'Register a household; its team follows from the postcode unless teamId is given.' })
  registerHousehold(@Arg('input', () => RegisterHouseholdInput) input: RegisterHouseholdInput, @Ctx() ctx: Context) {
    return households.registerHousehold(ctx, input);
  }

  @FieldResolver(() => Team)
  team(@Root() h: Household, @Ctx() ctx: Context) {
    return ctx.loaders.team.get(h.team.id);
  }

  /** The household itself, seen as its Address: each Address field reads only its own column. */
  @FieldResolver(() => Address)
  address(@Root() h: Household): Address {
    return h;
  }

  @FieldResolver(() => [Resident])
  members(@Root() h: Household, @Ctx() ctx: Context) {
    return ctx.loaders.membersOfHousehold.get(h.id);
  }

  @FieldResolver(() => [Case], { description: 'All cases of the household, newest first.' })
  cases(@Root() h: Household, @Ctx() ctx: Context) {
    return ctx.loaders.casesOfHousehold.get(h.id);
  }
}

// What the resolvers read of a household (omittedProps): `address` is the household itself, seen
// as an Address whose fields of the same names read these columns.
fieldResolverReads(Household, {
  team: [],
  address: { as: 'Address', props: ['street', 'houseNumber', 'houseNumberAddition', 'postcode', 'city'] },
  members: [],
  cases: [],
});
// Residents have no resolvers of their own: only their fields read them.
fieldResolverReads(Resident, {});
