/**
 * Adversarial review probes: mutations — domain rules (DESIGN.md section 3), optimistic locking
 * and concurrency, input validation and all-or-nothing writes. Every test asserts what DESIGN.md
 * and a careful user expect, so a failing test is a real problem. Team isolation is covered by
 * review-probes-staff.test.ts and review-probes-partner.test.ts and is not repeated here.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type GqlResponse, type TestHub } from '../helpers/app.js';
import {
  buildCase,
  buildFeedback,
  buildHousehold,
  buildInformalCareRequest,
  buildOrganisation,
  buildReferral,
  buildStaff,
  buildTeam,
  buildVolunteer,
  buildVolunteerMatch,
  buildWorkerChangeRequest,
  ZRM_DOMAINS,
} from '../../seeds/factories.js';
import {
  CaseStatus,
  FeedbackKind,
  FeedbackStatus,
  InformalCareRequestStatus,
  MatchStatus,
  OrganisationKind,
  ReferralStatus,
  Role,
  WorkerChangeStatus,
  ZrmVersion,
} from '../../src/modules/common/enums.js';
import type { Team } from '../../src/modules/team/team.entity.js';
import type { Staff } from '../../src/modules/staff/staff.entity.js';
import type { Organisation } from '../../src/modules/organisation/organisation.entity.js';
import { Case as CaseEntity, type Case } from '../../src/modules/case/case.entity.js';
import type { Resident } from '../../src/modules/household/resident.entity.js';
import type { Household } from '../../src/modules/household/household.entity.js';
import type { Volunteer } from '../../src/modules/informal-care/volunteer.entity.js';

const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY);
const isoAgo = (days: number) => ago(days).toISOString();
const inDays = (days: number) => new Date(Date.now() + days * DAY).toISOString();
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

let hub: TestHub;
let tA: Team, tFlex: Team;
let workerA: Staff, worker2A: Staff, leadA: Staff, flex: Staff, admin: Staff, ambA: Staff;
let gp: Organisation, corp: Organisation, careOrg: Organisation, careProvider: Organisation;
const T: Record<string, string> = {};

const code = (res: GqlResponse) => res.errors?.[0]?.extensions?.code;
const msg = (res: GqlResponse) => res.errors?.[0]?.message ?? '';
const ok = (res: GqlResponse) => !res.errors?.length;

async function q<R = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<R[]> {
  return hub.em().getConnection().execute<R[]>(sql, params);
}
async function n(sql: string, params: unknown[] = []): Promise<number> {
  const [row] = await q<{ n: string }>(sql, params);
  return Number(row!.n);
}
/** Audit CREATE/UPDATE rows of one object. */
const writes = (objectId: string) => n(`select count(*) as n from access_log where object_id = ? and action in ('CREATE','UPDATE')`, [objectId]);
const outboxFor = (referralId: string) => n(`select count(*) as n from outbox where payload->>'referralId' = ?`, [referralId]);

/** A client error with one of the given codes, never INTERNAL_SERVER_ERROR, no SQL/stack text. */
function expectClientError(res: GqlResponse, codes: string | string[], ...mustNotContain: string[]) {
  const allowed = Array.isArray(codes) ? codes : [codes];
  expect(res.errors, `expected an error, got ${res.raw.slice(0, 300)}`).toBeDefined();
  expect(allowed, `got ${code(res)}: ${msg(res)}`).toContain(code(res));
  for (const e of res.errors ?? []) {
    expect(e.extensions?.stacktrace).toBeUndefined();
    expect(e.message).not.toMatch(/\b(select|insert|update|delete)\b .*\b(from|into|set)\b|violates|constraint|syntax error|invalid byte sequence|duplicate key|at .*\.ts:\d+/i);
  }
  for (const s of mustNotContain) expect(res.raw, `error echoes "${s}"`).not.toContain(s);
}

async function fresh(status: CaseStatus, o: { registeredAt?: Date; coordinator?: Staff | null; members?: number } = {}) {
  const em = hub.em();
  const { household, head, residents } = buildHousehold(em, { team: tA, members: o.members ?? 1 });
  const c = buildCase(em, {
    household,
    status,
    registeredAt: o.registeredAt ?? ago(40),
    coordinator: o.coordinator === undefined ? (status === CaseStatus.ACTIVE || status === CaseStatus.CLOSED ? workerA : null) : o.coordinator,
    ...(status === CaseStatus.CLOSED ? { closedEarly: false } : {}),
  });
  await em.flush();
  return { household, head, residents, c };
}

const CASE_ROW = `select status, version, first_contact_at, started_at, closed_at, closure_reason, client_rating, coordinator_id from "case" where id = ?`;
const caseRow = async (id: string) => (await q<Record<string, unknown>>(CASE_ROW, [id]))[0]!;

const M = {
  openCase: `mutation($i: OpenCaseInput!) { openCase(input: $i) { id status version } }`,
  firstContact: `mutation($id: ID!, $at: DateTime!, $v: Int) { recordFirstContact(caseId: $id, at: $at, expectedVersion: $v) { id status version firstContactAt } }`,
  start: `mutation($i: StartCaseInput!) { startCase(input: $i) { id status version startedAt coordinator { id } } }`,
  close: `mutation($i: CloseCaseInput!) { closeCase(input: $i) { id status version closedAt startedAt closureReason clientRating } }`,
  reassign: `mutation($id: ID!, $c: ID!, $v: Int) { reassignCoordinator(caseId: $id, coordinatorId: $c, expectedVersion: $v) { id version coordinator { id } } }`,
  goal: `mutation($i: AddGoalInput!) { addGoal(input: $i) { id } }`,
  note: `mutation($i: AddCaseNoteInput!) { addCaseNote(input: $i) { id body } }`,
  zrm: `mutation($i: RecordZrmAssessmentInput!) { recordZrmAssessment(input: $i) { id scores { domain score } } }`,
  care: `mutation($i: RecordCareAllocationInput!) { recordCareAllocation(input: $i) { id decision } }`,
  feedback: `mutation($i: RegisterFeedbackInput!) { registerFeedback(input: $i) { id status } }`,
  resolve: `mutation($id: ID!, $s: FeedbackStatus!, $r: String) { resolveFeedback(id: $id, status: $s, resolution: $r) { id status } }`,
  wcr: `mutation($i: RequestWorkerChangeInput!) { requestWorkerChange(input: $i) { id status } }`,
  decide: `mutation($id: ID!, $g: Boolean!) { decideWorkerChange(id: $id, grant: $g) { id status } }`,
  triage: `mutation($i: TriageReferralInput!) { triageReferral(input: $i) { id status case { id } household { id } } }`,
  submit: `mutation($i: SubmitReferralInput!) { submitReferral(input: $i) { id externalId status } }`,
  cancel: `mutation($id: ID!, $r: String) { cancelReferral(id: $id, reason: $r) { id status } }`,
  household: `mutation($i: RegisterHouseholdInput!) { registerHousehold(input: $i) { id members { id } } }`,
  consent: `mutation($i: RecordConsentInput!) { recordConsent(input: $i) { id } }`,
  icr: `mutation($i: RequestInformalCareInput!) { requestInformalCare(input: $i) { id status } }`,
  propose: `mutation($r: ID!, $v: ID!) { proposeMatch(requestId: $r, volunteerId: $v) { id status } }`,
  respond: `mutation($id: ID!, $a: Boolean!) { respondToMatch(id: $id, accept: $a) { id status } }`,
  activate: `mutation($id: ID!, $at: DateTime) { activateMatch(id: $id, startedAt: $at) { id status startedAt } }`,
  end: `mutation($id: ID!) { endMatch(id: $id) { id status } }`,
  checkIn: `mutation($i: RecordMatchCheckInInput!) { recordMatchCheckIn(input: $i) { id } }`,
  volunteer: `mutation($i: RegisterVolunteerInput!) { registerVolunteer(input: $i) { id } }`,
  pause: `mutation($p: Boolean!) { setVolunteerPaused(paused: $p) { id } }`,
  flex: `mutation($i: AssignFlexWorkerInput!) { assignFlexWorker(input: $i) { id until } }`,
  staff: `mutation($i: CreateStaffInput!) { createStaff(input: $i) { id } }`,
  org: `mutation($i: CreateOrganisationInput!) { createOrganisation(input: $i) { id } }`,
  correct: `mutation($i: CorrectResidentInput!) { correctResident(input: $i) { id givenName } }`,
  erase: `mutation($id: ID!) { eraseResident(residentId: $id) { outcome } }`,
};

const scores = (version: ZrmVersion, score = 3) => ZRM_DOMAINS[version].map((domain) => ({ domain, score }));

beforeAll(async () => {
  hub = await startTestHub();
  const em = hub.em();
  tA = buildTeam(em, { postcodes: ['3941'] });
  tFlex = buildTeam(em, { isFlex: true, postcodes: [] });
  workerA = buildStaff(em, { role: Role.TEAM_WORKER, teams: [tA] });
  worker2A = buildStaff(em, { role: Role.TEAM_WORKER, teams: [tA] });
  leadA = buildStaff(em, { role: Role.TEAM_LEAD, teams: [tA] });
  flex = buildStaff(em, { role: Role.FLEX_WORKER, teams: [tFlex] });
  admin = buildStaff(em, { role: Role.ADMIN });
  careOrg = buildOrganisation(em, { kind: OrganisationKind.INFORMAL_CARE });
  careProvider = buildOrganisation(em, { kind: OrganisationKind.CARE_PROVIDER });
  ambA = buildStaff(em, { role: Role.AMBASSADOR, teams: [tA], organisation: careOrg });
  gp = buildOrganisation(em, { kind: OrganisationKind.GP_PRACTICE });
  corp = buildOrganisation(em, { kind: OrganisationKind.HOUSING_CORPORATION });
  await em.flush();
  for (const [k, p] of Object.entries({ workerA, worker2A, leadA, flex, admin, ambA, gp, corp })) T[k] = await hub.tokenFor(p);
});

afterAll(async () => {
  await hub?.stop();
});

