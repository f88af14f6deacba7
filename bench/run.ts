/**
 * npm run bench [-- --size N] [--quick] [--duration S] [--warmup S] [--rounds R] [--connections C] [--processes P] [--out DIR] [--scenario NAME[,NAME…]] [--floor] [--tsx]
 *
 * The hub at city scale against a hand-written SQL baseline, over loopback:
 *
 *  1. a dedicated database voordeur_bench_<size> on BENCH_ADMIN_URL (default
 *     postgres://postgres@127.0.0.1:5432/postgres), migrated and seeded with the utrecht-2015q2
 *     scenario at --size cases (default 100,000; --quick 2,000); reused when already seeded, and
 *     copied afresh for every run (voordeur_bench_<size>_run), so each run starts alike;
 *  2. the API as a child process in production mode — compiled JavaScript, as production runs it
 *     (`npm run build` into bench/.build/<run>, removed afterwards; `--tsx`: the sources through
 *     tsx instead), `main.js --role api`, NODE_ENV=production, SEED_DEMO=false, RATE_LIMIT_PER_MINUTE=0, SQL_COUNT_HEADER=1 (only
 *     the probe request of each scenario asks to be counted),
 *     API_PROCESSES=--processes) on a free port, and the baseline server (bench/baseline.ts) as
 *     another child with as many processes (--processes, default one per CPU, as a Node API is
 *     deployed: one process executes JavaScript on one core);
 *  3. per scenario (teamCases: TeamCases 50 per page as a team lead; caseDetail: CaseDetail;
 *     referralStatus: ReferralStatus as the GP practice; volunteerCandidates: VolunteerCandidates
 *     as the ambassador; quarterReport: QuarterReport 2015-Q2 city-wide as the analyst) autocannon
 *     against the API, then against the baseline, with the same connections and duration.
 *     `--scenario` runs only the named ones (repeatable or comma-separated), and also offers
 *     quarterReportLead (QuarterReport 2015-Q2 as the team lead of one team, not in the default run).
 *     `--floor` also measures CaseDetail's compliant floor (bench/floor.ts) in the same rounds, and
 *     the same floor with the principal remembered per process (what the per-request principal
 *     statement costs of it).
 *
 * Prints a table and writes bench/results/<timestamp>.json: an array of
 * {scenario, reqPerSec, p50Ms, p95Ms, sqlPerRequest, baselineReqPerSec, ratio} (ratio = API
 * req/s ÷ baseline req/s; a scenario whose operation the API does not offer yet has
 * `skipped: "not available"` and null numbers; with --floor, caseDetail also has floorReqPerSec and
 * floorRatio = floor req/s ÷ baseline req/s, and floorRememberedReqPerSec / floorRememberedRatio).
 */
import 'reflect-metadata';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import { parseConfig } from '../src/config.js';
import { signToken } from '../src/auth/jwt.js';
import { initOrm, migrate } from '../src/db/database.js';
import { SQL_COUNT_HEADER, SQL_COUNT_REQUEST_HEADER } from '../src/sql-count.js';
import { seedScenario, BASE_CASES } from '../seeds/scenario.js';
import { auditRowsOf } from './floor.js';
import { ALL_SCENARIOS, opOf, scenarioPlans, SCENARIOS, type Scenario, type ScenarioPlan } from './scenarios.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const JWT_SECRET = 'bench-jwt-secret-that-is-long-enough-0123456789';
const BSN_KEY = 'bench-bsn-key-that-is-long-enough-0123456789abcdef';

export interface BenchRow {
  scenario: Scenario;
  reqPerSec: number | null;
  p50Ms: number | null;
  p95Ms: number | null;
  sqlPerRequest: number | null;
  baselineReqPerSec: number | null;
  ratio: number | null;
  skipped?: string;
  /** --floor, caseDetail only: CaseDetail's compliant floor (bench/floor.ts) and its ratio to the baseline. */
  floorReqPerSec?: number;
  floorRatio?: number | null;
  /** --floor, caseDetail only: the same floor with the principal remembered per process (bench/floor.ts). */
  floorRememberedReqPerSec?: number;
  floorRememberedRatio?: number | null;
}

