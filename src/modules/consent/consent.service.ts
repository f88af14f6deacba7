import { Field, ID, InputType } from 'type-graphql';
import { LockMode, wrap } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../../context.js';
import { inTransaction } from '../../db/transaction.js';
import { isUuid, notFound, requireViewer, scope } from '../../permissions/scope.js';
import { AccessAction, ConsentPurpose, OrganisationKind } from '../common/enums.js';
import { BadInputError } from '../common/errors.js';
import * as v from '../common/validation.js';
import { Resident } from '../household/resident.entity.js';
import { refuseIfAnonymised } from '../household/residents-rights.js';
import { Organisation } from '../organisation/organisation.entity.js';
import { Staff } from '../staff/staff.entity.js';
import { Consent } from './consent.entity.js';

@InputType()
export class RecordConsentInput {
  @Field(() => ID)
  residentId!: string;

  @Field(() => ID, { description: 'The organisation that may receive data.' })
  recipientId!: string;

  @Field(() => ConsentPurpose)
  purpose!: ConsentPurpose;

  @Field(() => Date, { nullable: true, description: 'Defaults to now; not in the future.' })
  grantedAt?: Date | null;
}

/** Records consent; an identical active consent is returned as is (no duplicates). */
export async function recordConsent(ctx: Context, input: RecordConsentInput): Promise<Consent> {
  const viewer = requireViewer(ctx);
  const grantedAt = v.notInFuture('grantedAt', input.grantedAt ?? new Date());
  return inTransaction(ctx.em, async (em) => {
    if (!isUuid(input.residentId)) throw notFound(ctx, 'Resident', input.residentId);
    const resident = await em.findOne(Resident, { $and: [{ id: input.residentId }, scope(ctx).residents()] });
    if (!resident) throw notFound(ctx, 'Resident', input.residentId);
    if (!isUuid(input.recipientId)) throw new BadInputError('recipientId', 'is not a valid id');
    const recipient = await em.findOne(Organisation, input.recipientId);
    if (!recipient) throw new BadInputError('recipientId', 'no such organisation');
    return grantConsent(ctx, em, { residentId: resident.id, recipient, purpose: input.purpose, grantedAt, recordedBy: viewer.id });
  });
}

/** Which kinds of organisation a consent for each purpose can be given to. */
const RECIPIENT_KINDS: Record<ConsentPurpose, readonly OrganisationKind[]> = {
  [ConsentPurpose.GP_TANDEM]: [OrganisationKind.GP_PRACTICE],
  [ConsentPurpose.REFERRAL_FEEDBACK]: [OrganisationKind.GP_PRACTICE, OrganisationKind.HOUSING_CORPORATION],
  [ConsentPurpose.INFORMAL_CARE]: [OrganisationKind.INFORMAL_CARE],
  [ConsentPurpose.CARE_ALLOCATION]: [OrganisationKind.CARE_PROVIDER, OrganisationKind.MUNICIPALITY],
  [ConsentPurpose.OTHER]: Object.values(OrganisationKind),
};

/**
 * Records the resident's consent inside the caller's transaction (with its CREATE audit row);
 * an identical active consent is returned as is (no duplicates).
 */
export async function grantConsent(
  ctx: Context,
  em: EntityManager,
  c: { residentId: string; recipient: Organisation; purpose: ConsentPurpose; grantedAt: Date; recordedBy: string },
): Promise<Consent> {
  const { purpose, grantedAt } = c;
  // The resident row locked and read (again, if the caller had it), so that identical consents
  // recorded at once are not both created, and an erasure that committed meanwhile is seen.
  const resident = await em.findOne(Resident, c.residentId, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  if (!resident) throw notFound(ctx, 'Resident', c.residentId);
  refuseIfAnonymised(resident);
  // A caller may hand over a reference (the volunteer's organisation): its kind is needed here.
  const recipient = wrap(c.recipient).isInitialized() ? c.recipient : await em.findOneOrFail(Organisation, c.recipient.id);
  if (!RECIPIENT_KINDS[purpose].includes(recipient.kind)) {
    throw new BadInputError('recipientId', `a ${purpose} consent is for ${RECIPIENT_KINDS[purpose].join(' or ')} organisations, not for ${recipient.kind}`);
  }
  const existing = await em.findOne(Consent, { resident, recipient, purpose, revokedAt: null });
  if (existing) {
    // Not a change, but the existing consent is handed back (recordConsent answers with it): a read.
    ctx.audit.read('Consent', existing.id, resident.household.id);
    return existing;
  }
  const consent = em.create(Consent, { resident, team: resident.team, recipient, purpose, grantedAt, recordedBy: em.getReference(Staff, c.recordedBy) });
  ctx.audit.writeInTransaction(em, AccessAction.CREATE, 'Consent', consent.id, resident.household.id);
  return consent;
}

/** Revocation takes effect on the next request: every disclosure checks revokedAt at read time. */
export async function revokeConsent(ctx: Context, id: string): Promise<Consent> {
  return inTransaction(ctx.em, async (em) => {
    if (!isUuid(id)) throw notFound(ctx, 'Consent', id);
    const consent = await em.findOne(Consent, { $and: [{ id }, { resident: scope(ctx).residents() }] }, { populate: ['resident'] });
    if (!consent) throw notFound(ctx, 'Consent', id);
    if (!consent.revokedAt) {
      consent.revokedAt = new Date();
      ctx.audit.writeInTransaction(em, AccessAction.UPDATE, 'Consent', consent.id, consent.resident.household.id, {
        changed: ['revokedAt'],
      });
    } else {
      // Revoked before: nothing changes, but the answer holds the consent, so it is a read of it.
      ctx.audit.read('Consent', consent.id, consent.resident.household.id);
    }
    return consent;
  });
}
