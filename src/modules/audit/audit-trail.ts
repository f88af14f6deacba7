import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from '../../db/sql.js';
import { AccessAction } from '../common/enums.js';
import { AccessLog } from './access-log.entity.js';
import type { Viewer } from '../../permissions/viewer.js';

/** Object types whose access is personal data and therefore audited. */
export type AuditedType =
  | 'Household'
  | 'Resident'
  | 'Case'
  | 'CaseNote'
  | 'Goal'
  | 'ZrmAssessment'
  | 'CareAllocation'
  | 'Consent'
  | 'Referral'
  | 'Feedback'
  | 'WorkerChangeRequest'
  | 'AccessReport'
  | 'Team'
  | 'Operation'
  | 'InformalCareRequest'
  | 'VolunteerMatch'
  | 'FlexAssignment'
  | 'Volunteer'
  | 'CaseDiscussion'
  | 'MatchCheckIn'
  | 'Staff'
  | 'Organisation';

interface Entry {
  action: AccessAction;
  objectType: AuditedType;
  objectId: string | null;
  householdId: string | null;
  detail?: Record<string, unknown> | null;
}

/**
 * Collects the audit rows of one request: one row per (action, object), however many
 * fields were read. Reads and denials are written in one batched insert when the request
 * ends; writes go into the mutation's own transaction (writeInTransaction) so a change
 * and its audit row commit or roll back together.
 */
export class AuditTrail {
  private readonly pending = new Map<string, Entry>();
  /** READs already written by the statements that read the objects (`withReadInsert`), as `type:id`. */
  private readonly writtenReads = new Set<string>();
  private readStatements: Promise<void> = Promise.resolve();

  constructor(
    private readonly viewer: Viewer | null,
    readonly requestId: string,
    readonly purpose: string,
  ) {}

  read(objectType: AuditedType, objectId: string, householdId: string | null) {
    this.add({ action: AccessAction.READ, objectType, objectId, householdId });
  }

  denied(objectType: AuditedType, objectId: string | null, detail?: Record<string, unknown>) {
    this.add({ action: AccessAction.DENIED, objectType, objectId, householdId: null, detail });
  }

  export(objectType: AuditedType, objectId: string, householdId: string | null) {
    this.add({ action: AccessAction.EXPORT, objectType, objectId, householdId });
  }

  /** Persists a CREATE/UPDATE row through the transaction's EntityManager (flushed with the change). */
  writeInTransaction(
    em: EntityManager,
    action: AccessAction.CREATE | AccessAction.UPDATE,
    objectType: AuditedType,
    objectId: string,
    householdId: string | null,
    detail?: Record<string, unknown>,
  ) {
    em.persist(em.create(AccessLog, this.row({ action, objectType, objectId, householdId, detail })));
  }

  /**
   * For a read statement that writes its own audit READs in a data-modifying CTE (so they commit
   * with the read, and no separate insert is needed): `run` gets an `insert into access_log …
   * select` with this request's columns for the rows of `select` (`object_type`, `object_id`
   * text, `household_id` uuid; one row per object), and must report the objects it read with
   * `recordedReads` before it returns. Such statements of one request run one after another,
   * and each leaves out what an earlier one already wrote: one row per object per request.
   */
  async withReadInsert<T>(select: string, run: (insert: { sql: string; params: unknown[] }) => Promise<T>): Promise<T> {
    const previous = this.readStatements;
    let release!: () => void;
    this.readStatements = new Promise<void>((resolve) => (release = resolve));
    await previous;
    try {
      return await run({
        sql: `insert into access_log (at, actor_id, actor_name, actor_role, organisation, action, object_type, object_id, household_id, purpose, request_id, detail)
          select ?::timestamptz, ?::uuid, ?::text, ?::text, ?::text, 'READ', r.object_type, r.object_id, r.household_id, ?::text, ?::text, null
          from (${select}) as r where r.object_type || ':' || r.object_id <> all(?::text[])`,
        params: [...this.requestColumns(), [...this.writtenReads]],
      });
    } finally {
      release();
    }
  }

  /** These READ rows were written by a `withReadInsert` statement: the flush leaves them out. */
  recordedReads(objectType: AuditedType, objectIds: Iterable<string>) {
    for (const id of objectIds) {
      // Usually nothing is pending yet: the statement ran before the fields that read through loaders.
      if (this.pending.size) this.pending.delete(this.key({ action: AccessAction.READ, objectType, objectId: id, householdId: null }));
      this.writtenReads.add(`${objectType}:${id}`);
    }
  }

  get size() {
    return this.pending.size;
  }

  /** Writes the collected read/denial rows in one statement. Safe to call more than once. */
  async flush(em: EntityManager): Promise<void> {
    if (this.pending.size === 0) return;
    const entries = [...this.pending.values()];
    this.pending.clear();
    // One INSERT … SELECT: the request's columns as parameters, the rows as one JSON parameter
    // (the ORM's insertMany would format every value of every row into the SQL text).
    const rows = entries.map((e) => ({
      action: e.action,
      object_type: e.objectType,
      object_id: e.objectId,
      household_id: e.householdId,
      detail: e.detail ?? null,
    }));
    await sql(
      em,
      `insert into access_log (at, actor_id, actor_name, actor_role, organisation, action, object_type, object_id, household_id, purpose, request_id, detail)
       select ?::timestamptz, ?::uuid, ?, ?, ?, r.action, r.object_type, r.object_id, r.household_id, ?, ?, r.detail
       from json_to_recordset(?::json) as r(action text, object_type text, object_id text, household_id uuid, detail jsonb)`,
      [...this.requestColumns(), JSON.stringify(rows)],
    );
  }

  /** The columns every row of this request shares: at, actor id, name, role, organisation, purpose, request id. */
  private requestColumns(): unknown[] {
    const [at, purpose, requestId] = [new Date().toISOString(), this.purpose, this.requestId];
    return [at, this.viewer?.id ?? null, this.viewer?.name ?? null, this.viewer?.role ?? null, this.viewer?.organisationName ?? null, purpose, requestId];
  }

  private key(entry: Entry): string {
    return `${entry.action}:${entry.objectType}:${entry.objectId ?? ''}:${entry.objectId ? '' : JSON.stringify(entry.detail ?? null)}`;
  }

  private add(entry: Entry) {
    if (entry.action === AccessAction.READ && entry.objectId && this.writtenReads.has(`${entry.objectType}:${entry.objectId}`)) return;
    const key = this.key(entry);
    if (!this.pending.has(key)) this.pending.set(key, entry);
  }

  private row(e: Entry) {
    return {
      at: new Date(),
      actorId: this.viewer?.id ?? null,
      actorName: this.viewer?.name ?? null,
      actorRole: this.viewer?.role ?? null,
      organisation: this.viewer?.organisationName ?? null,
      action: e.action,
      objectType: e.objectType,
      objectId: e.objectId,
      householdId: e.householdId,
      purpose: this.purpose,
      requestId: this.requestId,
      detail: e.detail ?? null,
    };
  }
}
