/**
 * quarterReport(period, teamId): the quarterly "Blik op Buurtteams" figures (DESIGN.md §4),
 * always computed from the data. Two interchangeable ways to get the same numbers:
 *
 *  - fast: one SQL statement over the report_* rollup tables (per team and quarter), which
 *    row triggers keep current in the same transaction as every change and `report_rebuild()`
 *    recomputes from scratch (migration Migration20261123190000_report);
 *  - raw:  one SQL statement over the raw tables (the test oracle).
 *
 * Both return the same intermediate figures; `assembleReport` turns them into the answer
 * (shares, averages, small-cell suppression). Periods are calendar quarters in Europe/Amsterdam.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import { Arg, Ctx, Field, FieldResolver, Float, ID, Int, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context.js';
import { sql as sqlPrepared } from '../../db/sql.js';
import { assertTeamInScope, isUuid, requireViewer } from '../../permissions/scope.js';
import { ClosureReason, ReferralSource, Role, ZrmDomain, ZrmVersion } from '../common/enums.js';
import { BadInputError, ForbiddenError } from '../common/errors.js';
import { ZRM_DOMAINS } from '../case/zrm-domains.js';
import { Team } from '../team/team.entity.js';
import { isSuppressed, suppressCount } from './suppression.js';
import { analystPattern, reportCells } from './cell-protection.js';

// ---- GraphQL types -------------------------------------------------------------------------

@ObjectType({ description: 'Case counts of a quarter. Null means suppressed (a count from 1 to 4 below city level).' })
export class QuarterCaseCounts {
  @Field(() => Int, { nullable: true, description: 'Registered on or before the end of the period, not started and not closed by then (zonder startdatum).' })
  withoutStartDate!: number | null;
  @Field(() => Int, { nullable: true })
  startedInPeriod!: number | null;
  @Field(() => Int, { nullable: true, description: 'Started on or before the end, not closed before the start.' })
  runningInPeriod!: number | null;
  @Field(() => Int, { nullable: true })
  closedInPeriod!: number | null;
}

@ObjectType({ description: "One team's started / running / closed cases in the quarter." })
export class QuarterTeamFigures {
  teamId!: string;
  @Field(() => Int, { nullable: true })
  started!: number | null;
  @Field(() => Int, { nullable: true })
  running!: number | null;
  @Field(() => Int, { nullable: true })
  closed!: number | null;
}

@ObjectType({ description: 'Cases started in the quarter by referral source.' })
export class ReferralSourceFigure {
  @Field(() => ReferralSource)
  source!: ReferralSource;
  @Field(() => Int, { nullable: true })
  count!: number | null;
  @Field(() => Float, { nullable: true, description: 'Share of the cases started in the quarter (0–1).' })
  share!: number | null;
}

@ObjectType({ description: 'Cases closed in the quarter by closure reason.' })
export class ClosureReasonFigure {
  @Field(() => ClosureReason)
  reason!: ClosureReason;
  @Field(() => Int, { nullable: true })
  count!: number | null;
  @Field(() => Float, { nullable: true, description: 'Share of the cases closed in the quarter (0–1).' })
  share!: number | null;
}

@ObjectType({ description: 'How many assessments gave this score on a domain.' })
export class ZrmScoreFigure {
  @Field(() => Int)
  score!: number;
  @Field(() => Int, { nullable: true })
  count!: number | null;
  @Field(() => Float, { nullable: true })
  share!: number | null;
}

@ObjectType({ description: 'The distribution of one ZRM domain over the scores 1–5.' })
export class ZrmDomainFigures {
  @Field(() => ZrmDomain)
  domain!: ZrmDomain;
  @Field(() => [ZrmScoreFigure])
  distribution!: ZrmScoreFigure[];
}

@ObjectType({ description: 'ZRM assessments of one version in the quarter.' })
export class ZrmVersionFigures {
  @Field(() => ZrmVersion)
  version!: ZrmVersion;
  @Field(() => Int, { nullable: true })
  assessments!: number | null;
  @Field(() => [ZrmDomainFigures])
  domains!: ZrmDomainFigures[];
}

@ObjectType({ description: 'Feedback received in the quarter.' })
export class FeedbackFigures {
  @Field(() => Int, { nullable: true })
  complaints!: number | null;
  @Field(() => Int, { nullable: true })
  resolvedComplaints!: number | null;
  @Field(() => Int, { nullable: true, description: 'Complaints still OPEN or ESCALATED (with the external committee).' })
  pendingComplaints!: number | null;
  @Field(() => Int, { nullable: true })
  unfoundedComplaints!: number | null;
  @Field(() => Int, { nullable: true })
  compliments!: number | null;
}

@ObjectType({ description: 'Care allocations whose investigation started in the quarter.' })
export class CareAllocationFigures {
  @Field(() => Int, { nullable: true })
  investigations!: number | null;
  @Field(() => Int, { nullable: true })
  pgb!: number | null;
  @Field(() => Int, { nullable: true })
  zin!: number | null;
  @Field(() => Float, { nullable: true, description: 'Of the PGB allocations, the share PROVISIONALLY_GRANTED.' })
  pgbProvisionallyGrantedShare!: number | null;
}

@ObjectType({ description: 'Informal care (mantelzorg, vrijwilligers) in the quarter.' })
export class InformalCareFigures {
  @Field(() => Int, { nullable: true, description: 'Active ambassadors of the teams in view (now).' })
  ambassadors!: number | null;
  @Field(() => Int, { nullable: true, description: 'Case discussions held by ambassadors in the quarter.' })
  casesDiscussed!: number | null;
  @Field(() => Int, { nullable: true, description: 'Of those, informal care possible.' })
  informalCarePossible!: number | null;
  @Field(() => Float, { nullable: true, description: 'informalCarePossible / casesDiscussed (target ≥ 0.30).' })
  possibleShare!: number | null;
  @Field(() => Int, { nullable: true, description: "Active volunteers (city-wide; for teams: of the teams' ambassadors' organisations), now." })
  activeVolunteers!: number | null;
  @Field(() => Int, { nullable: true, description: 'Volunteer matches running at some point in the quarter.' })
  activeMatches!: number | null;
}

@ObjectType({ description: 'The quarterly report (Blik op Buurtteams), computed from the data.' })
export class QuarterReport {
  @Field(() => String)
  period!: string;
  @Field(() => Boolean, { description: 'True when any count in this answer was suppressed (small cells, analysts below city level).' })
  suppressed!: boolean;
  @Field(() => QuarterCaseCounts)
  caseCounts!: QuarterCaseCounts;
  @Field(() => [QuarterTeamFigures])
  perTeam!: QuarterTeamFigures[];
  @Field(() => [ReferralSourceFigure])
  referralSources!: ReferralSourceFigure[];
  @Field(() => Float, { nullable: true })
  selfReferralShare!: number | null;
  @Field(() => [ClosureReasonFigure])
  closureReasons!: ClosureReasonFigure[];
  @Field(() => [ZrmVersionFigures])
  zrm!: ZrmVersionFigures[];
  @Field(() => Float, { nullable: true, description: 'Registration to first contact in days, for first contacts in the quarter (target 5).' })
  averageDaysToFirstContact!: number | null;
  @Field(() => Float, { nullable: true, description: 'Of cases closed in the quarter (1–10).' })
  averageClientRating!: number | null;
  @Field(() => Float, { nullable: true, description: 'Of cases closed in the quarter with a recorded answer.' })
  selfReliantAfterClosureShare!: number | null;
  @Field(() => FeedbackFigures)
  feedback!: FeedbackFigures;
  @Field(() => CareAllocationFigures)
  careAllocations!: CareAllocationFigures;
  @Field(() => InformalCareFigures)
  informalCare!: InformalCareFigures;
}

// ---- periods -------------------------------------------------------------------------------

/** '2015-Q2' → '2015-04-01' (the first day of the quarter), or BAD_USER_INPUT. */
export function parsePeriod(period: string): string {
  const m = /^(\d{4})-Q([1-4])$/.exec(period);
  if (!m) throw new BadInputError('period', 'must look like 2015-Q2 (YYYY-Qn, n from 1 to 4)');
  const year = Number(m[1]);
  if (year < 1900 || year > 2999) throw new BadInputError('period', 'year out of range');
  return `${m[1]}-${String((Number(m[2]) - 1) * 3 + 1).padStart(2, '0')}-01`;
}

