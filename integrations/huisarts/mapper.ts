/** ServiceRequest → referral submission; referral status → Task status. */
import { ReferralKind, ReferralStatus, Urgency } from '../../src/modules/common/enums.js';
import type { ReferralSubmissionInput } from '../../src/modules/referral/referral-intake.js';
import { describeIssues } from '../http.js';
import {
  AGB_SYSTEM,
  BSN_SYSTEM,
  CONSENT_EXTENSION,
  HOUSE_NUMBER_EXTENSION,
  ORGANISATION_CODE_SYSTEM,
  PatientSchema,
  ServiceRequestSchema,
  type TaskStatus,
} from './schemas.js';

export interface Requester {
  agbCode: string | null;
  organisationCode: string | null;
}

export type MappedServiceRequest =
  | { ok: true; externalId: string; lastUpdated: string; requester: Requester; revoked: boolean; submission: ReferralSubmissionInput }
  | { ok: false; externalId: string | null; lastUpdated: string | null; reason: string };

const PRIORITY: Record<string, Urgency> = { routine: Urgency.ROUTINE, urgent: Urgency.SOON, asap: Urgency.URGENT, stat: Urgency.URGENT };

/** Whatever id and lastUpdated a (possibly malformed) record carries, for parking and the cursor. */
function peek(raw: unknown): { id: string | null; lastUpdated: string | null } {
  const r = (raw && typeof raw === 'object' ? raw : {}) as { id?: unknown; meta?: { lastUpdated?: unknown } };
  const id = typeof r.id === 'string' && /^[\w.:/-]{1,100}$/.test(r.id) ? r.id : null;
  const lu = r.meta && typeof r.meta.lastUpdated === 'string' && !Number.isNaN(Date.parse(r.meta.lastUpdated)) ? r.meta.lastUpdated : null;
  return { id, lastUpdated: lu };
}

export function mapServiceRequest(raw: unknown): MappedServiceRequest {
  const { id, lastUpdated } = peek(raw);
  const parsed = ServiceRequestSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, externalId: id, lastUpdated, reason: `schema: ${describeIssues(parsed.error.issues)}` };
  const sr = parsed.data;
  const ref = sr.subject.reference.replace(/^#/, '');
  const patientRaw = sr.contained.find((c) => (c as { resourceType?: string; id?: string })?.resourceType === 'Patient' && (c as { id?: string }).id === ref);
  const patient = PatientSchema.safeParse(patientRaw);
  if (!patient.success) return { ok: false, externalId: sr.id, lastUpdated, reason: `patient: ${describeIssues(patient.error.issues)}` };
  const p = patient.data;
  const address = p.address[0]!;
  const houseNumber =
    address.extension?.find((e) => e.url === HOUSE_NUMBER_EXTENSION)?.valueString ??
    /(\d+[\w-]*)\s*$/.exec(address.line?.[0] ?? '')?.[1] ??
    null;
  if (!houseNumber) return { ok: false, externalId: sr.id, lastUpdated, reason: 'patient.address: no house number' };
  const ident = sr.requester.identifier;
  return {
    ok: true,
    externalId: sr.id,
    lastUpdated: sr.meta.lastUpdated,
    revoked: sr.status === 'revoked' || sr.status === 'entered-in-error',
    requester: {
      agbCode: ident.system === AGB_SYSTEM ? ident.value : null,
      organisationCode: ident.system === ORGANISATION_CODE_SYSTEM ? ident.value : null,
    },
    submission: {
      externalId: sr.id,
      kind: ReferralKind.GP_REFERRAL,
      subject: {
        givenName: p.name[0]!.given.join(' '),
        familyName: p.name[0]!.family,
        birthDate: p.birthDate,
        postcode: address.postalCode,
        houseNumber,
        bsn: p.identifier?.find((i) => i.system === BSN_SYSTEM)?.value ?? null,
        phone: p.telecom?.find((t) => t.system === 'phone')?.value ?? null,
      },
      reason: sr.reasonCode.map((r) => r.text).join(' '),
      urgency: PRIORITY[sr.priority ?? 'routine'] ?? Urgency.ROUTINE,
      arrears: null,
      consentObtained: sr.extension?.find((e) => e.url === CONSENT_EXTENSION)?.valueBoolean ?? false,
    },
  };
}

/** DESIGN.md 5: the hub's referral status as the GP system's Task status. */
export function taskStatusFor(status: ReferralStatus): TaskStatus {
  switch (status) {
    case ReferralStatus.RECEIVED:
    case ReferralStatus.TRIAGED:
      return 'accepted';
    case ReferralStatus.CONTACT_ATTEMPTED:
    case ReferralStatus.IN_CARE:
      return 'in-progress';
    case ReferralStatus.CLOSED:
      return 'completed';
    case ReferralStatus.DECLINED:
    case ReferralStatus.NOT_REACHED:
      return 'rejected';
    case ReferralStatus.CANCELLED:
      return 'cancelled';
  }
}

export interface TaskContact {
  name: string;
  phone: string | null;
}

/**
 * The Task the hub PUTs: the bare status, plus the coordinator only when the caller checked
 * an active GP_TANDEM consent (`contact`).
 */
export function buildTask(referralId: string, externalId: string, status: ReferralStatus, updatedAt: Date, contact: TaskContact | null) {
  return {
    resourceType: 'Task',
    id: referralId,
    status: taskStatusFor(status),
    intent: 'order',
    basedOn: [{ reference: `ServiceRequest/${externalId}` }],
    lastModified: updatedAt.toISOString(),
    ...(contact
      ? {
          owner: {
            display: contact.name,
            ...(contact.phone ? { extension: [{ url: 'urn:voordeur:fhir:owner-phone', valueString: contact.phone }] } : {}),
          },
        }
      : {}),
  };
}
