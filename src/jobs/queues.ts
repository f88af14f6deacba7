/**
 * The BullMQ queues: one per partner system ("huisarts", "corporation": its polls and its
 * outbound pushes, so depth, lag and failures read per partner) and "internal" for jobs
 * without a partner (check-in reminders). Keys live under BULLMQ_PREFIX. Job data holds
 * ids only.
 */
import { Queue, type ConnectionOptions, type JobsOptions } from 'bullmq';
import type { Config } from '../config.js';
import { PARTNER_SYSTEMS, type PartnerSystem } from '../modules/referral/referral.entity.js';

export const PARTNERS = PARTNER_SYSTEMS;
export type Partner = PartnerSystem;
export const QUEUE_NAMES = ['huisarts', 'corporation', 'internal'] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

export const POLL_JOB = 'poll';
export const BACKOFF_TYPE = 'partner';

/** ioredis options from a redis:// URL. `worker`: blocking connections need unlimited retries. */
export function bullConnection(url: string, worker: boolean): ConnectionOptions {
  const u = new URL(url);
  return {
    host: u.hostname,
    port: Number(u.port || 6379),
    username: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0,
    ...(u.protocol === 'rediss:' ? { tls: {} } : {}),
    maxRetriesPerRequest: worker ? null : 1,
    // Producers fail fast while Redis is down (the outbox keeps the work); workers wait.
    enableOfflineQueue: worker,
    connectTimeout: 2000,
    retryStrategy: (times: number) => Math.min(200 * 2 ** Math.min(times, 5), 5000),
  };
}

/** Options of every outbound job: retries with our backoff, kept a while for the admin view. */
export function outboundJobOptions(config: Config): JobsOptions {
  return {
    attempts: config.JOB_ATTEMPTS,
    backoff: { type: BACKOFF_TYPE },
    removeOnComplete: { age: 24 * 3600, count: 10_000 },
    removeOnFail: { age: 30 * 24 * 3600 },
  };
}

export class JobQueues {
  readonly queues: Record<QueueName, Queue>;

  constructor(readonly config: Config) {
    const connection = bullConnection(config.REDIS_URL, false);
    const make = (name: QueueName) => {
      const q = new Queue(name, { connection, prefix: config.BULLMQ_PREFIX });
      q.on('error', () => undefined); // reported by the relay and /ready, not per command
      return q;
    };
    this.queues = { huisarts: make('huisarts'), corporation: make('corporation'), internal: make('internal') };
  }

  get(name: QueueName): Queue {
    return this.queues[name];
  }

  async close(): Promise<void> {
    await Promise.all(Object.values(this.queues).map((q) => q.close().catch(() => undefined)));
  }
}

const shared = new Map<string, JobQueues>();

/** Producer-side queues for this configuration (one set per Redis URL and prefix per process). */
export function queuesFor(config: Config): JobQueues {
  const key = `${config.REDIS_URL}|${config.BULLMQ_PREFIX}`;
  let q = shared.get(key);
  if (!q) {
    q = new JobQueues(config);
    shared.set(key, q);
  }
  return q;
}

export async function closeSharedQueues(config?: Config): Promise<void> {
  for (const [key, q] of shared) {
    if (config && key !== `${config.REDIS_URL}|${config.BULLMQ_PREFIX}`) continue;
    shared.delete(key);
    await withTimeout(q.close(), 2000).catch(() => undefined);
  }
}

/** Rejects after `ms` (Redis calls must never hang a request or the relay). */
export function withTimeout<T>(p: Promise<T>, ms: number, what = 'Redis'): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms);
    }),
  ]);
}
