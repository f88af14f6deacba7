import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import type { FilterQuery } from '@mikro-orm/postgresql';
import type { Context } from '../../context.js';
import { NO_ID, requireViewer, scope } from '../../permissions/scope.js';
import { MatchStatus, Role } from '../common/enums.js';
import { makeConnection } from '../common/connection.js';
import { keysetPage } from '../common/pagination.js';
import { Volunteer } from './volunteer.entity.js';
import { InformalCareRequest, VolunteerMatch } from './informal-care.entity.js';
import { InformalCareRequestFilter, PostcodeArea, PseudonymousResident } from './informal-care.views.js';
import { auditMatchReads } from './check-ins.js';

export const { Connection: InformalCareRequestConnection, Edge: InformalCareRequestEdge } = makeConnection(
  InformalCareRequest,
  'InformalCareRequest',
);
export const { Connection: VolunteerConnection, Edge: VolunteerEdge } = makeConnection(Volunteer, 'Volunteer');

/**
 * Read paths of informal care, each scoped in its query: ambassadors see their team's
 * requests (pseudonymised by the types themselves) and their organisation's volunteers;
 * volunteers see their own matches; team workers see requests of their cases.
 */
@Resolver(() => InformalCareRequest)
export class InformalCareRequestResolver {
  @Query(() => InformalCareRequestConnection, {
    description: "Ambassador: your team's requests, pseudonymised. Team worker: requests on your cases. Newest first.",
  })
  async informalCareRequests(
    @Ctx() ctx: Context,
    @Arg('filter', () => InformalCareRequestFilter, { nullable: true }) filter?: InformalCareRequestFilter,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ) {
    const viewer = requireViewer(ctx);
    const conditions: FilterQuery<InformalCareRequest>[] = [
      viewer.role === Role.AMBASSADOR ? { team: { $in: [...viewer.memberTeamIds] } } : { case: scope(ctx).cases() },
    ];
    if (filter?.status?.length) conditions.push({ status: { $in: filter.status } });
    const page = await keysetPage(ctx.em, InformalCareRequest, { $and: conditions }, 'createdAt', first, after);
    const households = await ctx.loaders.householdIdOfCase.loadMany(page.edges.map((e) => e.node.case.id));
    page.edges.forEach((e, i) => {
      const h = households[i];
      ctx.audit.read('InformalCareRequest', e.node.id, typeof h === 'string' ? h : null);
    });
    return page;
  }

  @FieldResolver(() => PostcodeArea)
  async area(@Root() r: InformalCareRequest, @Ctx() ctx: Context): Promise<PostcodeArea> {
    const team = await ctx.loaders.team.load(r.team.id);
    return { postcode4: r.postcode4, neighbourhood: team?.name ?? null };
  }

  @FieldResolver(() => PseudonymousResident, { nullable: true })
  async resident(@Root() r: InformalCareRequest, @Ctx() ctx: Context): Promise<PseudonymousResident | null> {
    if (!r.resident) return null;
    const row = await ctx.loaders.residentContact.load(r.resident.id);
    return row ? { givenName: row.given_name } : null;
  }
}

@Resolver(() => Volunteer)
export class VolunteerResolver {
  @Query(() => VolunteerConnection, { description: "Ambassador: your organisation's volunteers." })
  volunteers(
    @Ctx() ctx: Context,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ) {
    const viewer = requireViewer(ctx);
    return keysetPage(ctx.em, Volunteer, { organisation: viewer.organisationId ?? NO_ID }, 'createdAt', first, after);
  }

  @Query(() => Volunteer, { description: 'Volunteer: your own profile.' })
  async myVolunteerProfile(@Ctx() ctx: Context) {
    const viewer = requireViewer(ctx);
    return ctx.em.findOneOrFail(Volunteer, { id: viewer.volunteerId ?? NO_ID });
  }

  @FieldResolver(() => Int, { description: 'Matches that are proposed, accepted or active now.' })
  activeMatches(@Root() v: Volunteer, @Ctx() ctx: Context) {
    return ctx.loaders.liveMatchCount.get(v.id);
  }
}

@Resolver(() => VolunteerMatch)
export class VolunteerMatchResolver {
  @Query(() => [VolunteerMatch], { description: 'Volunteer: your matches, newest first.' })
  async myMatches(@Ctx() ctx: Context) {
    const viewer = requireViewer(ctx);
    const matches = await ctx.em.find(
      VolunteerMatch,
      { volunteer: viewer.volunteerId ?? NO_ID },
      { orderBy: { proposedAt: 'desc', id: 'desc' }, populate: ['request'] },
    );
    await auditMatchReads(ctx, matches);
    return matches;
  }

  @FieldResolver(() => PostcodeArea)
  async area(@Root() m: VolunteerMatch, @Ctx() ctx: Context): Promise<PostcodeArea> {
    const request = await ctx.loaders.informalCareRequest.load(m.request.id);
    const team = await ctx.loaders.team.load(m.team.id);
    return { postcode4: request?.postcode4 ?? '', neighbourhood: team?.name ?? null };
  }

  @FieldResolver(() => PseudonymousResident, { nullable: true })
  async resident(@Root() m: VolunteerMatch, @Ctx() ctx: Context): Promise<PseudonymousResident | null> {
    const request = await ctx.loaders.informalCareRequest.load(m.request.id);
    if (!request?.resident) return null;
    const row = await ctx.loaders.residentContact.load(request.resident.id);
    return row ? { givenName: row.given_name } : null;
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      "The resident's phone: only once the match is ACTIVE (the resident agreed), and while the resident's INFORMAL_CARE consent for your organisation is active.",
  })
  async contactPhone(@Root() m: VolunteerMatch, @Ctx() ctx: Context): Promise<string | null> {
    if (m.status !== MatchStatus.ACTIVE) return null;
    const request = await ctx.loaders.informalCareRequest.load(m.request.id);
    if (!request?.resident) return null;
    if (!(await ctx.loaders.informalCareConsent.load(request.resident.id))) return null;
    const row = await ctx.loaders.residentContact.load(request.resident.id);
    if (row?.phone) ctx.audit.read('Resident', request.resident.id, row.household_id);
    return row?.phone ?? null;
  }

  @FieldResolver(() => Volunteer, {
    nullable: true,
    description: "Ambassador and team: who the volunteer is (for an ambassador: null when the volunteer is of another organisation).",
  })
  volunteer(@Root() m: VolunteerMatch, @Ctx() ctx: Context) {
    return ctx.loaders.volunteer.get(m.volunteer.id);
  }
}
