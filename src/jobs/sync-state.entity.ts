import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/**
 * Where the hub is in a partner system's feed: one row per partner system ("huisarts",
 * "corporation"). The cursor is the partner's own (a lastUpdated instant, a sequence
 * number); a restart resumes from it. `lockedUntil` is a lease so only one poll runs at a time.
 */
@Entity({ tableName: 'sync_state' })
export class SyncState {
  [OptionalProps]?: 'cursor' | 'lastSuccessAt' | 'lastAttemptAt' | 'lastError' | 'pausedUntil' | 'lockedUntil' | 'importedTotal' | 'parkedTotal' | 'updatedAt';

  @PrimaryKey({ type: 'string', length: 32 })
  partner!: string;

  @Property({ type: 'string', length: 200, nullable: true })
  cursor?: string | null = null;

  @Property({ type: 'datetime', nullable: true })
  lastSuccessAt?: Date | null = null;

  @Property({ type: 'datetime', nullable: true })
  lastAttemptAt?: Date | null = null;

  /** Without personal data: an HTTP status or an error class. */
  @Property({ type: 'text', nullable: true })
  lastError?: string | null = null;

  /** The partner asked us to wait (Retry-After): no poll before this moment. */
  @Property({ type: 'datetime', nullable: true })
  pausedUntil?: Date | null = null;

  @Property({ type: 'datetime', nullable: true })
  lockedUntil?: Date | null = null;

  @Property({ type: 'integer', default: 0 })
  importedTotal: number = 0;

  @Property({ type: 'integer', default: 0 })
  parkedTotal: number = 0;

  @Property({ type: 'datetime', defaultRaw: 'now()', onUpdate: () => new Date() })
  updatedAt: Date = new Date();
}
