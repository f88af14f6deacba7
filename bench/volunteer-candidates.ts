/**
 * npm run bench:candidates [-- --iterations N] [--warmup N] [--volunteers N]
 *
 * volunteerCandidates for one request with 10,000 volunteers of the ambassador's organisation
 * in the team's area (bulk-inserted), 1,000 of them with a live match. Executed in-process
 * (ApolloServer.executeOperation against the executable schema with the permission rules, a
 * real per-request context for the ambassador built by createRequestContext as src/server.ts
 * does), N times; prints p50/p95 and the SQL statements per request. Target: p95 ≤ 100 ms.
 *
 * Uses DATABASE_URL when set (a new team and organisation are added there), else a throw-away
 * database on postgres://postgres@127.0.0.1:5432 that is dropped at the end.
 */
import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { parseConfig, type Config } from '../src/config.js';
import { initOrm, migrate, type Orm } from '../src/db/database.js';
import type { Context } from '../src/context.js';
import { buildAppSchema } from '../src/schema.js';
import { auditPlugin, createRequestContext } from '../src/server.js';
import { createErrorFormatter } from '../src/errors-format.js';
import { loadViewer } from '../src/permissions/viewer.js';
import { logger } from '../src/logger.js';
import { CaseStatus, DayPart, MatchStatus, OrganisationKind, Role, Weekday } from '../src/modules/common/enums.js';
import { LANGUAGES, SKILLS } from '../src/modules/informal-care/vocabulary.js';
import { Volunteer } from '../src/modules/informal-care/volunteer.entity.js';
import { InformalCareRequest, VolunteerMatch } from '../src/modules/informal-care/informal-care.entity.js';
import { buildCase, buildHousehold, buildInformalCareRequest, buildOrganisation, buildStaff, buildTeam } from '../seeds/factories.js';
import { Rng } from '../seeds/random.js';
import { openBenchDatabase } from './database.js';

/** Production refuses the development BSN key; the data here is generated, so any key does. */
const BENCH_BSN_KEY = 'bench-bsn-key-that-is-long-enough-0123456789abcdef';

const QUERY = /* GraphQL */ `
query VolunteerCandidates($requestId: ID!, $first: Int) {
  volunteerCandidates(requestId: $requestId, first: $first) {
    score
    reasons
    volunteer { id givenName skills languages activeMatches }
    distanceKm
  }
}`;
const TARGET_P95_MS = 100;
const AREAS = ['3562', '3563', '3564', '3551', '3552', '3553', '3554', '3555', '3565'];

