import type { FilterQuery } from '@mikro-orm/postgresql';
import type { Context } from '../../context.js';
import { inTransaction } from '../../db/transaction.js';
import { assertTeamInScope, isUuid, notFound, scopedTeamIds } from '../../permissions/scope.js';
import { AccessAction, ReferralStatus } from '../common/enums.js';
import { BadInputError, ConflictError } from '../common/errors.js';
import * as v from '../common/validation.js';
import type { ConnectionShape } from '../common/connection.js';
import { keysetPage } from '../common/pagination.js';
import { Household } from '../household/household.entity.js';
import { Case } from '../case/case.entity.js';
import { ContactAttempt, Referral } from './referral.entity.js';
import type { ReferralFilter, TriageReferralInput } from './referral.inputs.js';

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

export async function listTeamReferrals(
  ctx: Context,
  filter: ReferralFilter | null | undefined,
  first: number | null | undefined,
  after: string | null | undefined,
): Promise<ConnectionShape<Referral>> {
  let teamIds = scopedTeamIds(ctx);
  if (filter?.teamId) {
    assertTeamInScope(ctx, filter.teamId, 'filter.teamId');
    teamIds = [filter.teamId];
  }
  const where: FilterQuery<Referral> = { team: { $in: teamIds } };
  if (filter?.status?.length) where.status = { $in: filter.status };
  if (filter?.kind) where.kind = filter.kind;
  const page = await keysetPage(ctx.em, Referral, where, 'receivedAt', first, after);
  for (const { node } of page.edges) ctx.audit.read('Referral', node.id, node.household?.id ?? null);
  return page;
}

export async function triageReferral(ctx: Context, input: TriageReferralInput): Promise<Referral> {
  if (input.contactAttempt) v.notInFuture('contactAttempt.at', input.contactAttempt.at);
  return inTransaction(ctx.em, async (em) => {
    if (!isUuid(input.referralId)) throw notFound(ctx, 'Referral', input.referralId);
    const teams = scopedTeamIds(ctx);
    const referral = await em.findOne(Referral, { id: input.referralId, team: { $in: teams } });
    if (!referral) throw notFound(ctx, 'Referral', input.referralId);
    if (input.status !== referral.status || input.status === ReferralStatus.CONTACT_ATTEMPTED) {
      if (!NEXT[referral.status].includes(input.status)) {
        throw new ConflictError(`Cannot move a referral from ${referral.status} to ${input.status}.`);
      }
    }
    if (input.status === ReferralStatus.CONTACT_ATTEMPTED && !input.contactAttempt) {
      throw new BadInputError('contactAttempt', 'is required to record CONTACT_ATTEMPTED');
    }
    if (input.householdId) {
      if (!isUuid(input.householdId)) throw new BadInputError('householdId', 'is not a valid id');
      const household = await em.findOne(Household, { id: input.householdId, team: { $in: teams } });
      if (!household) throw new BadInputError('householdId', 'no such household in your teams');
      referral.household = household;
    }
    if (input.caseId) {
      if (!isUuid(input.caseId)) throw new BadInputError('caseId', 'is not a valid id');
      const c = await em.findOne(Case, { id: input.caseId, team: { $in: teams } });
      if (!c) throw new BadInputError('caseId', 'no such case in your teams');
      if (referral.household && referral.household.id !== c.household.id) {
        throw new BadInputError('caseId', 'the case belongs to another household than the referral');
      }
      referral.case = c;
      referral.household = c.household;
    }
    if (input.status === ReferralStatus.IN_CARE && !referral.case) {
      throw new BadInputError('caseId', 'IN_CARE needs the case the resident is in care with');
    }
    if (input.contactAttempt) {
      em.create(ContactAttempt, {
        referral,
        kind: input.contactAttempt.kind,
        at: input.contactAttempt.at,
        reached: input.contactAttempt.reached,
      });
    }
    referral.status = input.status;
    referral.updatedAt = new Date();
    ctx.audit.writeInTransaction(em, AccessAction.UPDATE, 'Referral', referral.id, referral.household?.id ?? null, {
      changed: ['status'],
    });
    return referral;
  });
}
