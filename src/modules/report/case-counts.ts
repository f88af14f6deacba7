import { Arg, Ctx, Field, FieldResolver, ID, Int, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context.js';
import { assertTeamInScope, idsOrNone, isUuid, requireViewer } from '../../permissions/scope.js';
import { Role } from '../common/enums.js';
import { BadInputError } from '../common/errors.js';
import { Team } from '../team/team.entity.js';
import { isSuppressed } from './suppression.js';
import { protectedCells } from './cell-protection.js';

@ObjectType({ description: 'Case counts by status. Null means suppressed (a count from 1 to 4 below city level).' })
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

  @Field(() => Boolean, { description: 'True when at least one count of this team was suppressed.' })
  suppressed!: boolean;
}

@ObjectType({ description: 'Case counts now: city-wide (analysts) or for your teams (leads), per team.' })
export class CaseCounts {
  @Field(() => StatusCounts, { description: 'Totals over the teams in view (city level for analysts: not suppressed).' })
  total!: StatusCounts;

  @Field(() => [TeamCaseCounts])
  perTeam!: TeamCaseCounts[];

  @Field(() => Boolean, { description: 'True when any count in this answer was suppressed.' })
  suppressed!: boolean;
}

const STATUSES = ['REGISTERED', 'INTAKE', 'ACTIVE', 'CLOSED'] as const;

/** `hidden`: the statuses the analyst's pattern hides for this team (beyond its own small cells). */
function toCounts(row: Record<string, number>, apply: boolean, hidden: (status: string) => boolean = () => false): { counts: StatusCounts; suppressed: boolean } {
  const n = (s: (typeof STATUSES)[number]) => row[s] ?? 0;
  const hide = (s: (typeof STATUSES)[number]) => apply && (isSuppressed(n(s), true) || hidden(s));
  const shown = (s: (typeof STATUSES)[number]) => (hide(s) ? null : n(s));
  return {
    counts: { registered: shown('REGISTERED'), intake: shown('INTAKE'), active: shown('ACTIVE'), closed: shown('CLOSED') },
    suppressed: STATUSES.some(hide),
  };
}

/**
 * The analyst's pattern (cell-protection.ts) over every team's counts: the city total of each
 * status is shown, so one hidden team count would be the total minus the others.
 */
function analystCasePattern(byTeam: Map<string, Record<string, number>>): (teamId: string, status: string) => boolean {
  const values = new Map<string, number>();
  for (const [t, row] of byTeam) for (const s of STATUSES) values.set(`${t}|${s}`, row[s] ?? 0);
  const teams = [...byTeam.keys()];
  const hidden = protectedCells(values, STATUSES.map((s) => ({ cells: teams.map((t) => `${t}|${s}`), total: null })));
  return (teamId, status) => hidden.has(`${teamId}|${status}`);
}

/**
 * An aggregate for dashboards: no person is ever returned. ANALYST: city-wide, per team with
 * small cells suppressed. TEAM_LEAD: own teams (their own data; not suppressed).
 */
@Resolver(() => CaseCounts)
export class CaseCountsResolver {
  @Query(() => CaseCounts, { description: 'Aggregate case counts by status (dashboards).' })
  async caseCounts(@Ctx() ctx: Context, @Arg('teamId', () => ID, { nullable: true }) teamId?: string): Promise<CaseCounts> {
    const viewer = requireViewer(ctx);
    const analyst = viewer.role === Role.ANALYST;
    if (teamId && !isUuid(teamId)) throw new BadInputError('teamId', 'is not a valid id');
    if (teamId && !analyst) assertTeamInScope(ctx, teamId);
    // Analysts: every team, for the pattern (one team's answer hides what the city-wide one hides).
    const teams = analyst ? null : teamId ? [teamId] : [...viewer.teamIds];
    const rows = await ctx.em.getConnection().execute<{ team_id: string; status: string; n: string }[]>(
      `select team_id, status, count(*) as n from "case" ${teams ? 'where team_id in (?)' : ''} group by team_id, status`,
      teams ? [idsOrNone(teams)] : [],
    );
    const all = new Map<string, Record<string, number>>();
    for (const r of rows) {
      const t = all.get(r.team_id) ?? {};
      t[r.status] = Number(r.n);
      all.set(r.team_id, t);
    }
    const hidden = analyst ? analystCasePattern(all) : () => false;
    const byTeam = teamId ? new Map(all.has(teamId) ? [[teamId, all.get(teamId)!]] : []) : all;
    const total: Record<string, number> = {};
    for (const row of byTeam.values()) for (const [status, n] of Object.entries(row)) total[status] = (total[status] ?? 0) + n;
    // The city total is not suppressed; a single team asked for is below city level.
    const totals = toCounts(total, analyst && !!teamId, teamId ? (st) => hidden(teamId, st) : undefined);
    const perTeam = [...byTeam.entries()].map(([id, row]) => ({ teamId: id, ...toCounts(row, analyst, (st) => hidden(id, st)) }));
    return { total: totals.counts, perTeam, suppressed: totals.suppressed || perTeam.some((t) => t.suppressed) };
  }
}

@Resolver(() => TeamCaseCounts)
export class TeamCaseCountsResolver {
  @FieldResolver(() => Team)
  team(@Root() t: TeamCaseCounts, @Ctx() ctx: Context) {
    return ctx.loaders.team.load(t.teamId);
  }
}
