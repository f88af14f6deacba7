import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context.js';
import { assertTeamInScope, requireViewer } from '../../permissions/scope.js';
import { isUuid } from '../../permissions/scope.js';
import { BadInputError } from '../common/errors.js';
import { Team } from '../team/team.entity.js';
import { Organisation } from '../organisation/organisation.entity.js';
import { Staff } from './staff.entity.js';
import { CreateOrganisationInput, CreateStaffInput, createOrganisation, createStaff } from './admin.service.js';

@Resolver(() => Staff)
export class StaffResolver {
  @Query(() => Staff, { description: 'The principal behind the token.' })
  async me(@Ctx() ctx: Context) {
    const viewer = requireViewer(ctx);
    return ctx.loaders.staff.load(viewer.id);
  }

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
    return ctx.loaders.teamsOfStaff.load(s.id);
  }

  @FieldResolver(() => Organisation, { nullable: true })
  organisation(@Root() s: Staff, @Ctx() ctx: Context) {
    return s.organisation ? ctx.loaders.organisation.load(s.organisation.id) : null;
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
