import { Arg, Ctx, Field, ID, InputType, Mutation, ObjectType, Resolver } from 'type-graphql';
import { LockMode } from '@mikro-orm/core';
import { ArrayMaxSize, MaxLength } from 'class-validator';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Context } from '../../context.js';
import { inTransaction } from '../../db/transaction.js';
import { sql } from '../../db/sql.js';
import type { AuditedType } from '../audit/audit-trail.js';
import { isUuid, notFound, scope } from '../../permissions/scope.js';
import { AccessAction, CaseStatus } from '../common/enums.js';
import { BadInputError, ConflictError } from '../common/errors.js';
import { DateScalar } from '../common/scalars.js';
import * as v from '../common/validation.js';
import { Case } from '../case/case.entity.js';
import { Consent } from '../consent/consent.entity.js';
import { Referral } from '../referral/referral.entity.js';
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
    // Locked, so that an erasure committing meanwhile is seen (and not written over).
    const resident = await em.findOne(Resident, { $and: [{ id: input.residentId }, scope(ctx).residents()] }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!resident) throw notFound(ctx, 'Resident', input.residentId);
    refuseIfAnonymised(resident);
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
    } else {
      // Nothing changed, but the answer still holds the resident's data: a read, audited as one.
      ctx.audit.read('Resident', resident.id, resident.household.id);
    }
    return resident;
  });
}

/**
 * Erasure (AVG art. 17) within legal retention: while the household has an open case, or
 * one closed less than RETENTION_YEARS ago, the case file must be kept (Wmo) and the
 * resident is anonymised instead: names, BSN, phone and languages go; the birth year stays
 * for the statistics. Otherwise the resident is deleted; when they were the household's last
 * resident, its expired case files and the household go too.
 * Either way the resident's consents end, and the referrals about them lose the partner's copy
 * of who they are (the subject). Every object changed gets its UPDATE audit row. Erasing an
 * anonymised resident again changes nothing while the case must still be kept.
 */
export async function eraseResident(ctx: Context, residentId: string, now = new Date()): Promise<ErasureResult> {
  return inTransaction(ctx.em, async (em) => {
    if (!isUuid(residentId)) throw notFound(ctx, 'Resident', residentId);
    const resident = await em.findOne(Resident, { $and: [{ id: residentId }, scope(ctx).residents()] }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!resident) throw notFound(ctx, 'Resident', residentId);
    const household = resident.household;
    const cutoff = new Date(now);
    cutoff.setUTCFullYear(cutoff.getUTCFullYear() - RETENTION_YEARS);
    const retained = await em.count(Case, {
      household,
      // A closed case without a closing date (imported, legacy) counts as kept: unknown is not expired.
      $or: [{ status: { $ne: CaseStatus.CLOSED } }, { closedAt: { $gte: cutoff } }, { closedAt: null }],
    });
    // Anonymised before and still to be kept: nothing left to do. (Once the retention has run
    // out, a new request deletes, as for anyone else.)
    if (resident.anonymisedAt && retained > 0) {
      ctx.audit.read('Resident', resident.id, household.id);
      return { residentId, outcome: 'ANONYMISED', reason: `Already anonymised on ${resident.anonymisedAt.toISOString().slice(0, 10)}: nothing left to erase while the case must be kept.` };
    }
    const audit = (type: AuditedType, id: string, erasure: string) =>
      ctx.audit.writeInTransaction(em, AccessAction.UPDATE, type, id, household.id, { erasure });
    for (const consent of await em.find(Consent, { resident, revokedAt: null })) {
      consent.revokedAt = now;
      audit('Consent', consent.id, 'REVOKED');
    }
    const othersIdentifiable = await em.count(Resident, { household, id: { $ne: resident.id }, anonymisedAt: null });
    for (const r of await anonymiseReferralSubjects(em, resident, othersIdentifiable === 0)) {
      // Another team's referral (sent with the BSN, never matched) is audited under its own
      // household, if any: the resident's team must not learn from its access report that
      // another team had one.
      if (r.team_id === resident.team.id) audit('Referral', r.id, 'SUBJECT_ANONYMISED');
      else ctx.audit.writeInTransaction(em, AccessAction.UPDATE, 'Referral', r.id, r.household_id, { erasure: 'SUBJECT_ANONYMISED' });
    }
    if (retained > 0) {
      anonymise(resident, now);
      audit('Resident', resident.id, 'ANONYMISED');
      if (await anonymiseHouseholdIfEmpty(em, household.id, now)) audit('Household', household.id, 'ANONYMISED');
      return {
        residentId,
        outcome: 'ANONYMISED',
        reason: `The household has a case that must be kept for ${RETENTION_YEARS} years after closing (Wmo): personal data were anonymised.`,
      };
    }
    // What stays of the household's file no longer points at the deleted resident.
    for (const [type, table] of UNLINKED_ON_DELETE) {
      const unlinked = await sql<{ id: string }>(em, `update ${table} set resident_id = null where resident_id = ? returning id`, [resident.id]);
      for (const { id } of unlinked) audit(type, id, 'UNLINKED');
    }
    await em.flush();
    await em.nativeDelete(Consent, { resident });
    audit('Resident', resident.id, 'DELETED');
    em.remove(resident);
    await em.flush();
    const left = await em.count(Resident, { household });
    if (left === 0) {
      // Nobody is left whom the household's file concerns, and none of its cases has to be kept
      // (else this would have anonymised): the expired case files go with the last resident.
      for (const { id } of await deleteExpiredCaseFiles(em, household.id)) audit('Case', id, 'DELETED');
      await em.nativeUpdate(Referral, { household }, { household: null });
      await em.nativeDelete(Household, { id: household.id });
      audit('Household', household.id, 'DELETED');
    } else if (await anonymiseHouseholdIfEmpty(em, household.id, now)) {
      audit('Household', household.id, 'ANONYMISED');
    }
    return { residentId, outcome: 'DELETED', reason: 'No case of this household has to be kept any more: the data were deleted.' };
  });
}

