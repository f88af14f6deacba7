/**
 * The benchmark harness (issue 7): SQL statements per request do not grow with the page size
 * (counted by the SQL_COUNT_HEADER query counter), and `npm run bench -- --quick` completes
 * and writes valid JSON. No timing is asserted: speed is what the benchmark reports.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../helpers/app.js';
import { sqlCountingActive } from '../../src/sql-count.js';
import { adminDatabaseUrl } from '../helpers/db.js';
import { withAdmin } from '../../bench/database.js';
import { buildCase, buildHousehold, buildStaff, buildTeam, buildZrm } from '../../seeds/factories.js';
import { Rng } from '../../seeds/random.js';
import { CaseStatus, Role, ZrmKind, ZrmVersion } from '../../src/modules/common/enums.js';

const TEAM_CASES = /* GraphQL */ `
  query TeamCases($teamId: ID!, $first: Int) {
    cases(filter: { teamId: $teamId }, first: $first) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { cursor node { id status registeredAt startedAt coordinator { id name }
        household { id address { postcode } members { givenName familyName } }
        latestZrm { assessedAt scores { domain score } } } }
    }
  }
`;

describe('SQL statements per request', () => {
  let hub: TestHub;
  let teamId: string;
  let token: string;
  beforeAll(async () => {
    hub = await startTestHub({ SQL_COUNT_HEADER: '1' });
    const em = hub.em();
    const rng = new Rng('sql-count');
    const team = buildTeam(em, {});
    const lead = buildStaff(em, { role: Role.TEAM_LEAD, teams: [team] });
    for (let i = 0; i < 110; i++) {
      const { household, head } = buildHousehold(em, { rng, team });
      const c = buildCase(em, { rng, household, status: CaseStatus.ACTIVE, coordinator: lead });
      buildZrm(em, { rng, case: c, resident: head, version: ZrmVersion.ZRM_2017, kind: ZrmKind.BASELINE });
    }
    await em.flush();
    teamId = team.id;
    token = await hub.tokenFor(lead);
  });
  afterAll(async () => {
    await hub?.stop();
  });

  async function statements(first: number): Promise<number> {
    const res = await fetch(hub.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-sql-count': '1' },
      body: JSON.stringify({ query: TEAM_CASES, variables: { teamId, first } }),
    });
    const body = (await res.json()) as { data?: { cases: { edges: unknown[] } }; errors?: unknown };
    expect(body.errors).toBeUndefined();
    expect(body.data!.cases.edges).toHaveLength(first);
    return Number(res.headers.get('x-sql-statements'));
  }

  it('TeamCases with 10 and with 100 per page sends the same number of statements', async () => {
    const ten = await statements(10);
    const hundred = await statements(100);
    expect(ten).toBeGreaterThan(0);
    expect(hundred).toBe(ten);
  });

  it('counts only the requests that ask, and switches its async context tracking off after them', async () => {
    expect(sqlCountingActive()).toBe(false);
    const res = await fetch(hub.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: TEAM_CASES, variables: { teamId, first: 10 } }),
    });
    expect(((await res.json()) as { errors?: unknown }).errors).toBeUndefined();
    expect(res.headers.get('x-sql-statements')).toBeNull();
    // Counted requests running side by side each get their own count; then tracking is off.
    const [a, b] = await Promise.all([statements(10), statements(10)]);
    expect(a).toBeGreaterThan(0);
    expect(b).toBe(a);
    expect(sqlCountingActive()).toBe(false);
  });

  it('is off by default: no header', async () => {
    const plain = await startTestHub();
    try {
      const res = await fetch(plain.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-sql-count': '1' }, body: JSON.stringify({ query: '{ __typename }' }) });
      expect(res.headers.get('x-sql-statements')).toBeNull();
    } finally {
      await plain.stop();
    }
  });
});

/** `npm run bench -- <args>`: its exit code, stdout and pid (stderr is printed when it fails). */
function runBench(args: string[]): Promise<{ code: number; stdout: string; pid: number }> {
  const root = fileURLToPath(new URL('../../', import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'bench/run.ts', ...args], {
      cwd: root,
      env: { ...process.env, BENCH_ADMIN_URL: adminDatabaseUrl() },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-3000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), 85_000);
    child.on('error', reject);
    child.on('exit', (c) => {
      clearTimeout(timer);
      if (c !== 0) process.stderr.write(stderr);
      resolve({ code: c ?? -1, stdout, pid: child.pid! });
    });
  });
}

