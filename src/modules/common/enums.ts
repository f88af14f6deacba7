import { registerEnumType } from 'type-graphql';

/** Enum values are the contract of DESIGN.md section 3: add values only with a reason. */
export enum Role {
  TEAM_WORKER = 'TEAM_WORKER',
  TEAM_LEAD = 'TEAM_LEAD',
  FLEX_WORKER = 'FLEX_WORKER',
  AMBASSADOR = 'AMBASSADOR',
  VOLUNTEER = 'VOLUNTEER',
  PARTNER_GP = 'PARTNER_GP',
  PARTNER_CORPORATION = 'PARTNER_CORPORATION',
  ANALYST = 'ANALYST',
  ADMIN = 'ADMIN',
}
export enum TeamKind { SOCIAL = 'SOCIAL', YOUTH = 'YOUTH' }
export enum OrganisationKind {
  GP_PRACTICE = 'GP_PRACTICE',
  HOUSING_CORPORATION = 'HOUSING_CORPORATION',
  CARE_PROVIDER = 'CARE_PROVIDER',
  INFORMAL_CARE = 'INFORMAL_CARE',
  MUNICIPALITY = 'MUNICIPALITY',
}
export enum HouseholdRelation { HEAD = 'HEAD', PARTNER = 'PARTNER', CHILD = 'CHILD', OTHER = 'OTHER' }
export enum CaseStatus { REGISTERED = 'REGISTERED', INTAKE = 'INTAKE', ACTIVE = 'ACTIVE', CLOSED = 'CLOSED' }
export enum ReferralSource {
  SELF = 'SELF',
  GP = 'GP',
  HOUSING_CORPORATION = 'HOUSING_CORPORATION',
  CARE_PROVIDER = 'CARE_PROVIDER',
  SCHOOL = 'SCHOOL',
  POLICE = 'POLICE',
  MUNICIPALITY = 'MUNICIPALITY',
  OTHER = 'OTHER',
}
export enum ClosureReason {
  AS_PLANNED = 'AS_PLANNED',
  EARLY_BY_AGREEMENT = 'EARLY_BY_AGREEMENT',
  ENDED_BY_TEAM = 'ENDED_BY_TEAM',
  ENDED_BY_CLIENT = 'ENDED_BY_CLIENT',
  EXTERNAL = 'EXTERNAL',
}
export enum GoalStatus { OPEN = 'OPEN', ACHIEVED = 'ACHIEVED', DROPPED = 'DROPPED' }
export enum ZrmVersion { ZRM_2015 = 'ZRM_2015', ZRM_2017 = 'ZRM_2017' }
export enum ZrmKind { BASELINE = 'BASELINE', FOLLOW_UP = 'FOLLOW_UP', CLOSING = 'CLOSING' }
/** One enum holding the union of the ZRM_2015 and ZRM_2017 domains. */
export enum ZrmDomain {
  INCOME = 'INCOME',
  DAYTIME_ACTIVITIES = 'DAYTIME_ACTIVITIES',
  HOUSING = 'HOUSING',
  FAMILY_RELATIONS = 'FAMILY_RELATIONS',
  MENTAL_HEALTH = 'MENTAL_HEALTH',
  PHYSICAL_HEALTH = 'PHYSICAL_HEALTH',
  ADDICTION = 'ADDICTION',
  ADL = 'ADL',
  SOCIAL_NETWORK = 'SOCIAL_NETWORK',
  SOCIAL_PARTICIPATION = 'SOCIAL_PARTICIPATION',
  JUSTICE = 'JUSTICE',
  FINANCES = 'FINANCES',
  WORK_EDUCATION = 'WORK_EDUCATION',
  TIME_USE = 'TIME_USE',
  DOMESTIC_RELATIONS = 'DOMESTIC_RELATIONS',
  SUBSTANCE_USE = 'SUBSTANCE_USE',
  BASIC_ADL = 'BASIC_ADL',
  INSTRUMENTAL_ADL = 'INSTRUMENTAL_ADL',
}
export enum CareForm { PGB = 'PGB', ZIN = 'ZIN' }
export enum CareDecision {
  PENDING = 'PENDING',
  PROVISIONALLY_GRANTED = 'PROVISIONALLY_GRANTED',
  GRANTED = 'GRANTED',
  REJECTED = 'REJECTED',
}
export enum ReferralKind { GP_REFERRAL = 'GP_REFERRAL', ARREARS_SIGNAL = 'ARREARS_SIGNAL' }
export enum ReferralStatus {
  RECEIVED = 'RECEIVED',
  TRIAGED = 'TRIAGED',
  CONTACT_ATTEMPTED = 'CONTACT_ATTEMPTED',
  IN_CARE = 'IN_CARE',
  NOT_REACHED = 'NOT_REACHED',
  DECLINED = 'DECLINED',
  CLOSED = 'CLOSED',
  CANCELLED = 'CANCELLED',
}
export enum Urgency { ROUTINE = 'ROUTINE', SOON = 'SOON', URGENT = 'URGENT' }
export enum ContactKind { VISIT = 'VISIT', PHONE = 'PHONE', LETTER = 'LETTER', EMAIL = 'EMAIL' }
export enum FeedbackKind { COMPLAINT = 'COMPLAINT', COMPLIMENT = 'COMPLIMENT', SUGGESTION = 'SUGGESTION' }
export enum FeedbackStatus { OPEN = 'OPEN', RESOLVED = 'RESOLVED', UNFOUNDED = 'UNFOUNDED', ESCALATED = 'ESCALATED' }
export enum WorkerChangeStatus { REQUESTED = 'REQUESTED', GRANTED = 'GRANTED', REFUSED = 'REFUSED' }
export enum ConsentPurpose {
  GP_TANDEM = 'GP_TANDEM',
  REFERRAL_FEEDBACK = 'REFERRAL_FEEDBACK',
  INFORMAL_CARE = 'INFORMAL_CARE',
  CARE_ALLOCATION = 'CARE_ALLOCATION',
  OTHER = 'OTHER',
}
export enum AccessAction { READ = 'READ', CREATE = 'CREATE', UPDATE = 'UPDATE', EXPORT = 'EXPORT', DENIED = 'DENIED' }