const USAGE = `Usage: npm run bench [-- --size N] [--quick] [--duration S] [--warmup S] [--rounds R] [--connections C] [--processes P] [--out DIR] [--scenario NAME] [--floor] [--tsx]

  --size N         cases in the bench database (default 100000; --quick: 2000)
  --quick          a short run (small database, 2 s per measurement) for tests of the harness
  --duration S     seconds per measurement (default 10)
  --warmup S       seconds of unmeasured load before each measurement, API and baseline alike (default 15; --quick: 0)
  --rounds R       split each measurement into R alternating rounds of API and baseline (default 2; --quick: 1)
  --connections C  concurrent connections (default 8)
  --processes P    processes of the API (API_PROCESSES) and of the baseline server alike
                   (default: one per CPU, as the API runs in production; --quick: 1)
  --out DIR        where the JSON goes (default bench/results)
  --scenario NAME  only these scenarios (repeatable or comma-separated; default: all but quarterReportLead):
                   ${ALL_SCENARIOS.join(', ')}
  --floor          also measure CaseDetail's compliant floor (bench/floor.ts: token, viewer, the
                   baseline's statement with the API's READ rows, committed; no GraphQL) in the same rounds,
                   and that floor with the principal remembered per process (the 'remembered' columns)
  --tsx            run the API and the baseline from the TypeScript sources through tsx instead of
                   compiled JavaScript (no build; tsx costs the API CPU on every request)
  -h, --help       this help`;

function fail(message: string, code = 2): never {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(code);
}

function parseCli() {
  let values: Record<string, string | boolean | string[] | undefined>;
  try {
    ({ values } = parseArgs({
      args: process.argv.slice(2),
      options: { size: { type: 'string' }, quick: { type: 'boolean' }, duration: { type: 'string' }, warmup: { type: 'string' }, rounds: { type: 'string' }, connections: { type: 'string' }, processes: { type: 'string' }, out: { type: 'string' }, floor: { type: 'boolean' }, tsx: { type: 'boolean' }, scenario: { type: 'string', multiple: true }, help: { type: 'boolean', short: 'h' } },
      strict: true,
    }));
  } catch (e) {
    fail(`${(e as Error).message.split('\n')[0]}\n\n${USAGE}`);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const int = (name: string, fallback: number, min: number) => {
    const raw = values[name];
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min) fail(`--${name} must be an integer ≥ ${min}`);
    return n;
  };
  const quick = !!values.quick;
  const picked = ((values.scenario as string[] | undefined) ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
  for (const name of picked) if (!ALL_SCENARIOS.includes(name as Scenario)) fail(`unknown scenario ${name} (one of ${ALL_SCENARIOS.join(', ')})`);
  return {
    scenarios: picked.length ? ALL_SCENARIOS.filter((s) => picked.includes(s)) : SCENARIOS,
    quick,
    size: int('size', quick ? 2000 : 100_000, 100),
    duration: int('duration', quick ? 2 : 10, 1),
    warmup: int('warmup', quick ? 0 : 15, 0),
    rounds: int('rounds', quick ? 1 : 2, 1),
    connections: int('connections', 8, 1),
    processes: int('processes', quick ? 1 : os.availableParallelism(), 1),
    outDir: (values.out as string | undefined) ?? fileURLToPath(new URL('./results/', import.meta.url)),
    tsx: !!values.tsx,
    floor: !!values.floor,
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/**
 * The bench database for `size`: seeded once into the template voordeur_bench_<size> (marked by
 * its bench_meta table) and reused; every run measures a fresh copy of it,
 * voordeur_bench_<size>_run (CREATE DATABASE … TEMPLATE, a file copy). Every API request
 * appends audit rows, and the append-only access_log cannot be emptied, so without the copy each
 * run would start with the audit rows of all earlier runs (their indexes outgrowing the buffer
 * cache) and measure something else than the run before it.
 */
async function benchDatabase(size: number, log: (s: string) => void): Promise<{ url: string; drop(): Promise<void> }> {
  const adminUrl = process.env.BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `voordeur_bench_${size}`;
  const url = withDatabase(adminUrl, name);
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const exists = (await admin.query('select 1 from pg_database where datname = $1', [name])).rowCount! > 0;
    let seeded = false;
    if (exists) {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      const ready = await c.query(`select 1 from information_schema.tables where table_name = 'bench_meta'`).then((r) => r.rowCount! > 0);
      seeded = ready && (await c.query('select size from bench_meta')).rows[0]?.size === size;
      await c.end();
      if (seeded) {
        log(`reusing ${name}`);
        const orm = await initOrm(url, 2);
        orm.config.set('migrations', { ...orm.config.get('migrations'), silent: true });
        await migrate(orm); // a newer migration since it was seeded
        await orm.close(true);
      } else {
        await admin.query(`drop database "${name}" with (force)`);
      }
    }
    if (!seeded) await seedTemplate(admin, name, url, size, log);
    await admin.query(`drop database if exists "${name}_run" with (force)`);
    await admin.query(`create database "${name}_run" template "${name}"`);
  } finally {
    await admin.end();
  }
  return {
    url: withDatabase(adminUrl, `${name}_run`),
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`drop database if exists "${name}_run" with (force)`).finally(() => c.end());
    },
  };
}