describe('npm run bench -- --quick', () => {
  // The harness keeps its seeded template (voordeur_bench_2000 for --quick) for later runs; the
  // test leaves nothing behind, so it drops the template again when it was the one that made it.
  const template = 'voordeur_bench_2000';
  let templateExisted = true;
  beforeAll(async () => {
    templateExisted = await withAdmin(adminDatabaseUrl(), async (c) => (await c.query('select 1 from pg_database where datname = $1', [template])).rowCount === 1);
  });
  afterAll(async () => {
    if (!templateExisted) await withAdmin(adminDatabaseUrl(), (c) => c.query(`drop database if exists "${template}" with (force)`));
  });

  it('completes and writes valid JSON', async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'voordeur-bench-'));
    const builds = fileURLToPath(new URL('../../bench/.build/', import.meta.url));
    // A build left behind by a run that was killed: the process that made it is gone.
    const gone = spawnSync(process.execPath, ['-e', '']).pid;
    const abandoned = path.join(builds, `${gone}-1`);
    mkdirSync(abandoned, { recursive: true });
    try {
      const { code, stdout, pid } = await runBench(['--quick', '--duration', '1', '--out', out]);
      expect(code).toBe(0);
      // It measured the compiled API, as production runs it, removed its build afterwards and
      // swept the abandoned one.
      expect(stdout).toContain('compiled JavaScript');
      expect((existsSync(builds) ? readdirSync(builds) : []).filter((d) => d.startsWith(`${pid}-`))).toEqual([]);
      expect(existsSync(abandoned)).toBe(false);
      const files = readdirSync(out).filter((f) => f.endsWith('.json'));
      expect(files).toHaveLength(1);
      const rows = JSON.parse(readFileSync(path.join(out, files[0]!), 'utf8')) as Record<string, unknown>[];
      expect(rows.map((r) => r.scenario)).toEqual(['teamCases', 'caseDetail', 'referralStatus', 'volunteerCandidates', 'quarterReport']);
      for (const r of rows) {
        expect(Object.keys(r)).toEqual(expect.arrayContaining(['scenario', 'reqPerSec', 'p50Ms', 'p95Ms', 'sqlPerRequest', 'baselineReqPerSec', 'ratio']));
        if (r.skipped) continue;
        for (const k of ['reqPerSec', 'p50Ms', 'p95Ms', 'sqlPerRequest', 'baselineReqPerSec', 'ratio']) expect(typeof r[k], `${r.scenario} ${k}`).toBe('number');
      }
      expect(rows.find((r) => r.scenario === 'quarterReport')!.skipped).toBeUndefined();
      // The floor only on request (--floor).
      expect(rows.filter((r) => 'floorReqPerSec' in r)).toEqual([]);
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 90_000);

  it('runs the API and the baseline as two processes each with --processes 2 (here from the sources, --tsx), and with --floor CaseDetail\'s floor', async () => {
    const out = mkdtempSync(path.join(os.tmpdir(), 'voordeur-bench-'));
    try {
      const { code, stdout } = await runBench(['--quick', '--processes', '2', '--tsx', '--scenario', 'teamCases,caseDetail', '--floor', '--duration', '1', '--out', out]);
      expect(code).toBe(0);
      expect(stdout).toContain('2 process(es) each, sources through tsx');
      expect(stdout).toContain('floor ratio');
      const [file] = readdirSync(out).filter((f) => f.endsWith('.json'));
      const rows = JSON.parse(readFileSync(path.join(out, file!), 'utf8')) as Record<string, unknown>[];
      expect(rows).toMatchObject([{ scenario: 'teamCases', sqlPerRequest: 2 }, { scenario: 'caseDetail', sqlPerRequest: 2 }]);
      expect(rows[0]!.reqPerSec).toBeGreaterThan(0);
      // The floor is measured for CaseDetail only (the harness checked its answer and READ rows first).
      expect('floorReqPerSec' in rows[0]!).toBe(false);
      expect(rows[1]!.floorReqPerSec).toBeGreaterThan(0);
      expect(typeof rows[1]!.floorRatio).toBe('number');
      // And the same floor with the principal remembered per process.
      expect(stdout).toContain('remembered ratio');
      expect('floorRememberedReqPerSec' in rows[0]!).toBe(false);
      expect(rows[1]!.floorRememberedReqPerSec).toBeGreaterThan(0);
      expect(typeof rows[1]!.floorRememberedRatio).toBe('number');
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  }, 90_000);
});