// ---- the two SQL paths ---------------------------------------------------------------------

type Num = number | string;
/** The intermediate figures both paths return (counts summed over the teams in view, except `state`). */
export interface ReportFigures {
  state: { t: string; ws: Num; st: Num; ru: Num; cl: Num }[];
  sources: { k: string; n: Num }[];
  closure: { k: string | null; n: Num; rs: Num; rn: Num; sr: Num; srn: Num }[];
  contact: { n: Num; d: Num };
  zrm: { v: string; n: Num }[];
  scores: { v: string; d: string; s: Num; n: Num }[];
  feedback: { k: string; s: string; n: Num }[];
  care: { f: string; d: string; n: Num }[];
  disc: { p: boolean; n: Num }[];
  matches: Num;
  ambassadors: Num;
  volunteers: Num;
}

const TEAM = `($2::uuid[] is null or team_id = any($2::uuid[]))`;
const agg = (sql: string) => `(select coalesce(json_agg(x), '[]'::json) from (${sql}) x)`;

/** Not period-bound, the same in both paths: ambassadors and volunteers now. */
const SHARED = `
  'ambassadors', (select count(distinct s.id) from staff s join staff_team st on st.staff_id = s.id
                  where s.role = 'AMBASSADOR' and s.active and ($2::uuid[] is null or st.team_id = any($2::uuid[]))),
  'volunteers', (select count(*) from volunteer v where v.active and ($2::uuid[] is null or v.organisation_id in (
                  select s.organisation_id from staff s join staff_team st on st.staff_id = s.id
                  where s.role = 'AMBASSADOR' and s.active and st.team_id = any($2::uuid[]))))`;

