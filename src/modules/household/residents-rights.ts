import { Arg, Ctx, Field, ID, InputType, Mutation, ObjectType, Resolver } from 'type-graphql';
import { ArrayMaxSize, MaxLength } from 'class-validator';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../../context.js';
import { inTransaction } from '../../db/transaction.js';
import { isUuid, notFound, scope } from '../../permissions/scope.js';
import { AccessAction, CaseStatus } from '../common/enums.js';
import { BadInputError } from '../common/errors.js';
import { DateScalar } from '../common/scalars.js';
import * as v from '../common/validation.js';
import { Case } from '../case/case.entity.js';
import { ZrmAssessment } from '../case/zrm-assessment.entity.js';
import { Consent } from '../consent/consent.entity.js';
import { Referral } from '../referral/referral.entity.js';
import { InformalCareRequest } from '../informal-care/informal-care.entity.js';
import { Household } from './household.entity.js';
import { Resident } from './resident.entity.js';
import { encryptBsn, hashBsn, isValidBsn, normaliseBsn } from './bsn.js';

/** Wmo: case records are kept 15 years after the case closed. */
export const RETENTION_YEARS = 15;
export const ANONYMISED = 'Geanonimiseerd';

@InputType({ description: 'Correction of a resident\'s data (AVG art. 16); only the fields given change.' })
export class CorrectResidentInput {
  @Field(() => ID)
  residentId!: string;

  @Field(() => String, { nullable: true })
  @MaxLength(100)
  givenName?: string | null;

  @Field(() => String, { nullable: true })
  @MaxLength(100)
  familyName?: string | null;

  @Field(() => DateScalar, { nullable: true })
  birthDate?: string | null;

  @Field(() => String, { nullable: true, description: 'Empty string removes the phone number.' })
  @MaxLength(32)
  phone?: string | null;

  @Field(() => [String], { nullable: true })
  @ArrayMaxSize(20)
  languages?: string[] | null;

  @Field(() => String, { nullable: true, description: 'Validated with the elfproef; never returned.' })
  @MaxLength(12)
  bsn?: string | null;
}

@ObjectType({ description: 'What an erasure request did.' })
export class ErasureResult {
  @Field(() => ID)
  residentId!: string;

  @Field(() => String, { description: 'ANONYMISED (the case must be kept: Wmo, 15 years) or DELETED.' })
  outcome!: 'ANONYMISED' | 'DELETED';

  @Field(() => String)
  reason!: string;
}

/**
 * Correction: the audit row names the fields that changed, never their old or new values:
 * the log is append-only, so a value written there could never be erased (art. 17) and
 * would outlive the correction it was meant to undo.
 */
export async function correctResident(ctx: Context, input: CorrectResidentInput): Promise<Resident> {
  return inTransaction(ctx.em, async (em) => {
    if (!isUuid(input.residentId)) throw notFound(ctx, 'Resident', input.residentId);
    const resident = await em.findOne(Resident, { $and: [{ id: input.residentId }, scope(ctx).residents()] });
    if (!resident) throw notFound(ctx, 'Resident', input.residentId);
    const changed: string[] = [];
    const set = <K extends 'givenName' | 'familyName' | 'birthDate' | 'phone' | 'languages'>(key: K, value: Resident[K]) => {
      if (JSON.stringify(resident[key]) !== JSON.stringify(value)) {
        changed.push(key);
        resident[key] = value;
      }
    };
    if (input.givenName != null) set('givenName', v.text('givenName', input.givenName, { max: 100 }));
    if (input.familyName != null) set('familyName', v.text('familyName', input.familyName, { max: 100 }));
    if (input.birthDate != null) set('birthDate', v.pastDate('birthDate', input.birthDate));
    if (input.phone != null) set('phone', v.phone('phone', input.phone));
    if (input.languages != null) set('languages', v.languages('languages', input.languages));
    if (input.bsn != null && input.bsn.trim() !== '') {
      const bsn = normaliseBsn(input.bsn);
      if (!isValidBsn(bsn)) throw new BadInputError('bsn', 'is not a valid BSN (elfproef failed)');
      const hash = hashBsn(bsn, ctx.config.BSN_KEY);
      if (hash !== resident.bsnHash) {
        resident.bsnEncrypted = encryptBsn(bsn, ctx.config.BSN_KEY);
        resident.bsnHash = hash;
        resident.bsnLast4 = bsn.slice(-4);
        changed.push('bsn');
      }
    }
    if (changed.length) {
      ctx.audit.writeInTransaction(em, AccessAction.UPDATE, 'Resident', resident.id, resident.household.id, {
        correction: { changed },
      });
    }
    return resident;
  });
}

