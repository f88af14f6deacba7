import { LockMode, type EntityManager, type FilterQuery } from '@mikro-orm/postgresql';
import type { Context } from '../../context.js';
import { inTransaction } from '../../db/transaction.js';
import { isUuid, NO_ID, notFound, requireViewer, scope } from '../../permissions/scope.js';
import { AccessAction, CaseStatus, ConsentPurpose, InformalCareRequestStatus, MatchStatus, OrganisationKind, Role } from '../common/enums.js';
import { BadInputError, ConflictError, ForbiddenError } from '../common/errors.js';
import * as v from '../common/validation.js';
import { Case } from '../case/case.entity.js';
import { Resident } from '../household/resident.entity.js';
import { Organisation } from '../organisation/organisation.entity.js';
import { Staff } from '../staff/staff.entity.js';
import { DayPart, Weekday } from '../common/enums.js';
import { CaseDiscussion, InformalCareRequest, MatchCheckIn, VolunteerMatch } from './informal-care.entity.js';
import { Volunteer, type AvailabilitySlot } from './volunteer.entity.js';
import { defaultTask, isLanguage, isSkill, LANGUAGES, SKILLS } from './vocabulary.js';
import { LIVE_STATUSES, vogValidFrom } from './matching.js';
import { grantConsent } from '../consent/consent.service.js';
import type {
  AvailabilitySlotInput,
  RecordCaseDiscussionInput,
  RecordMatchCheckInInput,
  RegisterVolunteerInput,
  RequestInformalCareInput,
} from './informal-care.inputs.js';

// --- input rules ---------------------------------------------------------------------------

/** Needs / skills from the controlled vocabulary; an unknown value is named in the error. */
export function vocabularySkills(field: string, list: readonly string[]): string[] {
  list.forEach((s, i) => {
    if (!isSkill(s)) throw new BadInputError(`${field}.${i}`, `unknown skill "${s}"; allowed: ${SKILLS.join(', ')}`);
  });
  return [...new Set(list)];
}

export function vocabularyLanguages(field: string, list: readonly string[]): string[] {
  list.forEach((l, i) => {
    if (!isLanguage(l)) throw new BadInputError(`${field}.${i}`, `unknown language "${l}"; allowed: ${LANGUAGES.join(', ')}`);
  });
  return [...new Set(list)];
}

const WEEKDAYS = Object.values(Weekday) as string[];
const PARTS = Object.values(DayPart) as string[];

export function availabilitySlots(list: readonly AvailabilitySlotInput[] | null | undefined): AvailabilitySlot[] {
  const seen = new Map<string, AvailabilitySlot>();
  for (const s of list ?? []) seen.set(`${s.day}:${s.part}`, { day: s.day, part: s.part });
  return [...seen.values()].sort(
    (a, b) => WEEKDAYS.indexOf(a.day) - WEEKDAYS.indexOf(b.day) || PARTS.indexOf(a.part) - PARTS.indexOf(b.part),
  );
}

function email(field: string, raw: string): string {
  const value = v.text(field, raw, { max: 254 }).toLowerCase();
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value)) throw new BadInputError(field, 'is not an email address');
  return value;
}

// --- volunteers ----------------------------------------------------------------------------

/** An ambassador (own organisation only) or ADMIN (any INFORMAL_CARE organisation) registers a volunteer. */
export async function registerVolunteer(ctx: Context, input: RegisterVolunteerInput): Promise<Volunteer> {
  const viewer = requireViewer(ctx);
  if (viewer.role === Role.AMBASSADOR && input.organisationId !== viewer.organisationId) {
    ctx.audit.denied('Volunteer', null, { field: 'organisationId' });
    throw new ForbiddenError('An ambassador registers volunteers of their own organisation only (organisationId).');
  }
  const givenName = v.text('givenName', input.givenName, { max: 100 });
  const familyName = v.text('familyName', input.familyName, { max: 100 });
  const mail = email('email', input.email);
  const phone = v.phone('phone', input.phone);
  const postcode = v.normalisePostcode('postcode', input.postcode);
  const skills = vocabularySkills('skills', input.skills);
  const languages = vocabularyLanguages('languages', input.languages);
  const availability = availabilitySlots(input.availability);
  const maxMatches = v.intInRange('maxMatches', input.maxMatches, 1, 10);
  const vogIssuedAt = input.vogIssuedAt ? v.pastDate('vogIssuedAt', input.vogIssuedAt) : null;

  return inTransaction(ctx.em, async (em) => {
    if (!isUuid(input.organisationId)) throw new BadInputError('organisationId', 'is not a valid id');
    const organisation = await em.findOne(Organisation, input.organisationId);
    if (!organisation || organisation.kind !== OrganisationKind.INFORMAL_CARE) {
      throw new BadInputError('organisationId', 'must be an informal-care organisation');
    }
    // Per organisation: whether another organisation has this email is not the caller's to learn.
    if (await em.count(Volunteer, { organisation, email: mail })) {
      throw new ConflictError('A volunteer with this email is already registered for this organisation.');
    }
    const volunteer = em.create(Volunteer, {
      organisation, givenName, familyName, email: mail, phone, postcode, skills, languages, availability, maxMatches, vogIssuedAt,
    });
    ctx.audit.writeInTransaction(em, AccessAction.CREATE, 'Volunteer', volunteer.id, null);
    return volunteer;
  });
}