// =============================================================================================
describe('case lifecycle: forbidden transitions are CONFLICT and change nothing', () => {
  it('REGISTERED → startCase (skipping the first contact) is CONFLICT; the case is untouched', async () => {
    const { c } = await fresh(CaseStatus.REGISTERED);
    const before = await caseRow(c.id);
    const res = await hub.gql(M.start, { i: { caseId: c.id, startedAt: isoAgo(1), coordinatorId: workerA.id } }, T.workerA);
    expectClientError(res, 'CONFLICT');
    expect(await caseRow(c.id)).toEqual(before);
    expect(await writes(c.id)).toBe(0);
  });

  it('recordFirstContact on an INTAKE or ACTIVE case is CONFLICT (the first contact is not overwritten)', async () => {
    for (const status of [CaseStatus.INTAKE, CaseStatus.ACTIVE]) {
      const { c } = await fresh(status);
      const before = await caseRow(c.id);
      const res = await hub.gql(M.firstContact, { id: c.id, at: isoAgo(1) }, T.workerA);
      expectClientError(res, 'CONFLICT');
      expect(await caseRow(c.id)).toEqual(before);
    }
  });

  it('a CLOSED case refuses every change (close again, first contact, start, reassign, goal, note, care allocation, informal care, worker change)', async () => {
    const { c, head } = await fresh(CaseStatus.CLOSED);
    const before = await caseRow(c.id);
    const attempts: [string, Record<string, unknown>, string][] = [
      [M.close, { i: { caseId: c.id, closedAt: isoAgo(0.5), reason: 'AS_PLANNED' } }, T.workerA],
      [M.firstContact, { id: c.id, at: isoAgo(1) }, T.workerA],
      [M.start, { i: { caseId: c.id, startedAt: isoAgo(1), coordinatorId: workerA.id } }, T.workerA],
      [M.reassign, { id: c.id, c: worker2A.id }, T.leadA],
      [M.goal, { i: { caseId: c.id, description: 'probe goal' } }, T.workerA],
      [M.note, { i: { caseId: c.id, body: 'probe note' } }, T.workerA],
      [M.care, { i: { caseId: c.id, provision: 'probe', form: 'ZIN', investigationStartedAt: isoDay(ago(2)) } }, T.workerA],
      [M.icr, { i: { caseId: c.id, residentId: head.id, needs: ['shopping'] } }, T.workerA],
      [M.wcr, { i: { caseId: c.id, reason: 'probe' } }, T.workerA],
    ];
    for (const [query, vars, token] of attempts) expectClientError(await hub.gql(query, vars, token), 'CONFLICT');
    expect(await caseRow(c.id)).toEqual(before);
    expect(await writes(c.id)).toBe(0);
    expect(await n('select count(*) as n from goal where case_id = ?', [c.id])).toBe(0);
    expect(await n('select count(*) as n from case_note where case_id = ?', [c.id])).toBe(0);
    expect(await n('select count(*) as n from care_allocation where case_id = ?', [c.id])).toBe(0);
  });

  it('a case closed before it started keeps startedAt empty (REGISTERED → CLOSED)', async () => {
    const { c } = await fresh(CaseStatus.REGISTERED);
    const res = await hub.gql(M.close, { i: { caseId: c.id, closedAt: isoAgo(1), reason: 'ENDED_BY_CLIENT' } }, T.workerA);
    expect(res.errors).toBeUndefined();
    expect(res.data!.closeCase).toMatchObject({ status: 'CLOSED', startedAt: null, closureReason: 'ENDED_BY_CLIENT' });
  });

  it('dates out of order are BAD_USER_INPUT: first contact before registration, start before first contact, closure before start', async () => {
    const reg = await fresh(CaseStatus.REGISTERED, { registeredAt: ago(10) });
    expectClientError(await hub.gql(M.firstContact, { id: reg.c.id, at: isoAgo(11) }, T.workerA), 'BAD_USER_INPUT');
    const intake = await fresh(CaseStatus.INTAKE, { registeredAt: ago(20) });
    const fc = new Date((await caseRow(intake.c.id)).first_contact_at as string);
    expectClientError(
      await hub.gql(M.start, { i: { caseId: intake.c.id, startedAt: new Date(fc.getTime() - 3600_000).toISOString(), coordinatorId: workerA.id } }, T.workerA),
      'BAD_USER_INPUT',
    );
    const active = await fresh(CaseStatus.ACTIVE, { registeredAt: ago(20) });
    const st = new Date((await caseRow(active.c.id)).started_at as string);
    expectClientError(
      await hub.gql(M.close, { i: { caseId: active.c.id, closedAt: new Date(st.getTime() - 3600_000).toISOString(), reason: 'AS_PLANNED' } }, T.workerA),
      'BAD_USER_INPUT',
    );
    for (const c of [reg.c, intake.c, active.c]) expect(await writes(c.id)).toBe(0);
  });

  it('dates in the future are BAD_USER_INPUT: registration, first contact, start, closure', async () => {
    const em = hub.em();
    const { household } = buildHousehold(em, { team: tA, members: 1 });
    await em.flush();
    expectClientError(await hub.gql(M.openCase, { i: { householdId: household.id, referralSource: 'SELF', reason: 'x', registeredAt: inDays(2) } }, T.workerA), 'BAD_USER_INPUT');
    expect(await n('select count(*) as n from "case" where household_id = ?', [household.id])).toBe(0);
    const reg = await fresh(CaseStatus.REGISTERED);
    expectClientError(await hub.gql(M.firstContact, { id: reg.c.id, at: inDays(1) }, T.workerA), 'BAD_USER_INPUT');
    const intake = await fresh(CaseStatus.INTAKE);
    expectClientError(await hub.gql(M.start, { i: { caseId: intake.c.id, startedAt: inDays(1), coordinatorId: workerA.id } }, T.workerA), 'BAD_USER_INPUT');
    const active = await fresh(CaseStatus.ACTIVE);
    expectClientError(await hub.gql(M.close, { i: { caseId: active.c.id, closedAt: inDays(1), reason: 'AS_PLANNED' } }, T.workerA), 'BAD_USER_INPUT');
  });

  it('closure fields: clientRating outside 1–10 is BAD_USER_INPUT and the case stays open', async () => {
    const { c } = await fresh(CaseStatus.ACTIVE);
    for (const rating of [0, 11, -3]) {
      expectClientError(await hub.gql(M.close, { i: { caseId: c.id, closedAt: isoAgo(0.1), reason: 'AS_PLANNED', clientRating: rating } }, T.workerA), 'BAD_USER_INPUT');
    }
    expect((await caseRow(c.id)).status).toBe('ACTIVE');
  });

  it('an unknown closure reason or referral source is BAD_USER_INPUT (enum), not a server error', async () => {
    const { c, household } = await fresh(CaseStatus.ACTIVE);
    expectClientError(await hub.gql(M.close, { i: { caseId: c.id, closedAt: isoAgo(0.1), reason: 'BORED' } }, T.workerA), 'BAD_USER_INPUT');
    expectClientError(await hub.gql(M.openCase, { i: { householdId: household.id, referralSource: 'NEIGHBOUR', reason: 'x' } }, T.workerA), 'BAD_USER_INPUT');
  });

  it('a second open case for a household is CONFLICT and adds no row', async () => {
    const { household } = await fresh(CaseStatus.INTAKE);
    expectClientError(await hub.gql(M.openCase, { i: { householdId: household.id, referralSource: 'SELF', reason: 'again' } }, T.workerA), 'CONFLICT');
    expect(await n('select count(*) as n from "case" where household_id = ?', [household.id])).toBe(1);
  });

  it('startCase with a coordinator who is not a worker of the team (a flex worker, an ambassador) is BAD_USER_INPUT', async () => {
    const { c } = await fresh(CaseStatus.INTAKE);
    for (const who of [flex, ambA, admin]) {
      expectClientError(await hub.gql(M.start, { i: { caseId: c.id, startedAt: isoAgo(0.1), coordinatorId: who.id } }, T.workerA), 'BAD_USER_INPUT');
    }
    expect((await caseRow(c.id)).status).toBe('INTAKE');
  });
});

// =============================================================================================
describe('optimistic locking and concurrent edits of one case', () => {
  it('a stale expectedVersion is CONFLICT and writes nothing (first contact, start, close, reassign)', async () => {
    const reg = await fresh(CaseStatus.REGISTERED);
    expectClientError(await hub.gql(M.firstContact, { id: reg.c.id, at: isoAgo(1), v: 7 }, T.workerA), 'CONFLICT');
    const intake = await fresh(CaseStatus.INTAKE);
    expectClientError(await hub.gql(M.start, { i: { caseId: intake.c.id, startedAt: isoAgo(0.1), coordinatorId: workerA.id, expectedVersion: 0 } }, T.workerA), 'CONFLICT');
    const active = await fresh(CaseStatus.ACTIVE);
    const before = await caseRow(active.c.id);
    expectClientError(await hub.gql(M.close, { i: { caseId: active.c.id, closedAt: isoAgo(0.1), reason: 'AS_PLANNED', expectedVersion: 2 } }, T.workerA), 'CONFLICT');
    expectClientError(await hub.gql(M.reassign, { id: active.c.id, c: worker2A.id, v: 5 }, T.leadA), 'CONFLICT');
    expect(await caseRow(active.c.id)).toEqual(before);
    for (const c of [reg.c, intake.c, active.c]) expect(await writes(c.id)).toBe(0);
  });

  it('each change bumps the version: the version read before a change is stale after it', async () => {
    const { c } = await fresh(CaseStatus.REGISTERED);
    const r1 = await hub.gql(M.firstContact, { id: c.id, at: isoAgo(1), v: 1 }, T.workerA);
    expect(r1.errors).toBeUndefined();
    expect(r1.data!.recordFirstContact.version).toBe(2);
    // A second client that still holds version 1 must not start the case.
    expectClientError(await hub.gql(M.start, { i: { caseId: c.id, startedAt: isoAgo(0.5), coordinatorId: workerA.id, expectedVersion: 1 } }, T.workerA), 'CONFLICT');
    const r2 = await hub.gql(M.start, { i: { caseId: c.id, startedAt: isoAgo(0.5), coordinatorId: workerA.id, expectedVersion: 2 } }, T.workerA);
    expect(r2.errors).toBeUndefined();
    expect(r2.data!.startCase.version).toBe(3);
  });

  it.each([1, 2, 3, 4])('two closeCase at once (round %i): exactly one wins, the other is CONFLICT; one audit UPDATE; the winner’s fields stand', async () => {
    const { c } = await fresh(CaseStatus.ACTIVE);
    const [a, b] = await Promise.all([
      hub.gql(M.close, { i: { caseId: c.id, closedAt: isoAgo(0.2), reason: 'AS_PLANNED', clientRating: 9 } }, T.workerA),
      hub.gql(M.close, { i: { caseId: c.id, closedAt: isoAgo(0.1), reason: 'ENDED_BY_CLIENT', clientRating: 2 } }, T.worker2A),
    ]);
    expect([a, b].filter(ok)).toHaveLength(1);
    expectClientError([a, b].find((r) => !ok(r))!, 'CONFLICT');
    const winner = [a, b].find(ok)!.data!.closeCase as { closureReason: string; clientRating: number };
    const row = await caseRow(c.id);
    expect(row).toMatchObject({ status: 'CLOSED', closure_reason: winner.closureReason, client_rating: winner.clientRating });
    expect(await writes(c.id)).toBe(1);
  });

  it('two startCase at once with different coordinators: one wins, its coordinator stands (no lost update)', async () => {
    const { c } = await fresh(CaseStatus.INTAKE);
    const [a, b] = await Promise.all([
      hub.gql(M.start, { i: { caseId: c.id, startedAt: isoAgo(0.1), coordinatorId: workerA.id } }, T.workerA),
      hub.gql(M.start, { i: { caseId: c.id, startedAt: isoAgo(0.1), coordinatorId: worker2A.id } }, T.worker2A),
    ]);
    expect([a, b].filter(ok)).toHaveLength(1);
    expectClientError([a, b].find((r) => !ok(r))!, 'CONFLICT');
    const winner = [a, b].find(ok)!.data!.startCase as { coordinator: { id: string } };
    expect((await caseRow(c.id)).coordinator_id).toBe(winner.coordinator.id);
    expect(await writes(c.id)).toBe(1);
  });

  it('closeCase and reassignCoordinator at once: not both succeed (a reassigned closed case would be a lost update)', async () => {
    const { c } = await fresh(CaseStatus.ACTIVE);
    const [a, b] = await Promise.all([
      hub.gql(M.close, { i: { caseId: c.id, closedAt: isoAgo(0.1), reason: 'AS_PLANNED' } }, T.leadA),
      hub.gql(M.reassign, { id: c.id, c: worker2A.id }, T.leadA),
    ]);
    expect([a, b].filter(ok).length).toBeGreaterThanOrEqual(1);
    const row = await caseRow(c.id);
    // Whatever order they ran in, the version counts exactly the successful writes.
    expect(row.version).toBe(1 + [a, b].filter(ok).length);
    if (ok(b) && ok(a)) expect(row.coordinator_id).toBe(worker2A.id);
  });

  it('two openCase at once on one household: exactly one case, the other CONFLICT', async () => {
    const em = hub.em();
    const { household } = buildHousehold(em, { team: tA, members: 1 });
    await em.flush();
    const res = await Promise.all(
      [0, 1, 2].map(() => hub.gql(M.openCase, { i: { householdId: household.id, referralSource: 'SELF', reason: 'race' } }, T.workerA)),
    );
    expect(res.filter(ok)).toHaveLength(1);
    for (const r of res.filter((x) => !ok(x))) expectClientError(r, 'CONFLICT');
    expect(await n('select count(*) as n from "case" where household_id = ?', [household.id])).toBe(1);
  });
});

