/**
 * Informal care end to end over HTTP: requests and case discussions, volunteer registration,
 * the match lifecycle (with illegal transitions), the resident's phone only while ACTIVE,
 * due check-ins and the daily reminder (outbox, idempotent), denials without leaks, and every
 * operation of the contract (../shared/contract/informal-care.graphql).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractFile, startTestHub, type TestHub } from '../helpers/app.js';
import {
  buildCase,
  buildHousehold,
  buildInformalCareRequest,
  buildMatchCheckIn,
  buildOrganisation,
  buildStaff,
  buildTeam,
  buildVolunteer,
  buildVolunteerMatch,
} from '../../seeds/factories.js';
import { CaseStatus, ConsentPurpose, MatchStatus, OrganisationKind, Role } from '../../src/modules/common/enums.js';
import { Consent } from '../../src/modules/consent/consent.entity.js';
import { enqueueDueCheckInReminders, CHECK_IN_REMINDER_TOPIC } from '../../src/modules/informal-care/check-ins.js';
import { InformalCareRequest, VolunteerMatch } from '../../src/modules/informal-care/informal-care.entity.js';
import { Volunteer } from '../../src/modules/informal-care/volunteer.entity.js';
import { Case as CaseEntity, type Case } from '../../src/modules/case/case.entity.js';
import type { Organisation } from '../../src/modules/organisation/organisation.entity.js';
import type { Resident } from '../../src/modules/household/resident.entity.js';
import type { Staff } from '../../src/modules/staff/staff.entity.js';

const DAY = 86400000;
const PHONE = '06-77778888';
const FAMILY = 'Zwanenburg-Quaak';
const STREET = 'Geheimstraat';
const VALID_VOG = new Date(Date.now() - 200 * DAY).toISOString().slice(0, 10);

let hub: TestHub;
let careOrg: Organisation;
let otherCareOrg: Organisation;
let gpOrg: Organisation;
let ambassadorA: Staff;
let ambassadorB: Staff;
let workerA: Staff;
let workerB: Staff;
let caseA: Case;
let caseA2: Case;
let caseB: Case;
let resident: Resident;
let otherResident: Resident;
let vera: Volunteer;
let walt: Volunteer;
const t: Record<string, string> = {};

const code = (res: { errors?: { extensions?: { code?: string } }[] }) => res.errors?.[0]?.extensions?.code;
function addMonthsUtc(d: Date, months: number): Date {
  const x = new Date(d);
  x.setUTCMonth(x.getUTCMonth() + months);
  return x;
}

beforeAll(async () => {
  hub = await startTestHub();
  const em = hub.em();
  const teamA = buildTeam(em, { postcodes: ['3562'] });
  const teamB = buildTeam(em, { postcodes: ['3563'] });
  careOrg = buildOrganisation(em, { kind: OrganisationKind.INFORMAL_CARE });
  otherCareOrg = buildOrganisation(em, { kind: OrganisationKind.INFORMAL_CARE });
  gpOrg = buildOrganisation(em, { kind: OrganisationKind.GP_PRACTICE });
  ambassadorA = buildStaff(em, { role: Role.AMBASSADOR, teams: [teamA], organisation: careOrg });
  ambassadorB = buildStaff(em, { role: Role.AMBASSADOR, teams: [teamB], organisation: careOrg });
  workerA = buildStaff(em, { role: Role.TEAM_WORKER, teams: [teamA] });
  workerB = buildStaff(em, { role: Role.TEAM_WORKER, teams: [teamB] });
  const admin = buildStaff(em, { role: Role.ADMIN });
  const hA = buildHousehold(em, {
    team: teamA, postcode: '3562AB', street: STREET,
    members: [{ givenName: 'Quirina', familyName: FAMILY, phone: PHONE, languages: ['Arabic', 'Dutch'] }],
  });
  resident = hA.head;
  caseA = buildCase(em, { household: hA.household, status: CaseStatus.ACTIVE, coordinator: workerA });
  const hA2 = buildHousehold(em, { team: teamA, postcode: '3562CD', members: 1 });
  caseA2 = buildCase(em, { household: hA2.household, status: CaseStatus.ACTIVE, coordinator: workerA });
  const hB = buildHousehold(em, { team: teamB, postcode: '3563AB', members: 1 });
  otherResident = hB.head;
  caseB = buildCase(em, { household: hB.household, status: CaseStatus.ACTIVE });
  const vol = (givenName: string, organisation = careOrg) =>
    buildVolunteer(em, { organisation, givenName, postcode: '3562XY', skills: ['shopping', 'company'], languages: ['Arabic', 'Dutch'], vogIssuedAt: VALID_VOG, maxMatches: 10 });
  vera = vol('Vera');
  walt = vol('Walt');
  await em.flush();
  Object.assign(t, {
    ambassadorA: await hub.tokenFor(ambassadorA), ambassadorB: await hub.tokenFor(ambassadorB),
    workerA: await hub.tokenFor(workerA), workerB: await hub.tokenFor(workerB), admin: await hub.tokenFor(admin),
    vera: await hub.tokenFor(vera), walt: await hub.tokenFor(walt),
  });
});

afterAll(async () => {
  await hub?.stop();
});

const REQUEST = 'mutation R($input: RequestInformalCareInput!) { requestInformalCare(input: $input) { id status createdAt needs languages } }';
const DISCUSS = 'mutation D($input: RecordCaseDiscussionInput!) { recordCaseDiscussion(input: $input) { id discussedAt informalCarePossible } }';
const REGISTER = 'mutation V($input: RegisterVolunteerInput!) { registerVolunteer(input: $input) { id givenName skills languages availability { day part } } }';
const PROPOSE = 'mutation P($r: ID!, $v: ID!, $task: String) { proposeMatch(requestId: $r, volunteerId: $v, task: $task) { id status task } }';
const RESPOND = 'mutation A($id: ID!, $accept: Boolean!) { respondToMatch(id: $id, accept: $accept) { id status } }';
const ACTIVATE = 'mutation S($id: ID!, $at: DateTime) { activateMatch(id: $id, startedAt: $at) { id status startedAt } }';
const END = 'mutation E($id: ID!, $reason: String) { endMatch(id: $id, reason: $reason) { id status endedAt } }';
const MY = '{ myMatches { id status task resident { givenName } area { postcode4 } contactPhone } }';
const CHECK_IN = 'mutation C($input: RecordMatchCheckInInput!) { recordMatchCheckIn(input: $input) { id at going } }';
const DUE = '{ dueCheckIns { match { id status volunteer { givenName } } dueAt } }';

describe('requests and case discussions', () => {
  it('a worker asks for informal care on a case of their team; the rules hold', async () => {
    const ok = await hub.gql(REQUEST, { input: { caseId: caseA.id, residentId: resident.id, needs: ['shopping'] } }, t.workerA);
    expect(ok.errors).toBeUndefined();
    expect(ok.data?.requestInformalCare).toMatchObject({ status: 'OPEN', needs: ['shopping'], languages: ['Arabic', 'Dutch'] });
    const row = await hub.em().findOneOrFail(InformalCareRequest, ok.data!.requestInformalCare.id);
    expect(row.postcode4).toBe('3562');
    const [audit] = await hub.em().getConnection().execute(`select count(*)::int as n from access_log where object_type = 'InformalCareRequest' and object_id = ? and action = 'CREATE'`, [row.id]);
    expect(audit.n).toBe(1);

    const unknown = await hub.gql(REQUEST, { input: { caseId: caseA.id, needs: ['shopping', 'juggling'] } }, t.workerA);
    expect(code(unknown)).toBe('BAD_USER_INPUT');
    expect(unknown.errors?.[0]?.message).toContain('"juggling"');
    const lang = await hub.gql(REQUEST, { input: { caseId: caseA.id, needs: ['shopping'], languages: ['Klingon'] } }, t.workerA);
    expect(lang.errors?.[0]?.message).toContain('"Klingon"');
    expect(code(await hub.gql(REQUEST, { input: { caseId: caseA.id, needs: [] } }, t.workerA))).toBe('BAD_USER_INPUT');
    const outsider = await hub.gql(REQUEST, { input: { caseId: caseA.id, residentId: otherResident.id, needs: ['shopping'] } }, t.workerA);
    expect(code(outsider)).toBe('BAD_USER_INPUT');
    expect(code(await hub.gql(REQUEST, { input: { caseId: caseB.id, needs: ['shopping'] } }, t.workerA))).toBe('NOT_FOUND');
    expect(code(await hub.gql(REQUEST, { input: { caseId: caseA.id, needs: ['shopping'] } }, t.ambassadorA))).toBe('FORBIDDEN');
  });

  it("an ambassador records a discussion of their team's case and gets no case content back", async () => {
    const at = new Date(Date.now() - DAY).toISOString();
    const ok = await hub.gql(DISCUSS, { input: { caseId: caseA.id, discussedAt: at, informalCarePossible: true, note: 'SECRET-DISCUSSION' } }, t.ambassadorA);
    expect(ok.errors).toBeUndefined();
    expect(Object.keys(ok.data!.recordCaseDiscussion).sort()).toEqual(['discussedAt', 'id', 'informalCarePossible']);
    expect(ok.raw).not.toContain('SECRET-DISCUSSION');
    const leak = await hub.gql('mutation D($input: RecordCaseDiscussionInput!) { recordCaseDiscussion(input: $input) { id case { id } note } }', { input: { caseId: caseA.id, discussedAt: at, informalCarePossible: true } }, t.ambassadorA);
    expect(leak.status).toBe(400);
    expect(code(await hub.gql(DISCUSS, { input: { caseId: caseB.id, discussedAt: at, informalCarePossible: false } }, t.ambassadorA))).toBe('NOT_FOUND');
    const future = new Date(Date.now() + 3 * DAY).toISOString();
    expect(code(await hub.gql(DISCUSS, { input: { caseId: caseA.id, discussedAt: future, informalCarePossible: true } }, t.ambassadorA))).toBe('BAD_USER_INPUT');
    expect(code(await hub.gql(DISCUSS, { input: { caseId: caseA.id, discussedAt: at, informalCarePossible: true } }, t.workerA))).toBe('FORBIDDEN');
  });
});

describe('registerVolunteer', () => {
  const input = (o: Record<string, unknown> = {}) => ({
    organisationId: careOrg.id, givenName: 'Nina', familyName: 'Nieuw', email: `nina.${Math.random().toString(36).slice(2)}@example.test`,
    postcode: '3562 ab', skills: ['shopping', 'reading'], languages: ['Dutch'],
    availability: [{ day: 'MONDAY', part: 'MORNING' }, { day: 'MONDAY', part: 'MORNING' }], maxMatches: 2, vogIssuedAt: VALID_VOG, ...o,
  });

  it('an ambassador registers for their own organisation only; an admin for any informal-care organisation', async () => {
    const ok = await hub.gql(REGISTER, { input: input() }, t.ambassadorA);
    expect(ok.errors).toBeUndefined();
    expect(ok.data?.registerVolunteer).toMatchObject({ givenName: 'Nina', skills: ['shopping', 'reading'], availability: [{ day: 'MONDAY', part: 'MORNING' }] });
    const stored = await hub.em().findOneOrFail(Volunteer, ok.data!.registerVolunteer.id);
    expect(stored.postcode).toBe('3562AB');
    expect(stored.paused).toBe(false);

    expect(code(await hub.gql(REGISTER, { input: input({ organisationId: otherCareOrg.id }) }, t.ambassadorA))).toBe('FORBIDDEN');
    expect(code(await hub.gql(REGISTER, { input: input({ organisationId: otherCareOrg.id }) }, t.admin))).toBeUndefined();
    const gp = await hub.gql(REGISTER, { input: input({ organisationId: gpOrg.id }) }, t.admin);
    expect(code(gp)).toBe('BAD_USER_INPUT');
    expect(gp.errors?.[0]?.extensions?.field).toBe('organisationId');
    expect(code(await hub.gql(REGISTER, { input: input() }, t.workerA))).toBe('FORBIDDEN');
  });

  it('names unknown vocabulary, checks postcode, capacity, VOG date and duplicate email', async () => {
    const skill = await hub.gql(REGISTER, { input: input({ skills: ['shopping', 'knitting'] }) }, t.ambassadorA);
    expect(code(skill)).toBe('BAD_USER_INPUT');
    expect(skill.errors?.[0]?.message).toContain('"knitting"');
    expect(skill.errors?.[0]?.extensions?.field).toBe('skills.1');
    const language = await hub.gql(REGISTER, { input: input({ languages: ['Elvish'] }) }, t.ambassadorA);
    expect(language.errors?.[0]?.message).toContain('"Elvish"');
    expect(code(await hub.gql(REGISTER, { input: input({ postcode: '12' }) }, t.ambassadorA))).toBe('BAD_USER_INPUT');
    expect(code(await hub.gql(REGISTER, { input: input({ maxMatches: 0 }) }, t.ambassadorA))).toBe('BAD_USER_INPUT');
    expect(code(await hub.gql(REGISTER, { input: input({ vogIssuedAt: '2999-01-01' }) }, t.ambassadorA))).toBe('BAD_USER_INPUT');
    const email = `dup.${Date.now()}@example.test`;
    expect(code(await hub.gql(REGISTER, { input: input({ email }) }, t.ambassadorA))).toBeUndefined();
    expect(code(await hub.gql(REGISTER, { input: input({ email: email.toUpperCase() }) }, t.ambassadorA))).toBe('CONFLICT');
  });
});

describe('match lifecycle', () => {
  it('PROPOSED → ACCEPTED → ACTIVE → ENDED, with illegal transitions refused and the phone only while ACTIVE', async () => {
    const req = await hub.gql(REQUEST, { input: { caseId: caseA.id, residentId: resident.id, needs: ['company'] } }, t.workerA);
    const requestId = req.data!.requestInformalCare.id as string;
    const proposed = await hub.gql(PROPOSE, { r: requestId, v: vera.id }, t.ambassadorA);
    expect(proposed.data?.proposeMatch).toMatchObject({ status: 'PROPOSED', task: 'Eens per week op de koffie en een praatje' });
    const id = proposed.data!.proposeMatch.id as string;

    const mine = async () => ((await hub.gql(MY, {}, t.vera)).data!.myMatches as { id: string; contactPhone: string | null; status: string }[]).find((m) => m.id === id)!;
    let res = await hub.gql(MY, {}, t.vera);
    expect(res.raw).not.toContain(PHONE);
    expect(res.raw).not.toContain(FAMILY);
    expect((await mine()).contactPhone).toBeNull();

    expect(code(await hub.gql(RESPOND, { id, accept: true }, t.walt))).toBe('NOT_FOUND');
    expect(code(await hub.gql(ACTIVATE, { id }, t.workerA))).toBe('CONFLICT');
    expect(code(await hub.gql(END, { id }, t.vera))).toBe('FORBIDDEN');
    expect((await hub.gql(RESPOND, { id, accept: true }, t.vera)).data?.respondToMatch).toEqual({ id, status: 'ACCEPTED' });
    expect(code(await hub.gql(RESPOND, { id, accept: false }, t.vera))).toBe('CONFLICT');
    expect((await mine()).contactPhone).toBeNull();

    expect(code(await hub.gql(ACTIVATE, { id }, t.ambassadorB))).toBe('NOT_FOUND');
    expect(code(await hub.gql(ACTIVATE, { id }, t.workerB))).toBe('NOT_FOUND');
    expect(code(await hub.gql(ACTIVATE, { id, at: new Date(Date.now() + 5 * DAY).toISOString() }, t.workerA))).toBe('BAD_USER_INPUT');
    const active = await hub.gql(ACTIVATE, { id }, t.workerA);
    expect(active.data?.activateMatch).toMatchObject({ id, status: 'ACTIVE' });
    expect(active.data?.activateMatch.startedAt).toBeTruthy();
    expect((await hub.em().findOneOrFail(InformalCareRequest, requestId)).status).toBe('MATCHED');
    expect(code(await hub.gql(ACTIVATE, { id }, t.ambassadorA))).toBe('CONFLICT');
    // Activating recorded the resident's agreement: an INFORMAL_CARE consent for Vera's organisation.
    const consents = await hub.em().find(Consent, { resident: resident.id, purpose: ConsentPurpose.INFORMAL_CARE, revokedAt: null }, { populate: ['recipient', 'recordedBy'] });
    expect(consents.map((k) => [k.recipient.id, k.recordedBy.id])).toEqual([[vera.organisation.id, workerA.id]]);
    expect((await mine()).contactPhone).toBe(PHONE);
    expect(code(await hub.gql(PROPOSE, { r: requestId, v: walt.id }, t.ambassadorA))).toBe('CONFLICT');

    expect(code(await hub.gql(END, { id, reason: 'x' }, t.ambassadorB))).toBe('NOT_FOUND');
    const ended = await hub.gql(END, { id, reason: 'Doel bereikt' }, t.ambassadorA);
    expect(ended.data?.endMatch).toMatchObject({ id, status: 'ENDED' });
    expect(code(await hub.gql(END, { id }, t.ambassadorA))).toBe('CONFLICT');
    expect(code(await hub.gql(RESPOND, { id, accept: true }, t.vera))).toBe('CONFLICT');
    expect((await hub.em().findOneOrFail(InformalCareRequest, requestId)).status).toBe('CLOSED');
    res = await hub.gql(MY, {}, t.vera);
    expect((await mine()).contactPhone).toBeNull();
    expect(res.raw).not.toContain(PHONE);
  });

  it('a volunteer declines; a proposal can be withdrawn; the one-live-per-request index backs the rule', async () => {
    const req = await hub.gql(REQUEST, { input: { caseId: caseA2.id, needs: ['shopping'] } }, t.workerA);
    const requestId = req.data!.requestInformalCare.id as string;
    const p1 = (await hub.gql(PROPOSE, { r: requestId, v: walt.id, task: 'Samen naar de markt' }, t.ambassadorA)).data!.proposeMatch;
    expect(p1.task).toBe('Samen naar de markt');
    expect((await hub.gql(RESPOND, { id: p1.id, accept: false }, t.walt)).data?.respondToMatch.status).toBe('DECLINED');
    expect(code(await hub.gql(END, { id: p1.id }, t.ambassadorA))).toBe('CONFLICT');
    const p2 = (await hub.gql(PROPOSE, { r: requestId, v: walt.id }, t.ambassadorA)).data!.proposeMatch;
    expect((await hub.gql(END, { id: p2.id, reason: 'ingetrokken' }, t.workerA)).data?.endMatch.status).toBe('ENDED');
    // The partial unique index refuses a second live match even past the service check.
    const em = hub.em();
    const request = await em.findOneOrFail(InformalCareRequest, requestId);
    buildVolunteerMatch(em, { request, volunteer: await em.findOneOrFail(Volunteer, walt.id), status: MatchStatus.PROPOSED });
    buildVolunteerMatch(em, { request, volunteer: await em.findOneOrFail(Volunteer, walt.id), status: MatchStatus.ACCEPTED });
    await expect(em.flush()).rejects.toThrow(/volunteer_match_one_live_per_request/);
  });

  it('denies by role and by team without leaking values', async () => {
    const leakFree = (raw: string) => {
      for (const secret of [PHONE, FAMILY, STREET, 'SECRET']) expect(raw).not.toContain(secret);
    };
    const list = '{ informalCareRequests { totalCount edges { node { id resident { givenName } area { postcode4 } } } } }';
    const b = await hub.gql(list, {}, t.ambassadorB);
    expect(b.data?.informalCareRequests.totalCount).toBe(0);
    const a = await hub.gql(list, {}, t.ambassadorA);
    expect(a.data?.informalCareRequests.totalCount).toBeGreaterThan(0);
    leakFree(a.raw);
    expect((await hub.gql(DUE, {}, t.ambassadorB)).data?.dueCheckIns.every((d: { match: { id: string } }) => d.match.id)).toBe(true);
    for (const [query, token] of [
      [PROPOSE, t.vera], [PROPOSE, t.workerA], [RESPOND, t.ambassadorA], [DUE, t.workerA], [DUE, t.vera], [CHECK_IN, t.workerA],
    ] as const) {
      const res = await hub.gql(query, { r: caseA.id, v: vera.id, id: caseA.id, accept: true, input: { matchId: caseA.id, at: new Date().toISOString(), going: 'GOOD' } }, token);
      expect(code(res), query.slice(0, 30)).toBe('FORBIDDEN');
      leakFree(res.raw);
    }
    const anonymous = await hub.gql('{ informalCareVocabulary { skills } }');
    expect(code(anonymous)).toBe('UNAUTHENTICATED');
  });
});

describe('check-ins', () => {
  let due1: VolunteerMatch;
  let notYet: VolunteerMatch;
  let dueAfterCheckIn: VolunteerMatch;
  let recentCheckIn: VolunteerMatch;
  let otherTeam: VolunteerMatch;

  beforeAll(async () => {
    const em = hub.em();
    const cA = await em.findOneOrFail(CaseEntity, caseA.id, { populate: ['household', 'team'] });
    const cB = await em.findOneOrFail(CaseEntity, caseB.id, { populate: ['household', 'team'] });
    const v = await em.findOneOrFail(Volunteer, vera.id);
    const match = (c: Case, startedDaysAgo: number) => {
      const request = buildInformalCareRequest(em, { case: c, requestedBy: workerA, createdAt: new Date(Date.now() - (startedDaysAgo + 10) * DAY) });
      return buildVolunteerMatch(em, { request, volunteer: v, status: MatchStatus.ACTIVE, startedAt: new Date(Date.now() - startedDaysAgo * DAY) });
    };
    due1 = match(cA!, 40);
    notYet = match(cA!, 20);
    dueAfterCheckIn = match(cA!, 200);
    recentCheckIn = match(cA!, 200);
    otherTeam = match(cB!, 40);
    await em.flush();
    buildMatchCheckIn(em, { match: dueAfterCheckIn, recordedBy: ambassadorA, at: new Date(Date.now() - 100 * DAY) });
    buildMatchCheckIn(em, { match: recentCheckIn, recordedBy: ambassadorA, at: new Date(Date.now() - 30 * DAY) });
    await em.flush();
  });

  it('lists what is due: one month after the start, then three months after the last check-in; own team only', async () => {
    const res = await hub.gql(DUE, {}, t.ambassadorA);
    expect(res.errors).toBeUndefined();
    const list = res.data!.dueCheckIns as { match: { id: string; volunteer: { givenName: string } }; dueAt: string }[];
    // Oldest due first: start − 40 days + 1 month, then check-in − 100 days + 3 months.
    expect(list.map((d) => d.match.id)).toEqual([due1.id, dueAfterCheckIn.id]);
    expect(new Date(list[0]!.dueAt).getTime()).toBe(addMonthsUtc(due1.startedAt!, 1).getTime());
    const lastCheckIn = new Date(Date.now() - 100 * DAY);
    expect(Math.abs(new Date(list[1]!.dueAt).getTime() - addMonthsUtc(lastCheckIn, 3).getTime())).toBeLessThan(2000);
    expect(list[0]!.match.volunteer.givenName).toBe('Vera');
    expect(res.raw).not.toContain(vera.familyName);
    const b = await hub.gql(DUE, {}, t.ambassadorB);
    expect(b.data!.dueCheckIns.map((d: { match: { id: string } }) => d.match.id)).toEqual([otherTeam.id]);
    expect([notYet.id, recentCheckIn.id].some((id) => list.some((d) => d.match.id === id))).toBe(false);
  });

  it('the daily reminder writes one outbox row per due match (ids only) and is idempotent', async () => {
    const now = new Date();
    const first = await enqueueDueCheckInReminders(hub.em(), now);
    expect(first).toEqual({ queued: 3, due: 3 });
    const rows = async () =>
      hub.em().getConnection().execute<{ payload: Record<string, unknown> }[]>(`select payload from outbox where topic = ? order by payload->>'matchId'`, [CHECK_IN_REMINDER_TOPIC]);
    const payloads = (await rows()).map((r) => r.payload);
    expect(payloads).toHaveLength(3);
    const byMatch = new Map(payloads.map((p) => [p.matchId, p]));
    expect(byMatch.get(due1.id)).toEqual({ matchId: due1.id, ambassadorId: ambassadorA.id, dueOn: addMonthsUtc(due1.startedAt!, 1).toISOString().slice(0, 10) });
    expect(byMatch.get(otherTeam.id)?.ambassadorId).toBe(ambassadorB.id);
    for (const p of payloads) expect(Object.keys(p).sort()).toEqual(['ambassadorId', 'dueOn', 'matchId']);
    expect(await enqueueDueCheckInReminders(hub.em(), now)).toEqual({ queued: 0, due: 3 });
    expect(await enqueueDueCheckInReminders(hub.em(), new Date(now.getTime() + 3600_000))).toMatchObject({ queued: 0 });
    expect(await rows()).toHaveLength(3);
  });

  it('recording a check-in moves the next one three months on; only the own team, only ACTIVE matches', async () => {
    const input = { matchId: due1.id, at: new Date().toISOString(), going: 'GOOD', note: 'Klikt goed' };
    expect(code(await hub.gql(CHECK_IN, { input }, t.ambassadorB))).toBe('NOT_FOUND');
    expect(code(await hub.gql(CHECK_IN, { input: { ...input, at: new Date(Date.now() - 100 * DAY).toISOString() } }, t.ambassadorA))).toBe('BAD_USER_INPUT');
    const ok = await hub.gql(CHECK_IN, { input }, t.ambassadorA);
    expect(ok.data?.recordMatchCheckIn).toMatchObject({ going: 'GOOD' });
    expect(ok.raw).not.toContain('Klikt goed');
    const list = (await hub.gql(DUE, {}, t.ambassadorA)).data!.dueCheckIns as { match: { id: string } }[];
    expect(list.map((d) => d.match.id)).toEqual([dueAfterCheckIn.id]);
    // Three months on, due again: a new reminder for the new due day.
    const later = await enqueueDueCheckInReminders(hub.em(), new Date(Date.now() + 95 * DAY));
    expect(later.queued).toBeGreaterThanOrEqual(1);
    const [n] = await hub.em().getConnection().execute(`select count(*)::int as n from outbox where topic = ? and payload->>'matchId' = ?`, [CHECK_IN_REMINDER_TOPIC, due1.id]);
    expect(n.n).toBe(2);
    await hub.gql(END, { id: due1.id }, t.ambassadorA);
    expect(code(await hub.gql(CHECK_IN, { input }, t.ambassadorA))).toBe('CONFLICT');
  });
});

describe('contract: every operation of informal-care.graphql over HTTP', () => {
  const doc = contractFile('informal-care.graphql');
  it.skipIf(!doc)('runs each operation by name from the whole file', async () => {
    const run = async (operationName: string, variables: Record<string, unknown>, token: string) => {
      const res = await hub.gql(doc!, variables, token, operationName);
      expect(res.errors, `${operationName}: ${JSON.stringify(res.errors)}`).toBeUndefined();
      return res.data!;
    };
    const vocabulary = await run('InformalCareVocabulary', {}, t.workerA);
    expect(vocabulary.informalCareVocabulary.skills).toContain('shopping');
    const email = `contract.${Date.now()}@example.test`;
    const registered = await run('RegisterVolunteer', {
      input: { organisationId: careOrg.id, givenName: 'Connie', familyName: 'Contract', email, postcode: '3562AA', skills: ['cooking'], languages: ['Turkish', 'Dutch'], availability: [{ day: 'FRIDAY', part: 'EVENING' }], maxMatches: 2, vogIssuedAt: VALID_VOG },
    }, t.ambassadorA);
    const volunteerId = registered.registerVolunteer.id as string;
    const requested = await run('RequestInformalCare', {
      input: { caseId: caseA2.id, needs: ['cooking'], languages: ['Turkish'], availability: [{ day: 'FRIDAY', part: 'EVENING' }], note: 'SECRET' },
    }, t.workerA);
    const requestId = requested.requestInformalCare.id as string;
    expect(requested.requestInformalCare.status).toBe('OPEN');
    const discussed = await run('RecordCaseDiscussion', { input: { caseId: caseA2.id, discussedAt: new Date().toISOString(), informalCarePossible: true } }, t.ambassadorA);
    expect(discussed.recordCaseDiscussion.informalCarePossible).toBe(true);
    const open = await run('OpenInformalCareRequests', { first: 50 }, t.ambassadorA);
    expect(open.informalCareRequests.edges.some((e: { node: { id: string } }) => e.node.id === requestId)).toBe(true);
    const candidates = await run('VolunteerCandidates', { requestId, first: 5 }, t.ambassadorA);
    expect(candidates.volunteerCandidates[0].volunteer.id).toBe(volunteerId);
    expect(candidates.volunteerCandidates[0].reasons).toEqual(expect.arrayContaining(['helps for cooking', 'speaks Turkish', 'free Friday evenings']));
    const proposed = await run('ProposeMatch', { requestId, volunteerId }, t.ambassadorA);
    const matchId = proposed.proposeMatch.id as string;
    const connie = await hub.tokenFor(volunteerId);
    const mine = await run('MyMatches', {}, connie);
    expect(mine.myMatches).toHaveLength(1);
    expect(mine.myMatches[0].contactPhone).toBeNull();
    expect((await run('RespondToMatch', { id: matchId, accept: true }, connie)).respondToMatch.status).toBe('ACCEPTED');
    const activated = await run('ActivateMatch', { id: matchId, startedAt: new Date().toISOString() }, t.workerA);
    expect(activated.activateMatch.status).toBe('ACTIVE');
    // Started (as if) 40 days ago: its first check-in is due.
    await hub.em().getConnection().execute(`update volunteer_match set started_at = now() - interval '40 days' where id = ?`, [matchId]);
    const due = await run('DueCheckIns', {}, t.ambassadorA);
    expect(due.dueCheckIns.some((d: { match: { id: string } }) => d.match.id === matchId)).toBe(true);
    const checkIn = await run('RecordMatchCheckIn', { input: { matchId, at: new Date().toISOString(), going: 'CONCERN' } }, t.ambassadorA);
    expect(checkIn.recordMatchCheckIn.going).toBe('CONCERN');
    const ended = await run('EndMatch', { id: matchId, reason: 'klaar' }, t.ambassadorA);
    expect(ended.endMatch.status).toBe('ENDED');
  });
});
