/** Arrears signal → referral submission; referral status → folded status-only feedback. */
import { ReferralKind, type ReferralStatus } from '../../src/modules/common/enums.js';
import type { ReferralSubmissionInput } from '../../src/modules/referral/referral-intake.js';
import { statusForCorporation } from '../../src/modules/referral/referral-status.js';
import { describeIssues } from '../http.js';
import { SignalSchema } from './schemas.js';

export type MappedSignal =
  | { ok: true; externalId: string; corporationCode: string; submission: ReferralSubmissionInput }
  | { ok: false; externalId: string | null; reason: string };

export function mapSignal(raw: unknown): MappedSignal {
  const r = (raw && typeof raw === 'object' ? raw : {}) as { id?: unknown };
  const id = typeof r.id === 'string' && /^[\w.:/-]{1,100}$/.test(r.id) ? r.id : null;
  const parsed = SignalSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, externalId: id, reason: `schema: ${describeIssues(parsed.error.issues)}` };
  const s = parsed.data;
  return {
    ok: true,
    externalId: s.id,
    corporationCode: s.corporation,
    submission: {
      externalId: s.id,
      kind: ReferralKind.ARREARS_SIGNAL,
      subject: {
        givenName: s.tenant.givenName,
        familyName: s.tenant.familyName,
        birthDate: s.tenant.birthDate ?? null,
        postcode: s.tenant.postcode,
        houseNumber: s.tenant.houseNumber,
      },
      arrears: { amount: s.arrears.amount, since: s.arrears.since, months: s.arrears.months ?? null },
      consentObtained: s.consentObtained ?? false,
    },
  };
}

/** Status only, folded: the corporation never learns why. */
export function feedbackFor(status: ReferralStatus): { status: string } {
  return { status: statusForCorporation(status) };
}
