/**
 * The job system of one process: BullMQ workers (one per queue), the outbox relay, and the
 * job schedulers (polls per partner, the daily check-in reminder). `npm start` runs it next
 * to the API; `npm run start:worker` runs it alone. Any number of replicas may run: the relay
 * claims with SKIP LOCKED, schedulers fire once per interval cluster-wide, jobs are idempotent.
 */
import { UnrecoverableError, Worker, type Job, type Processor } from 'bullmq';
import type { Config } from '../config.js';
import type { Orm } from '../db/database.js';
import type { Logger } from '../logger.js';
import { HuisartsClient } from '../../integrations/huisarts/client.js';
import { CorporationClient } from '../../integrations/corporation/client.js';
import { PartnerError } from '../../integrations/http.js';
import { DomainError } from '../modules/common/errors.js';
import { CHECK_IN_REMINDER_TOPIC, enqueueDueCheckInReminders } from '../modules/informal-care/check-ins.js';
import { REFERRAL_STATUS_CHANGED } from '../modules/referral/referral-intake.js';
import { backoffStrategy } from './backoff.js';
import { jobOutcomes } from './metrics.js';
import { pushReferralStatus } from './push.js';
import { bullConnection, JobQueues, POLL_JOB, QUEUE_NAMES, withTimeout, type Partner, type QueueName } from './queues.js';
import { OutboxRelay } from './relay.js';
import { pollPartner } from './sync.js';

export const CHECK_IN_REMINDERS_DAILY = 'informal-care.check-in-reminders';

export interface JobsOptions {
  orm: Orm;
  config: Config;
  log: Logger;
  huisartsUrl: string | null;
  corporationUrl: string | null;
  /** Defaults: all true. */
  relay?: boolean;
  workers?: boolean;
  schedulers?: boolean;
}

export interface JobsRuntime {
  queues: JobQueues;
  relay: OutboxRelay | null;
  workers: Worker[];
  /** Stops claiming new work, lets active jobs finish within `graceMs`, then closes. */
  stop(graceMs?: number): Promise<void>;
}

/**
 * Errors as they may be stored in Redis (failedReason, stack): partner errors and our own
 * messages are value-free; anything else is reduced to its class name.
 */
function sanitise(e: unknown): Error {
  if (e instanceof PartnerError || e instanceof UnrecoverableError) return e;
  if (e instanceof DomainError) return new Error(`${e.code}: ${e.message.replace(/\d+/g, '#')}`);
  const err = new Error(`internal error (${(e as Error)?.name ?? 'unknown'})`);
  err.stack = err.message;
  return err;
}

