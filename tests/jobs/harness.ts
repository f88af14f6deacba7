/**
 * The job system against real Redis and PostgreSQL with both partner simulators on loopback.
 * Each harness uses its own BullMQ prefix, so test files never see each other's jobs.
 */
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import type { MikroORM } from '@mikro-orm/postgresql';
import { logger } from '../../src/logger.js';
import type { Config } from '../../src/config.js';
import { startJobs, type JobsRuntime } from '../../src/jobs/runtime.js';
import { closeSharedQueues } from '../../src/jobs/queues.js';
import { HuisartsSimulator } from '../../integrations/huisarts/simulator.js';
import { CorporationSimulator } from '../../integrations/corporation/simulator.js';
import { testConfig } from '../helpers/app.js';

/** Short intervals and backoffs so the whole file stays within seconds. */
export function jobsOverrides(redisUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    REDIS_URL: redisUrl,
    BULLMQ_PREFIX: `test-${randomBytes(5).toString('hex')}`,
    RELAY_INTERVAL_MS: '50',
    HUISARTS_POLL_INTERVAL_MS: '300',
    CORPORATION_POLL_INTERVAL_MS: '300',
    JOB_BACKOFF_MS: '50',
    JOB_BACKOFF_MAX_MS: '400',
    JOB_ATTEMPTS: '6',
    JOB_LOCK_MS: '2000',
    PARTNER_TIMEOUT_MS: '2000',
    SHUTDOWN_GRACE_MS: '3000',
    POLL_PAGE_SIZE: '5',
    ...extra,
  };
}

export interface Harness {
  config: Config;
  huisarts: HuisartsSimulator;
  corporation: CorporationSimulator;
  jobs: JobsRuntime | null;
  start(opts?: { schedulers?: boolean; relay?: boolean; workers?: boolean }): Promise<JobsRuntime>;
  stopJobs(): Promise<void>;
  stop(): Promise<void>;
}

export async function startHarness(orm: MikroORM, config: Config): Promise<Harness> {
  const huisarts = new HuisartsSimulator();
  const corporation = new CorporationSimulator();
  await huisarts.start();
  await corporation.start();
  const h: Harness = {
    config,
    huisarts,
    corporation,
    jobs: null,
    async start(opts = {}) {
      h.jobs = await startJobs({ orm, config, log: logger, huisartsUrl: huisarts.url, corporationUrl: corporation.url, ...opts });
      return h.jobs;
    },
    async stopJobs() {
      await h.jobs?.stop(1000);
      h.jobs = null;
    },
    async stop() {
      await h.stopJobs();
      await closeSharedQueues(config);
      await huisarts.stop();
      await corporation.stop();
      // Leave nothing behind in the shared Redis.
      await deletePrefix(config.REDIS_URL, config.BULLMQ_PREFIX).catch(() => undefined);
    },
  };
  return h;
}

export function harnessConfig(redisUrl: string, extra: Record<string, string> = {}): Config {
  return testConfig(jobsOverrides(redisUrl, extra));
}

export async function waitFor<T>(what: string, fn: () => Promise<T | null | undefined | false> | T | null | undefined | false, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v as T;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Every key and every value under the prefix, as text (for "no personal data in Redis"). */
export async function dumpPrefix(redisUrl: string, prefix: string): Promise<string> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  const out: string[] = [];
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      for (const key of keys) {
        out.push(key);
        const type = await redis.type(key);
        if (type === 'string') out.push((await redis.get(key)) ?? '');
        else if (type === 'hash') out.push(JSON.stringify(await redis.hgetall(key)));
        else if (type === 'list') out.push(JSON.stringify(await redis.lrange(key, 0, -1)));
        else if (type === 'set') out.push(JSON.stringify(await redis.smembers(key)));
        else if (type === 'zset') out.push(JSON.stringify(await redis.zrange(key, 0, -1)));
        else if (type === 'stream') out.push(JSON.stringify(await redis.xrange(key, '-', '+')));
      }
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
  return out.join('\n');
}

export async function deletePrefix(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
      cursor = next;
      if (keys.length) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
