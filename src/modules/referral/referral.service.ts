import { UniqueConstraintViolationException, type EntityManager, type FilterQuery } from '@mikro-orm/postgresql';
import type { AuditTrail } from '../audit/audit-trail.js';
import type { Context } from '../../context.js';
import { inTransaction } from '../../db/transaction.js';
import { assertTeamInScope, isUuid, notFound, requireViewer, scope } from '../../permissions/scope.js';
import { AccessAction, CaseStatus, ReferralStatus, Role } from '../common/enums.js';
import { BadInputError, ConflictError, ForbiddenError } from '../common/errors.js';
import * as v from '../common/validation.js';
import type { ConnectionShape } from '../common/connection.js';
import { keysetPage } from '../common/pagination.js';
import { Household } from '../household/household.entity.js';
import { Resident } from '../household/resident.entity.js';
import { Case } from '../case/case.entity.js';
import { ContactAttempt, Referral } from './referral.entity.js';
import type { ReferralFilter, SubmitReferralInput, TriageReferralInput } from './referral.inputs.js';
import { writeOutbox } from '../../jobs/outbox.js';
import { Organisation } from '../organisation/organisation.entity.js';
import { intakeReferral, normaliseSubmission, REFERRAL_STATUS_CHANGED } from './referral-intake.js';
import { moveReferralStatus, statusForCorporation } from './referral-status.js';

/** Referral status machine (DESIGN.md 3). CANCELLED is set by the sender only (issue 5). */
const NEXT: Record<ReferralStatus, readonly ReferralStatus[]> = {
  [ReferralStatus.RECEIVED]: [ReferralStatus.TRIAGED, ReferralStatus.CONTACT_ATTEMPTED, ReferralStatus.DECLINED],
  [ReferralStatus.TRIAGED]: [ReferralStatus.CONTACT_ATTEMPTED, ReferralStatus.IN_CARE, ReferralStatus.DECLINED],
  [ReferralStatus.CONTACT_ATTEMPTED]: [
    ReferralStatus.CONTACT_ATTEMPTED,
    ReferralStatus.IN_CARE,
    ReferralStatus.NOT_REACHED,
    ReferralStatus.DECLINED,
  ],
  [ReferralStatus.IN_CARE]: [ReferralStatus.CLOSED],
  [ReferralStatus.NOT_REACHED]: [ReferralStatus.CONTACT_ATTEMPTED, ReferralStatus.CLOSED],
  [ReferralStatus.DECLINED]: [ReferralStatus.CLOSED],
  [ReferralStatus.CLOSED]: [],
  [ReferralStatus.CANCELLED]: [],
};

/**
 * Referrals the viewer may see: a team's inbox (workers, leads, flex on their cases), or,
 * for a partner's app, exactly the referrals that organisation sent.
 */
function referralScope(ctx: Context): FilterQuery<Referral> {
  const viewer = requireViewer(ctx);
  if (viewer.kind === 'partner') return { from: viewer.organisationId! };
  return scope(ctx).referrals();
}

export async function referralById(ctx: Context, id: string): Promise<Referral> {
  if (!isUuid(id)) throw notFound(ctx, 'Referral', id);
  const referral = await ctx.em.findOne(Referral, { $and: [{ id }, referralScope(ctx)] });
  if (!referral) throw notFound(ctx, 'Referral', id);
  ctx.audit.read('Referral', referral.id, referral.household?.id ?? null);
  return referral;
}

export async function listReferrals(
  ctx: Context,
  filter: ReferralFilter | null | undefined,
  first: number | null | undefined,
  after: string | null | undefined,
): Promise<ConnectionShape<Referral>> {
  if (requireViewer(ctx).kind === 'partner' && filter?.teamId) {
    throw new BadInputError('filter.teamId', 'is for team inboxes; a partner sees the referrals it sent');
  }
  const conditions: FilterQuery<Referral>[] = [referralScope(ctx)];
  if (filter?.teamId) {
    assertTeamInScope(ctx, filter.teamId, 'filter.teamId');
    conditions.push({ team: filter.teamId });
  }
  if (filter?.status?.length) conditions.push({ status: { $in: statusesToFilter(ctx, filter.status) } });
  if (filter?.kind) conditions.push({ kind: filter.kind });
  const page = await keysetPage(ctx.em, Referral, { $and: conditions }, 'receivedAt', first, after);
  for (const { node } of page.edges) ctx.audit.read('Referral', node.id, node.household?.id ?? null);
  return page;
}

