/**
 * npm run bench:permissions [-- --iterations N] [--warmup N]
 *
 * The cost of the permission layer (the deny-by-default guard of src/permissions/guard.ts): the
 * TeamCases operation of the team workers' contract over 200 cases, executed in-process
 * (ApolloServer.executeOperation, no HTTP) against
 *
 *   - "rules":    buildAppSchema()  — every field wrapped by the deny-by-default rules;
 *   - "no-rules": buildBareSchema() — the same type-graphql schema without them;
 *
 * with the same plugins and a real per-request Context for a team worker (fresh
 * EntityManager fork, viewer loaded from the database, audit trail, loaders — as
 * src/server.ts builds it). One "request" here is one TeamCases page of 100 cases
 * (MAX_PAGE_SIZE); each iteration fetches both pages, so all 200 cases pass the rules.
 * The variants alternate (ABAB…, the first one switching each iteration) so drift —
 * the access log growing, JIT, GC — falls on both alike.
 *
 * Uses DATABASE_URL when set (migrated; a new team is created there, nothing else is
 * touched), else a throw-away database voordeur_bench_<random> on
 * postgres://postgres@127.0.0.1:5432 that is dropped at the end, also on error.
 *
 * Prints a table and the ratio rules / no-rules, and writes the numbers to
 * bench/results/permissions-overhead-<timestamp>.json. Target: ratio ≤ 1.3.
 */
import 'reflect-metadata';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import { ApolloServer } from '@apollo/server';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import type { GraphQLSchema } from 'graphql';
import { parseConfig, type Config } from '../src/config.js';
import { initOrm, migrate, type Orm } from '../src/db/database.js';
import type { Context } from '../src/context.js';
import { buildAppSchema, buildBareSchema } from '../src/schema.js';
import { auditPlugin, createRequestContext } from '../src/server.js';
import { createErrorFormatter } from '../src/errors-format.js';
import { loadViewer } from '../src/permissions/viewer.js';
import { logger } from '../src/logger.js';
import { CaseStatus, Role, ZrmKind, ZrmVersion } from '../src/modules/common/enums.js';
import { MAX_PAGE_SIZE } from '../src/modules/common/connection.js';
import { buildCase, buildHousehold, buildStaff, buildTeam, buildZrm } from '../seeds/factories.js';
import { Rng } from '../seeds/random.js';
import { DEFAULT_ADMIN_URL, openBenchDatabase } from './database.js';

/** Production refuses the development BSN key; the data here is generated, so any key does. */
const BENCH_BSN_KEY = 'bench-bsn-key-that-is-long-enough-0123456789abcdef';

/** TeamCases, copied from the team workers' contract (shared/contract/team.graphql). */
const TEAM_CASES = /* GraphQL */ `
query TeamCases($teamId: ID!, $status: [CaseStatus!], $first: Int, $after: String) {
  cases(filter: { teamId: $teamId, status: $status }, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      cursor
      node {
        id status registeredAt startedAt
        coordinator { id name }
        household { id address { postcode } members { givenName familyName } }
        latestZrm { assessedAt scores { domain score } }
      }
    }
  }
}
`;

const CASES = 200;
const TARGET_RATIO = 1.3;

const USAGE = `Usage: npm run bench:permissions [-- --iterations N] [--warmup N]

Measures TeamCases over ${CASES} cases in-process with and without the permission rules.
Uses DATABASE_URL when set, else a throw-away database on ${DEFAULT_ADMIN_URL}.

Options:
  --iterations N   measured iterations per variant (default 200)
  --warmup N       warm-up iterations per variant (default 30)
  --out DIR        where the JSON result goes (default bench/results)
  -h, --help       show this help`;

function fail(message: string, code: number): never {
  process.stderr.write(`bench:permissions: ${message}\n`);
  process.exit(code);
}

function positiveInt(name: string, raw: string | undefined, fallback: number, min: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) fail(`--${name} must be an integer ≥ ${min}\n\n${USAGE}`, 2);
  return n;
}

