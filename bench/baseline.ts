/**
 * The hand-written single-SQL baselines of `npm run bench`: for each scenario one statement
 * that returns the same JSON document the API answers (json_agg/json_build_object over pg), and
 * a tiny HTTP server that runs them (`node --import tsx bench/baseline.ts`, env DATABASE_URL,
 * PORT, BASELINE_PROCESSES — as many processes as the API gets, default 1): POST /<scenario>
 * with the scenario's variables as the JSON body; POST /floor/caseDetail (env JWT_SECRET) is
 * CaseDetail's compliant floor (bench/floor.ts), POST /floor/caseDetailRemembered the same with
 * the principal remembered per process.
 *
 * No authentication, no permission checks, no audit rows: the least work for the same answer. "The
 * same" is exact — cursors, timestamp formats, list orders, the matching's scores and reasons,
 * the report's rounding and suppression — and tests/integration/bench-baseline.test.ts holds
 * every statement to the API's answer, so a ratio never compares the API with less work.
 */
import cluster from 'node:cluster';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { FAST_SQL, parsePeriod } from '../src/modules/report/quarter-report.js';
import { centroidOf, knownAreas } from '../src/modules/informal-care/geo.js';
import { vogValidFrom } from '../src/modules/informal-care/matching.js';
import { ClosureReason, ReferralSource, ZrmVersion } from '../src/modules/common/enums.js';
import { ZRM_DOMAINS } from '../src/modules/case/zrm-domains.js';
import { caseDetailFloor, floorOptions, type FloorOptions } from './floor.js';

/** A timestamptz as the API's DateTime scalar writes it (JavaScript's toISOString: UTC, milliseconds, Z). */
const iso = (col: string) => `to_char(${col} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
/** A keyset cursor as the API encodes it (src/modules/common/connection.ts): base64url of ["<iso sort value>","<id>"]. */
const cursor = (sortCol: string, idCol: string) =>
  `translate(rtrim(replace(encode(convert_to('["' || ${iso(sortCol)} || '","' || ${idCol} || '"]', 'UTF8'), 'base64'), E'\\n', ''), '='), '+/', '-_')`;

const DAYS = `array['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY']`;
const PARTS = `array['MORNING', 'AFTERNOON', 'EVENING']`;
/** slotLabel of matching.ts: "Tuesday mornings". */
const DAY_LABEL = `initcap(w->>'day')`;
const PART_LABEL = `(case w->>'part' when 'MORNING' then 'mornings' when 'AFTERNOON' then 'afternoons' else 'evenings' end)`;

function centroids(): Record<string, { lat: number; lon: number }> {
  return Object.fromEntries(knownAreas().map((area) => [area, centroidOf(area)!]));
}

/** `textArray(['A', 'B'])` → `array['A', 'B']` (enum values, in their order). */
const textArray = (values: readonly string[]) => `array[${values.map((v) => `'${v}'`).join(', ')}]`;
/** JavaScript's Math.round(x * 10^d) / 10^d (PostgreSQL's round() of a float8 rounds half to even). */
const jsRound = (x: string, digits: number) => `(floor((${x}) * ${10 ** digits} + 0.5) / ${10 ** digits})`;
/** share() of quarter-report.ts: null over a zero denominator, else rounded to 4 decimals. */
const share = (num: string, den: string) => `(case when (${den}) = 0 then null else ${jsRound(`(${num})::float8 / (${den})`, 4)} end)`;
const average = (sum: string, n: string) => `(case when (${n}) = 0 then null else ${jsRound(`(${sum})::float8 / (${n})`, 2)} end)`;
/** Sum of a field of the figures' list `list` over the elements that satisfy `where` (x is the element). */
const sumOf = (list: string, field: string, where = 'true') => `(select coalesce(sum((x->>'${field}')::float8), 0) from json_array_elements(f->'${list}') x where ${where})`;
const ZRM_VERSIONS = Object.values(ZrmVersion);

/**
 * The quarterly report as the API answers it (assembleReport of quarter-report.ts over the same
 * FAST_SQL figures), in one statement: $1 quarter start, $2 teams (null: the city), $3 the
 * period as asked, $4 suppress the per-team cells of 1–4 (the analyst's city-wide view).
 */
const QUARTER_REPORT_SQL = `with q as (select figures as f from (${FAST_SQL}) x),
teams as (select t.id, t.code, t.name, coalesce((s->>'ws')::float8, 0) ws, coalesce((s->>'st')::float8, 0) st,
    coalesce((s->>'ru')::float8, 0) ru, coalesce((s->>'cl')::float8, 0) cl
  from team t cross join q left join json_array_elements(q.f->'state') s on s->>'t' = t.id::text
  where $2::uuid[] is null or t.id = any($2::uuid[])),