/** The volunteer pauses (no new proposals) or resumes. Existing matches carry on. */
export async function setVolunteerPaused(ctx: Context, paused: boolean): Promise<Volunteer> {
  const viewer = requireViewer(ctx);
  return inTransaction(ctx.em, async (em) => {
    const volunteer = await em.findOne(Volunteer, { id: viewer.volunteerId ?? NO_ID });
    if (!volunteer) throw notFound(ctx, 'Volunteer', viewer.id);
    if (volunteer.paused !== paused) {
      volunteer.paused = paused;
      ctx.audit.writeInTransaction(em, AccessAction.UPDATE, 'Volunteer', volunteer.id, null, { changed: ['paused'] });
    }
    return volunteer;
  });
}

// --- requests and case discussions ---------------------------------------------------------

/** A team worker asks for informal care on a case of their scope. */
export async function requestInformalCare(ctx: Context, input: RequestInformalCareInput): Promise<InformalCareRequest> {
  const viewer = requireViewer(ctx);
  if (!input.needs.length) throw new BadInputError('needs', 'name at least one need');
  const needs = vocabularySkills('needs', input.needs);
  const explicitLanguages = input.languages ? vocabularyLanguages('languages', input.languages) : null;
  const availability = availabilitySlots(input.availability);
  const note = v.optionalText('note', input.note, 2000);

  return inTransaction(ctx.em, async (em) => {
    if (!isUuid(input.caseId)) throw notFound(ctx, 'Case', input.caseId);
    // FOR SHARE, as caseOfRequest: a closeCase at the same moment comes first or after this.
    const c = await em.findOne(Case, { $and: [{ id: input.caseId }, scope(ctx).cases()] }, { populate: ['household'], lockMode: LockMode.PESSIMISTIC_READ });
    if (!c) throw notFound(ctx, 'Case', input.caseId);
    if (c.status === CaseStatus.CLOSED) throw new ConflictError('The case is closed: cannot ask for informal care on it.');
    let resident: Resident | null = null;
    if (input.residentId) {
      if (!isUuid(input.residentId)) throw new BadInputError('residentId', 'is not a valid id');
      resident = await em.findOne(Resident, { id: input.residentId, household: c.household.id });
      if (!resident) throw new BadInputError('residentId', "must be a member of the case's household");
    }
    const languages = explicitLanguages ?? (resident?.languages ?? []).filter(isLanguage);
    const request = em.create(InformalCareRequest, {
      case: c,
      resident,
      team: c.team,
      needs,
      languages,
      availability,
      note,
      postcode4: c.household.postcode.slice(0, 4),
      requestedBy: em.getReference(Staff, viewer.id),
    });
    ctx.audit.writeInTransaction(em, AccessAction.CREATE, 'InformalCareRequest', request.id, c.household.id);
    return request;
  });
}

/** The ambassador records a case discussion with their team. Only id, moment and verdict come back. */
export async function recordCaseDiscussion(ctx: Context, input: RecordCaseDiscussionInput): Promise<CaseDiscussion> {
  const viewer = requireViewer(ctx);
  const discussedAt = v.notInFuture('discussedAt', input.discussedAt);
  const note = v.optionalText('note', input.note, 2000);
  return inTransaction(ctx.em, async (em) => {
    if (!isUuid(input.caseId)) throw notFound(ctx, 'Case', input.caseId);
    const c = await em.findOne(Case, { id: input.caseId, team: { $in: [...viewer.memberTeamIds] } });
    if (!c) throw notFound(ctx, 'Case', input.caseId);
    const discussion = em.create(CaseDiscussion, {
      case: c,
      team: c.team,
      ambassador: em.getReference(Staff, viewer.id),
      discussedAt,
      informalCarePossible: input.informalCarePossible,
      note,
    });
    ctx.audit.writeInTransaction(em, AccessAction.CREATE, 'CaseDiscussion', discussion.id, c.household.id);
    return discussion;
  });
}

