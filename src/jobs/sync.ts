/**
 * Polling a partner system since the stored cursor (SyncState). One poll at a time per
 * partner (a lease in sync_state; the BullMQ job scheduler already fires once per interval
 * cluster-wide). Each record is validated and taken in on its own (upsert by
 * (organisation, externalId)): a malformed record is parked with a reason that names fields,
 * never values, and the sync goes on. The cursor advances after each page, so a restart
 * resumes where it left off; a record seen again (duplicates, a crash before the cursor
 * moved) is recognised and not imported twice.
 */
import { createHash } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Config } from '../config.js';
import type { Orm } from '../db/database.js';
import { sqlStateOf } from '../db/transaction.js';
import type { Logger } from '../logger.js';
import { PartnerError } from '../../integrations/http.js';
import { HuisartsClient } from '../../integrations/huisarts/client.js';
import { mapServiceRequest } from '../../integrations/huisarts/mapper.js';
import { CorporationClient } from '../../integrations/corporation/client.js';
import { mapSignal } from '../../integrations/corporation/mapper.js';
import { AuditTrail } from '../modules/audit/audit-trail.js';
import { OrganisationKind } from '../modules/common/enums.js';
import { BadInputError, DomainError } from '../modules/common/errors.js';
import { Organisation } from '../modules/organisation/organisation.entity.js';
import { partnerViewer } from '../permissions/viewer.js';
import { intakeReferral, normaliseSubmission, type ReferralSubmissionInput } from '../modules/referral/referral-intake.js';
import { cancelFromPartner } from '../modules/referral/referral.service.js';
import { jobOutcomes } from './metrics.js';
import type { Partner } from './queues.js';

export interface SyncDeps {
  orm: Orm;
  config: Config;
  log: Logger;
  huisarts: HuisartsClient | null;
  corporation: CorporationClient | null;
}

export interface PollResult {
  skipped?: 'locked' | 'paused' | 'not configured';
  pages: number;
  imported: number;
  duplicates: number;
  parked: number;
  cancelled: number;
}

/** A reason without values: field and rule, digits masked (a postcode area, an amount). */
function safeReason(e: unknown): string {
  if (e instanceof BadInputError) return `${e.field}: ${e.message.slice(e.field.length + 2).replace(/\d+/g, '#')}`;
  if (e instanceof DomainError) return `${e.code}: ${e.message.replace(/\d+/g, '#')}`;
  return (e as Error).name;
}

/** How far ahead of ours a partner's clock may run before its stamps stop moving the cursor. */
const CLOCK_SKEW_MS = 5 * 60_000;

const isDataException = (e: unknown) => sqlStateOf(e).startsWith('22');

/**
 * The id a parked record is kept under. One the intake would refuse (a NUL, a megabyte) is not
 * stored as sent — the insert itself must not fail — but as a digest, so that the same record
 * parked again on every poll stays one row.
 */
export function parkedId(externalId: string | null): string | null {
  if (externalId === null || /^[\w.:/-]{1,100}$/.test(externalId)) return externalId;
  return `sha256:${createHash('sha256').update(externalId).digest('hex').slice(0, 32)}`;
}

async function park(em: EntityManager, partner: Partner, externalId: string | null, reason: string): Promise<void> {
  await em.execute(
    `insert into parked_record (id, partner, external_id, reason) values (gen_random_uuid(), ?, ?, ?)
     on conflict (partner, external_id) do update set reason = excluded.reason, occurrences = parked_record.occurrences + 1, last_seen_at = now()`,
    [partner, parkedId(externalId), reason.slice(0, 500)],
  );
}

/** Takes the lease; null when another poll holds it or the partner asked us to wait. */
async function claim(em: EntityManager, partner: Partner, leaseMs: number): Promise<{ cursor: string | null } | 'locked' | 'paused'> {
  await em.execute(`insert into sync_state (partner) values (?) on conflict do nothing`, [partner]);
  const rows = await em.execute<{ cursor: string | null }[]>(
    `update sync_state set locked_until = now() + (? || ' milliseconds')::interval, last_attempt_at = now()
      where partner = ? and (locked_until is null or locked_until < now()) and (paused_until is null or paused_until <= now())
      returning cursor`,
    [String(leaseMs), partner],
  );
  if (rows.length) return { cursor: rows[0]!.cursor };
  const [state] = await em.execute<{ paused: boolean }[]>(`select coalesce(paused_until > now(), false) as paused from sync_state where partner = ?`, [partner]);
  return state?.paused ? 'paused' : 'locked';
}