cells as (select teams.*, (case when $4::boolean and st between 1 and 4 then null else st end) s_st,
    (case when $4::boolean and ru between 1 and 4 then null else ru end) s_ru, (case when $4::boolean and cl between 1 and 4 then null else cl end) s_cl
  from teams),
-- The score cells once as rows (the distributions look up ~65 of them).
scores as (select x->>'v' v, x->>'d' d, (x->>'s')::int s, sum((x->>'n')::float8) n from q, json_array_elements(q.f->'scores') x group by 1, 2, 3),
n as (select f,
    ${sumOf('sources', 'n')} started, ${sumOf('closure', 'n')} closed,
    ${sumOf('closure', 'rs')} rs, ${sumOf('closure', 'rn')} rn, ${sumOf('closure', 'sr')} sr, ${sumOf('closure', 'srn')} srn,
    ${sumOf('care', 'n', `x->>'f' = 'PGB'`)} pgb, ${sumOf('disc', 'n')} discussed, ${sumOf('disc', 'n', `(x->>'p')::boolean`)} possible
  from q)
select json_build_object('data', json_build_object('quarterReport', json_build_object(
  'period', $3::text,
  'suppressed', exists (select 1 from cells where s_st is null or s_ru is null or s_cl is null),
  'caseCounts', (select json_build_object('withoutStartDate', coalesce(sum(ws), 0), 'startedInPeriod', coalesce(sum(st), 0),
      'runningInPeriod', coalesce(sum(ru), 0), 'closedInPeriod', coalesce(sum(cl), 0)) from teams),
  'perTeam', (select coalesce(json_agg(json_build_object('team', json_build_object('code', code, 'name', name),
      'started', s_st, 'running', s_ru, 'closed', s_cl) order by code), '[]') from cells),
  'referralSources', (select json_agg(json_build_object('source', k, 'count', c, 'share', ${share('c', 'n.started')}) order by i)
      from unnest(${textArray(Object.values(ReferralSource))}) with ordinality u(k, i), lateral ${sumOf('sources', 'n', `x->>'k' = k`)} cs(c)),
  'selfReferralShare', ${share(sumOf('sources', 'n', `x->>'k' = 'SELF'`), 'n.started')},
  'closureReasons', (select json_agg(json_build_object('reason', k, 'count', c, 'share', ${share('c', 'n.closed')}) order by i)
      from unnest(${textArray(Object.values(ClosureReason))}) with ordinality u(k, i), lateral ${sumOf('closure', 'n', `x->>'k' = k`)} cs(c)),
  'zrm', (select coalesce(json_agg(json_build_object('version', v, 'assessments', a, 'domains', (
        select json_agg(json_build_object('domain', d, 'distribution', (
            select json_agg(json_build_object('score', sc, 'count', coalesce(s.n, 0), 'share', ${share('coalesce(s.n, 0)', 'a')}) order by sc)
            from generate_series(1, 5) sc left join scores s on s.v = u.v and s.d = w.d and s.s = sc)) order by j)
        from unnest(case v ${ZRM_VERSIONS.map((v) => `when '${v}' then ${textArray(ZRM_DOMAINS[v])}`).join(' ')} end) with ordinality w(d, j))) order by i), '[]')
      from unnest(${textArray(ZRM_VERSIONS)}) with ordinality u(v, i), lateral ${sumOf('zrm', 'n', `x->>'v' = v`)} za(a) where a > 0),
  'averageDaysToFirstContact', ${average(`(f->'contact'->>'d')::float8`, `(f->'contact'->>'n')::float8`)},
  'averageClientRating', ${average('n.rs', 'n.rn')},
  'selfReliantAfterClosureShare', ${share('n.sr', 'n.srn')},
  'feedback', json_build_object(
    'complaints', ${sumOf('feedback', 'n', `x->>'k' = 'COMPLAINT'`)},
    'resolvedComplaints', ${sumOf('feedback', 'n', `x->>'k' = 'COMPLAINT' and x->>'s' = 'RESOLVED'`)},
    'pendingComplaints', ${sumOf('feedback', 'n', `x->>'k' = 'COMPLAINT' and x->>'s' in ('OPEN', 'ESCALATED')`)},
    'unfoundedComplaints', ${sumOf('feedback', 'n', `x->>'k' = 'COMPLAINT' and x->>'s' = 'UNFOUNDED'`)},
    'compliments', ${sumOf('feedback', 'n', `x->>'k' = 'COMPLIMENT'`)}),
  'careAllocations', json_build_object('investigations', ${sumOf('care', 'n')}, 'pgb', n.pgb, 'zin', ${sumOf('care', 'n', `x->>'f' = 'ZIN'`)},
    'pgbProvisionallyGrantedShare', ${share(sumOf('care', 'n', `x->>'f' = 'PGB' and x->>'d' = 'PROVISIONALLY_GRANTED'`), 'n.pgb')}),
  'informalCare', json_build_object('ambassadors', (f->>'ambassadors')::float8, 'casesDiscussed', n.discussed, 'informalCarePossible', n.possible,
    'possibleShare', ${share('n.possible', 'n.discussed')}, 'activeVolunteers', (f->>'volunteers')::float8, 'activeMatches', (f->>'matches')::float8)
))) as body from n`;

/**
 * CaseDetail's answer for case $1, in one statement. `scope`: more conditions on the case `c`
 * (the compliant floor of bench/floor.ts restricts it to the viewer's teams; the baseline has none).
 */
export const caseDetailSql = (scope = '') => `select json_build_object('data', json_build_object('case', (select json_build_object(
  'id', c.id, 'status', c.status, 'registeredAt', ${iso('c.registered_at')}, 'firstContactAt', ${iso('c.first_contact_at')}, 'startedAt', ${iso('c.started_at')},
  'closedAt', ${iso('c.closed_at')}, 'closureReason', c.closure_reason, 'referralSource', c.referral_source,
  'coordinator', (select json_build_object('id', s.id, 'name', s.name) from staff s where s.id = c.coordinator_id),
  'team', (select json_build_object('id', t.id, 'code', t.code) from team t where t.id = c.team_id),
  'household', (select json_build_object('id', h.id, 'address', json_build_object('street', h.street, 'houseNumber', h.house_number, 'postcode', h.postcode, 'city', h.city),
      'members', (select coalesce(json_agg(json_build_object('id', r.id, 'givenName', r.given_name, 'familyName', r.family_name, 'birthDate', r.birth_date,
          'bsnLast4', r.bsn_last4, 'phone', r.phone) order by r.birth_date, r.id), '[]') from resident r where r.household_id = h.id))
    from household h where h.id = c.household_id),
  'goals', (select coalesce(json_agg(json_build_object('id', g.id, 'description', g.description, 'domain', g.domain, 'status', g.status) order by g.created_at, g.id), '[]') from goal g where g.case_id = c.id),
  'notes', json_build_object('totalCount', (select count(*) from case_note n where n.case_id = c.id),
    'edges', (select coalesce(json_agg(json_build_object('node', json_build_object('id', n.id, 'body', n.body, 'createdAt', ${iso('n.created_at')},
        'author', (select json_build_object('name', s.name) from staff s where s.id = n.author_id))) order by n.created_at desc, n.id desc), '[]')
      from (select * from case_note n where n.case_id = c.id order by created_at desc, id desc limit 20) n)),
  'zrmAssessments', (select coalesce(json_agg(json_build_object('id', z.id, 'assessedAt', ${iso('z.assessed_at')}, 'version', z.version, 'kind', z.kind, 'scores', z.scores) order by z.assessed_at desc, z.id desc), '[]') from zrm_assessment z where z.case_id = c.id),
  'careAllocations', (select coalesce(json_agg(json_build_object('id', a.id, 'provision', a.provision, 'form', a.form, 'decision', a.decision) order by a.investigation_started_at, a.id), '[]') from care_allocation a where a.case_id = c.id),
  'consents', (select coalesce(json_agg(json_build_object('id', k.id, 'purpose', k.purpose, 'grantedAt', ${iso('k.granted_at')}, 'revokedAt', ${iso('k.revoked_at')},
      'recipient', (select json_build_object('id', o.id, 'name', o.name) from organisation o where o.id = k.recipient_id)) order by k.granted_at desc, k.id), '[]')
    from consent k join resident r on r.id = k.resident_id where r.household_id = c.household_id),
  'referral', (select json_build_object('id', f.id, 'kind', f.kind, 'externalId', f.external_id, 'status', f.status,
      'from', (select json_build_object('id', o.id, 'name', o.name) from organisation o where o.id = f.from_id)) from referral f where f.case_id = c.id order by f.received_at, f.id limit 1)
) from "case" c where c.id = $1${scope}))) as body`;

export const BASELINE_SQL: Record<string, { sql: string; params: (v: Record<string, any>) => unknown[] }> = {
  teamCases: {
    params: (v) => [v.teamId, v.first ?? 50],
    sql: `with page as (select * from "case" where team_id = $1 order by registered_at desc, id desc limit $2 + 1)