function parseCli(argv: string[]) {
  let values: { iterations?: string; warmup?: string; out?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        iterations: { type: 'string' },
        warmup: { type: 'string' },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    fail(`${(e as Error).message.split('\n')[0]}\n\n${USAGE}`, 2);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  return {
    iterations: positiveInt('iterations', values.iterations, 200, 1),
    warmup: positiveInt('warmup', values.warmup, 30, 0),
    outDir: values.out ?? new URL('./results/', import.meta.url).pathname,
  };
}

// --- data ---------------------------------------------------------------------------------

const STATUSES: Array<[CaseStatus, number]> = [
  [CaseStatus.REGISTERED, 20],
  [CaseStatus.INTAKE, 25],
  [CaseStatus.ACTIVE, 40],
  [CaseStatus.CLOSED, 15],
];

/** One team, one worker, 200 households (2–3 residents) with one case and one ZRM-2017 each. */
async function seed(orm: Orm): Promise<{ teamId: string; workerId: string; residents: number }> {
  const em = orm.em.fork();
  const rng = new Rng('bench-permissions');
  const team = buildTeam(em, { rng });
  const worker = buildStaff(em, { rng, role: Role.TEAM_WORKER, teams: [team] });
  let residents = 0;
  for (let i = 0; i < CASES; i++) {
    const built = buildHousehold(em, { rng, team, members: rng.int(2, 3) });
    residents += built.residents.length;
    const status = rng.weighted(STATUSES);
    const c = buildCase(em, {
      rng,
      household: built.household,
      status,
      coordinator: status === CaseStatus.ACTIVE || status === CaseStatus.CLOSED || rng.chance(0.5) ? worker : null,
    });
    buildZrm(em, { rng, case: c, version: ZrmVersion.ZRM_2017, kind: ZrmKind.BASELINE, resident: built.head });
    if (i % 50 === 49) await em.flush();
  }
  await em.flush();
  return { teamId: team.id, workerId: worker.id, residents };
}

// --- measuring ----------------------------------------------------------------------------

type Variant = 'rules' | 'no-rules';

async function createServer(schema: GraphQLSchema): Promise<ApolloServer<Context>> {
  // As src/server.ts createApp, minus HTTP (the landing page is irrelevant without it).
  const server = new ApolloServer<Context>({
    schema,
    introspection: false,
    includeStacktraceInErrorResponses: false,
    formatError: createErrorFormatter(true),
    stopOnTerminationSignals: false,
    plugins: [auditPlugin(), ApolloServerPluginCacheControlDisabled(), ApolloServerPluginLandingPageDisabled()],
  });
  await server.start();
  return server;
}

/** Fields the executor resolved: one per key of every object in the result (list items are not fields). */
function countFields(value: unknown): number {
  if (Array.isArray(value)) return value.reduce((n: number, v) => n + countFields(v), 0);
  if (value && typeof value === 'object') {
    return Object.values(value).reduce((n: number, v) => n + 1 + countFields(v), 0);
  }
  return 0;
}

interface Page {
  cases: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: unknown[] };
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (rank - lo);
}

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const mean = samples.reduce((s, x) => s + x, 0) / samples.length;
  return {
    n: samples.length,
    medianMs: percentile(sorted, 50),
    p95Ms: percentile(sorted, 95),
    meanMs: mean,
    minMs: sorted[0]!,
    maxMs: sorted.at(-1)!,
  };
}

const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;