// =============================================================================================
describe('openCase with a referral: all or nothing', () => {
  it('a referral already linked to a case is CONFLICT, and no case (nor its audit row) is left behind', async () => {
    const linked = await fresh(CaseStatus.CLOSED);
    const em = hub.em();
    const ref = buildReferral(em, { from: gp, team: tA, status: ReferralStatus.CLOSED, case: em.getReference(CaseEntity, linked.c.id) });
    const { household } = buildHousehold(em, { team: tA, members: 1 });
    await em.flush();
    const auditBefore = await n(`select count(*) as n from access_log where object_type = 'Case' and action = 'CREATE'`);
    const res = await hub.gql(M.openCase, { i: { householdId: household.id, referralSource: 'GP', reason: 'x', referralId: ref.id } }, T.workerA);
    expectClientError(res, 'CONFLICT');
    expect(await n('select count(*) as n from "case" where household_id = ?', [household.id])).toBe(0);
    expect(await n(`select count(*) as n from access_log where object_type = 'Case' and action = 'CREATE'`)).toBe(auditBefore);
  });

  it('linking a RECEIVED referral moves it to TRIAGED and, like every status change, writes its outbox row', async () => {
    const em = hub.em();
    const ref = buildReferral(em, { from: gp, team: tA, status: ReferralStatus.RECEIVED, subjectPostcode: '3941AA' });
    const { household } = buildHousehold(em, { team: tA, members: 1 });
    await em.flush();
    const res = await hub.gql(M.openCase, { i: { householdId: household.id, referralSource: 'GP', reason: 'x', referralId: ref.id } }, T.workerA);
    expect(res.errors).toBeUndefined();
    const [row] = await q<{ status: string; case_id: string }>('select status, case_id from referral where id = ?', [ref.id]);
    expect(row).toMatchObject({ status: 'TRIAGED', case_id: res.data!.openCase.id });
    // README: "Every status change (creation, triage, contact attempt, cancel …) writes an outbox row".
    expect(await outboxFor(ref.id)).toBe(1);
  });

  it('a referral the sender withdrew (CANCELLED) cannot be taken in as the answer to a new case', async () => {
    const em = hub.em();
    const ref = buildReferral(em, { from: gp, team: tA, status: ReferralStatus.CANCELLED, subjectPostcode: '3941AB' });
    const { household } = buildHousehold(em, { team: tA, members: 1 });
    await em.flush();
    const res = await hub.gql(M.openCase, { i: { householdId: household.id, referralSource: 'GP', reason: 'x', referralId: ref.id } }, T.workerA);
    expectClientError(res, ['CONFLICT', 'BAD_USER_INPUT']);
    expect(await n('select count(*) as n from "case" where household_id = ?', [household.id])).toBe(0);
    const [row] = await q<{ status: string; case_id: string | null }>('select status, case_id from referral where id = ?', [ref.id]);
    expect(row).toMatchObject({ status: 'CANCELLED', case_id: null });
  });
});

// =============================================================================================
describe('ZRM assessments', () => {
  let c: Case;
  beforeAll(async () => {
    c = (await fresh(CaseStatus.ACTIVE, { registeredAt: ago(30) })).c;
  });
  const rec = (i: Record<string, unknown>) =>
    hub.gql(M.zrm, { i: { caseId: c.id, assessedAt: isoAgo(1), version: 'ZRM_2017', kind: 'FOLLOW_UP', scores: scores(ZrmVersion.ZRM_2017), ...i } }, T.workerA);

  it('(control) a full ZRM_2015 and ZRM_2017 set is accepted', async () => {
    expect((await rec({})).errors).toBeUndefined();
    expect((await rec({ version: 'ZRM_2015', scores: scores(ZrmVersion.ZRM_2015) })).errors).toBeUndefined();
  });

  it('score sets that do not match their version are BAD_USER_INPUT and store nothing', async () => {
    const before = await n('select count(*) as n from zrm_assessment where case_id = ?', [c.id]);
    const s17 = scores(ZrmVersion.ZRM_2017);
    const bad: Record<string, unknown>[] = [
      { version: 'ZRM_2015', scores: s17 }, // 2017 domains under 2015
      { scores: s17.slice(1) }, // one domain missing
      { scores: [...s17, s17[0]] }, // one domain twice
      { scores: s17.map((s, i) => (i === 0 ? { ...s, score: 0 } : s)) },
      { scores: s17.map((s, i) => (i === 0 ? { ...s, score: 6 } : s)) },
      { scores: s17.map((s, i) => (i === 0 ? { ...s, score: -1 } : s)) },
      { scores: [] },
      { scores: s17.map((s, i) => (i === 0 ? { ...s, domain: 'HAPPINESS' } : s)) }, // not an enum value
      { scores: s17.map((s, i) => (i === 0 ? { ...s, score: 3.5 } : s)) }, // not an Int
      { version: 'ZRM_2020' },
      { kind: 'INTERIM' },
    ];
    for (const i of bad) expectClientError(await rec(i), 'BAD_USER_INPUT');
    expect(await n('select count(*) as n from zrm_assessment where case_id = ?', [c.id])).toBe(before);
  });

  it('assessedAt in the future or before the registration is BAD_USER_INPUT', async () => {
    expectClientError(await rec({ assessedAt: inDays(3) }), 'BAD_USER_INPUT');
    expectClientError(await rec({ assessedAt: isoAgo(400) }), 'BAD_USER_INPUT');
  });

  it('a closed case takes only a CLOSING assessment (BASELINE / FOLLOW_UP are CONFLICT)', async () => {
    const closed = (await fresh(CaseStatus.CLOSED, { registeredAt: ago(200) })).c;
    const at = new Date((await caseRow(closed.id)).closed_at as string).toISOString();
    for (const kind of ['BASELINE', 'FOLLOW_UP']) {
      const r = await hub.gql(M.zrm, { i: { caseId: closed.id, assessedAt: at, version: 'ZRM_2017', kind, scores: scores(ZrmVersion.ZRM_2017) } }, T.workerA);
      expectClientError(r, 'CONFLICT');
    }
    expect(await n('select count(*) as n from zrm_assessment where case_id = ?', [closed.id])).toBe(0);
  });

  it('a residentId that is not a UUID, or not of the household, is BAD_USER_INPUT (not a server error)', async () => {
    expectClientError(await rec({ residentId: 'not-a-uuid' }), ['BAD_USER_INPUT', 'NOT_FOUND']);
    expectClientError(await rec({ residentId: randomUUID() }), ['BAD_USER_INPUT', 'NOT_FOUND']);
  });
});

// =============================================================================================
describe('care allocations', () => {
  let c: Case;
  beforeAll(async () => {
    c = (await fresh(CaseStatus.ACTIVE)).c;
  });
  const rec = (i: Record<string, unknown>) =>
    hub.gql(M.care, { i: { caseId: c.id, provision: 'Huishoudelijke hulp', form: 'ZIN', investigationStartedAt: isoDay(ago(20)), ...i } }, T.workerA);

  it('(control) a PENDING allocation and a GRANTED one with its decision date are accepted', async () => {
    expect((await rec({})).errors).toBeUndefined();
    expect((await rec({ decision: 'GRANTED', decidedAt: isoDay(ago(5)), providerId: careProvider.id })).errors).toBeUndefined();
  });

  it('inconsistent or impossible dates are BAD_USER_INPUT and store nothing', async () => {
    const before = await n('select count(*) as n from care_allocation where case_id = ?', [c.id]);
    const bad: Record<string, unknown>[] = [
      { decidedAt: isoDay(ago(5)) }, // PENDING with a decision date
      { decision: 'GRANTED', decidedAt: isoDay(ago(30)) }, // decided before the investigation started
      { investigationStartedAt: isoDay(new Date(Date.now() + 3 * DAY)) }, // in the future
      { investigationStartedAt: '2015-02-30' },
      { investigationStartedAt: '2015-13-01' },
      { investigationStartedAt: '20-02-2015' },
      { decision: 'GRANTED', decidedAt: isoDay(new Date(Date.now() + 3 * DAY)) },
      { form: 'CASH' },
      { provision: '   ' },
      { provision: 'x'.repeat(201) },
      { providerId: 'not-a-uuid' },
      { providerId: randomUUID() },
    ];
    for (const i of bad) expectClientError(await rec(i), 'BAD_USER_INPUT');
    expect(await n('select count(*) as n from care_allocation where case_id = ?', [c.id])).toBe(before);
  });

  it('the provider of a maatwerkvoorziening must be a care provider, not a GP practice or housing corporation', async () => {
    const before = await n('select count(*) as n from care_allocation where case_id = ?', [c.id]);
    for (const providerId of [gp.id, corp.id]) expectClientError(await rec({ providerId }), 'BAD_USER_INPUT');
    expect(await n('select count(*) as n from care_allocation where case_id = ?', [c.id])).toBe(before);
  });
});