select json_build_object('data', json_build_object('cases', json_build_object(
  'totalCount', (select count(*) from "case" where team_id = $1),
  'pageInfo', json_build_object('hasNextPage', (select count(*) from page) > $2,
    'endCursor', (select ${cursor('registered_at', 'id')} from (select id, registered_at from page order by registered_at desc, id desc limit $2) l order by registered_at, id limit 1)),
  'edges', (select coalesce(json_agg(json_build_object('cursor', ${cursor('p.registered_at', 'p.id')}, 'node', json_build_object(
      'id', p.id, 'status', p.status, 'registeredAt', ${iso('p.registered_at')}, 'startedAt', ${iso('p.started_at')},
      'coordinator', (select json_build_object('id', s.id, 'name', s.name) from staff s where s.id = p.coordinator_id),
      'household', (select json_build_object('id', h.id, 'address', json_build_object('postcode', h.postcode),
          'members', (select coalesce(json_agg(json_build_object('givenName', r.given_name, 'familyName', r.family_name) order by r.birth_date, r.id), '[]') from resident r where r.household_id = h.id))
        from household h where h.id = p.household_id),
      'latestZrm', (select json_build_object('assessedAt', ${iso('z.assessed_at')}, 'scores', z.scores) from zrm_assessment z where z.case_id = p.id order by z.assessed_at desc, z.id desc limit 1)
    )) order by p.registered_at desc, p.id desc), '[]') from (select * from page order by registered_at desc, id desc limit $2) p)))) as body`,
  },
  caseDetail: {
    params: (v) => [v.id],
    sql: caseDetailSql(),
  },
  referralStatus: {
    params: (v) => [v.id, v.organisationId],
    sql: `select json_build_object('data', json_build_object('referral', (select json_build_object('id', f.id, 'externalId', f.external_id, 'status', f.status, 'updatedAt', ${iso('f.status_shown_at')},
  'contactPerson', (select json_build_object('name', s.name, 'phone', s.phone) from "case" c join staff s on s.id = c.coordinator_id
     where c.id = f.case_id and exists (select 1 from consent k join resident r on r.id = k.resident_id where r.household_id = c.household_id
       and k.recipient_id = f.from_id and k.purpose = 'GP_TANDEM' and k.revoked_at is null)))
  from referral f where f.id = $1 and f.from_id = $2))) as body`,
  },
  volunteerCandidates: {
    // The ranking of src/modules/informal-care/matching.ts, in SQL: the same parts, weights,
    // eligibility, reasons and order. The postcode centroids (reference data) come as a parameter.
    params: (v) => [v.requestId, v.first ?? 10, v.organisationId, vogValidFrom(), JSON.stringify(centroids())],
    sql: `with req as (
  select r.id, c.household_id, left(r.postcode4, 4) as area,
    array(select n from unnest(r.needs) with ordinality u(n, i) group by n order by min(i)) as needs,
    array(select l from unnest(r.languages) with ordinality u(l, i) group by l order by min(i)) as languages,
    coalesce((select jsonb_agg(jsonb_build_object('day', d, 'part', p) order by array_position(${DAYS}, d), array_position(${PARTS}, p))
      from (select distinct s->>'day' d, s->>'part' p from jsonb_array_elements(coalesce(r.availability, '[]'::jsonb)) s) w), '[]'::jsonb) as wanted
  from informal_care_request r join "case" c on c.id = r.case_id where r.id = $1),
