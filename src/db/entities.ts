import { Team } from '../modules/team/team.entity.js';
import { Organisation } from '../modules/organisation/organisation.entity.js';
import { Staff } from '../modules/staff/staff.entity.js';
import { Household } from '../modules/household/household.entity.js';
import { Resident } from '../modules/household/resident.entity.js';
import { Case } from '../modules/case/case.entity.js';
import { Goal } from '../modules/case/goal.entity.js';
import { CaseNote } from '../modules/case/case-note.entity.js';
import { ZrmAssessment } from '../modules/case/zrm-assessment.entity.js';
import { CareAllocation } from '../modules/case/care-allocation.entity.js';
import { Consent } from '../modules/consent/consent.entity.js';
import { Feedback } from '../modules/feedback/feedback.entity.js';
import { WorkerChangeRequest } from '../modules/feedback/worker-change-request.entity.js';
import { Referral, ContactAttempt } from '../modules/referral/referral.entity.js';
import { AccessLog, Disclosure } from '../modules/audit/access-log.entity.js';
import { FlexAssignment } from '../modules/flex/flex-assignment.entity.js';
import { OutboxMessage } from '../jobs/outbox.entity.js';
import { SyncState } from '../jobs/sync-state.entity.js';
import { ParkedRecord } from '../jobs/parked-record.entity.js';
import { Volunteer } from '../modules/informal-care/volunteer.entity.js';
import { CaseDiscussion, CheckInReminder, InformalCareRequest, MatchCheckIn, VolunteerMatch } from '../modules/informal-care/informal-care.entity.js';

export const entities = [
  Team, Organisation, Staff, Household, Resident, Case, Goal, CaseNote, ZrmAssessment, CareAllocation,
  Consent, Feedback, WorkerChangeRequest, Referral, ContactAttempt, AccessLog, Disclosure,
  FlexAssignment, Volunteer, InformalCareRequest, CaseDiscussion, VolunteerMatch, MatchCheckIn,
  OutboxMessage, CheckInReminder,
  SyncState, ParkedRecord,
];
