import { ReferralKind, ReferralStatus } from '../common/enums.js';
import type { Referral } from './referral.entity.js';

/**
 * What a housing corporation may know of a referral's status: whether contact was
 * attempted, made or failed — never why (DECLINED and CANCELLED read as CLOSED).
 */
export function statusForCorporation(status: ReferralStatus): ReferralStatus {
  switch (status) {
    case ReferralStatus.RECEIVED:
    case ReferralStatus.TRIAGED:
      return ReferralStatus.RECEIVED;
    case ReferralStatus.CONTACT_ATTEMPTED:
    case ReferralStatus.IN_CARE:
    case ReferralStatus.NOT_REACHED:
    case ReferralStatus.CLOSED:
      return status;
    case ReferralStatus.DECLINED:
    case ReferralStatus.CANCELLED:
      return ReferralStatus.CLOSED;
  }
}

/** The status as the referral's sender sees it: arrears signals come from corporations, who see it folded. */
export function statusForSender(kind: ReferralKind, status: ReferralStatus): ReferralStatus {
  return kind === ReferralKind.ARREARS_SIGNAL ? statusForCorporation(status) : status;
}

/**
 * Moves a referral to `status`. The sender's date (`statusShownAt`, what partners read as
 * `updatedAt` and what the GP system gets as the Task's lastModified) moves only when the status
 * as the sender sees it changes: a date that moved with every hidden step (a triage the
 * corporation sees as RECEIVED, DECLINED then CLOSED, a household linked) would tell the sender
 * what the folded status hides. Returns whether the sender's status changed: only then is there
 * something to tell the sender's system (the caller writes the outbox message).
 */
export function moveReferralStatus(referral: Referral, status: ReferralStatus, now = new Date()): boolean {
  const shownChanged = statusForSender(referral.kind, referral.status) !== statusForSender(referral.kind, status);
  referral.status = status;
  referral.updatedAt = now;
  if (shownChanged) referral.statusShownAt = now;
  return shownChanged;
}