// =============================================================================================
describe('feedback and complaints', () => {
  const mk = async (status: FeedbackStatus) => {
    const em = hub.em();
    const f = buildFeedback(em, { team: tA, kind: FeedbackKind.COMPLAINT, status, receivedAt: ago(3) });
    await em.flush();
    return f;
  };
  const fStatus = async (id: string) => (await q<{ status: string; resolution: string | null }>('select status, resolution from feedback where id = ?', [id]))[0]!;

  it('resolved / unfounded feedback is final (CONFLICT), and OPEN is not a resolution (BAD_USER_INPUT)', async () => {
    for (const s of [FeedbackStatus.RESOLVED, FeedbackStatus.UNFOUNDED]) {
      const f = await mk(s);
      for (const to of ['RESOLVED', 'UNFOUNDED', 'ESCALATED']) expectClientError(await hub.gql(M.resolve, { id: f.id, s: to, r: 'again' }, T.leadA), 'CONFLICT');
      expect((await fStatus(f.id)).status).toBe(s);
    }
    const open = await mk(FeedbackStatus.OPEN);
    expectClientError(await hub.gql(M.resolve, { id: open.id, s: 'OPEN' }, T.leadA), 'BAD_USER_INPUT');
    const esc = await mk(FeedbackStatus.ESCALATED);
    expectClientError(await hub.gql(M.resolve, { id: esc.id, s: 'ESCALATED' }, T.leadA), 'CONFLICT');
  });

  it('a team worker cannot decide a complaint (FORBIDDEN, unchanged)', async () => {
    const f = await mk(FeedbackStatus.OPEN);
    expectClientError(await hub.gql(M.resolve, { id: f.id, s: 'UNFOUNDED' }, T.workerA), 'FORBIDDEN');
    expect((await fStatus(f.id)).status).toBe('OPEN');
  });

  it('registerFeedback: empty summary, receivedAt in the future, invalid date-time or unknown kind are BAD_USER_INPUT', async () => {
    const base = { teamId: tA.id, kind: 'COMPLAINT', receivedAt: isoAgo(1), summary: 'Wachttijd te lang' };
    const bad = [{ summary: '  \n\t ' }, { receivedAt: inDays(2) }, { receivedAt: '2015-02-30T10:00:00Z' }, { receivedAt: 'yesterday' }, { kind: 'RANT' }, { teamId: 'nope' }];
    const before = await n('select count(*) as n from feedback where team_id = ?', [tA.id]);
    for (const b of bad) expectClientError(await hub.gql(M.feedback, { i: { ...base, ...b } }, T.workerA), 'BAD_USER_INPUT');
    expect(await n('select count(*) as n from feedback where team_id = ?', [tA.id])).toBe(before);
  });

  it('two leads decide the same complaint at once (RESOLVED vs UNFOUNDED): exactly one wins, the other is CONFLICT (8 rounds)', async () => {
    const em = hub.em();
    const lead2 = buildStaff(em, { role: Role.TEAM_LEAD, teams: [tA] });
    await em.flush();
    const t2 = await hub.tokenFor(lead2);
    let bothWon = 0;
    for (let round = 0; round < 8; round++) {
      const f = await mk(FeedbackStatus.OPEN);
      const [a, b] = await Promise.all([
        hub.gql(M.resolve, { id: f.id, s: 'RESOLVED', r: 'Excuses aangeboden' }, T.leadA),
        hub.gql(M.resolve, { id: f.id, s: 'UNFOUNDED', r: 'Klacht ongegrond' }, t2),
      ]);
      for (const r of [a, b].filter((x) => !ok(x))) expectClientError(r, 'CONFLICT');
      if (ok(a) && ok(b)) bothWon++;
      else expect((await fStatus(f.id)).status).toBe(([a, b].find(ok)!.data!.resolveFeedback as { status: string }).status);
    }
    // Each round where both calls were told "done" is a lost update: one lead's decision was overwritten.
    expect(bothWon, `${bothWon} of 8 rounds: both leads' decisions accepted`).toBe(0);
  });
});

// =============================================================================================
describe('worker-change requests', () => {
  const wStatus = async (id: string) => (await q<{ status: string }>('select status from worker_change_request where id = ?', [id]))[0]!.status;

  it('a second pending request for a case is CONFLICT; a decided request cannot be decided again', async () => {
    const { c } = await fresh(CaseStatus.ACTIVE);
    const first = await hub.gql(M.wcr, { i: { caseId: c.id, reason: 'Klikt niet' } }, T.workerA);
    expect(first.errors).toBeUndefined();
    expectClientError(await hub.gql(M.wcr, { i: { caseId: c.id, reason: 'Nog eens' } }, T.workerA), 'CONFLICT');
    const id = first.data!.requestWorkerChange.id as string;
    expect((await hub.gql(M.decide, { id, g: true }, T.leadA)).errors).toBeUndefined();
    expectClientError(await hub.gql(M.decide, { id, g: false }, T.leadA), 'CONFLICT');
    expect(await wStatus(id)).toBe('GRANTED');
  });

  it('two requestWorkerChange at once for one case: one pending request, the other CONFLICT', async () => {
    const { c } = await fresh(CaseStatus.ACTIVE);
    const res = await Promise.all([0, 1, 2].map((i) => hub.gql(M.wcr, { i: { caseId: c.id, reason: `race ${i}` } }, T.workerA)));
    expect(await n(`select count(*) as n from worker_change_request where case_id = ? and status = 'REQUESTED'`, [c.id])).toBe(1);
    expect(res.filter(ok)).toHaveLength(1);
    for (const r of res.filter((x) => !ok(x))) expectClientError(r, 'CONFLICT');
  });

  it('two leads decide one request at once (grant vs refuse): exactly one wins, the other CONFLICT (6 rounds)', async () => {
    const em = hub.em();
    const lead2 = buildStaff(em, { role: Role.TEAM_LEAD, teams: [tA] });
    await em.flush();
    const t2 = await hub.tokenFor(lead2);
    let bothWon = 0;
    for (let round = 0; round < 6; round++) {
      const { c } = await fresh(CaseStatus.ACTIVE);
      const em2 = hub.em();
      const w = buildWorkerChangeRequest(em2, { case: c, requestedBy: workerA, status: WorkerChangeStatus.REQUESTED });
      await em2.flush();
      const [x, y] = await Promise.all([hub.gql(M.decide, { id: w.id, g: true }, T.leadA), hub.gql(M.decide, { id: w.id, g: false }, t2)]);
      for (const r of [x, y].filter((r) => !ok(r))) expectClientError(r, 'CONFLICT');
      if (ok(x) && ok(y)) bothWon++;
    }
    expect(bothWon, `${bothWon} of 6 rounds: both "granted" and "refused" were accepted`).toBe(0);
  });

  it('input: whitespace-only reason, unknown team, malformed team id are BAD_USER_INPUT; nothing stored', async () => {
    const { c } = await fresh(CaseStatus.ACTIVE);
    for (const i of [{ reason: ' \t ' }, { reason: 'x', toTeamId: randomUUID() }, { reason: 'x', toTeamId: 'team-a' }, { reason: 'x'.repeat(2001) }]) {
      expectClientError(await hub.gql(M.wcr, { i: { caseId: c.id, ...i } }, T.workerA), 'BAD_USER_INPUT');
    }
    expect(await n('select count(*) as n from worker_change_request where case_id = ?', [c.id])).toBe(0);
  });
});

