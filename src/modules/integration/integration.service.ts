/**
 * Integration health for functional administrators: per partner system the last successful
 * sync, lag, pending and failed jobs with their (value-free) reasons; retry of a failed job.
 * Never case content: job data holds ids only and failure reasons name no person.
 */
import type { Context } from '../../context.js';
import { PARTNERS, queuesFor, withTimeout, type Partner } from '../../jobs/queues.js';
import { logger } from '../../logger.js';
import { BadInputError, ConflictError, NotFoundError } from '../common/errors.js';

export interface IntegrationHealthRow {
  partner: Partner;
  lastSyncAt: Date | null;
  lagSeconds: number | null;
  lastError: string | null;
  pendingJobs: number;
  failedJobs: number | null;
  parkedRecords: number;
  queueReachable: boolean;
}

export interface FailedJobRow {
  id: string;
  jobName: string;
  failedReason: string | null;
  attemptsMade: number;
  failedAt: Date | null;
}

const REDIS_TIMEOUT_MS = 1000;

export async function integrations(ctx: Context): Promise<IntegrationHealthRow[]> {
  const em = ctx.em;
  const [states, outbox, parked] = await Promise.all([
    em.execute<{ partner: string; last_success_at: Date | null; last_error: string | null }[]>(
      `select partner, last_success_at, last_error from sync_state`,
    ),
    // Outbound messages still waiting in the outbox (Redis down, relay behind), per partner system.
    // Routed as the relay routes them: by the partner system the referral came in from.
    em.execute<{ partner: string | null; n: string }[]>(
      `select r.partner_system as partner, count(*) as n from outbox o
         left join referral r on o.topic = 'referral.status-changed' and r.id = (o.payload->>'referralId')::uuid
        where o.published_at is null group by r.partner_system`,
    ),
    em.execute<{ partner: string; n: string }[]>(`select partner, count(*) as n from parked_record group by partner`),
  ]);
  const queues = queuesFor(ctx.config);
  const now = Date.now();
  return Promise.all(
    PARTNERS.map(async (partner) => {
      const state = states.find((s) => s.partner === partner);
      const waitingInOutbox = Number(outbox.find((o) => o.partner === partner)?.n ?? 0);
      let counts: Record<string, number> | null = null;
      try {
        counts = await withTimeout(queues.get(partner).getJobCounts('waiting', 'delayed', 'active', 'prioritized', 'failed'), REDIS_TIMEOUT_MS);
      } catch {
        counts = null;
      }
      const lastSyncAt = state?.last_success_at ? new Date(state.last_success_at) : null;
      return {
        partner,
        lastSyncAt,
        lagSeconds: lastSyncAt ? Math.max(0, Math.round((now - lastSyncAt.getTime()) / 1000)) : null,
        lastError: state?.last_error ?? null,
        pendingJobs: waitingInOutbox + (counts ? (counts.waiting ?? 0) + (counts.delayed ?? 0) + (counts.active ?? 0) + (counts.prioritized ?? 0) : 0),
        failedJobs: counts ? (counts.failed ?? 0) : null,
        parkedRecords: Number(parked.find((p) => p.partner === partner)?.n ?? 0),
        queueReachable: counts !== null,
      };
    }),
  );
}

export async function failedJobs(ctx: Context, partner: Partner, first: number): Promise<FailedJobRow[]> {
  const n = Math.max(1, Math.min(100, first));
  try {
    const jobs = await withTimeout(queuesFor(ctx.config).get(partner).getFailed(0, n - 1), REDIS_TIMEOUT_MS);
    return jobs
      .filter((j) => !!j)
      .map((j) => ({
        id: `${partner}:${j.id}`,
        jobName: j.name,
        failedReason: j.failedReason ?? null,
        attemptsMade: j.attemptsMade,
        failedAt: j.finishedOn ? new Date(j.finishedOn) : null,
      }));
  } catch {
    return [];
  }
}

/** Puts a failed job back in the queue (id as listed: "<partner>:<job id>"). */
export async function retryFailedJob(ctx: Context, id: string): Promise<boolean> {
  const m = /^(huisarts|corporation|internal):([\w-]{1,100})$/.exec(id);
  if (!m) throw new BadInputError('id', 'is not a failed job id (as listed by integrations.failures)');
  const queue = queuesFor(ctx.config).get(m[1] as Partner);
  const job = await withTimeout(queue.getJob(m[2]!), REDIS_TIMEOUT_MS).catch(() => {
    throw new ConflictError('The job queue is unreachable right now; try again later.');
  });
  if (!job) throw new NotFoundError('Job');
  const state = await withTimeout(job.getState(), REDIS_TIMEOUT_MS);
  if (state !== 'failed') throw new ConflictError(`Only a failed job can be retried (this one is ${state}).`);
  await withTimeout(job.retry('failed'), REDIS_TIMEOUT_MS);
  logger.info({ jobId: id, by: ctx.viewer?.id }, 'failed job retried by an administrator');
  return true;
}