export async function startJobs(opts: JobsOptions): Promise<JobsRuntime> {
  const { orm, config, log } = opts;
  const queues = new JobQueues(config);
  const huisarts = opts.huisartsUrl ? new HuisartsClient(opts.huisartsUrl, { timeoutMs: config.PARTNER_TIMEOUT_MS }) : null;
  const corporation = opts.corporationUrl ? new CorporationClient(opts.corporationUrl, { timeoutMs: config.PARTNER_TIMEOUT_MS }) : null;
  const deps = { orm, config, log, huisarts, corporation };

  const processor = (queue: QueueName): Processor => async (job: Job) => {
    try {
      if (job.name === POLL_JOB && (queue === 'huisarts' || queue === 'corporation')) {
        const r = await pollPartner(deps, queue, String(job.id));
        if (r.imported || r.parked) log.info({ partner: queue, ...r }, 'partner poll');
        return r; // counts only
      }
      if (job.name === REFERRAL_STATUS_CHANGED && (queue === 'huisarts' || queue === 'corporation')) {
        return await pushReferralStatus(deps, queue as Partner, String(job.data.referralId), String(job.id));
      }
      if (job.name === CHECK_IN_REMINDER_TOPIC) {
        // No partner yet: the delivery is recorded (log line, metric) and the job completes.
        log.info({ matchId: job.data.matchId, dueOn: job.data.dueOn }, 'check-in reminder delivered');
        return { delivered: true };
      }
      if (job.name === CHECK_IN_REMINDERS_DAILY) {
        return await enqueueDueCheckInReminders(orm.em.fork(), new Date());
      }
      if (job.name === REFERRAL_STATUS_CHANGED) return { sent: 'nothing' }; // a sender without a partner system
      throw new UnrecoverableError(`no processor for job "${job.name}" on queue ${queue}`);
    } catch (e) {
      throw sanitise(e);
    }
  };

  const workers: Worker[] = [];
  if (opts.workers !== false) {
    for (const name of QUEUE_NAMES) {
      const worker = new Worker(name, processor(name), {
        connection: bullConnection(config.REDIS_URL, true),
        prefix: config.BULLMQ_PREFIX,
        concurrency: config.WORKER_CONCURRENCY,
        lockDuration: config.JOB_LOCK_MS,
        stalledInterval: Math.max(250, Math.floor(config.JOB_LOCK_MS / 2)),
        maxStalledCount: 3,
        settings: { backoffStrategy: backoffStrategy(config.JOB_BACKOFF_MS, config.JOB_BACKOFF_MAX_MS) },
      });
      let down = false;
      worker.on('error', () => {
        if (!down) log.warn({ queue: name }, 'job worker lost Redis; it reconnects by itself');
        down = true;
      });
      worker.on('ready', () => {
        down = false;
      });
      worker.on('completed', (job) => jobOutcomes.inc({ queue: name, name: job.name, outcome: 'completed' }));
      worker.on('failed', (job, err) => {
        if (!job) return;
        const final = err instanceof UnrecoverableError || job.attemptsMade >= (job.opts.attempts ?? 1);
        jobOutcomes.inc({ queue: name, name: job.name, outcome: final ? 'failed' : 'retried' });
        if (final && job.name !== POLL_JOB) log.warn({ queue: name, job: job.name, jobId: job.id, reason: err.message }, 'job failed');
      });
      workers.push(worker);
    }
  }

  const relay = opts.relay === false ? null : new OutboxRelay({ orm, queues, config, log });
  relay?.start();

  // Job schedulers: upserted in the background, so a Redis outage at start-up does not block.
  let schedulersDone = false;
  let stopped = false;
  const upsertSchedulers = async () => {
    for (let attempt = 0; !stopped && !schedulersDone; attempt++) {
      try {
        await withTimeout(
          Promise.all([
            queues.get('huisarts').upsertJobScheduler('poll-huisarts', { every: config.HUISARTS_POLL_INTERVAL_MS }, {
              name: POLL_JOB,
              data: {},
              opts: { attempts: 1, removeOnComplete: { count: 50 }, removeOnFail: { count: 200 } },
            }),
            queues.get('corporation').upsertJobScheduler('poll-corporation', { every: config.CORPORATION_POLL_INTERVAL_MS }, {
              name: POLL_JOB,
              data: {},
              opts: { attempts: 1, removeOnComplete: { count: 50 }, removeOnFail: { count: 200 } },
            }),
            queues.get('internal').upsertJobScheduler(CHECK_IN_REMINDERS_DAILY, { pattern: config.CHECK_IN_REMINDER_CRON, tz: 'Europe/Amsterdam' }, {
              name: CHECK_IN_REMINDERS_DAILY,
              data: {},
              opts: { attempts: 3, backoff: { type: 'exponential', delay: 60_000 }, removeOnComplete: { count: 30 }, removeOnFail: { count: 30 } },
            }),
          ]),
          5000,
        );
        schedulersDone = true;
      } catch {
        await new Promise((r) => setTimeout(r, Math.min(5000, 250 * 2 ** Math.min(attempt, 5))));
      }
    }
  };
  const schedulers = opts.schedulers === false ? Promise.resolve() : upsertSchedulers();

  return {
    queues,
    relay,
    workers,
    async stop(graceMs = config.SHUTDOWN_GRACE_MS) {
      stopped = true;
      await relay?.stop();
      await schedulers.catch(() => undefined);
      // Worker.close() waits for active jobs; past the grace period they are abandoned
      // (their locks expire and another worker retries them: idempotency keys keep it once).
      // With Redis unreachable a close may reject or hang: bounded, and never an error on the way out.
      const graceful = Promise.all(workers.map((w) => w.close().catch(() => undefined)));
      const timedOut = await Promise.race([graceful.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), graceMs).unref())]);
      if (timedOut) await withTimeout(Promise.all(workers.map((w) => w.close(true).catch(() => undefined))), 2000).catch(() => undefined);
      await withTimeout(queues.close(), 2000).catch(() => undefined);
    },
  };
}