// =============================================================================================
describe('referrals: triage state machine, cancel, submit', () => {
  const mkRef = async (status: ReferralStatus, o: { from?: Organisation } = {}) => {
    const em = hub.em();
    const r = buildReferral(em, { from: o.from ?? gp, team: tA, status, subjectPostcode: '3941ZZ', partnerSystem: null });
    await em.flush();
    return r;
  };
  const rRow = async (id: string) =>
    (await q<{ status: string; version: number; case_id: string | null; household_id: string | null }>('select status, version, case_id, household_id from referral where id = ?', [id]))[0]!;
  const attempts = (id: string) => n('select count(*) as n from referral_contact_attempt where referral_id = ?', [id]);

  it('forbidden moves are CONFLICT and write nothing (no status, no outbox, no audit)', async () => {
    const cases: [ReferralStatus, string][] = [
      [ReferralStatus.RECEIVED, 'CLOSED'],
      [ReferralStatus.RECEIVED, 'NOT_REACHED'],
      [ReferralStatus.TRIAGED, 'RECEIVED'],
      [ReferralStatus.IN_CARE, 'DECLINED'],
      [ReferralStatus.CLOSED, 'TRIAGED'],
      [ReferralStatus.CLOSED, 'IN_CARE'],
      [ReferralStatus.CANCELLED, 'TRIAGED'],
      [ReferralStatus.CANCELLED, 'CLOSED'],
      [ReferralStatus.TRIAGED, 'CANCELLED'], // only the sender cancels
      [ReferralStatus.DECLINED, 'IN_CARE'],
    ];
    for (const [from, to] of cases) {
      const r = await mkRef(from);
      const before = await rRow(r.id);
      const res = await hub.gql(M.triage, { i: { referralId: r.id, status: to } }, T.workerA);
      expectClientError(res, 'CONFLICT');
      expect(await rRow(r.id), `${from} → ${to}`).toEqual(before);
      expect(await outboxFor(r.id)).toBe(0);
      expect(await writes(r.id)).toBe(0);
    }
  });

  it('CONTACT_ATTEMPTED without the attempt, IN_CARE without a case: BAD_USER_INPUT, and the attempt/link sent along is not stored', async () => {
    const r = await mkRef(ReferralStatus.TRIAGED);
    const { household } = await fresh(CaseStatus.ACTIVE);
    expectClientError(await hub.gql(M.triage, { i: { referralId: r.id, status: 'CONTACT_ATTEMPTED' } }, T.workerA), 'BAD_USER_INPUT');
    const res = await hub.gql(
      M.triage,
      { i: { referralId: r.id, status: 'IN_CARE', householdId: household.id, contactAttempt: { kind: 'PHONE', at: isoAgo(0.1), reached: true } } },
      T.workerA,
    );
    expectClientError(res, 'BAD_USER_INPUT');
    expect(await rRow(r.id)).toMatchObject({ status: 'TRIAGED', household_id: null, case_id: null, version: 1 });
    expect(await attempts(r.id)).toBe(0);
    expect(await outboxFor(r.id)).toBe(0);
    expect(await writes(r.id)).toBe(0);
  });

  it('a valid householdId with an invalid caseId leaves the referral unlinked (all or nothing)', async () => {
    const r = await mkRef(ReferralStatus.RECEIVED);
    const { household } = await fresh(CaseStatus.ACTIVE);
    const res = await hub.gql(M.triage, { i: { referralId: r.id, status: 'TRIAGED', householdId: household.id, caseId: randomUUID() } }, T.workerA);
    expectClientError(res, ['BAD_USER_INPUT', 'NOT_FOUND']);
    expect(await rRow(r.id)).toMatchObject({ status: 'RECEIVED', household_id: null, version: 1 });
  });

  it('IN_CARE with a case that is already CLOSED is refused (the resident is not in care there)', async () => {
    const r = await mkRef(ReferralStatus.TRIAGED);
    const { c } = await fresh(CaseStatus.CLOSED);
    const res = await hub.gql(M.triage, { i: { referralId: r.id, status: 'IN_CARE', caseId: c.id } }, T.workerA);
    expectClientError(res, ['BAD_USER_INPUT', 'CONFLICT']);
    expect((await rRow(r.id)).status).toBe('TRIAGED');
  });

  it('a contact attempt in the future or on an impossible date is BAD_USER_INPUT', async () => {
    const r = await mkRef(ReferralStatus.TRIAGED);
    for (const at of [inDays(1), '2015-02-30T10:00:00Z', 'morgen']) {
      expectClientError(await hub.gql(M.triage, { i: { referralId: r.id, status: 'CONTACT_ATTEMPTED', contactAttempt: { kind: 'PHONE', at, reached: false } } }, T.workerA), 'BAD_USER_INPUT');
    }
    expect(await attempts(r.id)).toBe(0);
  });

  it.each([1, 2, 3])('two triageReferral at once (round %i) from TRIAGED (DECLINED vs IN_CARE — neither may follow the other): one wins, the other CONFLICT; one outbox row', async () => {
    const r = await mkRef(ReferralStatus.TRIAGED);
    const { c } = await fresh(CaseStatus.ACTIVE);
    const [a, b] = await Promise.all([
      hub.gql(M.triage, { i: { referralId: r.id, status: 'DECLINED' } }, T.workerA),
      hub.gql(M.triage, { i: { referralId: r.id, status: 'IN_CARE', caseId: c.id, contactAttempt: { kind: 'VISIT', at: isoAgo(0.1), reached: true } } }, T.worker2A),
    ]);
    expect([a, b].filter(ok), `both succeeded: ${a.raw} ${b.raw}`).toHaveLength(1);
    expectClientError([a, b].find((x) => !ok(x))!, 'CONFLICT');
    const winner = ([a, b].find(ok)!.data!.triageReferral as { status: string }).status;
    const row = await rRow(r.id);
    expect(row.status).toBe(winner);
    expect(row.case_id).toBe(winner === 'IN_CARE' ? c.id : null);
    expect(await attempts(r.id)).toBe(winner === 'IN_CARE' ? 1 : 0);
    expect(await outboxFor(r.id)).toBe(1);
  });

  it('a CLOSED or CANCELLED referral is final: re-sending its own status with a new household/case link is CONFLICT and links nothing', async () => {
    const { c, household } = await fresh(CaseStatus.ACTIVE);
    for (const [status, link] of [
      [ReferralStatus.CANCELLED, { caseId: c.id }],
      [ReferralStatus.CLOSED, { householdId: household.id }],
    ] as const) {
      const r = await mkRef(status);
      const before = await rRow(r.id);
      const res = await hub.gql(M.triage, { i: { referralId: r.id, status, ...link } }, T.workerA);
      expectClientError(res, 'CONFLICT');
      expect(await rRow(r.id), status).toEqual(before);
      expect(await writes(r.id)).toBe(0);
    }
  });

  it('a contact attempt dated before the referral was received is BAD_USER_INPUT', async () => {
    const em = hub.em();
    const r = buildReferral(em, { from: gp, team: tA, status: ReferralStatus.TRIAGED, subjectPostcode: '3941ZY', receivedAt: ago(3), partnerSystem: null });
    await em.flush();
    const res = await hub.gql(M.triage, { i: { referralId: r.id, status: 'CONTACT_ATTEMPTED', contactAttempt: { kind: 'PHONE', at: isoAgo(30), reached: false } } }, T.workerA);
    expectClientError(res, 'BAD_USER_INPUT');
    expect(await attempts(r.id)).toBe(0);
  });

  it('cancelReferral while a worker triages it: not both succeed unless serialised; the outbox has one row per success', async () => {
    const r = await mkRef(ReferralStatus.RECEIVED);
    const [a, b] = await Promise.all([
      hub.gql(M.cancel, { id: r.id, r: 'Patiënt verhuisd' }, T.gp),
      hub.gql(M.triage, { i: { referralId: r.id, status: 'TRIAGED' } }, T.workerA),
    ]);
    const row = await rRow(r.id);
    expect(row.version).toBe(1 + [a, b].filter(ok).length);
    expect(await outboxFor(r.id)).toBe([a, b].filter(ok).length);
    // A cancelled referral is final: if the triage came second it must have lost.
    if (ok(a) && ok(b)) expect(row.status).toBe('CANCELLED');
  });

  it('cancelling twice is idempotent: CANCELLED, one outbox row, one audit row', async () => {
    const r = await mkRef(ReferralStatus.RECEIVED);
    for (let i = 0; i < 2; i++) expect((await hub.gql(M.cancel, { id: r.id }, T.gp)).data?.cancelReferral?.status).toBe('CANCELLED');
    expect(await outboxFor(r.id)).toBe(1);
    expect(await writes(r.id)).toBe(1);
  });

  const gpInput = (externalId: string, extra: Record<string, unknown> = {}) => ({
    externalId,
    kind: 'GP_REFERRAL',
    subject: { givenName: 'Gijsbertha', familyName: 'Quasimodowska', birthDate: '1961-03-14', postcode: '3941 AB', houseNumber: '12' },
    reason: 'Eenzaamheid na verlies partner',
    consentObtained: true,
    ...extra,
  });
  const refsWith = (externalId: string) => n('select count(*) as n from referral where external_id = ?', [externalId]);

  it('the same submitReferral sent five times at once: one referral, the same id every time, one outbox row', async () => {
    const ext = `SR-race-${randomUUID().slice(0, 8)}`;
    const res = await Promise.all([0, 1, 2, 3, 4].map(() => hub.gql(M.submit, { i: gpInput(ext) }, T.gp)));
    for (const r of res) expect(r.errors, r.raw).toBeUndefined();
    expect(new Set(res.map((r) => r.data!.submitReferral.id)).size).toBe(1);
    expect(await refsWith(ext)).toBe(1);
    expect(await outboxFor(res[0]!.data!.submitReferral.id)).toBe(1);
  });

  it('two different payloads under one externalId at once: one referral, the other CONFLICT', async () => {
    const ext = `SR-race2-${randomUUID().slice(0, 8)}`;
    const [a, b] = await Promise.all([
      hub.gql(M.submit, { i: gpInput(ext) }, T.gp),
      hub.gql(M.submit, { i: gpInput(ext, { reason: 'Schulden' }) }, T.gp),
    ]);
    expect([a, b].filter(ok)).toHaveLength(1);
    expectClientError([a, b].find((x) => !ok(x))!, 'CONFLICT', 'Schulden', 'Eenzaamheid', 'Quasimodowska');
    expect(await refsWith(ext)).toBe(1);
  });

  it('submission input errors are BAD_USER_INPUT, name the field, store nothing and never echo the subject', async () => {
    const bad: Record<string, unknown>[] = [
      { externalId: 'x'.repeat(101) },
      { externalId: '   ' },
      { externalId: 'has space' },
      { subject: { ...gpInput('').subject, givenName: '   ' } },
      { subject: { ...gpInput('').subject, familyName: 'Q'.repeat(101) } },
      { subject: { ...gpInput('').subject, birthDate: '1961-02-30' } },
      { subject: { ...gpInput('').subject, birthDate: '2999-01-01' } },
      { subject: { ...gpInput('').subject, postcode: '0941AB' } },
      { subject: { ...gpInput('').subject, houseNumber: 'twaalf' } },
      { reason: '  ' },
      { urgency: 'EMERGENCY' },
      { consentObtained: false },
    ];
    for (const [i, b] of bad.entries()) {
      const ext = `SR-bad-${i}-${randomUUID().slice(0, 6)}`;
      const res = await hub.gql(M.submit, { i: { ...gpInput(ext), ...b } }, T.gp);
      expectClientError(res, 'BAD_USER_INPUT', 'Gijsbertha', 'Quasimodowska', 'Eenzaamheid');
      expect(await refsWith(ext)).toBe(0);
    }
    const arrears = (a: Record<string, unknown>) => ({ ...gpInput(`VS-bad-${randomUUID().slice(0, 6)}`), kind: 'ARREARS_SIGNAL', reason: null, arrears: { amount: 850, since: isoDay(ago(90)), ...a } });
    for (const a of [{ amount: -10 }, { amount: 0 }, { since: '2024-02-30' }, { since: isoDay(new Date(Date.now() + 5 * DAY)) }, { months: 0 }, { months: -2 }, { months: 3_000_000_000 }]) {
      const i = arrears(a);
      expectClientError(await hub.gql(M.submit, { i }, T.corp), 'BAD_USER_INPUT', 'Gijsbertha', 'Quasimodowska');
      expect(await refsWith(i.externalId)).toBe(0);
    }
  });
});

