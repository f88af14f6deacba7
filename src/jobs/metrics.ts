/**
 * Prometheus metrics (`GET /metrics`): queue depths per queue and state, job outcomes, sync
 * lag per partner, and the outbox backlog. Gauges are read fresh on each scrape; counters
 * count what this process did. No labels carry personal data (queue, job name, outcome,
 * partner only).
 */
import { Counter, Gauge, Registry, collectDefaultMetrics } from 'prom-client';
import type { Config } from '../config.js';
import type { Orm } from '../db/database.js';
import { PARTNERS, QUEUE_NAMES, queuesFor, withTimeout } from './queues.js';

export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'voordeur_' });

export const jobOutcomes = new Counter({
  name: 'voordeur_jobs_total',
  help: 'Jobs handled by this process, by queue, job name and outcome (completed, failed, retried, published, parked, imported, duplicate).',
  labelNames: ['queue', 'name', 'outcome'] as const,
  registers: [registry],
});

const queueDepth = new Gauge({
  name: 'voordeur_queue_jobs',
  help: 'Jobs per queue and state (waiting, delayed, active, failed, completed, prioritized).',
  labelNames: ['queue', 'state'] as const,
  registers: [registry],
});

const syncLag = new Gauge({
  name: 'voordeur_sync_lag_seconds',
  help: 'Seconds since the last successful poll of a partner system (-1: never).',
  labelNames: ['partner'] as const,
  registers: [registry],
});

const outboxPending = new Gauge({
  name: 'voordeur_outbox_pending',
  help: 'Outbox messages not yet published to the queues.',
  registers: [registry],
});

const outboxOldest = new Gauge({
  name: 'voordeur_outbox_oldest_pending_seconds',
  help: 'Age of the oldest unpublished outbox message (0 when none).',
  registers: [registry],
});

const redisUp = new Gauge({ name: 'voordeur_redis_up', help: '1 when the queues answered this scrape.', registers: [registry] });

export async function renderMetrics(orm: Orm, config: Config): Promise<{ contentType: string; body: string }> {
  const em = orm.em.fork();
  const [outbox] = await em.execute<{ n: string; oldest: number | null }[]>(
    `select count(*) as n, extract(epoch from now() - min(created_at))::float8 as oldest from outbox where published_at is null`,
  );
  outboxPending.set(Number(outbox?.n ?? 0));
  outboxOldest.set(Number(outbox?.oldest ?? 0));
  const states = await em.execute<{ partner: string; lag: number | null }[]>(
    `select partner, extract(epoch from now() - last_success_at)::float8 as lag from sync_state`,
  );
  for (const p of PARTNERS) {
    const row = states.find((s) => s.partner === p);
    syncLag.set({ partner: p }, row?.lag ?? -1);
  }
  try {
    const queues = queuesFor(config);
    await withTimeout(
      Promise.all(
        QUEUE_NAMES.map(async (name) => {
          const counts = await queues.get(name).getJobCounts('waiting', 'delayed', 'active', 'failed', 'completed', 'prioritized');
          for (const [state, n] of Object.entries(counts)) queueDepth.set({ queue: name, state }, n);
        }),
      ),
      1000,
    );
    redisUp.set(1);
  } catch {
    redisUp.set(0);
  }
  return { contentType: registry.contentType, body: await registry.metrics() };
}