class Importer {
  readonly result: PollResult = { pages: 0, imported: 0, duplicates: 0, parked: 0, cancelled: 0 };
  private readonly orgs = new Map<string, Organisation | null>();
  /** Per sender: the records a poll takes in are the sender's doing, audited as its app's would be. */
  private readonly audits = new Map<string, AuditTrail>();
  private readonly requestId: string;

  constructor(
    private readonly deps: SyncDeps,
    private readonly partner: Partner,
    jobId: string,
  ) {
    this.requestId = `sync:${partner}:${jobId}`.slice(0, 64);
  }

  /**
   * The audit trail of what `sender` delivered: its CREATE and UPDATE rows name the sending
   * organisation (actor, role PARTNER_GP or PARTNER_CORPORATION, organisation), so a resident's
   * access report says who sent the referral, as for one submitted through the partner's app.
   */
  private auditFor(sender: Organisation): AuditTrail {
    let audit = this.audits.get(sender.id);
    if (!audit) {
      audit = new AuditTrail(partnerViewer(sender), this.requestId, 'REFERRAL_INTAKE');
      this.audits.set(sender.id, audit);
    }
    return audit;
  }

  em(): EntityManager {
    return this.deps.orm.em.fork();
  }

  async organisation(kind: OrganisationKind, by: { code?: string | null; agbCode?: string | null }): Promise<Organisation | null> {
    const key = `${by.code ?? ''}|${by.agbCode ?? ''}`;
    if (!this.orgs.has(key)) {
      const where = by.agbCode ? { agbCode: by.agbCode, kind } : { code: by.code ?? '', kind };
      // Exactly one, or the record is parked: a sender must never be a guess between two.
      const found = await this.em().find(Organisation, where, { limit: 2 });
      this.orgs.set(key, found.length === 1 ? found[0]! : null);
    }
    return this.orgs.get(key) ?? null;
  }

  async parkRecord(externalId: string | null, reason: string) {
    await park(this.em(), this.partner, externalId, reason);
    this.result.parked++;
    jobOutcomes.inc({ queue: this.partner, name: 'record', outcome: 'parked' });
  }

  async take(sender: Organisation, input: ReferralSubmissionInput) {
    let submission;
    try {
      submission = normaliseSubmission(sender, input, this.deps.config.BSN_KEY);
      const { created } = await intakeReferral(this.em(), sender, submission, this.auditFor(sender), this.partner);
      if (created) this.result.imported++;
      else this.result.duplicates++;
      jobOutcomes.inc({ queue: this.partner, name: 'record', outcome: created ? 'imported' : 'duplicate' });
    } catch (e) {
      if (e instanceof DomainError) return this.parkRecord(input.externalId, safeReason(e));
      // PostgreSQL refused one of the record's values (SQLSTATE class 22, "data exception": a
      // character it cannot store, a number out of range): that record will never go in, and
      // rethrowing would fail every poll on it, pinning the cursor. Anything else (the database
      // unreachable, a deadlock) may pass: it is rethrown and the poll tries the page again.
      if (isDataException(e)) return this.parkRecord(input.externalId, `value refused by the database (${safeReason(e)} ${sqlStateOf(e)})`);
      throw e;
    }
  }

  async cancel(sender: Organisation, externalId: string) {
    if (await cancelFromPartner(this.em(), sender.id, externalId, this.auditFor(sender))) this.result.cancelled++;
  }
}