export const FAST_SQL = `select json_build_object(
  'state', ${agg(`select team_id t,
      coalesce(sum(n) filter (where registered_q <= $1 and (started_q is null or started_q > $1) and (closed_q is null or closed_q > $1)), 0) ws,
      coalesce(sum(n) filter (where started_q = $1), 0) st,
      coalesce(sum(n) filter (where started_q <= $1 and (closed_q is null or closed_q >= $1)), 0) ru,
      coalesce(sum(n) filter (where closed_q = $1), 0) cl
    from report_case_state where ${TEAM} and registered_q <= $1 group by team_id`)},
  'sources', ${agg(`select source k, sum(n) n from report_case_source where q = $1 and ${TEAM} group by source`)},
  'closure', ${agg(`select reason k, sum(n) n, sum(rating_sum) rs, sum(rating_n) rn, sum(self_reliant) sr, sum(self_reliant_n) srn
    from report_case_closure where q = $1 and ${TEAM} group by reason`)},
  'contact', (select json_build_object('n', coalesce(sum(n), 0), 'd', coalesce(sum(days_sum), 0)) from report_first_contact where q = $1 and ${TEAM}),
  'zrm', ${agg(`select version v, sum(n) n from report_zrm where q = $1 and ${TEAM} group by version`)},
  'scores', ${agg(`select version v, domain d, score s, sum(n) n from report_zrm_score where q = $1 and ${TEAM} group by version, domain, score`)},
  'feedback', ${agg(`select kind k, status s, sum(n) n from report_feedback where q = $1 and ${TEAM} group by kind, status`)},
  'care', ${agg(`select form f, decision d, sum(n) n from report_care where q = $1 and ${TEAM} group by form, decision`)},
  'disc', ${agg(`select possible p, sum(n) n from report_discussion where q = $1 and ${TEAM} group by possible`)},
  'matches', (select coalesce(sum(n), 0) from report_match where started_q <= $1 and (ended_q is null or ended_q >= $1) and ${TEAM}),
  ${SHARED}) as figures`;

const START = `($1::date::timestamp at time zone 'Europe/Amsterdam')`;
const END = `(($1::date + interval '3 months')::timestamp at time zone 'Europe/Amsterdam')`;
const IN = (col: string) => `${col} >= ${START} and ${col} < ${END}`;
const CASE_TEAM = `($2::uuid[] is null or c.team_id = any($2::uuid[]))`;

export const RAW_SQL = `select json_build_object(
  'state', ${agg(`select team_id t,
      count(*) filter (where (started_at is null or started_at >= ${END}) and (closed_at is null or closed_at >= ${END})) ws,
      count(*) filter (where ${IN('started_at')}) st,
      count(*) filter (where started_at < ${END} and (closed_at is null or closed_at >= ${START})) ru,
      count(*) filter (where ${IN('closed_at')}) cl
    from "case" where ${TEAM} and registered_at < ${END} group by team_id`)},
  'sources', ${agg(`select referral_source k, count(*) n from "case" where ${IN('started_at')} and ${TEAM} group by referral_source`)},
  'closure', ${agg(`select closure_reason k, count(*) n, coalesce(sum(client_rating), 0) rs, count(client_rating) rn,
      count(*) filter (where self_reliant_after) sr, count(self_reliant_after) srn
    from "case" where ${IN('closed_at')} and ${TEAM} group by closure_reason`)},
  'contact', (select json_build_object('n', count(*), 'd', coalesce(sum(((first_contact_at at time zone 'Europe/Amsterdam')::date)
      - ((registered_at at time zone 'Europe/Amsterdam')::date)), 0)) from "case" where ${IN('first_contact_at')} and ${TEAM}),
  'zrm', ${agg(`select z.version v, count(*) n from zrm_assessment z join "case" c on c.id = z.case_id
    where ${IN('z.assessed_at')} and ${CASE_TEAM} group by z.version`)},
  'scores', ${agg(`select z.version v, s->>'domain' d, (s->>'score')::int s, count(*) n
    from zrm_assessment z join "case" c on c.id = z.case_id cross join lateral jsonb_array_elements(z.scores) s
    where ${IN('z.assessed_at')} and ${CASE_TEAM} group by 1, 2, 3`)},
  'feedback', ${agg(`select kind k, status s, count(*) n from feedback where ${IN('received_at')} and ${TEAM} group by kind, status`)},
  'care', ${agg(`select a.form f, a.decision d, count(*) n from care_allocation a join "case" c on c.id = a.case_id
    where a.investigation_started_at >= $1::date and a.investigation_started_at < ($1::date + interval '3 months')::date and ${CASE_TEAM} group by 1, 2`)},
  'disc', ${agg(`select informal_care_possible p, count(*) n from case_discussion where ${IN('discussed_at')} and ${TEAM} group by 1`)},
  'matches', (select count(*) from volunteer_match where started_at < ${END} and (ended_at is null or ended_at >= ${START}) and ${TEAM}),
  ${SHARED}) as figures`;