centroid as (select key as area, (value->>'lat')::float8 as lat, (value->>'lon')::float8 as lon from jsonb_each($5::jsonb)),
live as (select m.volunteer_id, count(*)::int as live, bool_or(m.request_id = $1) as here,
    bool_or(m.status = 'ACTIVE' and c.household_id = (select household_id from req)) as helps
  from volunteer_match m join volunteer mv on mv.id = m.volunteer_id and mv.organisation_id = $3
  join informal_care_request r on r.id = m.request_id join "case" c on c.id = r.case_id
  where m.status in ('PROPOSED', 'ACCEPTED', 'ACTIVE') group by m.volunteer_id),
cand as (
  select v.id, v.given_name, v.skills, v.languages as langs, v.max_matches, coalesce(l.live, 0) as live, coalesce(l.helps, false) as helps,
    array(select n from unnest(req.needs) with ordinality u(n, i) where n = any(v.skills) order by i) as covered,
    array(select x from unnest(req.languages) with ordinality u(x, i) where x = any(v.languages) order by i) as shared,
    array(select w from jsonb_array_elements(req.wanted) with ordinality u(w, i) where v.availability @> jsonb_build_array(w) order by i) as overlap,
    cardinality(req.needs) as n_needs, jsonb_array_length(req.wanted) as n_wanted,
    (select case when a.area = b.area then 0::float8 else 2 * 6371 * asin(sqrt(sin((b.lat - a.lat) * pi() / 180 / 2) ^ 2
        + cos(a.lat * pi() / 180) * cos(b.lat * pi() / 180) * sin((b.lon - a.lon) * pi() / 180 / 2) ^ 2)) end
      from centroid a, centroid b where a.area = req.area and b.area = left(v.postcode, 4)) as km
  from volunteer v cross join req left join live l on l.volunteer_id = v.id
  where v.organisation_id = $3 and v.active and not v.paused and v.vog_issued_at >= $4::date
    and coalesce(l.live, 0) < v.max_matches and not coalesce(l.here, false)),
