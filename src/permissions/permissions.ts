
import {
  isAdmin,
  isAmbassador,
  isAmbassadorOrAdmin,
  isAmbassadorOrVolunteer,
  isAuthenticated,
  isCaseWorker,
  isCaseWorkerOrAdmin,
  isCaseWorkerOrAmbassador,
  isCaseWorkerOrPartner,
  isPartner,
  isPartnerGp,
  isTeamCaseWorker,
  isTeamLead,
  isTeamLeadOrAdmin,
  isTeamLeadOrAnalyst,
  isVolunteer,
} from './rules.js';
import { or, type Rule, type RuleTree } from './guard.js';

/** Who may look at a match: its volunteer, the team's ambassador, the team (each scoped in the query). */
const isMatchViewer = or(isVolunteer, isAmbassador, isCaseWorker);

/** The same rule for each listed field: the list is explicit so a new field must be added here. */
function fields(rule: Rule, names: string[]): Record<string, Rule> {
  return Object.fromEntries(names.map((n) => [n, rule]));
}

const PAGE = ['totalCount', 'pageInfo', 'edges'];
const EDGE = ['cursor', 'node'];

/**
 * Deny by default: every operation and every field of every type is listed here with
 * its rule; anything missing is refused (fallbackRule) and a test fails on it.
 */