async function seedTemplate(admin: pg.Client, name: string, url: string, size: number, log: (s: string) => void): Promise<void> {
  await admin.query(`create database "${name}"`);
  const started = Date.now();
  const orm = await initOrm(url, 4);
  try {
    orm.config.set('migrations', { ...orm.config.get('migrations'), silent: true });
    await migrate(orm);
    const { cases } = await seedScenario(orm.em.fork(), { size });
    await orm.em.getConnection().execute('vacuum analyze');
    await orm.em.getConnection().execute('create table bench_meta (size int not null)');
    await orm.em.getConnection().execute('insert into bench_meta values (?)', [size]);
    log(`seeded ${name}: ${cases} cases in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await orm.close(true);
  }
}

async function settle(url: string): Promise<void> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query('vacuum (analyze) access_log');
    await c.query('checkpoint');
  } finally {
    await c.end();
  }
}

/**
 * Starts a child and resolves once `readyUrl` answers and, with several processes, once its
 * stdout has said `readyText` `readyCount` times (every process listens, not just the first).
 */
function startChild(
  /** node's arguments: the script and its own. */
  args: string[],
  env: Record<string, string>,
  readyUrl: string,
  label: string,
  ready: { text: string; count: number } | null = null,
): Promise<ChildProcess> {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let said = 0;
  child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  child.stdout!.on('data', (d: Buffer) => {
    if (ready) said += d.toString().split(ready.text).length - 1;
  });
  return new Promise((resolve, reject) => {
    const deadline = Date.now() + 60_000;
    const poll = async () => {
      if (child.exitCode !== null) return reject(new Error(`${label} exited (${child.exitCode}): ${stderr}`));
      try {
        const res = await fetch(readyUrl, { method: readyUrl.endsWith('/graphql') ? 'POST' : 'GET' }).catch(() => null);
        if (res && (!ready || said >= ready.count)) return resolve(child);
      } catch {
        /* not yet */
      }
      if (Date.now() > deadline) {
        child.kill('SIGKILL');
        return reject(new Error(`${label} did not start: ${stderr}`));
      }
      setTimeout(poll, 200);
    };
    void poll();
  });
}

function stop(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => (clearTimeout(t), resolve()));
    child.kill('SIGTERM');
  });
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

interface Sample {
  latencies: number[];
  seconds: number;
  errors: number;
}

/** autocannon for `duration` seconds; latencies from every response (autocannon reports no p95). */
async function load(opts: { url: string; body: string; headers: Record<string, string>; duration: number; connections: number }): Promise<Sample> {
  const latencies: number[] = [];
  let non2xx = 0;
  let errors = 0;
  let seconds = 0;
  const run = async (limit: { duration: number } | { amount: number }) => {
    const started = Date.now();
    const instance = autocannon({
      url: opts.url,
      method: 'POST',
      body: opts.body,
      headers: { 'content-type': 'application/json', ...opts.headers },
      connections: opts.connections,
      timeout: 30,
      ...limit,
    });
    instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
      latencies.push(responseTime);
      if (statusCode < 200 || statusCode >= 300) non2xx++;
    });
    errors += (await instance).errors;
    seconds += (Date.now() - started) / 1000;
  };
  await run({ duration: opts.duration });
  // On a machine so busy that no request finished within a short (--quick) window, measure a
  // fixed number of requests instead, so the result always holds real numbers.
  if (latencies.length === 0) await run({ amount: opts.connections * 2 });
  return { latencies, seconds: Math.max(seconds, opts.duration), errors: errors + non2xx };
}

/** req/s and latency percentiles over the samples of all rounds together. */
function summarise(samples: Sample[]) {
  const latencies = samples.flatMap((s) => s.latencies).sort((a, b) => a - b);
  const seconds = samples.reduce((sum, s) => sum + s.seconds, 0);
  return {
    reqPerSec: Math.round((latencies.length / seconds) * 10) / 10,
    p50: Math.round(percentile(latencies, 50) * 100) / 100,
    p95: Math.round(percentile(latencies, 95) * 100) / 100,
    errors: samples.reduce((sum, s) => sum + s.errors, 0),
  };
}

/** Builds left behind by runs that were killed (their process is gone); a running one's stays. */
function sweepAbandonedBuilds(builds: string): void {
  if (!existsSync(builds)) return;
  for (const name of readdirSync(builds)) {
    const pid = Number(/^(\d+)-\d+$/.exec(name)?.[1]);
    if (!pid) continue;
    try {
      process.kill(pid, 0); // still running
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ESRCH') rmSync(path.join(builds, name), { recursive: true, force: true });
    }
  }
}

/**
 * The programs the bench runs: compiled by scripts/build.mjs into a directory of this run's own
 * (inside the project, where node_modules and package.json apply; a concurrent run or `npm run
 * build` cannot touch it), or with `--tsx` the sources through tsx.
 */
async function programs(tsx: boolean, log: (s: string) => void): Promise<{ api: string[]; baseline: string[]; remove(): void }> {
  if (tsx) return { api: ['--import', 'tsx', 'src/main.ts'], baseline: ['--import', 'tsx', 'bench/baseline.ts'], remove: () => {} };
  const builds = path.join(ROOT, 'bench', '.build');
  sweepAbandonedBuilds(builds);
  const dir = path.join(builds, `${process.pid}-${Date.now()}`);
  const started = Date.now();
  const code = await new Promise<number | null>((resolve, reject) => {
    const child = spawn(process.execPath, ['scripts/build.mjs', '--out-dir', dir], { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit'] });
    child.once('error', reject);
    child.once('exit', resolve);
  });
  const remove = () => rmSync(dir, { recursive: true, force: true });
  if (code !== 0) {
    remove();
    throw new Error(`the build failed (exit ${code})`);
  }
  log(`built the API into ${path.relative(ROOT, dir)} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return { api: [path.join(dir, 'src/main.js')], baseline: [path.join(dir, 'bench/baseline.js')], remove };
}

/**
 * CaseDetail's compliant floor as a load target, after checking it on this database: it must
 * answer exactly what the API answered to the probe, and write the same READ rows as the probe
 * did (auditRowsOf).
 */
async function checkedFloor(url: string, dbUrl: string, p: ScenarioPlan, answer: unknown, probeId: string, connections: number) {
  const floorId = randomUUID();
  const headers = { authorization: `Bearer ${p.token}` };
  const res = await fetch(url, { method: 'POST', headers: { ...headers, 'x-request-id': floorId }, body: JSON.stringify(p.variables) });
  if (res.status !== 200) throw new Error(`caseDetail: the floor failed: ${await res.text()}`);
  if (!isDeepStrictEqual(await res.json(), answer)) throw new Error(`caseDetail: the floor's answer differs from the API's (bench/floor.ts)`);
  const db = new pg.Client({ connectionString: dbUrl });
  await db.connect();
  try {
    if (!isDeepStrictEqual(await auditRowsOf(db, floorId), await auditRowsOf(db, probeId))) throw new Error(`caseDetail: the floor's READ rows differ from the API's (bench/floor.ts)`);
  } finally {
    await db.end();
  }
  return { url, body: JSON.stringify(p.variables), headers, connections };
}

async function main(): Promise<void> {
  const cli = parseCli();
  const log = (s: string) => process.stderr.write(`bench: ${s}\n`);
  // The build (~15 s) runs while the database is copied or seeded.
  const [dbResult, programsResult] = await Promise.allSettled([benchDatabase(cli.size, log), programs(cli.tsx, log)]);
  if (dbResult.status === 'rejected' || programsResult.status === 'rejected') {
    if (dbResult.status === 'fulfilled') await dbResult.value.drop();
    if (programsResult.status === 'fulfilled') programsResult.value.remove();
    throw dbResult.status === 'rejected' ? dbResult.reason : (programsResult as PromiseRejectedResult).reason;
  }
  const runDb = dbResult.value;
  const run = programsResult.value;
  const dbUrl = runDb.url;
  const config = parseConfig({ NODE_ENV: 'production', JWT_SECRET, BSN_KEY, DATABASE_URL: dbUrl, LOG_LEVEL: 'silent' });

  // ---- who and what to ask ---------------------------------------------------------------
  const db = new pg.Client({ connectionString: dbUrl });
  await db.connect();
  const plan = await scenarioPlans(db, (id) => signToken(config, id)).finally(() => db.end());

  // ---- the API and the baseline ------------------------------------------------------------
  const apiPort = await freePort();
  const basePort = await freePort();
  const apiUrl = `http://127.0.0.1:${apiPort}/graphql`;
  let api: ChildProcess | undefined;
  let baseline: ChildProcess | undefined;
  const rows: BenchRow[] = [];
  try {
    api = await startChild(
      [...run.api, '--role', 'api'],
      {
        NODE_ENV: 'production', JWT_SECRET, BSN_KEY, SEED_DEMO: 'false', RATE_LIMIT_PER_MINUTE: '0', DATABASE_URL: dbUrl,
        PORT: String(apiPort), HOST: '127.0.0.1', LOG_LEVEL: 'info', SQL_COUNT_HEADER: '1', SIMULATORS: 'false',
        API_PROCESSES: String(cli.processes),
      },
      `http://127.0.0.1:${apiPort}/health`,
      'API',
      // Every API process says so when it listens (the API logs nothing per request at info).
      { text: 'Voordeur is listening on', count: cli.processes },
    );
    baseline = await startChild(run.baseline, { DATABASE_URL: dbUrl, PORT: String(basePort), BASELINE_PROCESSES: String(cli.processes), JWT_SECRET }, `http://127.0.0.1:${basePort}/none`, 'baseline', {
      text: 'baseline ready',
      count: cli.processes,
    });

    for (const [index, scenario] of cli.scenarios.entries()) {
      // Let the database settle between scenarios: every API request appends audit rows, and
      // the previous scenario's few hundred thousand would otherwise be vacuumed and
      // checkpointed while the next one is measured.
      if (index > 0) await settle(dbUrl);
      const p = plan[scenario];
      const body = JSON.stringify({ query: opOf(scenario), variables: p.variables, operationName: undefined });
      const headers = { authorization: `Bearer ${p.token}` };
      // One request first: it must answer without errors, and tells the statement count (only
      // this one is counted: the measured load runs without the counter's async hooks).
      const probeId = randomUUID();
      const probe = await fetch(apiUrl, { method: 'POST', headers: { 'content-type': 'application/json', [SQL_COUNT_REQUEST_HEADER]: '1', 'x-request-id': probeId, ...headers }, body });
      const answer = (await probe.json()) as { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] };
      if (answer.errors?.length) {
        const unknownField = answer.errors.some((e) => e.extensions?.code === 'GRAPHQL_VALIDATION_FAILED' || /Cannot query field/.test(e.message));
        if (unknownField) {
          rows.push({ scenario, reqPerSec: null, p50Ms: null, p95Ms: null, sqlPerRequest: null, baselineReqPerSec: null, ratio: null, skipped: 'not available' });
          log(`${scenario}: skipped (not available in this API)`);
          continue;
        }
        throw new Error(`${scenario}: the API answered with errors: ${JSON.stringify(answer.errors).slice(0, 500)}`);
      }
      const sqlPerRequest = Number(probe.headers.get(SQL_COUNT_HEADER));
      const baseProbe = await fetch(`http://127.0.0.1:${basePort}/${scenario}`, { method: 'POST', body: JSON.stringify(p.baseline) });
      if (baseProbe.status !== 200) throw new Error(`${scenario}: baseline failed: ${await baseProbe.text()}`);
      // Like for like, on this database too: the baseline must answer exactly what the API answered.
      if (!isDeepStrictEqual(await baseProbe.json(), answer)) throw new Error(`${scenario}: the baseline's answer differs from the API's (bench/baseline.ts)`);
      const floorAt = (path: string) => (cli.floor && scenario === 'caseDetail' ? checkedFloor(`http://127.0.0.1:${basePort}${path}`, dbUrl, p, answer, probeId, cli.connections) : null);
      const floorLoad = await floorAt('/floor/caseDetail');
      const rememberedLoad = await floorAt('/floor/caseDetailRemembered');

      // Both sides measured warm (JIT-compiled, pools and plan caches filled), after a warm-up each
      // (15 s by default: the API's CPU per TeamCases request falls from ~3.1 ms in its first
      // 3 s under load to a steady ~1.95 ms after about 15 s; the baseline is steady sooner),
      // and in alternating rounds (API, baseline, baseline, API, …) so that a slower stretch of a
      // shared machine falls on both alike rather than on whichever ran then.
      const apiLoad = { url: apiUrl, body, headers, connections: cli.connections };
      const baseLoad = { url: `http://127.0.0.1:${basePort}/${scenario}`, body: JSON.stringify(p.baseline), headers: {}, connections: cli.connections };
      if (cli.warmup) {
        await load({ ...apiLoad, duration: cli.warmup });
        await load({ ...baseLoad, duration: cli.warmup });
        if (floorLoad) await load({ ...floorLoad, duration: cli.warmup });
        if (rememberedLoad) await load({ ...rememberedLoad, duration: cli.warmup });
      }
      const targets = [apiLoad, baseLoad, ...(floorLoad ? [floorLoad] : []), ...(rememberedLoad ? [rememberedLoad] : [])];
      const samples = new Map<object, Sample[]>(targets.map((t) => [t, []]));
      const slice = Math.max(1, Math.round(cli.duration / cli.rounds));
      for (let round = 0; round < cli.rounds; round++) {
        const order = round % 2 === 0 ? targets : [...targets].reverse();
        for (const target of order) samples.get(target)!.push(await load({ ...target, duration: slice }));
      }
      const a = summarise(samples.get(apiLoad)!);
      const b = summarise(samples.get(baseLoad)!);
      const f = floorLoad ? summarise(samples.get(floorLoad)!) : null;
      const fr = rememberedLoad ? summarise(samples.get(rememberedLoad)!) : null;
      const ratioOf = (x: { reqPerSec: number }) => (b.reqPerSec ? Math.round((x.reqPerSec / b.reqPerSec) * 1000) / 1000 : null);
      if (a.errors || b.errors) log(`${scenario}: ${a.errors} API errors, ${b.errors} baseline errors`);
      rows.push({
        scenario,
        reqPerSec: a.reqPerSec,
        p50Ms: a.p50,
        p95Ms: a.p95,
        sqlPerRequest,
        baselineReqPerSec: b.reqPerSec,
        ratio: ratioOf(a),
        ...(f ? { floorReqPerSec: f.reqPerSec, floorRatio: ratioOf(f) } : {}),
        ...(fr ? { floorRememberedReqPerSec: fr.reqPerSec, floorRememberedRatio: ratioOf(fr) } : {}),
      });
      if (f?.errors || fr?.errors) log(`${scenario}: ${f?.errors ?? 0} floor errors, ${fr?.errors ?? 0} remembered-floor errors`);
      log(`${scenario}: ${a.reqPerSec} req/s (baseline ${b.reqPerSec}${f ? `, floor ${f.reqPerSec}` : ''}${fr ? `, remembered floor ${fr.reqPerSec}` : ''})`);
    }
  } finally {
    await stop(api);
    await stop(baseline);
    await runDb.drop();
    run.remove();
  }

  // ---- report --------------------------------------------------------------------------------
  const fmt = (v: number | null | undefined) => (v === null || v === undefined ? '-' : String(v));
  const floor = rows.some((r) => r.floorReqPerSec !== undefined);
  const table = [
    ['scenario', 'req/s', 'p50 ms', 'p95 ms', 'SQL/req', 'baseline req/s', 'ratio', ...(floor ? ['floor req/s', 'floor ratio', 'remembered req/s', 'remembered ratio'] : [])],
    ...rows.map((r) => [
      r.scenario + (r.skipped ? ` (${r.skipped})` : ''), fmt(r.reqPerSec), fmt(r.p50Ms), fmt(r.p95Ms), fmt(r.sqlPerRequest), fmt(r.baselineReqPerSec), fmt(r.ratio),
      ...(floor ? [fmt(r.floorReqPerSec), fmt(r.floorRatio), fmt(r.floorRememberedReqPerSec), fmt(r.floorRememberedRatio)] : []),
    ]),
  ];
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  process.stdout.write(
    `\n${cli.size} cases, ${cli.connections} connections, ${cli.processes} process(es) each, ${cli.tsx ? 'sources through tsx' : 'compiled JavaScript'}, ${cli.duration} s per measurement in ${cli.rounds} alternating round(s), ${cli.warmup} s warm-up\n`,
  );
  for (const row of table) process.stdout.write(`${row.map((c, i) => c.padEnd(widths[i]!)).join('  ')}\n`);
  mkdirSync(cli.outDir, { recursive: true });
  const file = `${cli.outDir.replace(/\/?$/, '/')}${new Date().toISOString().replace(/[:.]/g, '-')}.json`;
  writeFileSync(file, `${JSON.stringify(rows, null, 2)}\n`);
  process.stdout.write(`written to ${file}\n`);
}

main()
  .then(() => process.exit(0))
  .catch((e: unknown) => {
    process.stderr.write(`bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  });

export { BASE_CASES };
