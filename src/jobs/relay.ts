/**
 * The outbox relay: claims unpublished, due outbox rows with FOR UPDATE SKIP LOCKED in small
 * batches (so several relays can run side by side), adds them to BullMQ with jobId = outbox
 * id, and marks them published in the same transaction. If Redis refuses, the transaction
 * rolls back and the rows wait; if the commit fails after the add, the next claim adds them
 * again and BullMQ drops the duplicate by its job id. A rolled-back domain transaction never
 * wrote a row, so it never enqueues anything.
 */
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Config } from '../config.js';
import type { Orm } from '../db/database.js';
import type { Logger } from '../logger.js';
import { outboundJobOptions, withTimeout, type JobQueues, type Partner, type QueueName } from './queues.js';
import { jobOutcomes } from './metrics.js';

interface ClaimedRow {
  id: string;
  topic: string;
  payload: Record<string, unknown>;
  /** The referral's partner system (referral.status-changed only). */
  partner_system: Partner | null;
}

/**
 * Which queue a message goes to: a referral's status to the partner system it came in from, and
 * nowhere else (one submitted through the sender's app has no record there that is surely its
 * own); everything else to internal.
 */
function queueOf(row: ClaimedRow): QueueName {
  return row.partner_system ?? 'internal';
}

export class OutboxRelay {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private stopped = true;
  private failing = false;
  private failures = 0;

  constructor(
    private readonly deps: { orm: Orm; queues: JobQueues; config: Config; log: Logger },
  ) {}

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  /** Stops claiming; waits for a batch in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running?.catch(() => undefined);
  }

  private schedule(ms: number) {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.running = this.tick();
    }, ms);
  }

  private async tick(): Promise<void> {
    let next = this.deps.config.RELAY_INTERVAL_MS;
    try {
      const n = await this.relayOnce();
      if (this.failing) this.deps.log.info('outbox relay: Redis is back, publishing the backlog');
      this.failing = false;
      this.failures = 0;
      if (n >= this.deps.config.RELAY_BATCH_SIZE) next = 0; // more waiting: go on at once
    } catch (e) {
      this.failures++;
      if (!this.failing) {
        this.deps.log.warn({ err: (e as Error).name }, 'outbox relay cannot publish (Redis unreachable?); messages wait in the outbox');
      }
      this.failing = true;
      next = Math.min(5000, this.deps.config.RELAY_INTERVAL_MS * 2 ** Math.min(this.failures, 5));
    }
    this.schedule(next);
  }

  /** One batch: claim, add to BullMQ, mark published. Returns how many were published. */
  async relayOnce(): Promise<number> {
    const { orm, queues, config } = this.deps;
    let claimedIds: string[] = [];
    try {
      return await orm.em.fork().transactional(async (em: EntityManager) => {
        const rows = await em.execute<ClaimedRow[]>(
          `select o.id, o.topic, o.payload, r.partner_system
             from outbox o
             left join referral r on o.topic = 'referral.status-changed' and r.id = (o.payload->>'referralId')::uuid
            where o.published_at is null and o.available_at <= now()
            order by o.available_at, o.created_at, o.id
            limit ?
            for update of o skip locked`,
          [config.RELAY_BATCH_SIZE],
        );
        if (rows.length === 0) return 0;
        claimedIds = rows.map((r) => r.id);
        const byQueue = new Map<QueueName, ClaimedRow[]>();
        for (const row of rows) {
          const q = queueOf(row);
          byQueue.set(q, [...(byQueue.get(q) ?? []), row]);
        }
        const options = outboundJobOptions(config);
        await withTimeout(
          Promise.all(
            [...byQueue].map(([q, list]) =>
              queues.get(q).addBulk(
                list.map((row) => ({
                  name: row.topic,
                  data: { outboxId: row.id, ...row.payload },
                  opts: { ...options, jobId: row.id },
                })),
              ),
            ),
          ),
          3000,
        );
        await em.execute(`update outbox set published_at = now(), attempts = attempts + 1, last_error = null where id in (?)`, [claimedIds]);
        jobOutcomes.inc({ queue: 'outbox', name: 'relay', outcome: 'published' }, rows.length);
        return rows.length;
      });
    } catch (e) {
      if (claimedIds.length) {
        await orm.em
          .fork()
          .execute(`update outbox set attempts = attempts + 1, last_error = ? where id in (?) and published_at is null`, [
            `not published: ${(e as Error).name}`,
            claimedIds,
          ])
          .catch(() => undefined);
      }
      throw e;
    }
  }
}