/** The objects that keep a resident's id and outlive the resident's deletion: type and table. */
const UNLINKED_ON_DELETE = [
  ['ZrmAssessment', 'zrm_assessment'],
  ['Referral', 'referral'],
  ['InformalCareRequest', 'informal_care_request'],
] as const satisfies readonly (readonly [AuditedType, string])[];

/**
 * An anonymised resident stays anonymous: writing a name, phone or BSN back, or a consent that
 * would disclose to a partner again, would undo the erasure.
 */
export function refuseIfAnonymised(r: Resident): void {
  if (r.anonymisedAt) throw new ConflictError('This resident was anonymised on an erasure request: their data cannot be written again.');
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

/**
 * The referrals about the resident keep the partner's copy of the subject (name, birth date,
 * address, phone, BSN): it goes as the resident's own data do; the birth year and postcode
 * area stay for routing and statistics. "About the resident": matched to them; sent with their
 * BSN but never matched (in any team: a referral moves with the household it is linked to);
 * linked by hand to their household under their name and birth date; and, when nobody
 * identifiable is left in the household (`wholeHousehold`), every referral linked to it.
 * Returns the referrals changed.
 */
async function anonymiseReferralSubjects(em: EntityManager, resident: Resident, wholeHousehold: boolean): Promise<{ id: string; team_id: string; household_id: string | null }[]> {
  return sql<{ id: string; team_id: string; household_id: string | null }>(
    em,
    `update referral set
       subject_given_name = ?, subject_family_name = ?,
       subject_birth_date = date_trunc('year', subject_birth_date)::date,
       subject_postcode = left(subject_postcode, 4) || 'XX', subject_house_number = '-',
       subject_phone = null, subject_bsn_encrypted = null, subject_bsn_hash = null,
       version = version + 1
     where (resident_id = ?
        or (resident_id is null and subject_bsn_hash = ?)
        or (resident_id is null and household_id = ? and subject_birth_date = ?
            and lower(subject_given_name) = lower(?) and lower(subject_family_name) = lower(?))
        or (household_id = ? and ?::boolean))
       -- Already anonymised: nothing changes, so no new version or audit row.
       and not (subject_given_name = ? and subject_family_name = ? and subject_bsn_hash is null and subject_phone is null)
     returning id, team_id, household_id`,
    [
      ANONYMISED, ANONYMISED, resident.id, resident.bsnHash ?? null,
      // An anonymised resident's names are placeholders: they would match other anonymised subjects.
      resident.household.id, resident.anonymisedAt ? null : resident.birthDate, resident.givenName, resident.familyName,
      resident.household.id, wholeHousehold, ANONYMISED, ANONYMISED,
    ],
  );
}

/**
 * Deletes the household's cases with everything that hangs off them (notes, goals, ZRM,
 * allocations, worker-change and flex records, informal-care requests, discussions, matches and
 * check-ins). Only for a household none of whose cases must be kept any more. The
 * referrals stay, without their case and with their subject already anonymised (the partner's
 * record of what it sent); the report's rollups follow through their triggers. Returns the
 * cases deleted.
 */
async function deleteExpiredCaseFiles(em: EntityManager, householdId: string): Promise<{ id: string }[]> {
  const cases = await sql<{ id: string }>(em, 'select id from "case" where household_id = ?', [householdId]);
  if (!cases.length) return [];
  const ids = [cases.map((c) => c.id)];
  const requests = 'select id from informal_care_request where case_id = any(?::uuid[])';
  await sql(em, `delete from match_check_in where match_id in (select id from volunteer_match where request_id in (${requests}))`, ids);
  await sql(em, `delete from volunteer_match where request_id in (${requests})`, ids);
  for (const table of ['informal_care_request', 'case_discussion', 'flex_assignment', 'zrm_assessment', 'worker_change_request', 'care_allocation', 'case_note', 'goal']) {
    await sql(em, `delete from ${table} where case_id = any(?::uuid[])`, ids);
  }
  // Complaints and compliments outlive the case (their own record of the team's service, and
  // the report's figures of their quarter): they only lose the link, as the foreign key says.
  await sql(em, 'update feedback set case_id = null where case_id = any(?::uuid[])', ids);
  await sql(em, 'update referral set case_id = null where case_id = any(?::uuid[])', ids);
  await sql(em, 'delete from "case" where id = any(?::uuid[])', ids);
  return cases;
}

/**
 * When nobody identifiable is left, the address goes too; the postcode area stays for routing
 * and statistics. Whether it did.
 */
async function anonymiseHouseholdIfEmpty(em: EntityManager, householdId: string, now: Date): Promise<boolean> {
  await em.flush();
  const identifiable = await em.count(Resident, { household: householdId, anonymisedAt: null });
  if (identifiable > 0) return false;
  const household = await em.findOneOrFail(Household, householdId);
  if (household.anonymisedAt) return false;
  household.street = ANONYMISED;
  household.houseNumber = '-';
  household.houseNumberAddition = null;
  household.postcode = `${household.postcode.slice(0, 4)}XX`;
  household.anonymisedAt = now;
  return true;
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