// =============================================================================================
describe('informal care: match state machine, concurrency and closed cases', () => {
  let vol: Volunteer;
  let vol2: Volunteer;
  const mkReq = async (caseStatus: CaseStatus = CaseStatus.ACTIVE) => {
    const { c, head } = await fresh(caseStatus);
    const em = hub.em();
    const req = buildInformalCareRequest(em, { case: c, resident: head, requestedBy: workerA, needs: ['shopping'], postcode4: '3941', createdAt: ago(20) });
    await em.flush();
    return { c, head, req };
  };
  const mkMatch = async (status: MatchStatus, o: { volunteer?: Volunteer; caseStatus?: CaseStatus } = {}) => {
    const { c, head, req } = await mkReq(o.caseStatus);
    const em = hub.em();
    const m = buildVolunteerMatch(em, { request: req, volunteer: o.volunteer ?? vol, status, proposedBy: ambA });
    await em.flush();
    return { c, head, req, m };
  };
  const mRow = async (id: string) =>
    (await q<{ status: string; version: number; started_at: Date | null }>('select status, version, started_at from volunteer_match where id = ?', [id]))[0]!;

  beforeAll(async () => {
    const em = hub.em();
    vol = buildVolunteer(em, { organisation: careOrg, maxMatches: 10, vogIssuedAt: isoDay(ago(100)), skills: ['shopping'], postcode: '3941AA' });
    vol2 = buildVolunteer(em, { organisation: careOrg, maxMatches: 10, vogIssuedAt: isoDay(ago(100)), skills: ['shopping'], postcode: '3941AB' });
    await em.flush();
    T.vol = await hub.tokenFor(vol);
    T.vol2 = await hub.tokenFor(vol2);
  });

  it('forbidden moves are CONFLICT and change nothing', async () => {
    const tries: [MatchStatus, string, (id: string) => Record<string, unknown>, string][] = [
      [MatchStatus.ACCEPTED, M.respond, (id) => ({ id, a: false }), 'vol'],
      [MatchStatus.DECLINED, M.respond, (id) => ({ id, a: true }), 'vol'],
      [MatchStatus.ACTIVE, M.respond, (id) => ({ id, a: false }), 'vol'],
      [MatchStatus.PROPOSED, M.activate, (id) => ({ id }), 'workerA'],
      [MatchStatus.ACTIVE, M.activate, (id) => ({ id }), 'workerA'],
      [MatchStatus.DECLINED, M.activate, (id) => ({ id }), 'ambA'],
      [MatchStatus.ENDED, M.activate, (id) => ({ id }), 'ambA'],
      [MatchStatus.ENDED, M.end, (id) => ({ id }), 'ambA'],
      [MatchStatus.DECLINED, M.end, (id) => ({ id }), 'workerA'],
      [MatchStatus.ACCEPTED, M.checkIn, (id) => ({ i: { matchId: id, at: isoAgo(0.1), going: 'GOOD' } }), 'ambA'],
      [MatchStatus.ENDED, M.checkIn, (id) => ({ i: { matchId: id, at: isoAgo(0.1), going: 'GOOD' } }), 'ambA'],
    ];
    for (const [status, query, vars, who] of tries) {
      const { m } = await mkMatch(status);
      const before = await mRow(m.id);
      expectClientError(await hub.gql(query, vars(m.id), T[who]), 'CONFLICT');
      expect(await mRow(m.id)).toEqual(before);
      expect(await writes(m.id)).toBe(0);
    }
  });

  it('activateMatch / recordMatchCheckIn dates: in the future or before acceptance / start is BAD_USER_INPUT', async () => {
    const acc = await mkMatch(MatchStatus.ACCEPTED);
    const respondedAt = new Date((await q<{ responded_at: string }>('select responded_at from volunteer_match where id = ?', [acc.m.id]))[0]!.responded_at);
    expectClientError(await hub.gql(M.activate, { id: acc.m.id, at: inDays(1) }, T.workerA), 'BAD_USER_INPUT');
    expectClientError(await hub.gql(M.activate, { id: acc.m.id, at: new Date(respondedAt.getTime() - 3600_000).toISOString() }, T.workerA), 'BAD_USER_INPUT');
    expect((await mRow(acc.m.id)).status).toBe('ACCEPTED');
    expect(await n(`select count(*) as n from consent where resident_id = ? and purpose = 'INFORMAL_CARE'`, [acc.head.id])).toBe(0);
    const act = await mkMatch(MatchStatus.ACTIVE);
    const startedAt = new Date((await mRow(act.m.id)).started_at!);
    expectClientError(await hub.gql(M.checkIn, { i: { matchId: act.m.id, at: inDays(1), going: 'GOOD' } }, T.ambA), 'BAD_USER_INPUT');
    expectClientError(await hub.gql(M.checkIn, { i: { matchId: act.m.id, at: new Date(startedAt.getTime() - 3600_000).toISOString(), going: 'GOOD' } }, T.ambA), 'BAD_USER_INPUT');
    expectClientError(await hub.gql(M.checkIn, { i: { matchId: act.m.id, at: isoAgo(0), going: 'MEH' } }, T.ambA), 'BAD_USER_INPUT');
    expect(await n('select count(*) as n from match_check_in where match_id = ?', [act.m.id])).toBe(0);
  });

  it.each([1, 2, 3])('two activateMatch at once (round %i): exactly one wins (CONFLICT for the other), one INFORMAL_CARE consent, one audit UPDATE', async () => {
    const { m, head } = await mkMatch(MatchStatus.ACCEPTED);
    const [a, b] = await Promise.all([hub.gql(M.activate, { id: m.id }, T.workerA), hub.gql(M.activate, { id: m.id }, T.ambA)]);
    expect([a, b].filter(ok)).toHaveLength(1);
    expectClientError([a, b].find((x) => !ok(x))!, 'CONFLICT');
    expect((await mRow(m.id)).status).toBe('ACTIVE');
    expect(await n(`select count(*) as n from consent where resident_id = ? and purpose = 'INFORMAL_CARE' and revoked_at is null`, [head.id])).toBe(1);
    expect(await writes(m.id)).toBe(1);
  });

  it.each([1, 2, 3])('accept and decline at once (round %i; two devices of the volunteer): exactly one answer stands', async () => {
    const { m } = await mkMatch(MatchStatus.PROPOSED);
    const [a, b] = await Promise.all([hub.gql(M.respond, { id: m.id, a: true }, T.vol), hub.gql(M.respond, { id: m.id, a: false }, T.vol)]);
    expect([a, b].filter(ok)).toHaveLength(1);
    expectClientError([a, b].find((x) => !ok(x))!, 'CONFLICT');
    expect((await mRow(m.id)).status).toBe(([a, b].find(ok)!.data!.respondToMatch as { status: string }).status);
  });

  it('two accepted matches of one request activated at once: still one active INFORMAL_CARE consent for the organisation (no duplicates)', async () => {
    const { req, head } = await mkReq();
    const em = hub.em();
    const m1 = buildVolunteerMatch(em, { request: req, volunteer: vol, status: MatchStatus.ACCEPTED, proposedBy: ambA });
    const m2 = buildVolunteerMatch(em, { request: req, volunteer: vol2, status: MatchStatus.ACCEPTED, proposedBy: ambA });
    await em.flush();
    const res = await Promise.all([hub.gql(M.activate, { id: m1.id }, T.workerA), hub.gql(M.activate, { id: m2.id }, T.ambA)]);
    for (const r of res.filter((x) => !ok(x))) expectClientError(r, 'CONFLICT');
    expect(await n(`select count(*) as n from consent where resident_id = ? and recipient_id = ? and purpose = 'INFORMAL_CARE' and revoked_at is null`, [head.id, careOrg.id])).toBe(1);
  });

  it('recordConsent sent three times at once: one active consent (identical consents are not duplicated) (4 rounds)', async () => {
    let duplicated = 0;
    for (let round = 0; round < 4; round++) {
      const { head } = await fresh(CaseStatus.ACTIVE);
      const i = { residentId: head.id, recipientId: gp.id, purpose: 'GP_TANDEM' };
      const res = await Promise.all([0, 1, 2].map(() => hub.gql(M.consent, { i }, T.workerA)));
      for (const r of res) expect(code(r)).not.toBe('INTERNAL_SERVER_ERROR');
      if ((await n(`select count(*) as n from consent where resident_id = ? and recipient_id = ? and purpose = 'GP_TANDEM' and revoked_at is null`, [head.id, gp.id])) !== 1) duplicated++;
    }
    expect(duplicated, `${duplicated} of 4 rounds left duplicate active consents`).toBe(0);
  });

  it('two proposals of a volunteer with one place left, for two requests at once: one proposal, the other CONFLICT (capacity)', async () => {
    const em = hub.em();
    const one = buildVolunteer(em, { organisation: careOrg, maxMatches: 1, vogIssuedAt: isoDay(ago(100)), skills: ['shopping'], postcode: '3941AC' });
    await em.flush();
    const r1 = await mkReq();
    const r2 = await mkReq();
    const [a, b] = await Promise.all([hub.gql(M.propose, { r: r1.req.id, v: one.id }, T.ambA), hub.gql(M.propose, { r: r2.req.id, v: one.id }, T.ambA)]);
    expect([a, b].filter(ok)).toHaveLength(1);
    expectClientError([a, b].find((x) => !ok(x))!, 'CONFLICT');
    expect(await n('select count(*) as n from volunteer_match where volunteer_id = ?', [one.id])).toBe(1);
  });

  it('a paused volunteer cannot be proposed (CONFLICT); pausing twice is harmless; a VOG older than 3 years blocks (BAD_USER_INPUT)', async () => {
    const em = hub.em();
    const p = buildVolunteer(em, { organisation: careOrg, maxMatches: 3, vogIssuedAt: isoDay(ago(100)), postcode: '3941AD' });
    const old = buildVolunteer(em, { organisation: careOrg, maxMatches: 3, vogIssuedAt: isoDay(ago(3 * 366 + 5)), postcode: '3941AE' });
    await em.flush();
    const tp = await hub.tokenFor(p);
    expect((await hub.gql(M.pause, { p: true }, tp)).errors).toBeUndefined();
    expect((await hub.gql(M.pause, { p: true }, tp)).errors).toBeUndefined();
    const { req } = await mkReq();
    expectClientError(await hub.gql(M.propose, { r: req.id, v: p.id }, T.ambA), 'CONFLICT');
    expectClientError(await hub.gql(M.propose, { r: req.id, v: old.id }, T.ambA), 'BAD_USER_INPUT');
    expect(await n('select count(*) as n from volunteer_match where request_id = ?', [req.id])).toBe(0);
  });

  it('after the case closed, its informal-care request takes no new proposal (CONFLICT)', async () => {
    const em = hub.em();
    const free = buildVolunteer(em, { organisation: careOrg, maxMatches: 3, vogIssuedAt: isoDay(ago(100)), skills: ['shopping'], postcode: '3941AH' });
    await em.flush();
    const { req, c } = await mkReq();
    expect((await hub.gql(M.close, { i: { caseId: c.id, closedAt: isoAgo(0.01), reason: 'AS_PLANNED' } }, T.workerA)).errors).toBeUndefined();
    const res = await hub.gql(M.propose, { r: req.id, v: free.id }, T.ambA);
    expectClientError(res, 'CONFLICT');
    expect(msg(res)).toMatch(/clos/i);
    expect(await n('select count(*) as n from volunteer_match where request_id = ?', [req.id])).toBe(0);
  });

  it('after the case closed, an accepted match is not activated (no resident phone to the volunteer, no new consent)', async () => {
    const { m, c, head } = await mkMatch(MatchStatus.ACCEPTED);
    expect((await hub.gql(M.close, { i: { caseId: c.id, closedAt: isoAgo(0.01), reason: 'AS_PLANNED' } }, T.workerA)).errors).toBeUndefined();
    const res = await hub.gql(M.activate, { id: m.id }, T.ambA);
    expectClientError(res, 'CONFLICT');
    // Closing the case ended its live matches (closeCase → endInformalCareOfCase).
    expect((await mRow(m.id)).status).toBe('ENDED');
    expect(await n(`select count(*) as n from consent where resident_id = ? and purpose = 'INFORMAL_CARE'`, [head.id])).toBe(0);
  });

  it('registerVolunteer: capacity, VOG, vocabulary, names and email are validated (BAD_USER_INPUT), nothing stored', async () => {
    const base = {
      organisationId: careOrg.id, givenName: 'Wubbo', familyName: 'Ockelsvlietje', email: `wubbo.${randomUUID().slice(0, 6)}@example.test`, postcode: '3941AF',
      skills: ['shopping'], languages: ['Dutch'], availability: [{ day: 'MONDAY', part: 'MORNING' }], maxMatches: 2, vogIssuedAt: isoDay(ago(10)),
    };
    const bad: Record<string, unknown>[] = [
      { maxMatches: 0 }, { maxMatches: -1 }, { maxMatches: 11 }, { vogIssuedAt: isoDay(new Date(Date.now() + 3 * DAY)) }, { vogIssuedAt: '2023-02-29' },
      { skills: ['juggling'] }, { languages: ['Klingon'] }, { givenName: '  ' }, { familyName: 'O'.repeat(101) }, { email: 'not-an-email' },
      { postcode: '12345' }, { availability: [{ day: 'FUNDAY', part: 'MORNING' }] },
    ];
    for (const b of bad) {
      const i = { ...base, email: `wubbo.${randomUUID().slice(0, 6)}@example.test`, ...b };
      expectClientError(await hub.gql(M.volunteer, { i }, T.ambA), 'BAD_USER_INPUT', 'Ockelsvlietje');
    }
    expect(await n(`select count(*) as n from volunteer where family_name = 'Ockelsvlietje'`)).toBe(0);
  });

  it('requestInformalCare: no needs, unknown need, unknown language are BAD_USER_INPUT; nothing stored', async () => {
    const { c } = await fresh(CaseStatus.ACTIVE);
    for (const i of [{ needs: [] }, { needs: ['juggling'] }, { needs: ['shopping'], languages: ['Klingon'] }, { needs: ['shopping'], note: 'n'.repeat(2001) }]) {
      expectClientError(await hub.gql(M.icr, { i: { caseId: c.id, ...i } }, T.workerA), 'BAD_USER_INPUT');
    }
    expect(await n('select count(*) as n from informal_care_request where case_id = ?', [c.id])).toBe(0);
  });
});