export async function triageReferral(ctx: Context, input: TriageReferralInput): Promise<Referral> {
  if (input.contactAttempt) v.notInFuture('contactAttempt.at', input.contactAttempt.at);
  return inTransaction(ctx.em, async (em) => {
    if (!isUuid(input.referralId)) throw notFound(ctx, 'Referral', input.referralId);
    const s = scope(ctx);
    const referral = await em.findOne(Referral, { $and: [{ id: input.referralId }, s.referrals()] });
    if (!referral) throw notFound(ctx, 'Referral', input.referralId);
    refuseIfFinal(referral);
    if (input.contactAttempt && input.contactAttempt.at < referral.receivedAt) {
      throw new BadInputError('contactAttempt.at', 'is before the referral was received');
    }
    if (input.status !== referral.status || input.status === ReferralStatus.CONTACT_ATTEMPTED) {
      if (!NEXT[referral.status].includes(input.status)) {
        throw new ConflictError(`Cannot move a referral from ${referral.status} to ${input.status}.`);
      }
    }
    if (input.status === ReferralStatus.CONTACT_ATTEMPTED && !input.contactAttempt) {
      throw new BadInputError('contactAttempt', 'is required to record CONTACT_ATTEMPTED');
    }
    const teamBefore = referral.team.id;
    const viewerTeams = requireViewer(ctx).teamIds;
    if (input.householdId) {
      if (!isUuid(input.householdId)) throw new BadInputError('householdId', 'is not a valid id');
      const household = await em.findOne(Household, { $and: [{ id: input.householdId }, s.households()] });
      if (!household) throw new BadInputError('householdId', 'no such household in your teams');
      // Another household with its case (caseId, checked below) is a re-link; without one, the
      // referral would hang between that household's team and its case's.
      if (!input.caseId && referral.case && referral.household && referral.household.id !== household.id) {
        throw new BadInputError('householdId', 'the referral is linked to a case of another household (give that household\'s case too)');
      }
      referral.household = household;
      // The referral goes where its subject is: linked to another team's household (by a worker
      // of both), it leaves the first team's inbox, which must not learn of that team's case.
      referral.team = household.team;
    }
    if (input.caseId) {
      if (!isUuid(input.caseId)) throw new BadInputError('caseId', 'is not a valid id');
      const c = await em.findOne(Case, { $and: [{ id: input.caseId }, s.cases()] });
      if (!c) throw new BadInputError('caseId', 'no such case in your teams');
      if (referral.household && referral.household.id !== c.household.id) {
        throw new BadInputError('caseId', 'the case belongs to another household than the referral');
      }
      referral.case = c;
      referral.household = c.household;
      referral.team = c.team;
    }
    // Moving a referral into another team hands its subject and reason to that team: only someone
    // who works in both may do it. A flex worker belongs to neither team of the cases assigned
    // to them, so they link within the referral's own team only.
    if (referral.team.id !== teamBefore && !(viewerTeams.has(teamBefore) && viewerTeams.has(referral.team.id))) {
      throw new BadInputError(input.caseId ? 'caseId' : 'householdId', input.caseId ? 'no such case in your teams' : 'no such household in your teams');
    }
    if (referral.resident && referral.household) {
      // Linked to another household than the matched resident's: that person is not who the
      // referral is about any more, and a partner's consent must not be read from them (a GP
      // would get the new case's coordinator on the strength of the old person's consent).
      const matched = await em.findOne(Resident, referral.resident.id);
      if (!matched || matched.household.id !== referral.household.id) referral.resident = null;
    }
    if (input.status === ReferralStatus.IN_CARE) {
      if (!referral.case) throw new BadInputError('caseId', 'IN_CARE needs the case the resident is in care with');
      const c = await em.findOne(Case, { $and: [{ id: referral.case.id }, s.cases()] });
      if (!c) throw new BadInputError('caseId', 'no such case in your teams');
      if (c.status === CaseStatus.CLOSED) throw new BadInputError('caseId', 'the case is closed: the resident is not in care there');
    }
    if (input.contactAttempt) {
      em.create(ContactAttempt, {
        referral,
        kind: input.contactAttempt.kind,
        at: input.contactAttempt.at,
        reached: input.contactAttempt.reached,
      });
    }
    const changed = moveReferralStatus(referral, input.status);
    ctx.audit.writeInTransaction(em, AccessAction.UPDATE, 'Referral', referral.id, referral.household?.id ?? null, {
      changed: ['status'],
    });
    // The sender's system hears of it through the outbox, committed with the change (DESIGN.md 5).
    if (changed) writeOutbox(em, REFERRAL_STATUS_CHANGED, { referralId: referral.id });
    return referral;
  });
}

/** A closed or withdrawn referral is final: no status, link or attempt changes any more. */
export function refuseIfFinal(referral: Referral): void {
  if (referral.status === ReferralStatus.CLOSED || referral.status === ReferralStatus.CANCELLED) {
    throw new ConflictError(`The referral is ${referral.status}: it can no longer be changed.`);
  }
}

