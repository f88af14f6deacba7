/**
 * The referral inbox: one intake path for both channels — a partner app's `submitReferral`
 * and the sync jobs that poll the partner systems (integrations/*). Validates and normalises
 * a submission, matches the subject to a known resident, routes it to a team, and creates
 * the referral with its outbox message in one transaction. Idempotent per
 * (organisation, externalId).
 */
import { createHmac } from 'node:crypto';
import { UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/postgresql';
import { writeOutbox } from '../../jobs/outbox.js';
import type { AuditTrail } from '../audit/audit-trail.js';
import { AccessAction, CaseStatus, OrganisationKind, ReferralKind, Urgency } from '../common/enums.js';
import { BadInputError, ConflictError, ForbiddenError } from '../common/errors.js';
import * as v from '../common/validation.js';
import { isValidDateString } from '../common/scalars.js';
import { encryptBsn, hashBsn, isValidBsn, normaliseBsn } from '../household/bsn.js';
import { Household } from '../household/household.entity.js';
import { Resident } from '../household/resident.entity.js';
import { Case } from '../case/case.entity.js';
import type { Organisation } from '../organisation/organisation.entity.js';
import { teamForPostcode } from '../team/team.service.js';
import { Team } from '../team/team.entity.js';
import { Referral, type PartnerSystem } from './referral.entity.js';

export const REFERRAL_STATUS_CHANGED = 'referral.status-changed';

/** A submission as a partner sends it (GraphQL input or mapped partner record). */
export interface ReferralSubmissionInput {
  externalId: string;
  kind: ReferralKind;
  subject: {
    givenName: string;
    familyName: string;
    birthDate?: string | null;
    postcode: string;
    houseNumber: string;
    bsn?: string | null;
    phone?: string | null;
  };
  reason?: string | null;
  urgency?: Urgency | null;
  arrears?: { amount: number; since: string; months?: number | null } | null;
  consentObtained: boolean;
}

/** Validated and normalised; the BSN only as ciphertext and keyed hash. */
export interface ReferralSubmission {
  externalId: string;
  kind: ReferralKind;
  givenName: string;
  familyName: string;
  birthDate: string | null;
  postcode: string;
  houseNumber: string;
  bsnHash: string | null;
  bsnEncrypted: string | null;
  phone: string | null;
  reason: string | null;
  urgency: Urgency | null;
  arrearsAmount: number | null;
  arrearsSince: string | null;
  arrearsMonths: number | null;
  consentObtained: boolean;
  /** Keyed digest of everything above but the BSN's ciphertext (submissionDigest of the entity). */
  digest: string;
}

const KIND_OF_SENDER: Partial<Record<OrganisationKind, ReferralKind>> = {
  [OrganisationKind.GP_PRACTICE]: ReferralKind.GP_REFERRAL,
  [OrganisationKind.HOUSING_CORPORATION]: ReferralKind.ARREARS_SIGNAL,
};

/**
 * Checks who may send what and normalises the fields. Errors name the field and the rule,
 * never the value (they also become the reasons of parked partner records).
 */
export function normaliseSubmission(sender: Organisation, input: ReferralSubmissionInput, bsnKey: string): ReferralSubmission {
  const allowed = KIND_OF_SENDER[sender.kind];
  if (!allowed) throw new ForbiddenError('Only GP practices and housing corporations send referrals.');
  if (input.kind !== allowed) {
    throw new ForbiddenError(
      allowed === ReferralKind.GP_REFERRAL ? 'A GP practice may send GP_REFERRAL only.' : 'A housing corporation may send ARREARS_SIGNAL only.',
    );
  }
  const gp = input.kind === ReferralKind.GP_REFERRAL;
  const externalId = v.text('externalId', input.externalId, { max: 100 });
  if (!/^[\w.:/-]+$/.test(externalId)) throw new BadInputError('externalId', 'may hold letters, digits and . _ - : / only');

  const s = input.subject;
  const givenName = v.text('subject.givenName', s.givenName, { max: 100 });
  const familyName = v.text('subject.familyName', s.familyName, { max: 100 });
  let birthDate: string | null = null;
  if (s.birthDate) {
    if (!isValidDateString(s.birthDate)) throw new BadInputError('subject.birthDate', 'must be a date YYYY-MM-DD');
    birthDate = v.pastDate('subject.birthDate', s.birthDate);
  } else if (gp) {
    throw new BadInputError('subject.birthDate', 'is required for a GP referral');
  }
  const postcode = v.normalisePostcode('subject.postcode', s.postcode);
  const houseNumber = v.houseNumber('subject.houseNumber', s.houseNumber);
  let bsnHash: string | null = null;
  let bsnEncrypted: string | null = null;
  if (s.bsn !== null && s.bsn !== undefined && s.bsn.trim() !== '') {
    const bsn = normaliseBsn(s.bsn.trim());
    if (!isValidBsn(bsn)) throw new BadInputError('subject.bsn', 'is not a valid BSN (elfproef)');
    bsnHash = hashBsn(bsn, bsnKey);
    bsnEncrypted = encryptBsn(bsn, bsnKey);
  }
  const phone = v.phone('subject.phone', s.phone);

  const reason = v.optionalText('reason', input.reason, 2000);
  if (gp && !reason) throw new BadInputError('reason', 'is required for a GP referral');
  if (!gp && input.urgency) throw new BadInputError('urgency', 'applies to GP referrals only');
  const urgency = gp ? (input.urgency ?? Urgency.ROUTINE) : null;

  let arrearsAmount: number | null = null;
  let arrearsSince: string | null = null;
  let arrearsMonths: number | null = null;
  if (gp && input.arrears) throw new BadInputError('arrears', 'applies to arrears signals only');
  if (!gp) {
    if (!input.arrears) throw new BadInputError('arrears', 'is required for an arrears signal');
    const a = input.arrears;
    if (!Number.isFinite(a.amount) || a.amount <= 0 || a.amount > 10_000_000) {
      throw new BadInputError('arrears.amount', 'must be a positive amount in euros');
    }
    arrearsAmount = Math.round(a.amount * 100) / 100;
    if (!isValidDateString(a.since)) throw new BadInputError('arrears.since', 'must be a date YYYY-MM-DD');
    arrearsSince = v.pastDate('arrears.since', a.since);
    arrearsMonths = a.months === null || a.months === undefined ? null : v.intInRange('arrears.months', a.months, 1, 120);
  }
  if (gp && input.consentObtained !== true) {
    throw new BadInputError('consentObtained', "a GP referral needs the resident's consent");
  }
  const consentObtained = input.consentObtained === true;
  // The ciphertext is left out: it is random per encryption; the BSN's keyed hash stands for it.
  const digest = createHmac('sha256', bsnKey)
    .update(JSON.stringify(['referral-submission', externalId, input.kind, givenName, familyName, birthDate, postcode, houseNumber, bsnHash, phone, reason, urgency, arrearsAmount, arrearsSince, arrearsMonths, consentObtained]))
    .digest('hex');
  return {
    externalId, kind: input.kind, givenName, familyName, birthDate, postcode, houseNumber, bsnHash, bsnEncrypted, phone,
    reason, urgency, arrearsAmount, arrearsSince, arrearsMonths, consentObtained, digest,
  };
}

/** Same submission as the stored referral? (the retry of an idempotent submit). */
function sameSubmission(r: Referral, s: ReferralSubmission): boolean {
  const amount = r.arrearsAmount === null || r.arrearsAmount === undefined ? null : Number(r.arrearsAmount);
  return (
    r.kind === s.kind &&
    r.subjectGivenName === s.givenName &&
    r.subjectFamilyName === s.familyName &&
    (r.subjectBirthDate ?? null) === s.birthDate &&
    r.subjectPostcode === s.postcode &&
    r.subjectHouseNumber === s.houseNumber &&
    (r.subjectBsnHash ?? null) === s.bsnHash &&
    (r.subjectPhone ?? null) === s.phone &&
    (r.reason ?? null) === s.reason &&
    (r.urgency ?? null) === s.urgency &&
    amount === s.arrearsAmount &&
    (r.arrearsSince ?? null) === s.arrearsSince &&
    (r.arrearsMonths ?? null) === s.arrearsMonths &&
    r.consentObtained === s.consentObtained
  );
}

interface Match {
  residentId: string;
  householdId: string;
  teamId: string;
}

/**
 * The resident the referral is about: by BSN hash, or by name + birth date + postcode +
 * house number (all must agree). Ambiguous answers count as no match, but for a BSN held by
 * several residents of whom exactly one is in care now.
 */
async function matchSubject(em: EntityManager, s: ReferralSubmission): Promise<Match | null> {
  const conn = em.getConnection();
  type Row = { resident_id: string; household_id: string; team_id: string; open: boolean };
  const select = `select distinct r.id as resident_id, r.household_id, h.team_id,
      exists (select 1 from "case" c where c.household_id = h.id and c.status <> 'CLOSED') as open
    from resident r join household h on h.id = r.household_id where r.anonymised_at is null and `;
  const one = (rows: Row[]): Match | null => {
    const [r] = rows;
    if (!r || rows.length !== 1) return null;
    return { residentId: r.resident_id, householdId: r.household_id, teamId: r.team_id };
  };
  if (s.bsnHash) {
    // A BSN registered twice (a typo, or a household another team also took on): the one
    // person of them in care now is who the referral is about; else it is no match.
    const rows = await conn.execute<Row[]>(`${select} r.bsn_hash = ?`, [s.bsnHash]);
    const match = one(rows) ?? one(rows.filter((r) => r.open));
    if (match) return match;
  }
  if (!s.birthDate) return null;
  const rows = await conn.execute<Row[]>(
    `${select} lower(r.given_name) = lower(?) and lower(r.family_name) = lower(?) and r.birth_date = ?
       and h.postcode = ?
       and lower(regexp_replace(h.house_number || coalesce(h.house_number_addition, ''), '[\\s-]', '', 'g'))
         = lower(regexp_replace(?, '[\\s-]', '', 'g'))`,
    [s.givenName, s.familyName, s.birthDate, s.postcode, s.houseNumber],
  );
  return one(rows);
}

export interface IntakeResult {
  referral: Referral;
  /** false: the same submission was already there (an idempotent retry or a duplicate record). */
  created: boolean;
  matched: boolean;
}

/**
 * Takes a normalised submission in: returns the existing referral for a retry of the same
 * payload, CONFLICT for a different payload under the same externalId, else creates the
 * referral (matched to a resident, or unmatched in the team that covers the postcode), its
 * audit row and its outbox message in one transaction.
 */
export async function intakeReferral(
  em: EntityManager,
  sender: Organisation,
  s: ReferralSubmission,
  audit: AuditTrail,
  /** The partner system whose poll delivers this submission; none for the sender's app. */
  partnerSystem: PartnerSystem | null = null,
): Promise<IntakeResult> {
  const existing = async (tem: EntityManager) => {
    const found = await tem.findOne(Referral, { from: sender.id, externalId: s.externalId });
    if (!found) return null;
    if (!(found.submissionDigest ? found.submissionDigest === s.digest : sameSubmission(found, s))) {
      throw new ConflictError('A different referral was already submitted under this externalId.');
    }
    if (partnerSystem && !found.partnerSystem) {
      // Submitted through the app first, and now the sender's own system has the same record
      // (the poll identified the sender): from here on its status goes to that system too.
      await tem.nativeUpdate(Referral, { id: found.id, partnerSystem: null }, { partnerSystem });
      found.partnerSystem = partnerSystem;
    }
    return { referral: found, created: false, matched: !!found.resident };
  };
  const before = await existing(em.fork());
  if (before) return before;
  try {
    return await em.transactional(async (tem) => {
      // A postcode no team covers is refused, known subject or not: refusing only an unknown
      // person's would tell any sender which BSNs the teams know — and accepting a known one at
      // their own address (a household a team took on outside its areas) would tell whoever
      // knows name, birth date and address that the person is a client. Such a household's
      // referrals reach its team another way (README, Partner integrations).
      const covering = await teamForPostcode(tem, s.postcode, 'subject.postcode');
      const match = await matchSubject(tem, s);
      const team = match ? tem.getReference(Team, match.teamId) : covering;
      const openCase = match ? await tem.findOne(Case, { household: match.householdId, status: { $ne: CaseStatus.CLOSED } }) : null;
      const now = new Date();
      const referral = tem.create(Referral, {
        kind: s.kind,
        externalId: s.externalId,
        from: sender,
        team,
        receivedAt: now,
        subjectGivenName: s.givenName,
        subjectFamilyName: s.familyName,
        subjectBirthDate: s.birthDate,
        subjectPostcode: s.postcode,
        subjectHouseNumber: s.houseNumber,
        subjectBsnEncrypted: s.bsnEncrypted,
        subjectBsnHash: s.bsnHash,
        subjectPhone: s.phone,
        reason: s.reason,
        urgency: s.urgency,
        arrearsAmount: s.arrearsAmount === null ? null : s.arrearsAmount.toFixed(2),
        arrearsSince: s.arrearsSince,
        arrearsMonths: s.arrearsMonths,
        consentObtained: s.consentObtained,
        household: match ? tem.getReference(Household, match.householdId) : null,
        resident: match ? tem.getReference(Resident, match.residentId) : null,
        case: openCase,
        partnerSystem,
        createdAt: now,
        updatedAt: now,
        statusShownAt: now,
        submissionDigest: s.digest,
      });
      audit.writeInTransaction(tem, AccessAction.CREATE, 'Referral', referral.id, match?.householdId ?? null, {
        kind: s.kind,
        matched: !!match,
      });
      writeOutbox(tem, REFERRAL_STATUS_CHANGED, { referralId: referral.id });
      return { referral, created: true, matched: !!match };
    });
  } catch (e) {
    // Two deliveries of the same submission at once: the loser reads the winner's row.
    if (e instanceof UniqueConstraintViolationException) {
      const after = await existing(em.fork());
      if (after) return after;
    }
    throw e;
  }
}