// =============================================================================================
describe('flex assignments', () => {
  const flexRows = (staffId: string, caseId: string) => n('select count(*) as n from flex_assignment where staff_id = ? and case_id = ?', [staffId, caseId]);

  it('a new assignment ending in the past, on an impossible date, or for a non-flex worker is BAD_USER_INPUT; a closed case is CONFLICT', async () => {
    const { c } = await fresh(CaseStatus.ACTIVE);
    for (const until of [isoDay(ago(1)), '2030-02-30', '31-12-2030']) {
      expectClientError(await hub.gql(M.flex, { i: { staffId: flex.id, caseId: c.id, until } }, T.leadA), 'BAD_USER_INPUT');
    }
    for (const staffId of [workerA.id, ambA.id, 'nope', randomUUID()]) {
      expectClientError(await hub.gql(M.flex, { i: { staffId, caseId: c.id, until: isoDay(new Date(Date.now() + 7 * DAY)) } }, T.leadA), 'BAD_USER_INPUT');
    }
    expect(await n('select count(*) as n from flex_assignment where case_id = ?', [c.id])).toBe(0);
    const closed = await fresh(CaseStatus.CLOSED);
    expectClientError(await hub.gql(M.flex, { i: { staffId: flex.id, caseId: closed.c.id, until: isoDay(new Date(Date.now() + 7 * DAY)) } }, T.leadA), 'CONFLICT');
  });

  it('a team worker cannot assign a flex worker (FORBIDDEN)', async () => {
    const { c } = await fresh(CaseStatus.ACTIVE);
    expectClientError(await hub.gql(M.flex, { i: { staffId: flex.id, caseId: c.id, until: isoDay(new Date(Date.now() + 7 * DAY)) } }, T.workerA), 'FORBIDDEN');
    expect(await flexRows(flex.id, c.id)).toBe(0);
  });

  it('assigning the same flex worker twice moves the end date of the one assignment (no second row)', async () => {
    const { c } = await fresh(CaseStatus.ACTIVE);
    const u1 = isoDay(new Date(Date.now() + 7 * DAY));
    const u2 = isoDay(new Date(Date.now() + 14 * DAY));
    expect((await hub.gql(M.flex, { i: { staffId: flex.id, caseId: c.id, until: u1 } }, T.leadA)).errors).toBeUndefined();
    expect((await hub.gql(M.flex, { i: { staffId: flex.id, caseId: c.id, until: u2 } }, T.leadA)).errors).toBeUndefined();
    expect(await flexRows(flex.id, c.id)).toBe(1);
  });

  it('two assignFlexWorker at once for the same worker and case: one assignment row, not two overlapping ones (6 rounds)', async () => {
    let duplicated = 0;
    for (let round = 0; round < 6; round++) {
      const { c } = await fresh(CaseStatus.ACTIVE);
      const res = await Promise.all([
        hub.gql(M.flex, { i: { staffId: flex.id, caseId: c.id, until: isoDay(new Date(Date.now() + 7 * DAY)) } }, T.leadA),
        hub.gql(M.flex, { i: { staffId: flex.id, caseId: c.id, until: isoDay(new Date(Date.now() + 30 * DAY)) } }, T.admin),
      ]);
      for (const r of res.filter((x) => !ok(x))) expectClientError(r, 'CONFLICT');
      if ((await flexRows(flex.id, c.id)) !== 1) duplicated++;
    }
    expect(duplicated, `${duplicated} of 6 rounds left two assignment rows`).toBe(0);
  });
});