/** Statuses from which the sender may still withdraw a referral. */
const CANCELLABLE: ReadonlySet<ReferralStatus> = new Set([
  ReferralStatus.RECEIVED,
  ReferralStatus.TRIAGED,
  ReferralStatus.CONTACT_ATTEMPTED,
  ReferralStatus.NOT_REACHED,
]);

/** The sender withdraws its referral. Other partners' referrals answer NOT_FOUND. */
export async function cancelReferral(ctx: Context, id: string, reason: string | null | undefined): Promise<Referral> {
  const viewer = requireViewer(ctx);
  const cancelReason = v.optionalText('reason', reason, 2000);
  return inTransaction(ctx.em, async (em) => {
    if (!isUuid(id) || viewer.kind !== 'partner') throw notFound(ctx, 'Referral', id);
    const referral = await em.findOne(Referral, { id, from: viewer.organisationId! });
    if (!referral) throw notFound(ctx, 'Referral', id);
    if (referral.status === ReferralStatus.CANCELLED) return referral;
    if (!CANCELLABLE.has(referral.status)) {
      // A corporation hears the folded status here too: the real one would say why it ended.
      const shown = viewer.role === Role.PARTNER_CORPORATION ? statusForCorporation(referral.status) : referral.status;
      throw new ConflictError(`A referral that is ${shown} can no longer be cancelled.`);
    }
    const changed = moveReferralStatus(referral, ReferralStatus.CANCELLED);
    referral.cancelReason = cancelReason;
    ctx.audit.writeInTransaction(em, AccessAction.UPDATE, 'Referral', referral.id, referral.household?.id ?? null, {
      changed: ['status'],
    });
    if (changed) writeOutbox(em, REFERRAL_STATUS_CHANGED, { referralId: referral.id });
    return referral;
  });
}

/**
 * The stored statuses a status filter selects. A corporation filters on what it sees: CLOSED
 * selects declined and cancelled signals too (else the filter would tell them apart), and a
 * status it never sees (TRIAGED, DECLINED, CANCELLED) is refused.
 */
function statusesToFilter(ctx: Context, asked: ReferralStatus[]): ReferralStatus[] {
  if (requireViewer(ctx).role !== Role.PARTNER_CORPORATION) return asked;
  const unknown = asked.filter((s) => !CORPORATION_STATUSES.includes(s));
  if (unknown.length) {
    throw new BadInputError('filter.status', `a housing corporation filters on the statuses it sees: ${CORPORATION_STATUSES.join(', ')}`);
  }
  return Object.values(ReferralStatus).filter((s) => asked.includes(statusForCorporation(s)));
}

/** The statuses a housing corporation sees: what the others fold onto. */
const CORPORATION_STATUSES: readonly ReferralStatus[] = [...new Set(Object.values(ReferralStatus).map(statusForCorporation))];

/**
 * Partner app: submit a referral (GP) or an arrears signal (corporation). Idempotent per
 * (organisation, externalId); the answer carries status fields only (the rules see to it).
 */
export async function submitReferral(ctx: Context, input: SubmitReferralInput): Promise<Referral> {
  const viewer = requireViewer(ctx);
  if (viewer.kind !== 'partner' || !viewer.organisationId) throw new ForbiddenError('Only partner apps submit referrals.');
  const sender = await ctx.em.findOneOrFail(Organisation, viewer.organisationId);
  const submission = normaliseSubmission(sender, input, ctx.config.BSN_KEY);
  try {
    const { referral } = await intakeReferral(ctx.em, sender, submission, ctx.audit);
    return referral;
  } catch (e) {
    if (e instanceof UniqueConstraintViolationException) throw new ConflictError('A different referral was already submitted under this externalId.');
    throw e;
  }
}

/**
 * The sender's own system withdrew a referral (a revoked ServiceRequest): the same rules as
 * `cancelReferral`, for the sync jobs (no request context). Returns whether it changed.
 */
export async function cancelFromPartner(em: EntityManager, senderId: string, externalId: string, audit: AuditTrail): Promise<boolean> {
  return em.transactional(async (tem) => {
    const referral = await tem.findOne(Referral, { from: senderId, externalId });
    if (!referral || !CANCELLABLE.has(referral.status)) return false;
    const changed = moveReferralStatus(referral, ReferralStatus.CANCELLED);
    referral.cancelReason = null;
    audit.writeInTransaction(tem, AccessAction.UPDATE, 'Referral', referral.id, referral.household?.id ?? null, { changed: ['status'] });
    if (changed) writeOutbox(tem, REFERRAL_STATUS_CHANGED, { referralId: referral.id });
    return true;
  });
}
