/**
 * The hand-written single-SQL baselines of `npm run bench`: for each scenario one statement
 * that returns the same JSON document the API answers (json_agg/json_build_object over pg), and
 * a tiny HTTP server that runs them (`node --import tsx bench/baseline.ts`, env DATABASE_URL,
 * PORT, BASELINE_PROCESSES — as many processes as the API gets, default 1): POST /<scenario>
 * with the scenario's variables as the JSON body.
 *
 * No authentication, no permission checks, no audit rows: the floor for the same answer.
 */
import cluster from 'node:cluster';
import http from 'node:http';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { FAST_SQL, parsePeriod } from '../src/modules/report/quarter-report.js';

export const BASELINE_SQL: Record<string, { sql: string; params: (v: Record<string, any>) => unknown[] }> = {
  teamCases: {
    params: (v) => [v.teamId, v.first ?? 50],
    sql: `with page as (select * from "case" where team_id = $1 order by registered_at desc, id desc limit $2 + 1)
select json_build_object('data', json_build_object('cases', json_build_object(
  'totalCount', (select count(*) from "case" where team_id = $1),
  'pageInfo', json_build_object('hasNextPage', (select count(*) from page) > $2,
    'endCursor', (select id from (select id, registered_at from page order by registered_at desc, id desc limit $2) l order by registered_at, id limit 1)),
  'edges', (select coalesce(json_agg(json_build_object('cursor', p.id, 'node', json_build_object(
      'id', p.id, 'status', p.status, 'registeredAt', p.registered_at, 'startedAt', p.started_at,
      'coordinator', (select json_build_object('id', s.id, 'name', s.name) from staff s where s.id = p.coordinator_id),
      'household', (select json_build_object('id', h.id, 'address', json_build_object('postcode', h.postcode),
          'members', (select coalesce(json_agg(json_build_object('givenName', r.given_name, 'familyName', r.family_name)), '[]') from resident r where r.household_id = h.id))
        from household h where h.id = p.household_id),
      'latestZrm', (select json_build_object('assessedAt', z.assessed_at, 'scores', z.scores) from zrm_assessment z where z.case_id = p.id order by z.assessed_at desc, z.id desc limit 1)
    )) order by p.registered_at desc, p.id desc), '[]') from (select * from page order by registered_at desc, id desc limit $2) p)))) as body`,
  },
  caseDetail: {
    params: (v) => [v.id],
    sql: `select json_build_object('data', json_build_object('case', (select json_build_object(
  'id', c.id, 'status', c.status, 'registeredAt', c.registered_at, 'firstContactAt', c.first_contact_at, 'startedAt', c.started_at,
  'closedAt', c.closed_at, 'closureReason', c.closure_reason, 'referralSource', c.referral_source,
  'coordinator', (select json_build_object('id', s.id, 'name', s.name) from staff s where s.id = c.coordinator_id),
  'team', (select json_build_object('id', t.id, 'code', t.code) from team t where t.id = c.team_id),
  'household', (select json_build_object('id', h.id, 'address', json_build_object('street', h.street, 'houseNumber', h.house_number, 'postcode', h.postcode, 'city', h.city),
      'members', (select coalesce(json_agg(json_build_object('id', r.id, 'givenName', r.given_name, 'familyName', r.family_name, 'birthDate', r.birth_date,
          'bsnLast4', r.bsn_last4, 'phone', r.phone) order by r.created_at, r.id), '[]') from resident r where r.household_id = h.id))
    from household h where h.id = c.household_id),
  'goals', (select coalesce(json_agg(json_build_object('id', g.id, 'description', g.description, 'domain', g.domain, 'status', g.status)), '[]') from goal g where g.case_id = c.id),
  'notes', json_build_object('totalCount', (select count(*) from case_note n where n.case_id = c.id),
    'edges', (select coalesce(json_agg(json_build_object('node', json_build_object('id', n.id, 'body', n.body, 'createdAt', n.created_at,
        'author', (select json_build_object('name', s.name) from staff s where s.id = n.author_id)))), '[]')
      from (select * from case_note n where n.case_id = c.id order by created_at desc, id desc limit 20) n)),
  'zrmAssessments', (select coalesce(json_agg(json_build_object('id', z.id, 'assessedAt', z.assessed_at, 'version', z.version, 'kind', z.kind, 'scores', z.scores) order by z.assessed_at), '[]') from zrm_assessment z where z.case_id = c.id),
  'careAllocations', (select coalesce(json_agg(json_build_object('id', a.id, 'provision', a.provision, 'form', a.form, 'decision', a.decision)), '[]') from care_allocation a where a.case_id = c.id),
  'consents', (select coalesce(json_agg(json_build_object('id', k.id, 'purpose', k.purpose, 'grantedAt', k.granted_at, 'revokedAt', k.revoked_at,
      'recipient', (select json_build_object('id', o.id, 'name', o.name) from organisation o where o.id = k.recipient_id))), '[]')
    from consent k join resident r on r.id = k.resident_id where r.household_id = c.household_id),
  'referral', (select json_build_object('id', f.id, 'kind', f.kind, 'externalId', f.external_id, 'status', f.status,
      'from', (select json_build_object('id', o.id, 'name', o.name) from organisation o where o.id = f.from_id)) from referral f where f.case_id = c.id limit 1)
) from "case" c where c.id = $1))) as body`,
  },
  referralStatus: {
    params: (v) => [v.id, v.organisationId],
    sql: `select json_build_object('data', json_build_object('referral', (select json_build_object('id', f.id, 'externalId', f.external_id, 'status', f.status, 'updatedAt', f.updated_at,
  'contactPerson', (select json_build_object('name', s.name, 'phone', s.phone) from "case" c join staff s on s.id = c.coordinator_id
     where c.id = f.case_id and exists (select 1 from consent k join resident r on r.id = k.resident_id where r.household_id = c.household_id
       and k.recipient_id = f.from_id and k.purpose = 'GP_TANDEM' and k.revoked_at is null)))
  from referral f where f.id = $1 and f.from_id = $2))) as body`,
  },
  volunteerCandidates: {
    params: (v) => [v.requestId, v.first ?? 10, v.organisationId],
    sql: `with req as (select * from informal_care_request where id = $1),
cand as (select v.*, (select count(*) from volunteer_match m where m.volunteer_id = v.id and m.status in ('PROPOSED', 'ACCEPTED', 'ACTIVE')) active_matches,
    cardinality(array(select unnest(v.skills) intersect select unnest((select needs from req)))) skill_hits,
    cardinality(array(select unnest(v.languages) intersect select unnest((select languages from req)))) language_hits,
    left(v.postcode, 4) = (select postcode4 from req) near
  from volunteer v where v.active and v.organisation_id = $3)
select json_build_object('data', json_build_object('volunteerCandidates', (select coalesce(json_agg(json_build_object(
  'score', c.skill_hits * 2 + c.language_hits + (case when c.near then 2 else 0 end), 'reasons', json_build_array(),
  'volunteer', json_build_object('id', c.id, 'givenName', c.given_name, 'skills', c.skills, 'languages', c.languages, 'activeMatches', c.active_matches),
  'distanceKm', null) order by c.skill_hits * 2 + c.language_hits desc, c.id), '[]')
  from (select * from cand where active_matches < max_matches order by skill_hits * 2 + language_hits desc, id limit $2) c))) as body`,
  },
  quarterReport: {
    params: (v) => [parsePeriod(v.period), null],
    sql: `select json_build_object('data', json_build_object('quarterReport', figures)) as body from (${FAST_SQL}) q`,
  },
  /** As a team lead: the figures of the lead's teams. */
  quarterReportLead: {
    params: (v) => [parsePeriod(v.period), v.teamIds],
    sql: `select json_build_object('data', json_build_object('quarterReport', figures)) as body from (${FAST_SQL}) q`,
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
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const scenario = BASELINE_SQL[(req.url ?? '/').slice(1)];
      if (!scenario) {
        res.writeHead(404).end();
        return;
      }
      const vars = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
      pool
        .query({ name: `baseline_${(req.url ?? '/').slice(1)}`, text: scenario.sql, values: scenario.params(vars) })
        .then((r) => {
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify(r.rows[0].body));
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