export const ruleTree: RuleTree = {
  Query: {
    me: isAuthenticated,
    teams: isAuthenticated,
    organisations: isCaseWorkerOrAdmin,
    teamMembers: isCaseWorker,
    staffMembers: isAdmin,
    case: isCaseWorker,
    cases: isCaseWorker,
    household: isCaseWorker,
    referrals: isCaseWorkerOrPartner,
    referral: isCaseWorkerOrPartner,
    accessReport: isTeamCaseWorker,
    informalCareRequests: isCaseWorkerOrAmbassador,
    volunteers: isAmbassador,
    myVolunteerProfile: isVolunteer,
    myMatches: isVolunteer,
    caseCounts: isTeamLeadOrAnalyst,
    integrations: isAdmin,
    quarterReport: isTeamLeadOrAnalyst,
    informalCareVocabulary: isAuthenticated,
    volunteerCandidates: isAmbassador,
    dueCheckIns: isAmbassador,
  },
  Mutation: {
    registerHousehold: isCaseWorker,
    openCase: isCaseWorker,
    recordFirstContact: isCaseWorker,
    startCase: isCaseWorker,
    closeCase: isCaseWorker,
    reassignCoordinator: isTeamLead,
    addGoal: isCaseWorker,
    addCaseNote: isCaseWorker,
    recordZrmAssessment: isCaseWorker,
    recordCareAllocation: isCaseWorker,
    recordConsent: isCaseWorker,
    revokeConsent: isCaseWorker,
    registerFeedback: isCaseWorker,
    resolveFeedback: isTeamLead,
    requestWorkerChange: isCaseWorker,
    decideWorkerChange: isTeamLead,
    triageReferral: isCaseWorker,
    createStaff: isAdmin,
    createOrganisation: isAdmin,
    assignFlexWorker: isTeamLeadOrAdmin,
    cancelReferral: isPartner,
    submitReferral: isPartner,
    retryFailedJob: isAdmin,
    correctResident: isCaseWorker,
    eraseResident: isTeamLead,
    registerVolunteer: isAmbassadorOrAdmin,
    setVolunteerPaused: isVolunteer,
    requestInformalCare: isCaseWorker,
    recordCaseDiscussion: isAmbassador,
    proposeMatch: isAmbassador,
    respondToMatch: isVolunteer,
    activateMatch: isCaseWorkerOrAmbassador,
    endMatch: isCaseWorkerOrAmbassador,
    recordMatchCheckIn: isAmbassador,
  },

  // Reference data, visible to every authenticated principal.
  Team: fields(isAuthenticated, ['id', 'code', 'name', 'district', 'kind', 'isFlex', 'postcodes']),
  Organisation: fields(isAuthenticated, ['id', 'code', 'name', 'kind', 'agbCode']),
  Staff: {
    ...fields(isAuthenticated, ['id', 'name', 'role', 'teams', 'organisation']),
    ...fields(isCaseWorkerOrAdmin, ['email', 'phone']),
  },

  // The case file: team workers and leads only; rows are already limited to their teams.
  Household: fields(isCaseWorker, ['id', 'team', 'address', 'members', 'cases']),
  Address: fields(isCaseWorker, ['street', 'houseNumber', 'houseNumberAddition', 'postcode', 'city']),
  Resident: fields(isCaseWorker, [
    'id', 'givenName', 'familyName', 'birthDate', 'bsnLast4', 'phone', 'languages', 'relation', 'anonymisedAt',
  ]),
  Case: fields(isCaseWorker, [
    'id', 'status', 'reason', 'referralSource', 'registeredAt', 'firstContactAt', 'startedAt', 'closedAt',
    'closureReason', 'clientRating', 'selfReliantAfter', 'version', 'household', 'team', 'coordinator',
    'daysToFirstContact', 'goals', 'notes', 'zrmAssessments', 'latestZrm', 'careAllocations', 'consents', 'referral',
  ]),
  Goal: fields(isCaseWorker, ['id', 'description', 'domain', 'status', 'targetDate']),
  CaseNote: fields(isCaseWorker, ['id', 'body', 'createdAt', 'author']),
  ZrmAssessment: fields(isCaseWorker, ['id', 'assessedAt', 'version', 'kind', 'scores']),
  ZrmScore: fields(isCaseWorker, ['domain', 'score']),
  CareAllocation: fields(isCaseWorker, ['id', 'provision', 'form', 'investigationStartedAt', 'decision', 'decidedAt']),
  Consent: fields(isCaseWorker, ['id', 'purpose', 'grantedAt', 'revokedAt', 'recipient', 'residentId']),
  Feedback: fields(isCaseWorker, ['id', 'kind', 'status', 'receivedAt', 'summary', 'resolution', 'resolvedAt', 'team']),
  WorkerChangeRequest: fields(isCaseWorker, ['id', 'reason', 'status', 'requestedAt', 'decidedAt', 'toTeam']),
  // Partners see what they sent: ids, kind, status (folded for corporations) and dates; never content.
  Referral: {
    ...fields(isCaseWorkerOrPartner, ['id', 'kind', 'externalId', 'status', 'receivedAt', 'updatedAt']),
    ...fields(isCaseWorker, [
      'reason', 'urgency', 'consentObtained', 'from', 'team', 'subject', 'arrears', 'household', 'case', 'contactAttempts',
    ]),
    contactPerson: isPartnerGp,
  },
  ContactPerson: fields(isPartnerGp, ['name', 'phone']),
  ReferralSubject: fields(isCaseWorker, ['givenName', 'familyName', 'birthDate', 'postcode', 'houseNumber']),
  Arrears: fields(isCaseWorker, ['amount', 'since', 'months']),
  ContactAttempt: fields(isCaseWorker, ['id', 'kind', 'at', 'reached']),
  AccessReport: fields(isTeamCaseWorker, ['resident', 'entries', 'disclosures']),
  AccessEntry: fields(isTeamCaseWorker, ['at', 'action', 'objectType', 'purpose', 'actor']),
  AccessActor: fields(isTeamCaseWorker, ['name', 'role', 'organisation']),
  DisclosureEntry: fields(isTeamCaseWorker, ['at', 'purpose', 'recipient', 'what']),

  // Me: every principal sees who it is.
  Me: fields(isAuthenticated, ['id', 'name', 'role', 'kind', 'teams', 'organisation']),

  // Flex assignments: decided by a lead of the case's team or an admin.
  FlexAssignment: fields(isTeamLeadOrAdmin, ['id', 'until']),

  // Residents' rights.
  ErasureResult: fields(isTeamLead, ['residentId', 'outcome', 'reason']),

  // Informal care: pseudonymised by the types (no address, BSN, notes or ZRM can be selected).
  InformalCareRequest: fields(isCaseWorkerOrAmbassador, [
    'id', 'createdAt', 'status', 'needs', 'languages', 'availability', 'area', 'resident',
  ]),
  PostcodeArea: fields(isMatchViewer, ['postcode4', 'neighbourhood']),
  PseudonymousResident: fields(isMatchViewer, ['givenName']),
  AvailabilitySlot: fields(or(isMatchViewer, isAmbassadorOrVolunteer, isAdmin), ['day', 'part']),
  // Admins see the profile they just registered (registerVolunteer); no contact details are in the type.
  Volunteer: fields(or(isAmbassadorOrVolunteer, isCaseWorker, isAdmin), [
    'id', 'givenName', 'skills', 'languages', 'availability', 'maxMatches', 'vogIssuedAt', 'active', 'paused', 'activeMatches',
  ]),
  VolunteerMatch: {
    ...fields(isMatchViewer, ['id', 'status', 'task', 'proposedAt', 'respondedAt', 'startedAt', 'endedAt', 'area', 'resident']),
    contactPhone: isVolunteer,
    volunteer: or(isAmbassador, isCaseWorker),
  },
  InformalCareVocabulary: fields(isAuthenticated, ['skills', 'languages']),
  // Only id, moment and verdict: the ambassador gets no case content back.
  CaseDiscussion: fields(isCaseWorkerOrAmbassador, ['id', 'discussedAt', 'informalCarePossible']),
  MatchCheckIn: fields(isCaseWorkerOrAmbassador, ['id', 'at', 'going']),
  VolunteerCandidate: fields(isAmbassador, ['score', 'reasons', 'distanceKm', 'volunteer']),
  DueCheckIn: fields(isAmbassador, ['match', 'dueAt']),

  // Integration health (jobs, sync): administrators only; no case content in it.
  IntegrationHealth: fields(isAdmin, [
    'partner', 'lastSyncAt', 'lagSeconds', 'lastError', 'pendingJobs', 'failedJobs', 'parkedRecords', 'queueReachable', 'failures',
  ]),
  FailedJob: fields(isAdmin, ['id', 'jobName', 'failedReason', 'attemptsMade', 'failedAt']),

  // Aggregates: no person in them; small cells suppressed for analysts.
  CaseCounts: fields(isTeamLeadOrAnalyst, ['total', 'perTeam', 'suppressed']),
  TeamCaseCounts: fields(isTeamLeadOrAnalyst, ['team', 'counts', 'suppressed']),
  QuarterReport: fields(isTeamLeadOrAnalyst, ['period', 'suppressed', 'caseCounts', 'perTeam', 'referralSources', 'selfReferralShare', 'closureReasons', 'zrm',
    'averageDaysToFirstContact', 'averageClientRating', 'selfReliantAfterClosureShare', 'feedback', 'careAllocations', 'informalCare']),
  QuarterCaseCounts: fields(isTeamLeadOrAnalyst, ['withoutStartDate', 'startedInPeriod', 'runningInPeriod', 'closedInPeriod']),
  QuarterTeamFigures: fields(isTeamLeadOrAnalyst, ['team', 'started', 'running', 'closed']),
  ReferralSourceFigure: fields(isTeamLeadOrAnalyst, ['source', 'count', 'share']),
  ClosureReasonFigure: fields(isTeamLeadOrAnalyst, ['reason', 'count', 'share']),
  ZrmVersionFigures: fields(isTeamLeadOrAnalyst, ['version', 'assessments', 'domains']),
  ZrmDomainFigures: fields(isTeamLeadOrAnalyst, ['domain', 'distribution']),
  ZrmScoreFigure: fields(isTeamLeadOrAnalyst, ['score', 'count', 'share']),
  FeedbackFigures: fields(isTeamLeadOrAnalyst, ['complaints', 'resolvedComplaints', 'pendingComplaints', 'unfoundedComplaints', 'compliments']),
  CareAllocationFigures: fields(isTeamLeadOrAnalyst, ['investigations', 'pgb', 'zin', 'pgbProvisionallyGrantedShare']),
  InformalCareFigures: fields(isTeamLeadOrAnalyst, ['ambassadors', 'casesDiscussed', 'informalCarePossible', 'possibleShare', 'activeVolunteers', 'activeMatches']),
  StatusCounts: fields(isTeamLeadOrAnalyst, ['registered', 'intake', 'active', 'closed']),

  // Connection plumbing: carries no data of its own; the nodes have their own rules.
  PageInfo: fields(isAuthenticated, ['hasNextPage', 'hasPreviousPage', 'startCursor', 'endCursor']),
  CaseConnection: fields(isAuthenticated, PAGE),
  CaseEdge: fields(isAuthenticated, EDGE),
  CaseNoteConnection: fields(isAuthenticated, PAGE),
  CaseNoteEdge: fields(isAuthenticated, EDGE),
  ReferralConnection: fields(isAuthenticated, PAGE),
  ReferralEdge: fields(isAuthenticated, EDGE),
  InformalCareRequestConnection: fields(isAuthenticated, PAGE),
  InformalCareRequestEdge: fields(isAuthenticated, EDGE),
  VolunteerConnection: fields(isAuthenticated, PAGE),
  VolunteerEdge: fields(isAuthenticated, EDGE),
};
