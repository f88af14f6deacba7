/**
 * Outbound status pushes ("referral.status-changed"): reads the referral's current status at
 * send time (so a late retry never sends a stale status), checks consent at send time, and
 * calls the partner with Idempotency-Key = outbox id, so a retried job — after a crash, a
 * timeout, a stalled worker — has its effect at the partner exactly once.
 *
 * GP system: Task status; the coordinator (name, phone) only with the resident's active
 * GP_TANDEM consent for that practice, and then a Disclosure row is written.
 * Corporation: status only, folded (never why).
 * Only for referrals that came in from that partner system (`referral.partner_system`).
 */
import { UnrecoverableError } from 'bullmq';
import type { Orm } from '../db/database.js';
import { PartnerError } from '../../integrations/http.js';
import type { HuisartsClient } from '../../integrations/huisarts/client.js';
import { buildTask, type TaskContact } from '../../integrations/huisarts/mapper.js';
import type { CorporationClient } from '../../integrations/corporation/client.js';
import { feedbackFor } from '../../integrations/corporation/mapper.js';
import { AccessLog, Disclosure } from '../modules/audit/access-log.entity.js';
import { AccessAction, ConsentPurpose, type ReferralStatus } from '../modules/common/enums.js';
import { activeConsentSql } from '../modules/consent/consent.entity.js';
import type { Partner } from './queues.js';

export interface PushDeps {
  orm: Orm;
  huisarts: HuisartsClient | null;
  corporation: CorporationClient | null;
}

interface ReferralRow {
  id: string;
  external_id: string;
  status: ReferralStatus;
  status_shown_at: Date;
  from_id: string;
  resident_id: string | null;
  household_id: string | null;
  partner_system: Partner | null;
}

export type PushResult = { sent: Partner | 'nothing'; disclosed: boolean };

/** Partner errors that retrying cannot fix fail the job at once. */
function rethrow(e: unknown): never {
  if (e instanceof PartnerError && !e.retryable) throw new UnrecoverableError(e.message);
  throw e;
}

export async function pushReferralStatus(deps: PushDeps, partner: Partner, referralId: string, idempotencyKey: string): Promise<PushResult> {
  const em = deps.orm.em.fork();
  const [r] = await em.execute<ReferralRow[]>(
    `select r.id, r.external_id, r.status, r.status_shown_at, r.from_id, r.resident_id, r.partner_system, r.household_id
       from referral r where r.id = ?`,
    [referralId],
  );
  if (!r) return { sent: 'nothing', disclosed: false }; // erased since: nothing left to tell
  // Only to the system the referral came from: there its externalId is the sender's record; for
  // a referral submitted through the app it may be another sender's (the relay routes these to
  // the internal queue; this holds for jobs queued before a referral's origin was known).
  if (r.partner_system !== partner) return { sent: 'nothing', disclosed: false };
  if (partner === 'huisarts') {
    if (!deps.huisarts) throw new PartnerError('huisarts', 'huisarts: not configured', null, true);
    // Consent at send time: the same rule as the partner view (loaders.ts contactPersonOfReferral).
    const [contact] = await em.execute<(TaskContact & { resident_id: string; practice: string })[]>(
      `select s.name, s.phone, r.resident_id, o.name as practice
         from referral r
         join "case" c on c.id = r.case_id and c.status <> 'CLOSED'
         join staff s on s.id = c.coordinator_id
         join organisation o on o.id = r.from_id
        where r.id = ? and exists (
          select 1 from consent k
           where k.resident_id = r.resident_id and k.recipient_id = r.from_id and k.purpose = ?
             and ${activeConsentSql('k')})`,
      [r.id, ConsentPurpose.GP_TANDEM],
    );
    // lastModified: when the status last changed as the GP sees it, as in the graph (referral-status.ts).
    const task = buildTask(r.id, r.external_id, r.status, new Date(r.status_shown_at), contact ? { name: contact.name, phone: contact.phone } : null);
    await deps.huisarts.putTask(task, idempotencyKey).catch(rethrow);
    if (contact) {
      // What left the hub, twice over as in the graph (contactPerson): the disclosure for the
      // resident's consent and the EXPORT row of the audit trail, under the referral's household
      // so the resident's access report shows it. The job has no person behind it; the row
      // names the practice it went to and the outbox message (the request id).
      await em.transactional(async (tem) => {
        await tem.insert(Disclosure, {
          residentId: contact.resident_id,
          recipientId: r.from_id,
          purpose: ConsentPurpose.GP_TANDEM,
          what: 'coordinator name and phone (status push to the GP system)',
        });
        await tem.insert(AccessLog, {
          actorId: null,
          actorName: null,
          actorRole: null,
          organisation: contact.practice,
          action: AccessAction.EXPORT,
          objectType: 'Referral',
          objectId: r.id,
          householdId: r.household_id,
          purpose: ConsentPurpose.GP_TANDEM,
          requestId: idempotencyKey,
        });
      });
    }
    return { sent: 'huisarts', disclosed: !!contact };
  }
  if (partner === 'corporation') {
    if (!deps.corporation) throw new PartnerError('corporation', 'corporation: not configured', null, true);
    await deps.corporation.postFeedback(r.external_id, feedbackFor(r.status), idempotencyKey).catch(rethrow);
    return { sent: 'corporation', disclosed: false };
  }
  return { sent: 'nothing', disclosed: false };
}