/** The figures of the quarter starting on `quarterStart` for `teams` (null: the whole city). */
export async function loadReportFigures(
  em: EntityManager,
  quarterStart: string,
  teams: readonly string[] | null,
  path: 'fast' | 'raw' = 'fast',
): Promise<ReportFigures> {
  // The team list as a PostgreSQL array literal (ids are uuids, validated before they get here).
  const params: unknown[] = [quarterStart, teams ? `{${teams.join(',')}}` : null];
  if (path === 'fast') {
    // A named prepared statement with a generic plan (db/sql.ts): planning the statement took
    // as long as running it over the small rollups.
    const [row] = await sqlPrepared<{ figures: ReportFigures }>(em, FAST_SQL, params);
    return row!.figures;
  }
  // The oracle through knex, whose placeholders are `?`: $1/$2 become `?` with repeated bindings.
  const bindings: unknown[] = [];
  const text = RAW_SQL.replace(/\$([12])/g, (_, i: string) => (bindings.push(params[Number(i) - 1]), '?'));
  const rows = await em.getConnection().execute<{ figures: ReportFigures }[]>(text, bindings);
  const row = rows[0]!;
  return row.figures;
}

/** The two counts that do not add up over teams (ambassadors, volunteers), for the whole city. */
const CITY_SHARED_SQL = `select json_build_object(${SHARED.replace(/\$2::uuid\[\]/g, 'null::uuid[]')})`;

/**
 * Every team's figures of the quarter, for the analyst's small-cell protection
 * (cell-protection.ts): the fast path's rollups grouped by team, in one statement as cheap as
 * the city's own. A family's rows carry their team (`t`); `perTeamFigures` splits them.
 */
export const FAST_PER_TEAM_SQL = `select json_build_object(
  'state', ${agg(`select team_id t,
      coalesce(sum(n) filter (where registered_q <= $1 and (started_q is null or started_q > $1) and (closed_q is null or closed_q > $1)), 0) ws,
      coalesce(sum(n) filter (where started_q = $1), 0) st,
      coalesce(sum(n) filter (where started_q <= $1 and (closed_q is null or closed_q >= $1)), 0) ru,
      coalesce(sum(n) filter (where closed_q = $1), 0) cl
    from report_case_state where registered_q <= $1 group by team_id`)},
  'sources', ${agg(`select team_id t, source k, sum(n) n from report_case_source where q = $1 group by team_id, source`)},
  'closure', ${agg(`select team_id t, reason k, sum(n) n, sum(rating_sum) rs, sum(rating_n) rn, sum(self_reliant) sr, sum(self_reliant_n) srn
    from report_case_closure where q = $1 group by team_id, reason`)},
  'contact', ${agg(`select team_id t, coalesce(sum(n), 0) n, coalesce(sum(days_sum), 0) d from report_first_contact where q = $1 group by team_id`)},
  'zrm', ${agg(`select team_id t, version v, sum(n) n from report_zrm where q = $1 group by team_id, version`)},
  -- The largest family (a row per team, version, domain and score), and unique per those keys
  -- already: no grouping, and rows as arrays [t, v, d, s, n] instead of objects that repeat
  -- every key (half the statement's time was building and parsing those).
  'scores', (select coalesce(json_agg(json_build_array(team_id, version, domain, score, n)), '[]'::json) from report_zrm_score where q = $1),
  'feedback', ${agg(`select team_id t, kind k, status s, sum(n) n from report_feedback where q = $1 group by team_id, kind, status`)},
  'care', ${agg(`select team_id t, form f, decision d, sum(n) n from report_care where q = $1 group by team_id, form, decision`)},
  'disc', ${agg(`select team_id t, possible p, sum(n) n from report_discussion where q = $1 group by team_id, possible`)},
  'matches', ${agg(`select team_id t, coalesce(sum(n), 0) n from report_match where started_q <= $1 and (ended_q is null or ended_q >= $1) group by team_id`)},
  'ambassadors', ${agg(`select st.team_id t, count(distinct s.id) n from staff s join staff_team st on st.staff_id = s.id
      where s.role = 'AMBASSADOR' and s.active group by st.team_id`)},
  -- Each (team, organisation) pair once, then the organisations' counts: joining every
  -- volunteer to every team first took 10 ms at 10^6 cases, most of the statement.
  'volunteers', ${agg(`select x.team_id t, sum(vc.n) n
      from (select distinct st.team_id, s.organisation_id from staff s join staff_team st on st.staff_id = s.id
            where s.role = 'AMBASSADOR' and s.active) x
      join (select organisation_id, count(*) n from volunteer where active group by organisation_id) vc on vc.organisation_id = x.organisation_id
      group by x.team_id`)},
  'teams', (select coalesce(json_agg(id), '[]'::json) from team),
  'city', (${CITY_SHARED_SQL})) as figures`;