async function main(): Promise<void> {
  const { iterations, warmup, outDir } = parseCli(process.argv.slice(2));
  logger.level = 'warn';
  // A production-shaped configuration (production refuses the development BSN key; nothing here decrypts a BSN).
  const config: Config = parseConfig({ NODE_ENV: 'production', LOG_LEVEL: 'warn', JWT_SECRET: randomBytes(32).toString('hex'), BSN_KEY: BENCH_BSN_KEY });

  const db = await openBenchDatabase();
  let orm: Orm | undefined;
  const servers: ApolloServer<Context>[] = [];
  try {
    process.stdout.write(`database: ${db.label}\n`);
    orm = await initOrm(db.url, 10);
    orm.config.set('migrations', { ...orm.config.get('migrations'), silent: true });
    await migrate(orm);
    const seeded = await seed(orm);
    process.stdout.write(`seeded: 1 team, 1 worker, ${CASES} households (${seeded.residents} residents), ${CASES} cases, ${CASES} ZRM-2017 assessments\n`);

    const [withRules, withoutRules] = await Promise.all([
      buildAppSchema().then(createServer),
      buildBareSchema().then(createServer),
    ]);
    servers.push(withRules, withoutRules);
    const serverOf: Record<Variant, ApolloServer<Context>> = { rules: withRules, 'no-rules': withoutRules };
    const ormRef = orm;

    /** One request, context built as src/server.ts buildContext does for a bearer of the worker's token. */
    async function request(variant: Variant, after: string | null): Promise<{ ms: number; page: Page }> {
      const started = process.hrtime.bigint();
      const res = await serverOf[variant].executeOperation<Page>(
        { query: TEAM_CASES, operationName: 'TeamCases', variables: { teamId: seeded.teamId, first: MAX_PAGE_SIZE, after } },
        {
          contextValue: await (async () => {
            const em = ormRef.em.fork();
            const viewer = await loadViewer(em, seeded.workerId);
            if (!viewer) throw new Error('the bench worker did not load as a viewer');
            return createRequestContext({ requestId: randomUUID(), config, viewer, em, purpose: 'CARE' });
          })(),
        },
      );
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (res.body.kind !== 'single') throw new Error(`${variant}: expected a single result, got ${res.body.kind}`);
      const { data, errors } = res.body.singleResult;
      if (errors?.length) throw new Error(`${variant}: TeamCases returned errors: ${JSON.stringify(errors)}`);
      if (!data) throw new Error(`${variant}: TeamCases returned no data`);
      return { ms, page: data };
    }

    /** Both pages: all 200 cases. */
    async function iteration(variant: Variant): Promise<{ times: number[]; pages: Page[] }> {
      const first = await request(variant, null);
      if (!first.page.cases.pageInfo.hasNextPage) throw new Error(`${variant}: expected a second page`);
      const second = await request(variant, first.page.cases.pageInfo.endCursor);
      if (second.page.cases.pageInfo.hasNextPage) throw new Error(`${variant}: expected exactly two pages`);
      return { times: [first.ms, second.ms], pages: [first.page, second.page] };
    }

    // Sanity: same data both ways, every case there.
    const a = await iteration('rules');
    const b = await iteration('no-rules');
    if (!isDeepStrictEqual(a.pages, b.pages)) throw new Error('rules and no-rules returned different data');
    const edges = a.pages.reduce((n, p) => n + p.cases.edges.length, 0);
    if (edges !== CASES || a.pages[0]!.cases.totalCount !== CASES) {
      throw new Error(`expected ${CASES} cases over two pages, got ${edges} (totalCount ${a.pages[0]!.cases.totalCount})`);
    }
    const fieldsPerRequest = a.pages.map((p) => countFields(p));

    const samples: Record<Variant, number[]> = { rules: [], 'no-rules': [] };
    const order = (i: number): Variant[] => (i % 2 === 0 ? ['rules', 'no-rules'] : ['no-rules', 'rules']);
    process.stdout.write(`warm-up: ${warmup} iterations per variant…\n`);
    for (let i = 0; i < warmup; i++) for (const v of order(i)) await iteration(v);
    process.stdout.write(`measuring: ${iterations} iterations per variant (2 requests of ${MAX_PAGE_SIZE} cases each), interleaved…\n`);
    const wallStart = process.hrtime.bigint();
    for (let i = 0; i < iterations; i++) {
      for (const v of order(i)) samples[v].push(...(await iteration(v)).times);
    }
    const wallMs = Number(process.hrtime.bigint() - wallStart) / 1e6;

    const rules = stats(samples.rules);
    const bare = stats(samples['no-rules']);
    const ratio = rules.medianMs / bare.medianMs;
    const ratioP95 = rules.p95Ms / bare.p95Ms;
    const fields = Math.round((fieldsPerRequest[0]! + fieldsPerRequest[1]!) / 2);

    const rows: Array<[string, string, string, string, string]> = [
      ['variant', 'requests', 'median ms', 'p95 ms', 'mean ms'],
      ['rules', String(rules.n), rules.medianMs.toFixed(2), rules.p95Ms.toFixed(2), rules.meanMs.toFixed(2)],
      ['no-rules', String(bare.n), bare.medianMs.toFixed(2), bare.p95Ms.toFixed(2), bare.meanMs.toFixed(2)],
    ];
    const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
    const line = (r: string[]) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
    process.stdout.write(
      [
        '',
        `TeamCases, ${MAX_PAGE_SIZE} cases per request, ~${fields} field resolutions per request (${fieldsPerRequest.join(' + ')} over both pages)`,
        line(rows[0]!),
        line(rows[0]!.map((_, c) => '-'.repeat(widths[c]!))),
        line(rows[1]!),
        line(rows[2]!),
        '',
        `overhead per request (median): ${(rules.medianMs - bare.medianMs).toFixed(2)} ms, ${(((rules.medianMs - bare.medianMs) * 1000) / fields).toFixed(2)} µs per field`,
        `ratio rules/no-rules: median ${ratio.toFixed(3)}×, p95 ${ratioP95.toFixed(3)}× (target ≤ ${TARGET_RATIO}×: ${ratio <= TARGET_RATIO ? 'met' : 'NOT met'})`,
        '',
      ].join('\n'),
    );

    mkdirSync(outDir, { recursive: true });
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    const file = `${outDir.replace(/\/$/, '')}/permissions-overhead-${stamp}.json`;
    writeFileSync(
      file,
      `${JSON.stringify(
        {
          benchmark: 'permissions-overhead',
          operation: 'TeamCases',
          at: new Date().toISOString(),
          machine: { cpus: os.cpus().length, cpuModel: os.cpus()[0]?.model ?? null, node: process.version, platform: `${os.platform()} ${os.release()}` },
          data: { cases: CASES, residents: seeded.residents, casesPerRequest: MAX_PAGE_SIZE, requestsPerIteration: 2 },
          warmupIterations: warmup,
          iterations,
          fieldResolutionsPerRequest: fieldsPerRequest,
          wallMs: round(wallMs),
          rules: Object.fromEntries(Object.entries(rules).map(([k, v]) => [k, round(v, 3)])),
          noRules: Object.fromEntries(Object.entries(bare).map(([k, v]) => [k, round(v, 3)])),
          ratioMedian: round(ratio, 4),
          ratioP95: round(ratioP95, 4),
          target: TARGET_RATIO,
          targetMet: ratio <= TARGET_RATIO,
        },
        null,
        2,
      )}\n`,
    );
    process.stdout.write(`result written to ${file}\n`);
  } finally {
    for (const s of servers) await s.stop().catch(() => {});
    await orm?.close(true).catch(() => {});
    await db.drop().catch((e: unknown) => process.stderr.write(`could not drop the bench database: ${(e as Error).message}\n`));
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`bench:permissions failed: ${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  },
);
