import { randomUUID } from 'node:crypto';
import { Entity, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * Transactional outbox: a domain change and the message it causes are written in the same
 * database transaction; a relay publishes unpublished rows to BullMQ with jobId = id.
 * Payloads carry ids only — never personal data (it would end up in Redis).
 */
@Entity({ tableName: 'outbox' })
@Index({ properties: ['publishedAt', 'createdAt'] })
export class OutboxMessage {
  [OptionalProps]?: 'id' | 'createdAt' | 'availableAt' | 'publishedAt' | 'attempts' | 'lastError';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  /** The job name / queue topic, e.g. "referral.status-changed". */
  @Property({ type: 'string', length: 100 })
  topic!: string;

  /** Ids only, e.g. { referralId }. */
  @Property({ type: 'json' })
  payload!: Record<string, string | number | boolean | null>;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();

  /** Not before this moment (delayed messages). */
  @Property({ type: 'datetime', defaultRaw: 'now()' })
  availableAt: Date = new Date();

  @Property({ type: 'datetime', nullable: true })
  publishedAt?: Date | null = null;

  @Property({ type: 'integer', default: 0 })
  attempts: number = 0;

  @Property({ type: 'text', nullable: true })
  lastError?: string | null = null;
}
