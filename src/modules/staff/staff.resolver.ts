import { Arg, Ctx, Field, FieldResolver, ID, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { Role } from '../common/enums.js';
import type { Context } from '../../context.js';
import { fieldResolverReads } from '../../db/lean.js';
import { assertTeamInScope, requireViewer } from '../../permissions/scope.js';
import { isUuid } from '../../permissions/scope.js';
import { BadInputError } from '../common/errors.js';
import { Team } from '../team/team.entity.js';
import { Organisation } from '../organisation/organisation.entity.js';
import { Staff } from './staff.entity.js';
import { CreateOrganisationInput, CreateStaffInput, createOrganisation, createStaff } from './admin.service.js';

/** The principal behind the token: a staff member, a volunteer or a partner organisation's app. */
@ObjectType({ description: 'Who you are: role and teams as the hub knows them (never taken from the token).' })
export class Me {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => Role)
  role!: Role;

  @Field(() => String, { description: 'staff, volunteer or partner.' })
  kind!: string;

  organisationId!: string | null;
}

@Resolver(() => Me)
export class MeResolver {
  @Query(() => Me, { description: 'The principal behind the token.' })
  me(@Ctx() ctx: Context): Me {
    const v = requireViewer(ctx);
    return { id: v.id, name: v.name, role: v.role, kind: v.kind, organisationId: v.organisationId };
  }

  @FieldResolver(() => [Team])
  teams(@Root() me: Me, @Ctx() ctx: Context) {
    return ctx.viewer?.kind === 'staff' ? ctx.loaders.teamsOfStaff.get(me.id) : [];
  }

  @FieldResolver(() => Organisation, { nullable: true })
  organisation(@Root() me: Me, @Ctx() ctx: Context) {
    return me.organisationId ? ctx.loaders.organisation.get(me.organisationId) : null;
  }
}

@Resolver(() => Staff)
export class StaffResolver {
  @Query(() => [Staff], { description: 'Active workers and leads of one of your teams (to choose a coordinator).' })
  async teamMembers(@Arg('teamId', () => ID) teamId: string, @Ctx() ctx: Context) {
    if (!isUuid(teamId)) throw new BadInputError('teamId', 'is not a valid id');
    assertTeamInScope(ctx, teamId);
    return ctx.em.find(Staff, { teams: teamId, active: true }, { orderBy: { name: 'asc', id: 'asc' } });
  }

  @Query(() => [Staff], { description: 'ADMIN: all staff members.' })
  staffMembers(@Ctx() ctx: Context) {
    return ctx.em.find(Staff, {}, { orderBy: { name: 'asc', id: 'asc' } });
  }

  @Mutation(() => Staff, { description: 'ADMIN: create a staff member.' })
  createStaff(@Arg('input', () => CreateStaffInput) input: CreateStaffInput, @Ctx() ctx: Context) {
    return createStaff(ctx, input);
  }

  @FieldResolver(() => [Team])
  teams(@Root() s: Staff, @Ctx() ctx: Context) {
    return ctx.loaders.teamsOfStaff.get(s.id);
  }

  @FieldResolver(() => Organisation, { nullable: true })
  organisation(@Root() s: Staff, @Ctx() ctx: Context) {
    return s.organisation ? ctx.loaders.organisation.get(s.organisation.id) : null;
  }
}

@Resolver(() => Organisation)
export class OrganisationResolver {
  @Query(() => [Organisation], { description: 'Partner organisations (consent recipients, providers).' })
  organisations(@Ctx() ctx: Context) {
    return ctx.em.find(Organisation, {}, { orderBy: { name: 'asc', id: 'asc' } });
  }

  @Mutation(() => Organisation, { description: 'ADMIN: register a partner organisation.' })
  createOrganisation(@Arg('input', () => CreateOrganisationInput) input: CreateOrganisationInput, @Ctx() ctx: Context) {
    return createOrganisation(ctx, input);
  }
}

@Resolver(() => Team)
export class TeamResolver {
  @Query(() => [Team], { description: 'All teams (reference data).' })
  teams(@Ctx() ctx: Context) {
    return ctx.em.find(Team, {}, { orderBy: { code: 'asc' } });
  }
}

// What the resolvers read of a staff member beyond ids and relations (omittedProps).
fieldResolverReads(Staff, { teams: [], organisation: [] });