/**
 * Erasure (AVG art. 17) within legal retention: while the household has an open case, or
 * one closed less than RETENTION_YEARS ago, the case file must be kept (Wmo) and the
 * resident is anonymised instead: names, BSN, phone and languages go; the birth year stays
 * for the statistics. Otherwise the resident is deleted (and an empty household with it).
 */
export async function eraseResident(ctx: Context, residentId: string, now = new Date()): Promise<ErasureResult> {
  return inTransaction(ctx.em, async (em) => {
    if (!isUuid(residentId)) throw notFound(ctx, 'Resident', residentId);
    const resident = await em.findOne(Resident, { $and: [{ id: residentId }, scope(ctx).residents()] });
    if (!resident) throw notFound(ctx, 'Resident', residentId);
    const household = resident.household;
    const cutoff = new Date(now);
    cutoff.setUTCFullYear(cutoff.getUTCFullYear() - RETENTION_YEARS);
    const retained = await em.count(Case, {
      household,
      $or: [{ status: { $ne: CaseStatus.CLOSED } }, { closedAt: { $gte: cutoff } }],
    });
    await em.nativeUpdate(Consent, { resident, revokedAt: null }, { revokedAt: now });
    if (retained > 0) {
      anonymise(resident, now);
      await anonymiseHouseholdIfEmpty(em, household.id, now);
      ctx.audit.writeInTransaction(em, AccessAction.UPDATE, 'Resident', resident.id, household.id, { erasure: 'ANONYMISED' });
      return {
        residentId,
        outcome: 'ANONYMISED',
        reason: `The household has a case that must be kept for ${RETENTION_YEARS} years after closing (Wmo): personal data were anonymised.`,
      };
    }
    await em.nativeUpdate(ZrmAssessment, { resident }, { resident: null });
    await em.nativeUpdate(Referral, { resident }, { resident: null });
    await em.nativeUpdate(InformalCareRequest, { resident }, { resident: null });
    await em.nativeDelete(Consent, { resident });
    ctx.audit.writeInTransaction(em, AccessAction.UPDATE, 'Resident', resident.id, household.id, { erasure: 'DELETED' });
    em.remove(resident);
    await em.flush();
    const left = await em.count(Resident, { household });
    const cases = await em.count(Case, { household });
    if (left === 0 && cases === 0) {
      await em.nativeUpdate(Referral, { household }, { household: null });
      await em.nativeDelete(Household, { id: household.id });
    }
    return { residentId, outcome: 'DELETED', reason: 'No case of this household has to be kept any more: the data were deleted.' };
  });
}

function anonymise(r: Resident, now: Date) {
  r.givenName = ANONYMISED;
  r.familyName = ANONYMISED;
  r.birthDate = `${r.birthDate.slice(0, 4)}-01-01`;
  r.bsnEncrypted = null;
  r.bsnHash = null;
  r.bsnLast4 = null;
  r.phone = null;
  r.languages = [];
  r.anonymisedAt = now;
}

/** When nobody identifiable is left, the address goes too; the postcode area stays for routing and statistics. */
async function anonymiseHouseholdIfEmpty(em: EntityManager, householdId: string, now: Date) {
  await em.flush();
  const identifiable = await em.count(Resident, { household: householdId, anonymisedAt: null });
  if (identifiable > 0) return;
  const household = await em.findOneOrFail(Household, householdId);
  household.street = ANONYMISED;
  household.houseNumber = '-';
  household.houseNumberAddition = null;
  household.postcode = `${household.postcode.slice(0, 4)}XX`;
  household.anonymisedAt = now;
}

@Resolver()
export class ResidentsRightsResolver {
  @Mutation(() => Resident, { description: "Correct a resident's data (AVG art. 16); audited with the names of the changed fields, never their values." })
  correctResident(@Arg('input', () => CorrectResidentInput) input: CorrectResidentInput, @Ctx() ctx: Context) {
    return correctResident(ctx, input);
  }

  @Mutation(() => ErasureResult, {
    description: 'TEAM_LEAD: erasure request (AVG art. 17): anonymise where the Wmo requires keeping the case, delete otherwise.',
  })
  eraseResident(@Arg('residentId', () => ID) residentId: string, @Ctx() ctx: Context) {
    return eraseResident(ctx, residentId);
  }
}