// =============================================================================================
describe('input validation: strings, dates, ids; nothing echoed, nothing half-written', () => {
  const member = (o: Record<string, unknown> = {}) => ({ givenName: 'Hendrikje', familyName: 'Zwartjesbroek', birthDate: '1975-06-01', relation: 'HEAD', ...o });
  const hh = (members: Record<string, unknown>[], address: Record<string, unknown> = {}) => ({
    i: { teamId: tA.id, address: { street: 'Zonnebloemdreef', houseNumber: '4', postcode: '3941 AG', city: 'Utrecht', ...address }, members },
  });
  const households = () => n(`select count(*) as n from household where street = 'Zonnebloemdreef'`);

  it('registerHousehold with a valid first and an invalid second member: BAD_USER_INPUT naming members.1, no household, resident or audit row', async () => {
    const auditBefore = await n(`select count(*) as n from access_log where object_type in ('Household','Resident') and action = 'CREATE'`);
    const invalidSecond = [
      member({ birthDate: '2015-02-30' }),
      member({ birthDate: isoDay(new Date(Date.now() + 10 * DAY)) }),
      member({ givenName: '   ' }),
      member({ familyName: 'Z'.repeat(101) }),
      member({ bsn: '123456780' }),
      member({ relation: 'COUSIN' }),
      member({ phone: 'call me' }),
    ];
    for (const second of invalidSecond) {
      const res = await hub.gql(M.household, hh([member(), second]), T.workerA);
      expectClientError(res, 'BAD_USER_INPUT', 'Hendrikje', 'Zwartjesbroek', '123456780');
      expect(msg(res)).toMatch(/members\.1|members/);
    }
    expect(await households()).toBe(0);
    expect(await n(`select count(*) as n from resident where family_name = 'Zwartjesbroek'`)).toBe(0);
    expect(await n(`select count(*) as n from access_log where object_type in ('Household','Resident') and action = 'CREATE'`)).toBe(auditBefore);
  });

  it('registerHousehold: no members, blank street, malformed postcode or house number → BAD_USER_INPUT', async () => {
    for (const vars of [hh([]), hh([member()], { street: '  ' }), hh([member()], { postcode: '3941-AG' }), hh([member()], { houseNumber: '' }), hh([member()], { city: 'U'.repeat(101) })]) {
      expectClientError(await hub.gql(M.household, vars, T.workerA), 'BAD_USER_INPUT');
    }
    expect(await households()).toBe(0);
  });

  it('a NUL character in free text (note body, street, name, summary) is BAD_USER_INPUT, not a database error', async () => {
    const { c } = await fresh(CaseStatus.ACTIVE);
    const nul = 'Gesprek\u0000gehad';
    const answers = {
      note: await hub.gql(M.note, { i: { caseId: c.id, body: nul } }, T.workerA),
      street: await hub.gql(M.household, hh([member()], { street: 'Zonnebloem\u0000dreef' }), T.workerA),
      givenName: await hub.gql(M.household, hh([member({ givenName: 'Hend\u0000rikje' })]), T.workerA),
      summary: await hub.gql(M.feedback, { i: { teamId: tA.id, kind: 'COMPLIMENT', receivedAt: isoAgo(1), summary: nul } }, T.workerA),
    };
    expect(Object.fromEntries(Object.entries(answers).map(([k, r]) => [k, code(r)]))).toEqual({
      note: 'BAD_USER_INPUT', street: 'BAD_USER_INPUT', givenName: 'BAD_USER_INPUT', summary: 'BAD_USER_INPUT',
    });
    // Not even outside production may the error quote the statement and its values (personal data).
    for (const r of Object.values(answers)) expectClientError(r, 'BAD_USER_INPUT', 'Gesprek', 'Hend', 'insert into');
    expect(await n('select count(*) as n from case_note where case_id = ?', [c.id])).toBe(0);
    // The same as an escape in a string literal of the document itself.
    const literal = await hub.gql(`mutation { addCaseNote(input: { caseId: "${c.id}", body: "Gesprek\\u0000gehad" }) { id } }`, {}, T.workerA);
    expectClientError(literal, 'BAD_USER_INPUT', 'Gesprek', 'insert into');
    expect(await n('select count(*) as n from case_note where case_id = ?', [c.id])).toBe(0);
  });

  it('over-long and blank free text is BAD_USER_INPUT without echoing it (note, goal, case reason)', async () => {
    const { c, household } = await fresh(CaseStatus.ACTIVE);
    const long = `VERTROUWELIJK-${'x'.repeat(10_000)}`;
    expectClientError(await hub.gql(M.note, { i: { caseId: c.id, body: long } }, T.workerA), 'BAD_USER_INPUT', 'VERTROUWELIJK');
    expectClientError(await hub.gql(M.note, { i: { caseId: c.id, body: ' \n ' } }, T.workerA), 'BAD_USER_INPUT');
    expectClientError(await hub.gql(M.goal, { i: { caseId: c.id, description: '' } }, T.workerA), 'BAD_USER_INPUT');
    expectClientError(await hub.gql(M.goal, { i: { caseId: c.id, description: 'Schulden op orde', targetDate: '2026-02-30' } }, T.workerA), 'BAD_USER_INPUT');
    expectClientError(await hub.gql(M.goal, { i: { caseId: c.id, description: 'Schulden op orde', domain: 'HAPPINESS' } }, T.workerA), 'BAD_USER_INPUT');
    expectClientError(await hub.gql(M.openCase, { i: { householdId: household.id, referralSource: 'SELF', reason: `VERTROUWELIJK${'y'.repeat(2001)}` } }, T.workerA), ['BAD_USER_INPUT', 'CONFLICT'], 'VERTROUWELIJK');
    expect(await n('select count(*) as n from case_note where case_id = ?', [c.id])).toBe(0);
    expect(await n('select count(*) as n from goal where case_id = ?', [c.id])).toBe(0);
  });

  it('impossible date-times are BAD_USER_INPUT (2015-02-30, 25:00, garbage, a number)', async () => {
    const { c } = await fresh(CaseStatus.REGISTERED);
    for (const at of ['2015-02-30T10:00:00Z', '2015-06-01T25:00:00Z', 'gisteren', '', 1_700_000_000_000]) {
      expectClientError(await hub.gql(M.firstContact, { id: c.id, at }, T.workerA), 'BAD_USER_INPUT');
    }
    expect((await caseRow(c.id)).status).toBe('REGISTERED');
  });

  it('an Int beyond 32 bits and a non-integer are BAD_USER_INPUT (clientRating, expectedVersion, maxMatches)', async () => {
    const { c } = await fresh(CaseStatus.ACTIVE);
    expectClientError(await hub.gql(M.close, { i: { caseId: c.id, closedAt: isoAgo(0.1), reason: 'AS_PLANNED', clientRating: 2 ** 40 } }, T.workerA), 'BAD_USER_INPUT');
    expectClientError(await hub.gql(M.close, { i: { caseId: c.id, closedAt: isoAgo(0.1), reason: 'AS_PLANNED', clientRating: 7.5 } }, T.workerA), 'BAD_USER_INPUT');
    expectClientError(await hub.gql(M.close, { i: { caseId: c.id, closedAt: isoAgo(0.1), reason: 'AS_PLANNED', expectedVersion: '1' } }, T.workerA), 'BAD_USER_INPUT');
    expect((await caseRow(c.id)).status).toBe('ACTIVE');
  });

  it('malformed ids (not a UUID) in any mutation are a client error (NOT_FOUND / BAD_USER_INPUT), never a server error', async () => {
    const bad = "1' or '1'='1";
    const probes: [string, Record<string, unknown>, string][] = [
      [M.firstContact, { id: bad, at: isoAgo(1) }, T.workerA],
      [M.start, { i: { caseId: bad, startedAt: isoAgo(1), coordinatorId: bad } }, T.workerA],
      [M.close, { i: { caseId: bad, closedAt: isoAgo(1), reason: 'AS_PLANNED' } }, T.workerA],
      [M.reassign, { id: bad, c: bad }, T.leadA],
      [M.goal, { i: { caseId: bad, description: 'x' } }, T.workerA],
      [M.note, { i: { caseId: bad, body: 'x' } }, T.workerA],
      [M.care, { i: { caseId: bad, provision: 'x', form: 'ZIN', investigationStartedAt: '2020-01-01' } }, T.workerA],
      [M.openCase, { i: { householdId: bad, referralSource: 'SELF', reason: 'x' } }, T.workerA],
      [M.feedback, { i: { teamId: tA.id, caseId: bad, kind: 'COMPLAINT', receivedAt: isoAgo(1), summary: 'x' } }, T.workerA],
      [M.resolve, { id: bad, s: 'RESOLVED' }, T.leadA],
      [M.wcr, { i: { caseId: bad, reason: 'x' } }, T.workerA],
      [M.decide, { id: bad, g: true }, T.leadA],
      [M.triage, { i: { referralId: bad, status: 'TRIAGED' } }, T.workerA],
      [M.cancel, { id: bad }, T.gp],
      [M.consent, { i: { residentId: bad, recipientId: bad, purpose: 'OTHER' } }, T.workerA],
      [M.icr, { i: { caseId: bad, needs: ['shopping'] } }, T.workerA],
      [M.propose, { r: bad, v: bad }, T.ambA],
      [M.respond, { id: bad, a: true }, T.workerA],
      [M.activate, { id: bad }, T.workerA],
      [M.end, { id: bad }, T.workerA],
      [M.checkIn, { i: { matchId: bad, at: isoAgo(1), going: 'GOOD' } }, T.ambA],
      [M.flex, { i: { staffId: bad, caseId: bad, until: '2099-01-01' } }, T.leadA],
      [M.correct, { i: { residentId: bad, givenName: 'x' } }, T.workerA],
      [M.erase, { id: bad }, T.leadA],
      [`mutation($id: ID!) { revokeConsent(id: $id) { id } }`, { id: bad }, T.workerA],
      [`mutation($id: ID!) { retryFailedJob(id: $id) }`, { id: bad }, T.admin],
      [M.staff, { i: { name: 'X', email: `x.${randomUUID().slice(0, 6)}@example.test`, role: 'TEAM_WORKER', teamIds: [bad] } }, T.admin],
      [M.volunteer, { i: { organisationId: bad, givenName: 'X', familyName: 'Y', email: `y.${randomUUID().slice(0, 6)}@example.test`, postcode: '3941AA', skills: [], languages: [], availability: [], maxMatches: 1 } }, T.ambA],
    ];
    for (const [query, vars, token] of probes) expectClientError(await hub.gql(query, vars, token), ['NOT_FOUND', 'BAD_USER_INPUT', 'FORBIDDEN']);
  });
});

// =============================================================================================
describe('residents’ rights and admin mutations', () => {
  it('correctResident: blank name, future or impossible birth date, invalid BSN are BAD_USER_INPUT; nothing changes, no audit row', async () => {
    const { head } = await fresh(CaseStatus.ACTIVE);
    const before = (await q('select given_name, family_name, birth_date, bsn_hash from resident where id = ?', [head.id]))[0];
    for (const b of [{ givenName: '  ' }, { birthDate: isoDay(new Date(Date.now() + 5 * DAY)) }, { birthDate: '1980-02-30' }, { bsn: '123456780' }, { givenName: 'Ok', bsn: '111222333x' }]) {
      expectClientError(await hub.gql(M.correct, { i: { residentId: head.id, ...b } }, T.workerA), 'BAD_USER_INPUT', '123456780');
    }
    expect((await q('select given_name, family_name, birth_date, bsn_hash from resident where id = ?', [head.id]))[0]).toEqual(before);
    expect(await writes(head.id)).toBe(0);
  });

  it('an anonymised resident (erasure under Wmo retention) cannot be re-identified through correctResident', async () => {
    const { head } = await fresh(CaseStatus.ACTIVE);
    const er = await hub.gql(M.erase, { id: head.id }, T.leadA);
    expect(er.data?.eraseResident?.outcome).toBe('ANONYMISED');
    const res = await hub.gql(M.correct, { i: { residentId: head.id, givenName: 'Teruggezet', familyName: 'Heridentificeerd' } }, T.workerA);
    expectClientError(res, ['CONFLICT', 'NOT_FOUND']);
    const [row] = await q<{ given_name: string }>('select given_name from resident where id = ?', [head.id]);
    expect(row!.given_name).not.toBe('Teruggezet');
  });

  it('createStaff / createOrganisation twice at once with the same email / code: one row, the other CONFLICT', async () => {
    const email = `race.${randomUUID().slice(0, 8)}@voordeur.test`;
    const s = await Promise.all([0, 1].map(() => hub.gql(M.staff, { i: { name: 'Race Worker', email, role: 'TEAM_WORKER', teamIds: [tA.id] } }, T.admin)));
    expect(s.filter(ok)).toHaveLength(1);
    expectClientError(s.find((x) => !ok(x))!, 'CONFLICT');
    expect(await n('select count(*) as n from staff where email = ?', [email])).toBe(1);
    const orgCode = `race-${randomUUID().slice(0, 8)}`;
    const o = await Promise.all([0, 1].map(() => hub.gql(M.org, { i: { code: orgCode, name: 'Race BV', kind: 'CARE_PROVIDER' } }, T.admin)));
    expect(o.filter(ok)).toHaveLength(1);
    expectClientError(o.find((x) => !ok(x))!, 'CONFLICT');
  });

  it('createStaff: blank name, bad email, partner role, worker without team are BAD_USER_INPUT', async () => {
    const base = { name: 'Nieuwe Collega', email: `nc.${randomUUID().slice(0, 6)}@voordeur.test`, role: 'TEAM_WORKER', teamIds: [tA.id] };
    for (const b of [{ name: '   ' }, { email: 'nope' }, { role: 'PARTNER_GP', teamIds: [] }, { teamIds: [] }, { teamIds: [randomUUID()] }, { role: 'OVERLORD' }]) {
      expectClientError(await hub.gql(M.staff, { i: { ...base, ...b } }, T.admin), 'BAD_USER_INPUT');
    }
    expect(await n(`select count(*) as n from staff where name = 'Nieuwe Collega'`)).toBe(0);
  });
});
