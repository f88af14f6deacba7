/**
 * Losing nothing: Redis stopped and restarted mid-test (a redis-server of this test, with
 * AOF persistence, on a free port), and a worker process killed with SIGKILL in the middle of
 * a partner call (the job is retried by another worker; the partner sees the effect once).
 * SIGTERM lets an active job finish before the worker exits.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Queue } from 'bullmq';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, TEST_BSN_KEY, TEST_JWT_SECRET, type TestHub } from '../helpers/app.js';
import { redisUrl } from '../helpers/db.js';
import { buildHousehold, buildOrganisation, buildReferral, buildStaff, buildTeam } from '../../seeds/factories.js';
import { OrganisationKind, ReferralStatus, Role } from '../../src/modules/common/enums.js';
import { OutboxMessage } from '../../src/jobs/outbox.entity.js';
import { bullConnection } from '../../src/jobs/queues.js';
import { jobsOverrides, startHarness, waitFor, type Harness } from './harness.js';
import type { Referral } from '../../src/modules/referral/referral.entity.js';
import type { Organisation } from '../../src/modules/organisation/organisation.entity.js';
import type { Team } from '../../src/modules/team/team.entity.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TRIAGE = `mutation($input: TriageReferralInput!) { triageReferral(input: $input) { id status } }`;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

async function makeReferrals(hub: TestHub, n: number): Promise<{ referrals: Referral[]; token: string }> {
  const em = hub.em();
  const team: Team = buildTeam(em, { postcodes: ['3562'] });
  const gp: Organisation = buildOrganisation(em, { kind: OrganisationKind.GP_PRACTICE });
  const worker = buildStaff(em, { role: Role.TEAM_WORKER, teams: [team] });
  const referrals = Array.from({ length: n }, () => {
    const { head, household } = buildHousehold(em, { team, members: 1 });
    return buildReferral(em, { from: gp, resident: head, household, status: ReferralStatus.RECEIVED });
  });
  await em.flush();
  return { referrals, token: await hub.tokenFor(worker) };
}

describe('Redis stopped and restarted mid-test', () => {
  let hub: TestHub;
  let h: Harness;
  let redis: ChildProcess | null = null;
  let dir: string;
  let port: number;

  const startRedis = async () => {
    redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--dir', dir], {
      stdio: 'ignore',
    });
    const { Redis } = await import('ioredis');
    await waitFor('redis-server', async () => {
      const c = new Redis(`redis://127.0.0.1:${port}`, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      c.on('error', () => undefined);
      try {
        await c.connect();
        return (await c.ping()) === 'PONG';
      } catch {
        return false;
      } finally {
        c.disconnect();
      }
    });
  };
  const stopRedis = async () => {
    const r = redis;
    redis = null;
    if (!r) return;
    r.kill('SIGTERM');
    await exited(r);
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'voordeur-redis-'));
    port = await freePort();
    await startRedis();
    hub = await startTestHub(jobsOverrides(`redis://127.0.0.1:${port}`));
    h = await startHarness(hub.db.orm, hub.config);
  });

  afterAll(async () => {
    await h?.stop();
    await hub?.stop();
    await stopRedis();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the API serving, lets the outbox grow, and delivers everything once Redis is back', async () => {
    const { referrals, token } = await makeReferrals(hub, 6);
    await h.start({ schedulers: false });
    const effects = () => h.huisarts.effects.filter((e) => e.path.startsWith('/Task/'));

    await hub.gql(TRIAGE, { input: { referralId: referrals[0]!.id, status: 'TRIAGED' } }, token);
    await waitFor('the first push', () => effects().length === 1);

    await stopRedis();
    for (const r of referrals.slice(1)) {
      const res = await hub.gql(TRIAGE, { input: { referralId: r.id, status: 'TRIAGED' } }, token);
      expect(res.errors).toBeUndefined(); // writes go on
    }
    const list = await hub.gql(`{ referrals(first: 10) { totalCount } }`, {}, token);
    expect(list.data?.referrals.totalCount).toBe(6); // reads go on
    await new Promise((r) => setTimeout(r, 500));
    expect(await hub.em().count(OutboxMessage, { publishedAt: null })).toBe(5);
    expect(effects()).toHaveLength(1);

    await startRedis();
    await waitFor('every push after the outage', () => effects().length === 6, 30_000);
    expect(await hub.em().count(OutboxMessage, { publishedAt: null })).toBe(0);
    expect(new Set(effects().map((e) => e.path)).size).toBe(6);
    expect(new Set(effects().map((e) => e.idempotencyKey)).size).toBe(6);
  });
});

describe('a worker process killed mid-job', () => {
  let hub: TestHub;
  let h: Harness;
  const children: ChildProcess[] = [];

  const spawnWorker = () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/worker.ts'], {
      cwd: ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: {
        ...process.env,
        ...jobsOverrides(redisUrl(), { BULLMQ_PREFIX: hub.config.BULLMQ_PREFIX, JOB_LOCK_MS: '1500', HUISARTS_POLL_INTERVAL_MS: '3600000', CORPORATION_POLL_INTERVAL_MS: '3600000' }),
        NODE_ENV: 'test',
        LOG_LEVEL: 'silent',
        DATABASE_URL: hub.db.url,
        JWT_SECRET: TEST_JWT_SECRET,
        BSN_KEY: TEST_BSN_KEY,
        SIMULATORS: 'false',
        HUISARTS_URL: h.huisarts.url,
        CORPORATION_URL: h.corporation.url,
        DB_POOL_MAX: '3',
      },
    });
    children.push(child);
    return child;
  };

  beforeAll(async () => {
    hub = await startTestHub(jobsOverrides(redisUrl(), { JOB_LOCK_MS: '1500' }));
    h = await startHarness(hub.db.orm, hub.config);
  });

  afterAll(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
    await h?.stop();
    await hub?.stop();
  });

  it('SIGKILL: another worker retries the job and the partner sees the effect exactly once', async () => {
    const { referrals, token } = await makeReferrals(hub, 1);
    const referral = referrals[0]!;
    h.huisarts.setFaults({ slowAfterEffectMs: 60_000 }); // the effect lands, the answer never comes in time
    const child = spawnWorker();
    await hub.gql(TRIAGE, { input: { referralId: referral.id, status: 'TRIAGED' } }, token);
    await waitFor('the effect at the partner', () => h.huisarts.effectsFor(`/Task/${referral.id}`).length === 1, 30_000);
    child.kill('SIGKILL');
    await exited(child);

    h.huisarts.setFaults({ slowAfterEffectMs: 0 });
    await h.start({ schedulers: false, relay: false }); // the surviving worker
    const [message] = await hub.em().find(OutboxMessage, { payload: { referralId: referral.id } } as never);
    const queue = new Queue('huisarts', { connection: bullConnection(redisUrl(), false), prefix: hub.config.BULLMQ_PREFIX });
    try {
      await waitFor('the job completed by the other worker', async () => (await queue.getJob(message!.id))?.finishedOn, 20_000);
      expect(h.huisarts.effectsFor(`/Task/${referral.id}`)).toHaveLength(1);
      expect(h.huisarts.replays).toBeGreaterThanOrEqual(1);
    } finally {
      await queue.close();
    }
    await h.stopJobs();
  });

  it('SIGTERM: an active job finishes before the worker exits', async () => {
    const { referrals, token } = await makeReferrals(hub, 1);
    const referral = referrals[0]!;
    h.huisarts.setFaults({ slowAfterEffectMs: 1000 });
    const replaysBefore = h.huisarts.replays;
    const child = spawnWorker();
    await hub.gql(TRIAGE, { input: { referralId: referral.id, status: 'TRIAGED' } }, token);
    await waitFor('the effect at the partner', () => h.huisarts.effectsFor(`/Task/${referral.id}`).length === 1, 30_000);
    child.kill('SIGTERM');
    expect(await exited(child)).toBe(0);
    const [message] = await hub.em().find(OutboxMessage, { payload: { referralId: referral.id } } as never);
    const queue = new Queue('huisarts', { connection: bullConnection(redisUrl(), false), prefix: hub.config.BULLMQ_PREFIX });
    try {
      expect(await (await queue.getJob(message!.id))?.getState()).toBe('completed');
    } finally {
      await queue.close();
    }
    expect(h.huisarts.replays).toBe(replaysBefore);
    h.huisarts.setFaults({ slowAfterEffectMs: 0 });
  });
});
