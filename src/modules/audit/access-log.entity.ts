import { Entity, Enum, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';
import { AccessAction, Role } from '../common/enums.js';

/**
 * NEN 7513-style audit row: one per object per request. Append-only: a trigger
 * in the migration rejects UPDATE and DELETE, even for a superuser.
 * Holds ids and names of actors, never personal data of residents.
 */
@Entity({ tableName: 'access_log' })
@Index({ properties: ['householdId', 'at'] })
export class AccessLog {
  [OptionalProps]?: 'at';

  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  at: Date = new Date();

  @Property({ type: 'uuid', nullable: true })
  actorId?: string | null;

  @Property({ type: 'string', length: 200, nullable: true })
  actorName?: string | null;

  @Enum({ items: () => Role, nullable: true })
  actorRole?: Role | null;

  @Property({ type: 'string', length: 200, nullable: true })
  organisation?: string | null;

  @Enum({ items: () => AccessAction })
  action!: AccessAction;

  @Property({ type: 'string', length: 64 })
  objectType!: string;

  @Property({ type: 'string', length: 64, nullable: true })
  objectId?: string | null;

  /** The household the object belongs to, where there is one: feeds accessReport. */
  @Property({ type: 'uuid', nullable: true })
  householdId?: string | null;

  @Property({ type: 'string', length: 64 })
  purpose!: string;

  @Property({ type: 'string', length: 64 })
  requestId!: string;

  /** Extra context without personal data (operation name, changed field names). */
  @Property({ type: 'json', nullable: true })
  detail?: Record<string, unknown> | null;
}

/** What left the hub for a partner, per resident (AVG art. 15 disclosure log). */
@Entity({ tableName: 'disclosure' })
@Index({ properties: ['residentId', 'at'] })
export class Disclosure {
  [OptionalProps]?: 'at';

  @PrimaryKey({ type: 'bigint', autoincrement: true })
  id!: string;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  at: Date = new Date();

  @Property({ type: 'uuid' })
  residentId!: string;

  @Property({ type: 'uuid' })
  recipientId!: string;

  @Property({ type: 'string', length: 64 })
  purpose!: string;

  /** Which fields were disclosed, e.g. "coordinator name and phone". */
  @Property({ type: 'string', length: 200 })
  what!: string;
}