// --- matches -------------------------------------------------------------------------------

async function householdOfRequest(em: EntityManager, request: InformalCareRequest): Promise<string | null> {
  return (await caseOfRequest(em, request))?.household_id ?? null;
}

/**
 * The request's household, for a step a closed case does not take: no new proposal, no
 * activation (and so no phone, no consent) once the case closed.
 */
async function householdOfOpenCase(em: EntityManager, request: InformalCareRequest): Promise<string | null> {
  const row = await caseOfRequest(em, request);
  if (row?.status === CaseStatus.CLOSED) throw new ConflictError('The case is closed: it takes no new informal care.');
  return row?.household_id ?? null;
}

async function caseOfRequest(em: EntityManager, request: InformalCareRequest): Promise<{ status: string; household_id: string } | undefined> {
  // FOR SHARE: closeCase (FOR UPDATE) ends the case's informal care; it waits for this
  // transaction, or this one reads the case closed.
  const [row] = await em.execute<{ status: string; household_id: string }[]>('select status, household_id from "case" where id = ? for share', [request.case.id]);
  return row;
}

/** The ambassador proposes a volunteer of their organisation for a request of their team. */
export async function proposeMatch(ctx: Context, requestId: string, volunteerId: string, task?: string | null): Promise<VolunteerMatch> {
  const viewer = requireViewer(ctx);
  const taskText = v.optionalText('task', task, 500);
  return inTransaction(ctx.em, async (em) => {
    if (!isUuid(requestId)) throw notFound(ctx, 'InformalCareRequest', requestId);
    const request = await em.findOne(InformalCareRequest, { id: requestId, team: { $in: [...viewer.memberTeamIds] } });
    if (!request) throw notFound(ctx, 'InformalCareRequest', requestId);
    const household = await householdOfOpenCase(em, request);
    if (request.status !== InformalCareRequestStatus.OPEN) {
      throw new ConflictError(`The request is ${request.status}: only an OPEN request gets new proposals.`);
    }
    if (!isUuid(volunteerId) || !viewer.organisationId) throw notFound(ctx, 'Volunteer', volunteerId);
    // Locks the volunteer: concurrent proposals cannot both take their last place.
    const volunteer = await em.findOne(
      Volunteer,
      { id: volunteerId, organisation: viewer.organisationId },
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    if (!volunteer) throw notFound(ctx, 'Volunteer', volunteerId);
    if (!volunteer.active) throw new ConflictError('This volunteer is no longer active and cannot be proposed.');
    if (volunteer.paused) throw new ConflictError('This volunteer has paused and cannot be proposed until they resume.');
    if (!volunteer.vogIssuedAt) throw new BadInputError('volunteerId', 'the volunteer has no VOG on record; a VOG is needed for new matches');
    if (volunteer.vogIssuedAt < vogValidFrom()) {
      throw new BadInputError('volunteerId', "the volunteer's VOG is older than three years; a new VOG is needed for new matches");
    }
    const live = await em.find(VolunteerMatch, { volunteer, status: { $in: [...LIVE_STATUSES] } });
    if (live.some((m) => m.request.id === request.id)) {
      throw new ConflictError('This volunteer already has a live proposal or match for this request.');
    }
    if (live.length >= volunteer.maxMatches) {
      throw new ConflictError(`This volunteer is at capacity (${live.length} of ${volunteer.maxMatches} matches in use).`);
    }
    const match = em.create(VolunteerMatch, {
      request,
      volunteer,
      team: request.team,
      status: MatchStatus.PROPOSED,
      task: taskText ?? defaultTask(request.needs),
      proposedAt: new Date(),
      proposedBy: em.getReference(Staff, viewer.id),
    });
    ctx.audit.writeInTransaction(em, AccessAction.CREATE, 'VolunteerMatch', match.id, household);
    return match;
  });
}

/**
 * A match for a change by the viewer: the volunteer's own; the ambassador's team's; or, for
 * team workers, one on a case in their scope. Anything else is NOT_FOUND.
 */
async function matchForUpdate(ctx: Context, em: EntityManager, id: string, who: 'volunteer' | 'team'): Promise<VolunteerMatch> {
  const viewer = requireViewer(ctx);
  if (!isUuid(id)) throw notFound(ctx, 'VolunteerMatch', id);
  let match: VolunteerMatch | null = null;
  if (who === 'volunteer') {
    if (viewer.volunteerId) match = await em.findOne(VolunteerMatch, { id, volunteer: viewer.volunteerId }, { populate: ['request'] });
  } else if (viewer.role === Role.AMBASSADOR) {
    match = await em.findOne(VolunteerMatch, { id, team: { $in: [...viewer.memberTeamIds] } }, { populate: ['request'] });
  } else {
    match = await em.findOne(VolunteerMatch, { id, request: { case: scope(ctx).cases() } }, { populate: ['request'] });
  }
  if (!match) throw notFound(ctx, 'VolunteerMatch', id);
  return match;
}

function assertStatus(match: VolunteerMatch, allowed: readonly MatchStatus[], action: string) {
  if (!allowed.includes(match.status)) {
    throw new ConflictError(`Cannot ${action} a ${match.status} match (only ${allowed.join(' or ')}).`);
  }
}

/** The volunteer accepts or declines a proposal. */
export async function respondToMatch(ctx: Context, id: string, accept: boolean): Promise<VolunteerMatch> {
  return inTransaction(ctx.em, async (em) => {
    const match = await matchForUpdate(ctx, em, id, 'volunteer');
    assertStatus(match, [MatchStatus.PROPOSED], accept ? 'accept' : 'decline');
    match.status = accept ? MatchStatus.ACCEPTED : MatchStatus.DECLINED;
    match.respondedAt = new Date();
    ctx.audit.writeInTransaction(em, AccessAction.UPDATE, 'VolunteerMatch', match.id, await householdOfRequest(em, match.request), {
      changed: ['status', 'respondedAt'],
    });
    return match;
  });
}

/** The resident agreed: a team worker or the ambassador starts the match; the request is MATCHED. */
export async function activateMatch(ctx: Context, id: string, startedAt?: Date | null): Promise<VolunteerMatch> {
  const at = v.notInFuture('startedAt', startedAt ?? new Date());
  return inTransaction(ctx.em, async (em) => {
    const match = await matchForUpdate(ctx, em, id, 'team');
    assertStatus(match, [MatchStatus.ACCEPTED], 'activate');
    const household = await householdOfOpenCase(em, match.request);
    if (match.request.status === InformalCareRequestStatus.CLOSED) {
      throw new ConflictError('The request is CLOSED: its matches cannot start any more.');
    }
    v.notBefore('startedAt', at, match.respondedAt ?? match.proposedAt, 'the volunteer accepted');
    // Starting the match hands the volunteer the resident's phone: what blocks a proposal
    // (inactive, paused, no valid VOG) blocks the start too, whatever changed since.
    const volunteer = await em.findOneOrFail(Volunteer, match.volunteer.id, { lockMode: LockMode.PESSIMISTIC_WRITE });
    const viewer = requireViewer(ctx);
    if (viewer.role === Role.AMBASSADOR && volunteer.organisation.id !== viewer.organisationId) {
      // The consent recorded below would be for an organisation this ambassador does not speak for.
      throw new ForbiddenError("Only a team worker, or an ambassador of the volunteer's organisation, can start this match.");
    }
    if (!volunteer.active) throw new ConflictError('This volunteer is no longer active: the match cannot start.');
    if (volunteer.paused) throw new ConflictError('This volunteer has paused: the match can start once they resume.');
    if (!volunteer.vogIssuedAt || volunteer.vogIssuedAt < vogValidFrom()) {
      throw new ConflictError("The volunteer's VOG is missing or older than three years: the match can start with a new VOG.");
    }
    match.status = MatchStatus.ACTIVE;
    match.startedAt = at;
    // Activating says the resident agreed: that agreement is their INFORMAL_CARE consent for the
    // volunteer's organisation, on record (and revocable) like any other. The phone follows it.
    if (match.request.resident) {
      await grantConsent(ctx, em, {
        residentId: match.request.resident.id,
        recipient: volunteer.organisation,
        purpose: ConsentPurpose.INFORMAL_CARE,
        grantedAt: at,
        recordedBy: requireViewer(ctx).id,
      });
    }
    if (match.request.status !== InformalCareRequestStatus.MATCHED) {
      match.request.status = InformalCareRequestStatus.MATCHED;
      ctx.audit.writeInTransaction(em, AccessAction.UPDATE, 'InformalCareRequest', match.request.id, household, { changed: ['status'] });
    }
    ctx.audit.writeInTransaction(em, AccessAction.UPDATE, 'VolunteerMatch', match.id, household, { changed: ['status', 'startedAt'] });
    return match;
  });
}

/**
 * Ends a match (ACTIVE), or withdraws a proposal that did not start (PROPOSED, ACCEPTED).
 * When the last ACTIVE match of a MATCHED request ends, the request is CLOSED.
 */
export async function endMatch(ctx: Context, id: string, reason?: string | null): Promise<VolunteerMatch> {
  const endReason = v.optionalText('reason', reason, 2000);
  return inTransaction(ctx.em, async (em) => {
    const match = await matchForUpdate(ctx, em, id, 'team');
    assertStatus(match, LIVE_STATUSES, 'end');
    const wasActive = match.status === MatchStatus.ACTIVE;
    match.status = MatchStatus.ENDED;
    match.endedAt = new Date();
    match.endReason = endReason;
    const household = await householdOfRequest(em, match.request);
    if (wasActive && match.request.status === InformalCareRequestStatus.MATCHED) {
      const others = await em.count(VolunteerMatch, { request: match.request, status: MatchStatus.ACTIVE, id: { $ne: match.id } });
      if (others === 0) {
        match.request.status = InformalCareRequestStatus.CLOSED;
        ctx.audit.writeInTransaction(em, AccessAction.UPDATE, 'InformalCareRequest', match.request.id, household, { changed: ['status'] });
        // Proposals still waiting on a closed request would hold their volunteers' places.
        await endLiveMatches(ctx, em, { request: match.request.id, id: { $ne: match.id } }, household, 'The request was closed.');
      }
    }
    ctx.audit.writeInTransaction(em, AccessAction.UPDATE, 'VolunteerMatch', match.id, household, { changed: ['status', 'endedAt', 'endReason'] });
    return match;
  });
}

/**
 * Ends the live matches (proposed, accepted, active) that `where` selects, each with its audit
 * row, at `at` (never before a match began: a case closed back in time ends its matches then).
 */
async function endLiveMatches(ctx: Context, em: EntityManager, where: FilterQuery<VolunteerMatch>, household: string | null, reason: string, at = new Date()): Promise<void> {
  const live = await em.find(VolunteerMatch, { $and: [where, { status: { $in: [...LIVE_STATUSES] } }] });
  for (const m of live) {
    const began = m.startedAt ?? m.proposedAt;
    m.status = MatchStatus.ENDED;
    m.endedAt = began && began > at ? began : at;
    m.endReason = reason;
    ctx.audit.writeInTransaction(em, AccessAction.UPDATE, 'VolunteerMatch', m.id, household, { changed: ['status', 'endedAt', 'endReason'] });
  }
}

/**
 * A case closes: the informal care asked for on it ends with it. Its live matches end (an
 * active volunteer no longer gets the resident's phone, nor check-in reminders) and its open
 * requests close, each with its audit row, in the closing transaction.
 */
export async function endInformalCareOfCase(ctx: Context, em: EntityManager, caseId: string, household: string, closedAt: Date): Promise<void> {
  await endLiveMatches(ctx, em, { request: { case: caseId } }, household, 'The case was closed.', closedAt);
  const requests = await em.find(InformalCareRequest, { case: caseId, status: { $ne: InformalCareRequestStatus.CLOSED } });
  for (const r of requests) {
    r.status = InformalCareRequestStatus.CLOSED;
    ctx.audit.writeInTransaction(em, AccessAction.UPDATE, 'InformalCareRequest', r.id, household, { changed: ['status'] });
  }
}

/** The ambassador records how an ACTIVE match of their team is going. */
export async function recordMatchCheckIn(ctx: Context, input: RecordMatchCheckInInput): Promise<MatchCheckIn> {
  const viewer = requireViewer(ctx);
  const at = v.notInFuture('at', input.at);
  const note = v.optionalText('note', input.note, 2000);
  return inTransaction(ctx.em, async (em) => {
    const match = await matchForUpdate(ctx, em, input.matchId, 'team');
    assertStatus(match, [MatchStatus.ACTIVE], 'record a check-in on');
    if (match.startedAt) v.notBefore('at', at, match.startedAt, 'the start of the match');
    const checkIn = em.create(MatchCheckIn, { match, at, going: input.going, note, recordedBy: em.getReference(Staff, viewer.id) });
    ctx.audit.writeInTransaction(em, AccessAction.CREATE, 'MatchCheckIn', checkIn.id, await householdOfRequest(em, match.request));
    return checkIn;
  });
}