export enum MatchStatus { PROPOSED = 'PROPOSED', ACCEPTED = 'ACCEPTED', ACTIVE = 'ACTIVE', ENDED = 'ENDED', DECLINED = 'DECLINED' }
export enum CheckInGoing { GOOD = 'GOOD', CONCERN = 'CONCERN', STOPPED = 'STOPPED' }
export enum Weekday {
  MONDAY = 'MONDAY',
  TUESDAY = 'TUESDAY',
  WEDNESDAY = 'WEDNESDAY',
  THURSDAY = 'THURSDAY',
  FRIDAY = 'FRIDAY',
  SATURDAY = 'SATURDAY',
  SUNDAY = 'SUNDAY',
}
export enum DayPart { MORNING = 'MORNING', AFTERNOON = 'AFTERNOON', EVENING = 'EVENING' }
/** Not in DESIGN.md's table: a request is open until a match is active, then matched, or closed. */
export enum InformalCareRequestStatus { OPEN = 'OPEN', MATCHED = 'MATCHED', CLOSED = 'CLOSED' }

const register: Array<[object, string, string]> = [
  [Role, 'Role', 'What a principal may see and do (DESIGN.md section 2).'],
  [TeamKind, 'TeamKind', 'Social (sociaal) or youth (jeugd) team.'],
  [OrganisationKind, 'OrganisationKind', 'Kind of partner organisation.'],
  [HouseholdRelation, 'HouseholdRelation', "A member's place in the household."],
  [CaseStatus, 'CaseStatus', 'REGISTERED (aanmelding) → INTAKE (kennismaking) → ACTIVE (gestart) → CLOSED.'],
  [ReferralSource, 'ReferralSource', 'Who brought the case in (verwijzer).'],
  [ClosureReason, 'ClosureReason', 'Why a case closed (reden afsluiting).'],
  [GoalStatus, 'GoalStatus', 'Status of a plan goal.'],
  [ZrmVersion, 'ZrmVersion', 'Version of the zelfredzaamheidsmatrix.'],
  [ZrmKind, 'ZrmKind', 'Moment of a ZRM assessment (nulmeting, tussenmeting, eindmeting).'],
  [ZrmDomain, 'ZrmDomain', 'Union of the ZRM_2015 (11) and ZRM_2017 (13) domains.'],
  [CareForm, 'CareForm', 'Persoonsgebonden budget (PGB) or zorg in natura (ZIN).'],
  [CareDecision, 'CareDecision', 'Decision on a maatwerkvoorziening.'],
  [ReferralKind, 'ReferralKind', 'GP referral (huisarts) or arrears signal (vroegsignalering).'],
  [ReferralStatus, 'ReferralStatus', 'Status of an inbound referral.'],
  [Urgency, 'Urgency', 'Urgency of a referral.'],
  [ContactKind, 'ContactKind', 'How contact was attempted.'],
  [FeedbackKind, 'FeedbackKind', 'Complaint (klacht), compliment or suggestion.'],
  [FeedbackStatus, 'FeedbackStatus', 'Status of feedback; ESCALATED means the external complaints committee.'],
  [WorkerChangeStatus, 'WorkerChangeStatus', 'Status of a request for another worker or team (keuzevrijheid).'],
  [ConsentPurpose, 'ConsentPurpose', 'What a consent allows sharing for.'],
  [AccessAction, 'AccessAction', 'Kind of access recorded in the audit log.'],
  [MatchStatus, 'MatchStatus', 'PROPOSED → ACCEPTED (volunteer) → ACTIVE (resident agreed) → ENDED, or DECLINED.'],
  [CheckInGoing, 'CheckInGoing', 'How a match is going.'],
  [Weekday, 'Weekday', 'Day of the week.'],
  [DayPart, 'DayPart', 'Part of the day.'],
  [InformalCareRequestStatus, 'InformalCareRequestStatus', 'OPEN until a volunteer is matched, then MATCHED; CLOSED when no longer needed.'],
];
for (const [e, name, description] of register) registerEnumType(e, { name, description });
