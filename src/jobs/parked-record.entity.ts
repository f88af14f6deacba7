import { randomUUID } from 'node:crypto';
import { Entity, Index, OptionalProps, PrimaryKey, Property, Unique } from '@mikro-orm/core';

/**
 * A partner record the hub could not take in (schema violation, unknown sender, no team for
 * the area). The sync goes on without it. The reason names fields and rules only — never
 * values — and the record itself is not kept: the partner corrects and resends it.
 */
@Entity({ tableName: 'parked_record' })
@Unique({ properties: ['partner', 'externalId'] })
@Index({ properties: ['partner', 'parkedAt'] })
export class ParkedRecord {
  [OptionalProps]?: 'id' | 'occurrences' | 'parkedAt' | 'lastSeenAt';

  @PrimaryKey({ type: 'uuid' })
  id: string = randomUUID();

  @Property({ type: 'string', length: 32 })
  partner!: string;

  @Property({ type: 'string', length: 200, nullable: true })
  externalId?: string | null;

  @Property({ type: 'text' })
  reason!: string;

  @Property({ type: 'integer', default: 1 })
  occurrences: number = 1;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  parkedAt: Date = new Date();

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  lastSeenAt: Date = new Date();
}