type PerTeamRows = { [K in keyof ReportFigures]: unknown[] } & { teams: string[]; city: { ambassadors: Num; volunteers: Num } };

/** Every team's figures, and the city's: the sums of the teams', but for the counts that do not add up. */
export interface FiguresPerTeam {
  teams: Map<string, ReportFigures>;
  city: ReportFigures;
}

/** The figures of `teams` added up (what `loadReportFigures` returns for them), with the city's own ambassadors and volunteers. */
export function sumFigures(perTeam: Map<string, ReportFigures>, city: { ambassadors: Num; volunteers: Num }): ReportFigures {
  const all = [...perTeam.values()];
  const n = (v: Num | undefined) => Number(v ?? 0);
  /** Rows of one family added up by `key`, summing the `sums` columns. */
  const add = <T extends Record<string, unknown>>(rows: T[], key: (r: T) => string, sums: (keyof T)[]): T[] => {
    const out = new Map<string, T>();
    for (const r of rows) {
      const k = key(r);
      const prev = out.get(k);
      if (!prev) out.set(k, { ...r });
      else for (const c of sums) (prev as Record<string, unknown>)[c as string] = n(prev[c] as Num) + n(r[c] as Num);
    }
    return [...out.values()];
  };
  return {
    state: all.flatMap((f) => f.state),
    sources: add(all.flatMap((f) => f.sources), (r) => r.k, ['n']),
    closure: add(all.flatMap((f) => f.closure), (r) => String(r.k), ['n', 'rs', 'rn', 'sr', 'srn']),
    contact: { n: all.reduce((a, f) => a + n(f.contact.n), 0), d: all.reduce((a, f) => a + n(f.contact.d), 0) },
    zrm: add(all.flatMap((f) => f.zrm), (r) => r.v, ['n']),
    scores: add(all.flatMap((f) => f.scores), (r) => `${r.v}:${r.d}:${r.s}`, ['n']),
    feedback: add(all.flatMap((f) => f.feedback), (r) => `${r.k}:${r.s}`, ['n']),
    care: add(all.flatMap((f) => f.care), (r) => `${r.f}:${r.d}`, ['n']),
    disc: add(all.flatMap((f) => f.disc), (r) => String(r.p), ['n']),
    matches: all.reduce((a, f) => a + n(f.matches), 0),
    ambassadors: city.ambassadors,
    volunteers: city.volunteers,
  };
}

/** Splits the grouped rows into one `ReportFigures` per team (every team, also one without rows). */
export function perTeamFigures(rows: PerTeamRows): FiguresPerTeam {
  const out = new Map<string, ReportFigures>();
  for (const t of rows.teams) {
    out.set(t, { state: [], sources: [], closure: [], contact: { n: 0, d: 0 }, zrm: [], scores: [], feedback: [], care: [], disc: [], matches: 0, ambassadors: 0, volunteers: 0 });
  }
  for (const [t, v, d, s, n] of rows.scores as [string, string, string, Num, Num][]) out.get(t)?.scores.push({ v, d, s, n });
  const lists = ['state', 'sources', 'closure', 'zrm', 'feedback', 'care', 'disc'] as const;
  for (const family of lists) {
    for (const row of rows[family] as ({ t: string } & Record<string, unknown>)[]) {
      const f = out.get(row.t);
      if (!f) continue;
      const { t: _team, ...rest } = row;
      (f[family] as unknown[]).push(family === 'state' ? row : rest);
    }
  }
  for (const row of rows.contact as { t: string; n: Num; d: Num }[]) {
    const f = out.get(row.t);
    if (f) f.contact = { n: row.n, d: row.d };
  }
  for (const family of ['matches', 'ambassadors', 'volunteers'] as const) {
    for (const row of rows[family] as { t: string; n: Num }[]) {
      const f = out.get(row.t);
      if (f) f[family] = row.n;
    }
  }
  return { teams: out, city: sumFigures(out, rows.city) };
}

