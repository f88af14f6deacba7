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

@Resolver(() => Resident)
export class ResidentResolver {
  /**
   * DESIGN.md: at most the BSN's last four digits, and only to the resident's own team. A flex
   * worker on an assigned case gets null (not an error, so the team's operations still work).
   */
  @FieldResolver(() => String, { nullable: true, description: 'Last four digits of the BSN; only for the own team (null for a flex worker). The BSN itself is never returned.' })
  bsnLast4(@Root() r: Resident, @Ctx() ctx: Context): string | null {
    return ownTeam(ctx, r.team?.id) ? (r.bsnLast4 ?? null) : null;
  }
}

/** Whether the team is one the viewer works in as worker or lead (not as a flex worker). */
function ownTeam(ctx: Context, teamId: string | undefined): boolean {
  return teamId !== undefined && (ctx.viewer?.teamIds.has(teamId) ?? false);
}

// What the resolvers read of a resident beyond ids and relations (omittedProps).
fieldResolverReads(Resident, { bsnLast4: ['bsnLast4'] });