function parseCli() {
  const { values } = parseArgs({
    options: { iterations: { type: 'string' }, warmup: { type: 'string' }, volunteers: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
    strict: true,
  });
  if (values.help) {
    process.stdout.write('Usage: npm run bench:candidates [-- --iterations 200] [--warmup 20] [--volunteers 10000]\n');
    process.exit(0);
  }
  const int = (raw: string | undefined, fallback: number) => {
    const n = raw === undefined ? fallback : Number(raw);
    if (!Number.isInteger(n) || n < 1) throw new Error(`not a positive integer: ${raw}`);
    return n;
  };
  return { iterations: int(values.iterations, 200), warmup: int(values.warmup, 20), volunteers: int(values.volunteers, 10_000) };
}

async function seed(orm: Orm, count: number) {
  const em = orm.em.fork();
  const rng = new Rng('bench-candidates');
  const team = buildTeam(em, { rng, postcodes: ['3562'] });
  const org = buildOrganisation(em, { rng, kind: OrganisationKind.INFORMAL_CARE });
  const ambassador = buildStaff(em, { rng, role: Role.AMBASSADOR, teams: [team], organisation: org });
  const worker = buildStaff(em, { rng, role: Role.TEAM_WORKER, teams: [team] });
  const h = buildHousehold(em, { rng, team, postcode: '3562AB', members: 1 });
  const c = buildCase(em, { rng, household: h.household, status: CaseStatus.ACTIVE, coordinator: worker });
  const request = buildInformalCareRequest(em, {
    rng, case: c, requestedBy: worker, resident: h.head, needs: ['shopping', 'company'], languages: ['Arabic', 'Dutch'],
    availability: [{ day: Weekday.TUESDAY, part: DayPart.MORNING }, { day: Weekday.THURSDAY, part: DayPart.AFTERNOON }],
  });
  const other = buildInformalCareRequest(em, { rng, case: c, requestedBy: worker, needs: ['walking'] });
  await em.flush();

  const days = Object.values(Weekday);
  const parts = Object.values(DayPart);
  const now = Date.now();
  const ids: string[] = [];
  for (let start = 0; start < count; start += 1000) {
    const rows = [];
    for (let i = start; i < Math.min(count, start + 1000); i++) {
      const id = randomUUID();
      ids.push(id);
      rows.push({
        id, organisation: org.id, givenName: `V${i}`, familyName: `Bench${i}`, email: `bench.${i}.${id.slice(0, 8)}@example.test`,
        postcode: `${rng.pick(AREAS)}${String.fromCharCode(65 + rng.int(0, 25))}${String.fromCharCode(65 + rng.int(0, 25))}`,
        skills: rng.sample(SKILLS, rng.int(1, 5)), languages: [...new Set(['Dutch', ...rng.sample(LANGUAGES, rng.int(0, 2))])],
        availability: Array.from({ length: rng.int(1, 5) }, () => ({ day: rng.pick(days), part: rng.pick(parts) })),
        maxMatches: rng.int(1, 3), vogIssuedAt: new Date(now - rng.int(10, 1300) * 86400000).toISOString().slice(0, 10),
        active: rng.chance(0.95), paused: rng.chance(0.05), createdAt: new Date(), updatedAt: new Date(),
      });
    }
    await em.insertMany(Volunteer, rows);
  }
  // 1,000 volunteers hold a live match on another request of the same household (continuity, load).
  const matches = ids.slice(0, Math.min(1000, ids.length)).map((volunteerId, i) => ({
    id: randomUUID(), request: other.id, volunteer: volunteerId, team: team.id,
    status: i % 2 === 0 ? MatchStatus.ACTIVE : MatchStatus.PROPOSED, task: 'bench', proposedAt: new Date(),
    startedAt: i % 2 === 0 ? new Date() : null, version: 1, createdAt: new Date(), updatedAt: new Date(),
  }));
  await em.insertMany(VolunteerMatch, matches);
  await em.getConnection().execute('analyze volunteer; analyze volunteer_match; analyze informal_care_request');
  return { requestId: request.id as string, ambassadorId: ambassador.id, request: request as InformalCareRequest };
}

function percentile(sorted: number[], p: number): number {
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (rank - lo);
}

async function main() {
  const { iterations, warmup, volunteers } = parseCli();
  logger.level = 'warn';
  const config: Config = parseConfig({ NODE_ENV: 'production', LOG_LEVEL: 'warn', JWT_SECRET: randomBytes(32).toString('hex'), BSN_KEY: BENCH_BSN_KEY });
  const db = await openBenchDatabase();
  let orm: Orm | undefined;
  let server: ApolloServer<Context> | undefined;
  try {
    process.stdout.write(`database: ${db.label}\n`);
    orm = await initOrm(db.url, 10);
    orm.config.set('migrations', { ...orm.config.get('migrations'), silent: true });
    await migrate(orm);
    const seedStart = Date.now();
    const seeded = await seed(orm, volunteers);
    process.stdout.write(`seeded ${volunteers} volunteers (1,000 with a live match) in ${Date.now() - seedStart} ms\n`);

    server = new ApolloServer<Context>({
      schema: await buildAppSchema(),
      introspection: false,
      includeStacktraceInErrorResponses: false,
      formatError: createErrorFormatter(true),
      stopOnTerminationSignals: false,
      plugins: [auditPlugin(), ApolloServerPluginCacheControlDisabled(), ApolloServerPluginLandingPageDisabled()],
    });
    await server.start();
    const knex = orm.em.getConnection().getKnex();
    let statements = 0;
    knex.on('query', () => statements++);
    const ormRef = orm;
    const srv = server;

    const once = async () => {
      const before = statements;
      const started = process.hrtime.bigint();
      const em = ormRef.em.fork();
      const viewer = await loadViewer(em, seeded.ambassadorId);
      if (!viewer) throw new Error('the bench ambassador did not load');
      const res = await srv.executeOperation<{ volunteerCandidates: { score: number }[] }>(
        { query: QUERY, operationName: 'VolunteerCandidates', variables: { requestId: seeded.requestId, first: 10 } },
        { contextValue: createRequestContext({ requestId: randomUUID(), config, viewer, em, purpose: 'CARE' }) },
      );
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (res.body.kind !== 'single') throw new Error('expected a single result');
      const { data, errors } = res.body.singleResult;
      if (errors?.length) throw new Error(JSON.stringify(errors));
      if (!data || data.volunteerCandidates.length !== 10) throw new Error('expected 10 candidates');
      return { ms, statements: statements - before };
    };

    for (let i = 0; i < warmup; i++) await once();
    const samples: number[] = [];
    const sql = new Set<number>();
    for (let i = 0; i < iterations; i++) {
      const r = await once();
      samples.push(r.ms);
      sql.add(r.statements);
    }
    const sorted = [...samples].sort((a, b) => a - b);
    const p50 = percentile(sorted, 50);
    const p95 = percentile(sorted, 95);
    process.stdout.write(
      [
        '',
        `volunteerCandidates over ${volunteers} volunteers, first: 10, ${iterations} requests (after ${warmup} warm-up), in-process with rules`,
        `p50 ${p50.toFixed(1)} ms   p95 ${p95.toFixed(1)} ms   min ${sorted[0]!.toFixed(1)} ms   max ${sorted.at(-1)!.toFixed(1)} ms`,
        `SQL statements per request (incl. loading the viewer and the audit insert): ${[...sql].join(', ')}`,
        `target p95 ≤ ${TARGET_P95_MS} ms: ${p95 <= TARGET_P95_MS ? 'met' : 'NOT met'}`,
        '',
      ].join('\n'),
    );
    const outDir = new URL('./results/', import.meta.url).pathname;
    mkdirSync(outDir, { recursive: true });
    const file = `${outDir}volunteer-candidates-${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
    writeFileSync(file, `${JSON.stringify({
      benchmark: 'volunteer-candidates', at: new Date().toISOString(),
      machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? null, node: process.version },
      volunteers, iterations, warmup, p50Ms: p50, p95Ms: p95, sqlStatementsPerRequest: [...sql], targetP95Ms: TARGET_P95_MS, targetMet: p95 <= TARGET_P95_MS,
    }, null, 2)}\n`);
    process.stdout.write(`result written to ${file}\n`);
  } finally {
    await server?.stop().catch(() => {});
    await orm?.close(true).catch(() => {});
    await db.drop().catch((e: unknown) => process.stderr.write(`could not drop the bench database: ${(e as Error).message}\n`));
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`bench:candidates failed: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  },
);