/** FAST_PER_TEAM_SQL's answer as text, the key of `perTeamCache`. */
const FAST_PER_TEAM_TEXT_SQL = `select figures::text as figures from (${FAST_PER_TEAM_SQL}) x`;

/**
 * The last few answers of FAST_PER_TEAM_SQL, parsed and split per team, keyed by the answer's
 * exact text. The statement still runs on every request, so nothing here can be stale: the
 * same rollups give the same text, and a hit only skips parsing, summing and (through
 * `patternOf`) the analyst's protection pattern, which are a pure function of it. Aggregates
 * only; treat the values as read-only.
 */
const perTeamCache = new Map<string, FiguresPerTeam>();
const PER_TEAM_CACHE_SIZE = 8;

/** The analyst's pattern over these figures, computed once per cached answer. */
const patterns = new WeakMap<FiguresPerTeam, (teamId: string, key: string) => boolean>();
function patternOf(perTeam: FiguresPerTeam): (teamId: string, key: string) => boolean {
  let pattern = patterns.get(perTeam);
  if (!pattern) patterns.set(perTeam, (pattern = analystPattern(perTeam.teams)));
  return pattern;
}

/**
 * Every team's figures of the quarter. Fast path: FAST_PER_TEAM_SQL. Raw path (the test
 * oracle): the raw query once per team through LATERAL, in one statement.
 */
export async function loadFiguresPerTeam(em: EntityManager, quarterStart: string, path: 'fast' | 'raw' = 'fast'): Promise<FiguresPerTeam> {
  if (path === 'fast') {
    const [row] = await sqlPrepared<{ figures: string }>(em, FAST_PER_TEAM_TEXT_SQL, [quarterStart]);
    const text = row!.figures;
    const known = perTeamCache.get(text);
    if (known) {
      perTeamCache.delete(text);
      perTeamCache.set(text, known);
      return known;
    }
    const figures = perTeamFigures(JSON.parse(text) as PerTeamRows);
    perTeamCache.set(text, figures);
    if (perTeamCache.size > PER_TEAM_CACHE_SIZE) perTeamCache.delete(perTeamCache.keys().next().value!);
    return figures;
  }
  const bindings: unknown[] = [];
  const bind = (sql: string) => sql.replace(/\$1/g, () => (bindings.push(quarterStart), '?'));
  const inner = RAW_SQL.replace(/\$2::uuid\[\]/g, 'array[tm.id]::uuid[]');
  const rows = await em.getConnection().execute<{ team_id: string; figures: ReportFigures }[]>(
    `select tm.id as team_id, (${bind(inner)}) as figures from team tm`,
    bindings,
  );
  const teams = new Map(rows.map((r) => [r.team_id, r.figures]));
  const [shared] = await em.getConnection().execute<{ city: PerTeamRows['city'] }[]>(`${CITY_SHARED_SQL} as city`);
  return { teams, city: sumFigures(teams, shared!.city) };
}

// ---- assembly ------------------------------------------------------------------------------

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

export interface AssembleOptions {
  period: string;
  /** Teams in view, in the order perTeam lists them. */
  teamIds: readonly string[];
  /** Suppress small per-team cells (analyst, city-wide). */
  suppressTeams: boolean;
  /** Suppress every small count (analyst below city level: one team). */
  suppressAll: boolean;
  /**
   * The analyst's pattern over every team (cell-protection.ts): a team's cell it hides is null
   * too, beyond its own small-cell rule, so no shown sum gives a hidden count back.
   */
  hidden?: (teamId: string, key: string) => boolean;
}