parts as (
  select cand.*,
    case when n_needs > 0 and cardinality(covered) > 0 then (40 * cardinality(covered))::float8 / n_needs else 0 end as p_needs,
    case when cardinality(shared) > 0 then 20::float8 else 0 end as p_lang,
    case when n_wanted > 0 and cardinality(overlap) > 0 then (15 * cardinality(overlap))::float8 / n_wanted else 0 end as p_avail,
    case when km is null then 0 else 15 * greatest(0, 1 - km / 5) end as p_dist,
    10 * greatest(0, 1 - live::float8 / greatest(1, max_matches)) as p_load,
    case when helps then 20::float8 else 0 end as p_cont
  from cand),
scored as (select parts.*, ${jsRound('p_needs + p_lang + p_avail + p_dist + p_load + p_cont', 1)} as score from parts)
select json_build_object('data', json_build_object('volunteerCandidates', (select coalesce(json_agg(json_build_object(
  'score', c.score,
  'reasons', array_remove(array[
      case when c.p_needs > 0 then 'helps for ' || (select string_agg(replace(n, '-', ' '), ', ' order by i) from unnest(c.covered) with ordinality u(n, i)) end,
      case when c.p_lang > 0 then 'speaks ' || array_to_string(c.shared, ', ') end,
      case when c.p_avail > 0 then 'free ' || (select string_agg(${DAY_LABEL} || ' ' || ${PART_LABEL}, ', ' order by i) from unnest(c.overlap) with ordinality u(w, i)) end,
      case when c.km = 0 then 'same postcode area' when c.p_dist > 0 then to_char(${jsRound('c.km', 1)}, 'FM9990.0') || ' km' end,
      case when c.live = 0 then 'no current matches' else c.live || ' of ' || c.max_matches || ' matches in use' end,
      case when c.helps then 'already helps this household' end], null),
  'volunteer', json_build_object('id', c.id, 'givenName', c.given_name, 'skills', c.skills, 'languages', c.langs, 'activeMatches', c.live),
  'distanceKm', ${jsRound('c.km', 1)}) order by c.score desc, c.live, c.id), '[]')
  from (select * from scored order by score desc, live, id limit $2) c))) as body`,
  },
  quarterReport: {
    // As the analyst asks it: the city, teams as a breakdown with small cells suppressed.
    params: (v) => [parsePeriod(v.period), null, v.period, true],
    sql: QUARTER_REPORT_SQL,
  },
  /** As a team lead: the figures of the lead's teams, nothing suppressed. */
  quarterReportLead: {
    params: (v) => [parsePeriod(v.period), v.teamIds, v.period, false],
    sql: QUARTER_REPORT_SQL,
  },
};

/** Runs the baseline server until killed. */
async function main(): Promise<void> {
  // Named (prepared) statements with generic plans, as the API's src/db/sql.ts runs its reads:
  // unnamed, PostgreSQL would plan each statement at every request (CaseDetail's took longer
  // to plan than to run), and the ratio would flatter the API.
  const pool = new pg.Pool({
    connectionString: process.env.DATABASE_URL,
    max: Number(process.env.DB_POOL_MAX ?? 10),
    options: '-c plan_cache_mode=force_generic_plan',
  });
  // The floor (bench/floor.ts) verifies the API's tokens: the same secret and issuer.
  const floor = floorOptions(process.env.JWT_SECRET ?? '', process.env.JWT_ISSUER ?? 'voordeur');
  const floors: Record<string, FloorOptions> = { '/floor/caseDetail': floor, '/floor/caseDetailRemembered': { ...floor, remembered: new Map() } };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = req.url ?? '/';
      const scenario = Object.hasOwn(BASELINE_SQL, url.slice(1)) ? BASELINE_SQL[url.slice(1)] : undefined;
      const floorOptions = Object.hasOwn(floors, url) ? floors[url] : undefined;
      if (!scenario && !floorOptions) {
        res.writeHead(404).end();
        return;
      }
      const vars = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
      const header = req.headers['x-request-id'];
      const answer = scenario
        ? pool.query({ name: `baseline_${url.slice(1)}`, text: scenario.sql, values: scenario.params(vars) }).then((r) => ({ status: 200, body: r.rows[0].body as unknown }))
        : caseDetailFloor(pool, floorOptions!, req.headers.authorization, vars, typeof header === 'string' ? header : undefined);
      answer
        .then((a) => {
          res.writeHead(a.status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(a.body));
        })
        .catch((e: Error) => {
          res.writeHead(500, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ error: e.message }));
        });
    });
  });
  server.keepAliveTimeout = 65_000;
  server.listen(Number(process.env.PORT), '127.0.0.1', () => process.stdout.write('baseline ready\n'));
  const stop = () => server.close(() => pool.end().then(() => process.exit(0)));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

/** BASELINE_PROCESSES > 1: that many servers share the port (node:cluster), each says "baseline ready". */
function primary(count: number): void {
  let stopping = false;
  for (let i = 0; i < count; i++) cluster.fork();
  const stop = () => {
    stopping = true;
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
    const check = setInterval(() => Object.keys(cluster.workers ?? {}).length === 0 && process.exit(0), 50);
    setTimeout(() => process.exit(0), 5000).unref();
    check.unref();
  };
  cluster.on('exit', (_w, code) => code !== 0 && !stopping && process.exit(1));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const count = Number(process.env.BASELINE_PROCESSES ?? 1);
  if (cluster.isPrimary && count > 1) primary(count);
  else void main();
}
