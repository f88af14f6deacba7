import { Arg, Ctx, Field, FieldResolver, ID, Int, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context.js';
import { assertTeamInScope, idsOrNone, isUuid, requireViewer } from '../../permissions/scope.js';
import { Role } from '../common/enums.js';
import { BadInputError, ForbiddenError } from '../common/errors.js';
import { Team } from '../team/team.entity.js';

@ObjectType({ description: 'Case counts by status (nullable for compatibility: these answers hide nothing, they are city totals or your own teams).' })
export class StatusCounts {
  @Field(() => Int, { nullable: true })
  registered!: number | null;

  @Field(() => Int, { nullable: true })
  intake!: number | null;

  @Field(() => Int, { nullable: true })
  active!: number | null;

  @Field(() => Int, { nullable: true })
  closed!: number | null;
}

@ObjectType({ description: "One team's case counts." })
export class TeamCaseCounts {
  teamId!: string;

  @Field(() => StatusCounts)
  counts!: StatusCounts;

  @Field(() => Boolean, { description: 'Always false: a lead sees the own teams whole.' })
  suppressed!: boolean;
}

@ObjectType({ description: 'Case counts now: the city\'s totals (analysts) or your teams, per team (leads).' })
export class CaseCounts {
  @Field(() => StatusCounts, { description: 'Totals over the teams in view (city level for analysts).' })
  total!: StatusCounts;

  @Field(() => [TeamCaseCounts], { description: 'Per own team (leads); empty for analysts, who follow teams through quarterReport.' })
  perTeam!: TeamCaseCounts[];

  @Field(() => Boolean, { description: 'Always false (kept for compatibility).' })
  suppressed!: boolean;
}

/**
 * An aggregate for dashboards: no person is ever returned. TEAM_LEAD: own teams, per team
 * (their own data; not suppressed). ANALYST: the city's totals only. Per team, today's counts
 * would undo the quarterly report's protection: a team's cases without a start date this
 * quarter minus its intake now is its registered count, and its closed cases of all time minus
 * those of every shown quarter is a hidden quarter's. Analysts follow teams through
 * `quarterReport`, whose answers are cut from one pattern.
 */
@Resolver(() => CaseCounts)
export class CaseCountsResolver {
  @Query(() => CaseCounts, { description: 'Aggregate case counts by status now (dashboards): for your teams, per team (leads), or the city\'s totals (analysts).' })
  async caseCounts(@Ctx() ctx: Context, @Arg('teamId', () => ID, { nullable: true }) teamId?: string): Promise<CaseCounts> {
    const viewer = requireViewer(ctx);
    const analyst = viewer.role === Role.ANALYST;
    if (teamId && !isUuid(teamId)) throw new BadInputError('teamId', 'is not a valid id');
    if (teamId && analyst) throw new ForbiddenError('Analysts see case counts city-wide only; per team, see quarterReport.');
    if (teamId) assertTeamInScope(ctx, teamId);
    const teams = analyst ? null : teamId ? [teamId] : [...viewer.teamIds];
    const rows = await ctx.em.getConnection().execute<{ team_id: string; status: string; n: string }[]>(
      analyst
        ? `select null as team_id, status, count(*) as n from "case" group by status`
        : `select team_id, status, count(*) as n from "case" where team_id in (?) group by team_id, status`,
      teams ? [idsOrNone(teams)] : [],
    );
    const byTeam = new Map<string, Record<string, number>>();
    const total: Record<string, number> = {};
    for (const r of rows) {
      total[r.status] = (total[r.status] ?? 0) + Number(r.n);
      if (analyst) continue;
      const t = byTeam.get(r.team_id) ?? {};
      t[r.status] = Number(r.n);
      byTeam.set(r.team_id, t);
    }
    const counts = (row: Record<string, number>): StatusCounts => ({
      registered: row.REGISTERED ?? 0,
      intake: row.INTAKE ?? 0,
      active: row.ACTIVE ?? 0,
      closed: row.CLOSED ?? 0,
    });
    // The city total is not suppressed (city level), and a lead's own teams are their own data.
    const perTeam = [...byTeam.entries()].map(([id, row]) => ({ teamId: id, counts: counts(row), suppressed: false }));
    return { total: counts(total), perTeam, suppressed: false };
  }
}

@Resolver(() => TeamCaseCounts)
export class TeamCaseCountsResolver {
  @FieldResolver(() => Team)
  team(@Root() t: TeamCaseCounts, @Ctx() ctx: Context) {
    return ctx.loaders.team.load(t.teamId);
  }
}