export function assembleReport(f: ReportFigures, o: AssembleOptions): QuarterReport {
  let suppressed = false;
  const N = (v: Num | undefined | null) => Number(v ?? 0);
  const count = (n: number, apply = o.suppressAll) => {
    if (isSuppressed(n, apply)) suppressed = true;
    return suppressCount(n, apply);
  };
  // One team in view (an analyst's single-team answer): the pattern's cells of that team.
  const only = o.suppressAll && o.teamIds.length === 1 ? o.teamIds[0]! : null;
  const hiddenCell = (teamId: string | null, key: string) => teamId !== null && !!o.hidden?.(teamId, key);
  /** A count shown under `key`: null when small, or when the pattern hides it. */
  const cell = (n: number, key: string, teamId = only, apply = o.suppressAll) => {
    if (apply && hiddenCell(teamId, key)) {
      suppressed = true;
      return null;
    }
    return count(n, apply);
  };
  const shown = (n: number, key: string) => !(o.suppressAll && (isSuppressed(n, true) || hiddenCell(only, key)));
  /** A share or an average over the cells `keys` (cell-protection.ts: what it stands on): null when one is hidden. */
  const over = (keys: [n: number, key: string][]) => keys.every(([n, key]) => shown(n, key));
  const share = (num: number, den: number, keys: [n: number, key: string][]) => (den === 0 || !over(keys) ? null : round(num / den, 4));
  /** A share of two shown cells, `numKey` over `denKey` (their complement is a constraint of the pattern). */
  const shareOf = (num: number, den: number, numKey: string, denKey: string) => share(num, den, [[num, numKey], [den, denKey]]);
  const average = (sum: number, n: number, keys: [n: number, key: string][]) => (n === 0 || !over(keys) ? null : round(sum / n, 2));

  const byTeam = new Map(f.state.map((s) => [s.t, s]));
  const totals = { ws: 0, st: 0, ru: 0, cl: 0 };
  const perTeam: QuarterTeamFigures[] = o.teamIds.map((teamId) => {
    const s = byTeam.get(teamId);
    const st = N(s?.st), ru = N(s?.ru), cl = N(s?.cl);
    totals.ws += N(s?.ws);
    totals.st += st;
    totals.ru += ru;
    totals.cl += cl;
    const apply = o.suppressTeams || o.suppressAll;
    return { teamId, started: cell(st, 'st', teamId, apply), running: cell(ru, 'ru', teamId, apply), closed: cell(cl, 'cl', teamId, apply) };
  });

  // The counts under the keys the analyst's pattern uses (cell-protection.ts), so what is shown
  // and what the pattern protects are computed in one place.
  const cells = reportCells(f);
  const at = (key: string) => cells.get(key) ?? 0;
  const sum = (prefix: string) => [...cells].reduce((a, [k, n]) => (k.startsWith(prefix) ? a + n : a), 0);
  const startedTotal = sum('src:');
  const closedTotal = sum('cr:');
  const ratingSum = f.closure.reduce((a, c) => a + N(c.rs), 0);
  const ratingN = f.closure.reduce((a, c) => a + N(c.rn), 0);
  const srTrue = f.closure.reduce((a, c) => a + N(c.sr), 0);
  const srN = f.closure.reduce((a, c) => a + N(c.srn), 0);

  const zrm: ZrmVersionFigures[] = Object.values(ZrmVersion)
    .filter((v) => at(`zrm:${v}`) > 0)
    .map((version) => {
      const assessments = at(`zrm:${version}`);
      return {
        version,
        assessments: cell(assessments, `zrm:${version}`),
        domains: ZRM_DOMAINS[version].map((domain) => ({
          domain,
          distribution: [1, 2, 3, 4, 5].map((score) => {
            const key = `sc:${version}:${domain}:${score}`;
            return { score, count: cell(at(key), key), share: shareOf(at(key), assessments, key, `zrm:${version}`) };
          }),
        })),
      };
    });

  const pgb = at('care:pgb');
  const pgbProvisional = f.care.filter((x) => x.f === 'PGB' && x.d === 'PROVISIONALLY_GRANTED').reduce((a, x) => a + N(x.n), 0);
  const discussed = at('ic:disc');
  const possible = at('ic:pos');

  const report: QuarterReport = {
    period: o.period,
    suppressed: false,
    caseCounts: {
      withoutStartDate: cell(totals.ws, 'ws'),
      startedInPeriod: cell(totals.st, 'st'),
      runningInPeriod: cell(totals.ru, 'ru'),
      closedInPeriod: cell(totals.cl, 'cl'),
    },
    perTeam,
    referralSources: Object.values(ReferralSource).map((source) => {
      const key = `src:${source}`;
      return { source, count: cell(at(key), key), share: shareOf(at(key), startedTotal, key, 'st') };
    }),
    selfReferralShare: shareOf(at(`src:${ReferralSource.SELF}`), startedTotal, `src:${ReferralSource.SELF}`, 'st'),
    closureReasons: Object.values(ClosureReason).map((reason) => {
      const key = `cr:${reason}`;
      return { reason, count: cell(at(key), key), share: shareOf(at(key), closedTotal, key, 'cl') };
    }),
    zrm,
    averageDaysToFirstContact: average(N(f.contact.d), N(f.contact.n), [[N(f.contact.n), 'fc:n']]),
    averageClientRating: average(ratingSum, ratingN, [[closedTotal, 'cl'], [ratingN, 'rt:y'], [at('rt:n'), 'rt:n']]),
    selfReliantAfterClosureShare: share(srTrue, srN, [[closedTotal, 'cl'], [srTrue, 'sr:y'], [at('sr:f'), 'sr:f'], [at('sr:u'), 'sr:u']]),
    feedback: {
      complaints: cell(at('fb:c'), 'fb:c'),
      resolvedComplaints: cell(at('fb:r'), 'fb:r'),
      pendingComplaints: cell(at('fb:p'), 'fb:p'),
      unfoundedComplaints: cell(at('fb:u'), 'fb:u'),
      compliments: cell(at('fb:m'), 'fb:m'),
    },
    careAllocations: {
      investigations: cell(at('care:i'), 'care:i'),
      pgb: cell(pgb, 'care:pgb'),
      zin: cell(at('care:zin'), 'care:zin'),
      pgbProvisionallyGrantedShare: share(pgbProvisional, pgb, [[pgb, 'care:pgb'], [pgbProvisional, 'care:pgb:prov'], [pgb - pgbProvisional, 'care:pgb:rest']]),
    },
    informalCare: {
      ambassadors: cell(at('ic:amb'), 'ic:amb'),
      casesDiscussed: cell(discussed, 'ic:disc'),
      informalCarePossible: cell(possible, 'ic:pos'),
      possibleShare: share(possible, discussed, [[possible, 'ic:pos'], [discussed, 'ic:disc'], [discussed - possible, 'ic:neg']]),
      activeVolunteers: cell(at('ic:vol'), 'ic:vol'),
      activeMatches: cell(at('ic:match'), 'ic:match'),
    },
  };
  report.suppressed = suppressed;
  return report;
}