async function pollHuisarts(deps: SyncDeps, imp: Importer, cursor: string | null, save: (c: string | null) => Promise<void>) {
  const client = deps.huisarts!;
  let url: string | null = client.firstPageUrl(cursor, deps.config.POLL_PAGE_SIZE);
  let current = cursor;
  while (url && imp.result.pages < deps.config.POLL_MAX_PAGES) {
    const page = await client.fetchPage(url);
    imp.result.pages++;
    for (const raw of page.resources) {
      const m = mapServiceRequest(raw);
      if (!m.ok) await imp.parkRecord(m.externalId, m.reason);
      else {
        const sender = await imp.organisation(OrganisationKind.GP_PRACTICE, { agbCode: m.requester.agbCode, code: m.requester.organisationCode });
        if (!sender) await imp.parkRecord(m.externalId, 'requester: unknown GP practice (AGB or organisation code)');
        else if (m.revoked) await imp.cancel(sender, m.externalId);
        else await imp.take(sender, m.submission);
      }
      // A stamp in the future (the partner's clock, or a bad record) does not move the cursor:
      // it would skip every record updated until then. Such a record comes again next poll,
      // and taking it again changes nothing.
      const lu = m.lastUpdated;
      if (lu && Date.parse(lu) <= Date.now() + CLOCK_SKEW_MS && (!current || Date.parse(lu) > Date.parse(current))) current = lu;
    }
    await save(current);
    url = page.next;
  }
}

async function pollCorporation(deps: SyncDeps, imp: Importer, cursor: string | null, save: (c: string | null) => Promise<void>) {
  const client = deps.corporation!;
  let since = cursor;
  for (;;) {
    if (imp.result.pages >= deps.config.POLL_MAX_PAGES) break;
    const page = await client.fetchSignals(since, deps.config.POLL_PAGE_SIZE);
    imp.result.pages++;
    for (const raw of page.signals) {
      const m = mapSignal(raw);
      if (!m.ok) await imp.parkRecord(m.externalId, m.reason);
      else {
        const sender = await imp.organisation(OrganisationKind.HOUSING_CORPORATION, { code: m.corporationCode });
        if (!sender) await imp.parkRecord(m.externalId, 'corporation: unknown housing corporation code');
        else await imp.take(sender, m.submission);
      }
    }
    if (page.nextCursor !== null) since = page.nextCursor;
    await save(since);
    if (!page.hasMore || page.signals.length === 0) break;
  }
}

/** One poll of one partner system. Throws PartnerError when the partner fails (the next tick tries again). */
export async function pollPartner(deps: SyncDeps, partner: Partner, jobId: string): Promise<PollResult> {
  const empty: PollResult = { pages: 0, imported: 0, duplicates: 0, parked: 0, cancelled: 0 };
  if ((partner === 'huisarts' && !deps.huisarts) || (partner === 'corporation' && !deps.corporation)) {
    return { ...empty, skipped: 'not configured' };
  }
  const em = deps.orm.em.fork();
  const leaseMs = Math.max(60_000, deps.config.PARTNER_TIMEOUT_MS * (deps.config.POLL_MAX_PAGES + 1));
  const claimed = await claim(em, partner, leaseMs);
  if (claimed === 'locked' || claimed === 'paused') return { ...empty, skipped: claimed };
  const imp = new Importer(deps, partner, jobId);
  let imported = 0;
  let parked = 0;
  const save = async (cursor: string | null) => {
    await em.execute(
      `update sync_state set cursor = ?, imported_total = imported_total + ?, parked_total = parked_total + ?, updated_at = now() where partner = ?`,
      [cursor, imp.result.imported - imported, imp.result.parked - parked, partner],
    );
    imported = imp.result.imported;
    parked = imp.result.parked;
  };
  try {
    if (partner === 'huisarts') await pollHuisarts(deps, imp, claimed.cursor, save);
    else await pollCorporation(deps, imp, claimed.cursor, save);
    await em.execute(
      `update sync_state set last_success_at = now(), last_error = null, locked_until = null, paused_until = null, updated_at = now() where partner = ?`,
      [partner],
    );
    return imp.result;
  } catch (e) {
    const reason = e instanceof PartnerError ? e.message : safeReason(e);
    const pauseMs = e instanceof PartnerError && e.retryAfterMs ? e.retryAfterMs : 0;
    await em.execute(
      `update sync_state set last_error = ?, locked_until = null, updated_at = now(),
         paused_until = case when ? > 0 then now() + (? || ' milliseconds')::interval else null end
       where partner = ?`,
      [reason, pauseMs, String(pauseMs), partner],
    );
    throw e;
  }
}