// ---- the service and resolver ----------------------------------------------------------------

export interface QuarterReportRequest {
  period: string;
  teamId?: string | null;
  path?: 'fast' | 'raw';
}

/** The rules of who sees what; both paths go through here. */
export async function quarterReport(ctx: Context, req: QuarterReportRequest): Promise<QuarterReport> {
  const viewer = requireViewer(ctx);
  const quarterStart = parsePeriod(req.period);
  const analyst = viewer.role === Role.ANALYST;
  if (!analyst && viewer.role !== Role.TEAM_LEAD) throw new ForbiddenError('Only team leads and analysts see the quarterly report.');
  const teamId = req.teamId ?? null;
  if (teamId !== null && !isUuid(teamId)) throw new BadInputError('teamId', 'is not a valid id');
  if (teamId !== null && !analyst) assertTeamInScope(ctx, teamId);
  const conn = ctx.em.getConnection();
  if (teamId !== null && analyst) {
    const found = await conn.execute<{ id: string }[]>('select id from team where id = ?', [teamId]);
    if (!found.length) throw new BadInputError('teamId', 'no such team');
  }
  const teams = teamId !== null ? [teamId] : analyst ? null : [...viewer.teamIds];
  const teamRows = teams
    ? await conn.execute<{ id: string }[]>('select id from team where id = any(?::uuid[]) order by code', [`{${teams.join(',')}}`])
    : await conn.execute<{ id: string }[]>('select id from team order by code');
  const path = req.path ?? 'fast';
  const options = { period: req.period, teamIds: teamRows.map((r) => r.id), suppressTeams: analyst, suppressAll: analyst && teamId !== null };
  if (!analyst) return assembleReport(await loadReportFigures(ctx.em, quarterStart, teams, path), options);
  // Analysts: every team's figures, for one protection pattern over them all (the same in each of
  // their answers); the answer's own figures are the city's sum of them, or the one team's.
  const perTeam = await loadFiguresPerTeam(ctx.em, quarterStart, path);
  const figures = teamId !== null ? perTeam.teams.get(teamId)! : perTeam.city;
  return assembleReport(figures, { ...options, hidden: patternOf(perTeam) });
}

@Resolver(() => QuarterReport)
export class QuarterReportResolver {
  @Query(() => QuarterReport, {
    description: 'The quarterly report (Blik op Buurtteams) for a period like "2015-Q2": team leads for their own teams, analysts city-wide (teams as a breakdown, small cells suppressed).',
  })
  quarterReport(
    @Ctx() ctx: Context,
    @Arg('period', () => String) period: string,
    @Arg('teamId', () => ID, { nullable: true }) teamId?: string | null,
  ): Promise<QuarterReport> {
    return quarterReport(ctx, { period, teamId: teamId ?? null });
  }
}

@Resolver(() => QuarterTeamFigures)
export class QuarterTeamFiguresResolver {
  @FieldResolver(() => Team)
  team(@Root() t: QuarterTeamFigures, @Ctx() ctx: Context) {
    return ctx.loaders.team.load(t.teamId);
  }
}
