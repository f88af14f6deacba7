/**
 * Adversarial review probes (staff principals): every test asserts the SAFE behaviour of
 * DESIGN.md section 2, so a failing test here is a leak or a rule violation.
 *
 * Principals: workers and leads of team A and team B, flex workers (running, ended and no
 * assignment), an admin, an analyst, ambassadors of A and B, a volunteer.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type GqlResponse, type TestHub } from '../helpers/app.js';
import {
  buildCareAllocation,
  buildCase,
  buildConsent,
  buildFeedback,
  buildFlexAssignment,
  buildGoal,
  buildHousehold,
  buildNote,
  buildOrganisation,
  buildReferral,
  buildStaff,
  buildTeam,
  buildWorkerChangeRequest,
  buildZrm,
  ZRM_DOMAINS,
} from '../../seeds/factories.js';
import {
  CaseStatus,
  FeedbackKind,
  FeedbackStatus,
  InformalCareRequestStatus,
  MatchStatus,
  OrganisationKind,
  ReferralSource,
  ReferralStatus,
  Role,
  WorkerChangeStatus,
  ZrmVersion,
} from '../../src/modules/common/enums.js';
import { Case } from '../../src/modules/case/case.entity.js';
import { Volunteer } from '../../src/modules/informal-care/volunteer.entity.js';
import { InformalCareRequest, VolunteerMatch } from '../../src/modules/informal-care/informal-care.entity.js';
import { loadViewer } from '../../src/permissions/viewer.js';
import type { Team } from '../../src/modules/team/team.entity.js';
import type { Staff } from '../../src/modules/staff/staff.entity.js';
import type { Household } from '../../src/modules/household/household.entity.js';
import type { Resident } from '../../src/modules/household/resident.entity.js';
import type { CaseNote } from '../../src/modules/case/case-note.entity.js';
import type { Referral } from '../../src/modules/referral/referral.entity.js';
import type { Consent } from '../../src/modules/consent/consent.entity.js';
import type { Feedback } from '../../src/modules/feedback/feedback.entity.js';
import type { WorkerChangeRequest } from '../../src/modules/feedback/worker-change-request.entity.js';
import type { Organisation } from '../../src/modules/organisation/organisation.entity.js';

const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY);
const isoDay = (d: Date) => d.toISOString().slice(0, 10);
const day = (iso: string) => new Date(`${iso}T10:00:00Z`);

// Distinctive values of team B (never in an answer to anyone outside team B).
const B = {
  given: 'Zwaantje',
  given2: 'Kwirijn',
  family: 'Bzzlaarvink',
  street: 'Bzzlaarsteeg',
  postcode: '3932QX',
  phone: '06-93939393',
  note: 'SECRET-B-NOTE',
  goal: 'SECRET-B-GOAL',
  provision: 'SECRET-B-PROVISION',
  reason: 'SECRET-B-CASE-REASON',
  referralReason: 'SECRET-B-REFERRAL-REASON',
  feedback: 'SECRET-B-FEEDBACK',
  wcr: 'SECRET-B-WCR',
  icrNote: 'SECRET-B-ICR-NOTE',
};
// Values of team A's household A1 that only the older (not assigned) case carries.
const OLD = {
  note: 'OLD-CASE-SECRET-NOTE',
  reason: 'OLD-CASE-SECRET-REASON',
  referralReason: 'OLD-REFERRAL-SECRET',
  icrNote: 'OLD-ICR-SECRET',
};
const A = { given: 'Aafke', family: 'Aardvarkenburg', phone: '06-31313131', note: 'A1-NOTE-VISIBLE' };

let hub: TestHub;
let tA: Team, tB: Team, tFlex: Team;
let workerA: Staff, leadA: Staff, workerB: Staff, leadB: Staff;
let flex: Staff, flexEnded: Staff, flexNone: Staff, flexTz: Staff;
let admin: Staff, analyst: Staff, ambA: Staff, ambB: Staff;
let gp: Organisation, careOrg: Organisation;
let hA1: Household, residentA1: Resident, caseA1: Case, caseA1old: Case, refA1: Referral, refA1old: Referral;
let hA2: Household, caseA3: Case, refA: Referral;
let hB: Household, residentsB: Resident[], caseB: Case, noteB: CaseNote, referralB: Referral, consentB: Consent;
let feedbackB: Feedback, wcrB: WorkerChangeRequest, icrB: InformalCareRequest, matchB: VolunteerMatch;
let icrA1: InformalCareRequest, icrA1old: InformalCareRequest;
let volA: Volunteer, matchActive: VolunteerMatch, matchProposed: VolunteerMatch;
const T: Record<string, string> = {};

function bMarkers(): string[] {
  return [
    ...Object.values(B),
    hB.id, caseB.id, noteB.id, referralB.id, consentB.id, feedbackB.id, wcrB.id, icrB.id, matchB.id,
    ...residentsB.map((r) => r.id),
  ];
}
function expectNoB(res: GqlResponse, except: string[] = []) {
  for (const v of bMarkers().filter((x) => !except.includes(x))) expect(res.raw, `response leaks "${v}"`).not.toContain(v);
}
function expectNoOld(res: GqlResponse) {
  for (const v of [...Object.values(OLD), caseA1old.id, refA1old.id, icrA1old.id]) expect(res.raw, `response leaks "${v}"`).not.toContain(v);
}
const codes = (res: GqlResponse) => (res.errors ?? []).map((e) => e.extensions?.code);
const code = (res: GqlResponse) => res.errors?.[0]?.extensions?.code;
const msg = (res: GqlResponse) => res.errors?.[0]?.message;

const cursorOf = (sort: Date | string, id: string) =>
  Buffer.from(JSON.stringify([sort instanceof Date ? sort.toISOString() : sort, id])).toString('base64url');

const zrmScores = () => ZRM_DOMAINS[ZrmVersion.ZRM_2017].map((domain) => ({ domain, score: 3 }));

const CASE_FULL = /* GraphQL */ `
  query Probe($id: ID!) {
    case(id: $id) {
      id status reason referralSource registeredAt version daysToFirstContact
      household { id address { street houseNumber postcode city } members { id givenName familyName birthDate bsnLast4 phone languages } cases { id reason } }
      team { id code }
      coordinator { id name email phone }
      goals { id description }
      notes(first: 5) { totalCount edges { cursor node { id body author { id name email } } } }
      zrmAssessments { id scores { domain score } }
      latestZrm { id scores { domain score } }
      careAllocations { id provision }
      consents { id residentId recipient { id name } }
      referral { id reason subject { givenName familyName postcode } household { id } case { id reason } contactAttempts { id } }
    }
  }`;

/** The same selection with every nested field under @include: the field resolvers' path. */
const CASE_FULL_INCLUDE = /* GraphQL */ `
  query Probe($id: ID!, $yes: Boolean = true) {
    case(id: $id) {
      id reason
      household @include(if: $yes) { id address { street postcode } members { givenName familyName phone } cases { id reason } }
      notes(first: 5) @include(if: $yes) { totalCount edges { node { id body } } }
      goals @include(if: $yes) { description }
      careAllocations @include(if: $yes) { provision }
      consents @include(if: $yes) { id residentId }
      referral @include(if: $yes) { id reason }
      zrmAssessments @include(if: $yes) { id }
    }
  }`;

beforeAll(async () => {
  hub = await startTestHub();
  const em = hub.em();
  tA = buildTeam(em, { postcodes: ['3931'] });
  tB = buildTeam(em, { postcodes: ['3932'] });
  tFlex = buildTeam(em, { isFlex: true, postcodes: [] });
  workerA = buildStaff(em, { role: Role.TEAM_WORKER, teams: [tA] });
  leadA = buildStaff(em, { role: Role.TEAM_LEAD, teams: [tA] });
  workerB = buildStaff(em, { role: Role.TEAM_WORKER, teams: [tB], name: 'Bertus Bzzlaarwerker', phone: '06-97979797' });
  leadB = buildStaff(em, { role: Role.TEAM_LEAD, teams: [tB] });
  flex = buildStaff(em, { role: Role.FLEX_WORKER, teams: [tFlex] });
  flexEnded = buildStaff(em, { role: Role.FLEX_WORKER, teams: [tFlex] });
  flexNone = buildStaff(em, { role: Role.FLEX_WORKER, teams: [tFlex] });
  flexTz = buildStaff(em, { role: Role.FLEX_WORKER, teams: [tFlex] });
  admin = buildStaff(em, { role: Role.ADMIN });
  analyst = buildStaff(em, { role: Role.ANALYST });
  careOrg = buildOrganisation(em, { kind: OrganisationKind.INFORMAL_CARE });
  ambA = buildStaff(em, { role: Role.AMBASSADOR, teams: [tA], organisation: careOrg });
  ambB = buildStaff(em, { role: Role.AMBASSADOR, teams: [tB], organisation: careOrg });
  gp = buildOrganisation(em, { kind: OrganisationKind.GP_PRACTICE });

  // Team A, household A1: an older closed case and the running case a flex worker gets.
  const a1 = buildHousehold(em, { team: tA, postcode: '3931AA', members: [{ givenName: A.given, familyName: A.family, phone: A.phone, languages: ['Dutch'], bsn: '123456782' }, {}] });
  hA1 = a1.household;
  residentA1 = a1.head;
  caseA1old = buildCase(em, { household: hA1, status: CaseStatus.CLOSED, reason: OLD.reason, registeredAt: ago(500), latest: ago(200) });
  buildNote(em, { case: caseA1old, author: workerA, body: OLD.note });
  caseA1 = buildCase(em, { household: hA1, status: CaseStatus.ACTIVE, coordinator: workerA, registeredAt: ago(60) });
  buildNote(em, { case: caseA1, author: workerA, body: A.note });
  refA1old = buildReferral(em, { from: gp, resident: residentA1, case: caseA1old, status: ReferralStatus.CLOSED, reason: OLD.referralReason });
  refA1 = buildReferral(em, { from: gp, resident: residentA1, case: caseA1, status: ReferralStatus.IN_CARE });
  buildConsent(em, { resident: residentA1, recipient: gp, recordedBy: workerA });

  hA2 = buildHousehold(em, { team: tA, postcode: '3931AB', members: 1 }).household;
  const a3 = buildHousehold(em, { team: tA, postcode: '3931AC', members: 1 });
  caseA3 = buildCase(em, { household: a3.household, status: CaseStatus.INTAKE });
  refA = buildReferral(em, { from: gp, team: tA, status: ReferralStatus.RECEIVED, subjectPostcode: '3931ZZ' });

  // Team B's case file.
  const b = buildHousehold(em, {
    team: tB,
    street: B.street,
    houseNumber: '77',
    postcode: B.postcode,
    members: [
      { givenName: B.given, familyName: B.family, birthDate: '1980-04-12', phone: B.phone },
      { givenName: B.given2, familyName: B.family, birthDate: '1978-09-30' },
    ],
  });
  hB = b.household;
  residentsB = b.residents;
  caseB = buildCase(em, { household: hB, status: CaseStatus.ACTIVE, coordinator: workerB, reason: B.reason, registeredAt: ago(30) });
  noteB = buildNote(em, { case: caseB, author: workerB, body: B.note });
  buildZrm(em, { case: caseB, resident: b.head });
  buildGoal(em, { case: caseB, description: B.goal });
  buildCareAllocation(em, { case: caseB, provision: B.provision });
  consentB = buildConsent(em, { resident: b.head, recipient: gp, recordedBy: workerB });
  referralB = buildReferral(em, { from: gp, resident: b.head, case: caseB, status: ReferralStatus.IN_CARE, reason: B.referralReason });
  feedbackB = buildFeedback(em, { team: tB, case: caseB, kind: FeedbackKind.COMPLAINT, status: FeedbackStatus.OPEN, summary: B.feedback });
  wcrB = buildWorkerChangeRequest(em, { case: caseB, requestedBy: workerB, status: WorkerChangeStatus.REQUESTED, reason: B.wcr });

  // Informal care.
  volA = em.create(Volunteer, {
    organisation: careOrg, givenName: 'Vroni', familyName: 'Vrijwilligerink', email: `vroni.${Date.now()}@example.test`,
    phone: '06-55554444', postcode: '3931ZZ', skills: ['shopping', 'company'], languages: ['Dutch'], availability: [], maxMatches: 5,
    vogIssuedAt: isoDay(ago(100)),
  });
  icrB = em.create(InformalCareRequest, {
    case: caseB, resident: b.head, team: tB, needs: ['shopping'], languages: ['Dutch'], availability: [], note: B.icrNote,
    postcode4: '3932', requestedBy: workerB, status: InformalCareRequestStatus.OPEN,
  });
  matchB = em.create(VolunteerMatch, {
    request: icrB, volunteer: volA, team: tB, status: MatchStatus.ACCEPTED, task: 'Boodschappen B', proposedAt: ago(5), respondedAt: ago(4),
  });
  icrA1 = em.create(InformalCareRequest, {
    case: caseA1, resident: residentA1, team: tA, needs: ['company'], languages: ['Dutch'], availability: [], note: 'A1-ICR-NOTE',
    postcode4: '3931', requestedBy: workerA, status: InformalCareRequestStatus.OPEN,
  });
  icrA1old = em.create(InformalCareRequest, {
    case: caseA1old, resident: residentA1, team: tA, needs: ['walking'], languages: [], availability: [], note: OLD.icrNote,
    postcode4: '3931', requestedBy: workerA, status: InformalCareRequestStatus.CLOSED,
  });
  matchActive = em.create(VolunteerMatch, {
    request: icrA1, volunteer: volA, team: tA, status: MatchStatus.ACTIVE, task: 'Gezelschap A', proposedAt: ago(40), respondedAt: ago(39), startedAt: ago(30),
  });
  const volOther = em.create(Volunteer, {
    organisation: careOrg, givenName: 'Otto', familyName: 'Otterloo', email: `otto.${Date.now()}@example.test`,
    postcode: '3932ZZ', skills: ['shopping'], languages: ['Dutch'], availability: [], maxMatches: 5, vogIssuedAt: isoDay(ago(100)),
  });
  matchProposed = em.create(VolunteerMatch, {
    request: icrB, volunteer: volOther, team: tB, status: MatchStatus.PROPOSED, task: 'Boodschappen B2', proposedAt: ago(1),
  });

  // Flex assignments on case A1: running, ended yesterday, and one ending today (UTC).
  buildFlexAssignment(em, { staff: flex, case: caseA1, assignedBy: leadA, until: isoDay(new Date(Date.now() + 7 * DAY)) });
  buildFlexAssignment(em, { staff: flexEnded, case: caseA1, assignedBy: leadA, until: isoDay(ago(1)) });
  buildFlexAssignment(em, { staff: flexTz, case: caseA1, assignedBy: leadA, until: isoDay(new Date()) });

  // Report data for 2015-Q2: team A 2 started cases (SELF), team B 6 started (5 SELF, 1 GP).
  const mk = (team: Team, src: ReferralSource, reg: string, st: string) => {
    const { household } = buildHousehold(em, { team, members: 1 });
    return em.create(Case, {
      household, team, reason: 'report', referralSource: src, registeredAt: day(reg), firstContactAt: day(reg), startedAt: day(st),
      status: CaseStatus.ACTIVE,
    } as never);
  };
  mk(tA, ReferralSource.SELF, '2015-04-01', '2015-04-10');
  mk(tA, ReferralSource.SELF, '2015-04-02', '2015-04-11');
  for (let i = 0; i < 5; i++) mk(tB, ReferralSource.SELF, '2015-04-03', `2015-04-1${i}`);
  mk(tB, ReferralSource.GP, '2015-04-04', '2015-05-01');
  await em.flush();

  const principals: Record<string, { id: string }> = {
    workerA, leadA, workerB, leadB, flex, flexEnded, flexNone, admin, analyst, ambA, ambB, volA,
  };
  for (const [name, p] of Object.entries(principals)) T[name] = await hub.tokenFor(p);
});

afterAll(async () => {
  await hub?.stop();
});

// ---------------------------------------------------------------------------------------------

describe('TEAM_WORKER of team A and team B’s data', () => {
  it('(control) team B’s worker sees B’s markers through CASE_FULL, so the leak checks can bite', async () => {
    const res = await hub.gql(CASE_FULL, { id: caseB.id }, T.workerB);
    expect(res.errors).toBeUndefined();
    for (const v of [B.given, B.street, B.note, B.goal, B.provision, B.referralReason, B.reason]) expect(res.raw).toContain(v);
  });

  it('case(id) of team B with every nested field: NOT_FOUND like a random id, nothing of B in the body', async () => {
    const foreign = await hub.gql(CASE_FULL, { id: caseB.id }, T.workerA);
    const missing = await hub.gql(CASE_FULL, { id: randomUUID() }, T.workerA);
    expect(code(foreign)).toBe('NOT_FOUND');
    expect(foreign.data?.case ?? null).toBeNull();
    expect(msg(foreign)).toBe(msg(missing));
    expect(code(missing)).toBe('NOT_FOUND');
    expectNoB(foreign);
  });

  it('case(id) of team B with nested fields under @include (resolver path): NOT_FOUND, nothing of B', async () => {
    const res = await hub.gql(CASE_FULL_INCLUDE, { id: caseB.id }, T.workerA);
    expect(code(res)).toBe('NOT_FOUND');
    expectNoB(res);
  });

  it('team lead A: case(id) of team B with every nested field: NOT_FOUND, nothing of B', async () => {
    const res = await hub.gql(CASE_FULL, { id: caseB.id }, T.leadA);
    expect(code(res)).toBe('NOT_FOUND');
    expectNoB(res);
  });

  it('cases(filter: { householdId: B }) lists nothing and counts nothing', async () => {
    const res = await hub.gql(
      `query($h: ID!) { cases(filter: { householdId: $h }) { totalCount edges { node { id reason household { id members { givenName } } latestZrm { id } coordinator { name } } } } }`,
      { h: hB.id }, T.workerA,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.cases.totalCount).toBe(0);
    expect(res.data!.cases.edges).toEqual([]);
    expectNoB(res);
  });

  it('cases(after: a cursor forged from team B’s case) pages only own cases', async () => {
    const after = cursorOf(new Date(caseB.registeredAt.getTime() + 1000), caseB.id);
    const res = await hub.gql(
      `query($a: String) { cases(first: 100, after: $a) { totalCount edges { node { id reason team { id } household { id address { street } members { givenName } } latestZrm { id } } } } }`,
      { a: after }, T.workerA,
    );
    expect(res.errors).toBeUndefined();
    for (const e of res.data!.cases.edges) expect(e.node.team.id).toBe(tA.id);
    expectNoB(res);
  });

  it('cases(filter: { teamId: B }) is refused and shows nothing of B', async () => {
    const res = await hub.gql(`query($t: ID!) { cases(filter: { teamId: $t }) { totalCount edges { node { id } } } }`, { t: tB.id }, T.workerA);
    expect(['FORBIDDEN', 'NOT_FOUND']).toContain(code(res));
    expectNoB(res);
  });

  it('notes(after: a cursor of team B’s note) on an own case lists only own notes', async () => {
    const after = cursorOf(new Date(noteB.createdAt.getTime() + 1000), noteB.id);
    const res = await hub.gql(
      `query($id: ID!, $a: String) { case(id: $id) { id notes(first: 10, after: $a) { totalCount edges { node { id body } } } } }`,
      { id: caseA1.id, a: after }, T.workerA,
    );
    expectNoB(res);
  });

  it('household(id) of team B, with all its fields: NOT_FOUND like a random id', async () => {
    const q = `query($id: ID!) { household(id: $id) { id address { street postcode } members { givenName familyName phone bsnLast4 } cases { id reason notes { edges { node { body } } } } team { id } } }`;
    const foreign = await hub.gql(q, { id: hB.id }, T.workerA);
    const missing = await hub.gql(q, { id: randomUUID() }, T.workerA);
    expect(code(foreign)).toBe('NOT_FOUND');
    expect(msg(foreign)).toBe(msg(missing));
    expectNoB(foreign);
  });

  it('referral(id) of team B: NOT_FOUND; the referral list holds no B referral', async () => {
    const one = await hub.gql(`query($id: ID!) { referral(id: $id) { id reason subject { givenName } case { id } household { id } } }`, { id: referralB.id }, T.workerA);
    expect(code(one)).toBe('NOT_FOUND');
    expectNoB(one);
    const list = await hub.gql(`{ referrals(first: 100) { totalCount edges { node { id reason subject { givenName familyName } team { id } } } } }`, {}, T.workerA);
    expect(list.errors).toBeUndefined();
    for (const e of list.data!.referrals.edges) expect(e.node.team.id).toBe(tA.id);
    expectNoB(list);
    const forged = await hub.gql(
      `query($a: String) { referrals(first: 100, after: $a) { edges { node { id reason team { id } } } } }`,
      { a: cursorOf(new Date(referralB.receivedAt.getTime() + 1000), referralB.id) }, T.workerA,
    );
    expectNoB(forged);
  });

  it('accessReport(residentId) of team B: NOT_FOUND like a random id', async () => {
    const q = `query($id: ID!) { accessReport(residentId: $id) { resident { givenName } entries { at action objectType actor { name } } disclosures { what } } }`;
    const foreign = await hub.gql(q, { id: residentsB[0]!.id }, T.workerA);
    const missing = await hub.gql(q, { id: randomUUID() }, T.workerA);
    expect(code(foreign)).toBe('NOT_FOUND');
    expect(msg(foreign)).toBe(msg(missing));
    expectNoB(foreign);
  });

  it('teamMembers(team B) is refused (no B staff names, emails or phones)', async () => {
    const res = await hub.gql(`query($t: ID!) { teamMembers(teamId: $t) { id name email phone } }`, { t: tB.id }, T.workerA);
    expect(['FORBIDDEN', 'NOT_FOUND']).toContain(code(res));
    expect(res.raw).not.toContain(workerB.name);
    expect(res.raw).not.toContain('06-97979797');
  });

  it('informalCareRequests lists no request of team B', async () => {
    const res = await hub.gql(`{ informalCareRequests(first: 100) { totalCount edges { node { id needs area { postcode4 } resident { givenName } } } } }`, {}, T.workerA);
    expect(res.errors).toBeUndefined();
    expectNoB(res);
  });

  it('aliases: ten aliases of B’s case id and one own id — B is NOT_FOUND each time, own data intact, nothing of B', async () => {
    const aliases = Array.from({ length: 10 }, (_, i) => `b${i}: case(id: $b) { id reason household { members { givenName } } notes { edges { node { body } } } }`).join('\n');
    const res = await hub.gql(`query($a: ID!, $b: ID!) { a: case(id: $a) { id } ${aliases} }`, { a: caseA1.id, b: caseB.id }, T.workerA);
    expect(res.data?.a?.id).toBe(caseA1.id);
    for (let i = 0; i < 10; i++) expect(res.data?.[`b${i}`] ?? null).toBeNull();
    expect(codes(res).every((c) => c === 'NOT_FOUND' || c === 'BAD_USER_INPUT')).toBe(true);
    expectNoB(res);
  });
});

// ---------------------------------------------------------------------------------------------

/** A mutation probe: the foreign id and a random one must give the same NOT_FOUND answer. */
interface MutationProbe {
  name: string;
  who: 'workerA' | 'leadA';
  query: string;
  vars: (id: string) => Record<string, unknown>;
  foreign: () => string;
  expectCode?: string;
}

const NOW_MINUS_HOUR = () => new Date(Date.now() - 3600_000).toISOString();
const MUTATIONS: MutationProbe[] = [
  { name: 'addCaseNote', who: 'workerA', query: `mutation($i: AddCaseNoteInput!) { addCaseNote(input: $i) { id body } }`, vars: (id) => ({ i: { caseId: id, body: 'probe' } }), foreign: () => caseB.id },
  { name: 'addGoal', who: 'workerA', query: `mutation($i: AddGoalInput!) { addGoal(input: $i) { id } }`, vars: (id) => ({ i: { caseId: id, description: 'probe' } }), foreign: () => caseB.id },
  { name: 'recordZrmAssessment', who: 'workerA', query: `mutation($i: RecordZrmAssessmentInput!) { recordZrmAssessment(input: $i) { id } }`, vars: (id) => ({ i: { caseId: id, assessedAt: NOW_MINUS_HOUR(), version: 'ZRM_2017', kind: 'FOLLOW_UP', scores: zrmScores() } }), foreign: () => caseB.id },
  { name: 'recordCareAllocation', who: 'workerA', query: `mutation($i: RecordCareAllocationInput!) { recordCareAllocation(input: $i) { id } }`, vars: (id) => ({ i: { caseId: id, provision: 'probe', form: 'PGB', investigationStartedAt: isoDay(ago(2)) } }), foreign: () => caseB.id },
  { name: 'closeCase', who: 'workerA', query: `mutation($i: CloseCaseInput!) { closeCase(input: $i) { id status } }`, vars: (id) => ({ i: { caseId: id, closedAt: NOW_MINUS_HOUR(), reason: 'AS_PLANNED' } }), foreign: () => caseB.id },
  { name: 'startCase', who: 'workerA', query: `mutation($i: StartCaseInput!) { startCase(input: $i) { id } }`, vars: (id) => ({ i: { caseId: id, startedAt: NOW_MINUS_HOUR(), coordinatorId: workerA.id } }), foreign: () => caseB.id },
  { name: 'recordFirstContact', who: 'workerA', query: `mutation($id: ID!, $at: DateTime!) { recordFirstContact(caseId: $id, at: $at) { id } }`, vars: (id) => ({ id, at: NOW_MINUS_HOUR() }), foreign: () => caseB.id },
  { name: 'reassignCoordinator', who: 'leadA', query: `mutation($id: ID!, $c: ID!) { reassignCoordinator(caseId: $id, coordinatorId: $c) { id } }`, vars: (id) => ({ id, c: workerA.id }), foreign: () => caseB.id },
  { name: 'requestInformalCare', who: 'workerA', query: `mutation($i: RequestInformalCareInput!) { requestInformalCare(input: $i) { id } }`, vars: (id) => ({ i: { caseId: id, needs: ['shopping'] } }), foreign: () => caseB.id },
  { name: 'requestWorkerChange', who: 'workerA', query: `mutation($i: RequestWorkerChangeInput!) { requestWorkerChange(input: $i) { id } }`, vars: (id) => ({ i: { caseId: id, reason: 'probe' } }), foreign: () => caseB.id },
  { name: 'registerFeedback (own team, B case)', who: 'workerA', query: `mutation($i: RegisterFeedbackInput!) { registerFeedback(input: $i) { id } }`, vars: (id) => ({ i: { teamId: tA.id, caseId: id, kind: 'COMPLAINT', receivedAt: NOW_MINUS_HOUR(), summary: 'probe' } }), foreign: () => caseB.id },
  { name: 'assignFlexWorker (lead A, B case)', who: 'leadA', query: `mutation($i: AssignFlexWorkerInput!) { assignFlexWorker(input: $i) { id until } }`, vars: (id) => ({ i: { staffId: flexNone.id, caseId: id, until: '2099-01-01' } }), foreign: () => caseB.id },
  { name: 'recordConsent', who: 'workerA', query: `mutation($i: RecordConsentInput!) { recordConsent(input: $i) { id residentId } }`, vars: (id) => ({ i: { residentId: id, recipientId: gp.id, purpose: 'OTHER' } }), foreign: () => residentsB[0]!.id },
  { name: 'correctResident', who: 'workerA', query: `mutation($i: CorrectResidentInput!) { correctResident(input: $i) { id givenName familyName phone } }`, vars: (id) => ({ i: { residentId: id, phone: '0611112222' } }), foreign: () => residentsB[1]!.id },
  { name: 'eraseResident (lead A)', who: 'leadA', query: `mutation($id: ID!) { eraseResident(residentId: $id) { residentId outcome reason } }`, vars: (id) => ({ id }), foreign: () => residentsB[1]!.id },
  { name: 'revokeConsent', who: 'workerA', query: `mutation($id: ID!) { revokeConsent(id: $id) { id revokedAt } }`, vars: (id) => ({ id }), foreign: () => consentB.id },
  { name: 'triageReferral', who: 'workerA', query: `mutation($i: TriageReferralInput!) { triageReferral(input: $i) { id status reason } }`, vars: (id) => ({ i: { referralId: id, status: 'CLOSED' } }), foreign: () => referralB.id },
  { name: 'openCase (B household)', who: 'workerA', query: `mutation($i: OpenCaseInput!) { openCase(input: $i) { id } }`, vars: (id) => ({ i: { householdId: id, referralSource: 'SELF', reason: 'probe' } }), foreign: () => hB.id },
  { name: 'openCase (own household, B referral)', who: 'workerA', query: `mutation($i: OpenCaseInput!) { openCase(input: $i) { id } }`, vars: (id) => ({ i: { householdId: hA2.id, referralSource: 'GP', reason: 'probe', referralId: id } }), foreign: () => referralB.id },
  { name: 'resolveFeedback (lead A)', who: 'leadA', query: `mutation($id: ID!) { resolveFeedback(id: $id, status: RESOLVED, resolution: "probe") { id summary } }`, vars: (id) => ({ id }), foreign: () => feedbackB.id },
  { name: 'decideWorkerChange (lead A)', who: 'leadA', query: `mutation($id: ID!) { decideWorkerChange(id: $id, grant: true) { id reason } }`, vars: (id) => ({ id }), foreign: () => wcrB.id },
  { name: 'activateMatch', who: 'workerA', query: `mutation($id: ID!) { activateMatch(id: $id) { id status resident { givenName } } }`, vars: (id) => ({ id }), foreign: () => matchB.id },
  { name: 'endMatch', who: 'workerA', query: `mutation($id: ID!) { endMatch(id: $id) { id status } }`, vars: (id) => ({ id }), foreign: () => matchProposed.id },
];

describe('mutations of team A on team B’s ids: NOT_FOUND exactly as for a random id, nothing changes', () => {
  for (const m of MUTATIONS) {
    it(`${m.name} on B’s id answers like a missing id and leaks nothing`, async () => {
      const foreign = await hub.gql(m.query, m.vars(m.foreign()), T[m.who]);
      const missing = await hub.gql(m.query, m.vars(randomUUID()), T[m.who]);
      expect(code(foreign), JSON.stringify(foreign.errors)).toBe(m.expectCode ?? 'NOT_FOUND');
      expect(code(foreign)).toBe(code(missing));
      expect(msg(foreign)).toBe(msg(missing));
      expectNoB(foreign);
    });
  }

  it('coordinator of another team: startCase / reassignCoordinator on an own case refuse B’s worker like a random id', async () => {
    const start = (c: string) => hub.gql(`mutation($i: StartCaseInput!) { startCase(input: $i) { id coordinator { id } } }`, { i: { caseId: caseA3.id, startedAt: NOW_MINUS_HOUR(), coordinatorId: c } }, T.workerA);
    const f = await start(workerB.id);
    const r = await start(randomUUID());
    expect(code(f)).toBe('BAD_USER_INPUT');
    expect(msg(f)).toBe(msg(r));
    const reassign = (c: string) => hub.gql(`mutation($id: ID!, $c: ID!) { reassignCoordinator(caseId: $id, coordinatorId: $c) { id } }`, { id: caseA1.id, c }, T.leadA);
    const rf = await reassign(workerB.id);
    const rr = await reassign(randomUUID());
    expect(code(rf)).toBe('BAD_USER_INPUT');
    expect(msg(rf)).toBe(msg(rr));
    expect(rf.raw).not.toContain(workerB.name);
  });

  it('residentId of team B on an own case (ZRM, informal care) is refused like a random id', async () => {
    const zrm = (r: string) => hub.gql(`mutation($i: RecordZrmAssessmentInput!) { recordZrmAssessment(input: $i) { id } }`, { i: { caseId: caseA1.id, residentId: r, assessedAt: NOW_MINUS_HOUR(), version: 'ZRM_2017', kind: 'FOLLOW_UP', scores: zrmScores() } }, T.workerA);
    const zf = await zrm(residentsB[0]!.id);
    const zr = await zrm(randomUUID());
    expect(zf.errors).toBeDefined();
    expect(code(zf)).toBe(code(zr));
    expect(msg(zf)).toBe(msg(zr));
    const icr = (r: string) => hub.gql(`mutation($i: RequestInformalCareInput!) { requestInformalCare(input: $i) { id } }`, { i: { caseId: caseA1.id, residentId: r, needs: ['shopping'] } }, T.workerA);
    const f = await icr(residentsB[0]!.id);
    const r = await icr(randomUUID());
    expect(f.errors).toBeDefined();
    expect(msg(f)).toBe(msg(r));
    expectNoB(f);
  });

  it('triageReferral cannot link an own referral to B’s household or case (refused like a random id; not linked)', async () => {
    const link = (v: Record<string, string>) => hub.gql(`mutation($i: TriageReferralInput!) { triageReferral(input: $i) { id household { id } case { id } } }`, { i: { referralId: refA.id, status: 'TRIAGED', ...v } }, T.workerA);
    const hf = await link({ householdId: hB.id });
    const hr = await link({ householdId: randomUUID() });
    expect(hf.errors).toBeDefined();
    expect(msg(hf)).toBe(msg(hr));
    const cf = await link({ caseId: caseB.id });
    const cr = await link({ caseId: randomUUID() });
    expect(cf.errors).toBeDefined();
    expect(msg(cf)).toBe(msg(cr));
    const [row] = await hub.em().getConnection().execute<{ household_id: string | null; case_id: string | null }[]>('select household_id, case_id from referral where id = ?', [refA.id]);
    expect(row!.household_id).toBeNull();
    expect(row!.case_id).toBeNull();
  });

  it('registerHousehold with teamId of team B is refused', async () => {
    const res = await hub.gql(`mutation($i: RegisterHouseholdInput!) { registerHousehold(input: $i) { id team { id } } }`, {
      i: { teamId: tB.id, address: { street: 'Probe', houseNumber: '1', postcode: '3932AA', city: 'Utrecht' }, members: [{ givenName: 'P', familyName: 'Q', birthDate: '1990-01-01', relation: 'HEAD' }] },
    }, T.workerA);
    expect(['FORBIDDEN', 'NOT_FOUND']).toContain(code(res));
    const [row] = await hub.em().getConnection().execute<{ n: string }[]>(`select count(*) as n from household where street = 'Probe'`);
    expect(Number(row!.n)).toBe(0);
  });

  it('team B’s case file is unchanged after every probe', async () => {
    const conn = hub.em().getConnection();
    const [c] = await conn.execute<{ status: string; coordinator_id: string; notes: string; goals: string; zrms: string; alloc: string; cases: string }[]>(
      `select c.status, c.coordinator_id,
        (select count(*) from case_note where case_id = c.id) as notes,
        (select count(*) from goal where case_id = c.id) as goals,
        (select count(*) from zrm_assessment where case_id = c.id) as zrms,
        (select count(*) from care_allocation where case_id = c.id) as alloc,
        (select count(*) from "case" where household_id = c.household_id) as cases
       from "case" c where c.id = ?`, [caseB.id]);
    expect(c).toMatchObject({ status: 'ACTIVE', coordinator_id: workerB.id, notes: '1', goals: '1', zrms: '1', alloc: '1', cases: '1' });
    const [r] = await conn.execute<{ phone: string; given_name: string }[]>('select phone, given_name from resident where id = ?', [residentsB[1]!.id]);
    expect(r!.given_name).toBe(B.given2);
    const [k] = await conn.execute<{ revoked_at: Date | null }[]>('select revoked_at from consent where id = ?', [consentB.id]);
    expect(k!.revoked_at).toBeNull();
    const [f] = await conn.execute<{ status: string }[]>('select status from feedback where id = ?', [feedbackB.id]);
    expect(f!.status).toBe('OPEN');
    const [w] = await conn.execute<{ status: string }[]>('select status from worker_change_request where id = ?', [wcrB.id]);
    expect(w!.status).toBe('REQUESTED');
    const [ref] = await conn.execute<{ status: string }[]>('select status from referral where id = ?', [referralB.id]);
    expect(ref!.status).toBe('IN_CARE');
    const [m] = await conn.execute<{ status: string }[]>('select status from volunteer_match where id = ?', [matchB.id]);
    expect(m!.status).toBe('ACCEPTED');
    const [fa] = await conn.execute<{ n: string }[]>('select count(*) as n from flex_assignment where case_id = ?', [caseB.id]);
    expect(Number(fa!.n)).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------

describe('FLEX_WORKER', () => {
  it('(control) the running assignment shows the assigned case with its household', async () => {
    const res = await hub.gql(CASE_FULL, { id: caseA1.id }, T.flex);
    expect(res.errors).toBeUndefined();
    expect(res.raw).toContain(A.note);
  });

  it('bsnLast4 only for the own team: null for the flex worker on the assigned case, in the detail and in lists', async () => {
    const digits = residentA1.bsnLast4!;
    expect(digits).toMatch(/^\d{4}$/);
    const own = await hub.gql(CASE_FULL, { id: caseA1.id }, T.workerA);
    expect(own.data!.case.household.members.map((m: { bsnLast4: string | null }) => m.bsnLast4)).toContain(digits);
    const det = await hub.gql(CASE_FULL, { id: caseA1.id }, T.flex);
    expect(det.errors).toBeUndefined();
    expect(det.data!.case.household.members.map((m: { bsnLast4: string | null }) => m.bsnLast4)).toEqual(det.data!.case.household.members.map(() => null));
    const list = await hub.gql(`{ cases(first: 100) { edges { node { id household { members { bsnLast4 } } } } } }`, {}, T.flex);
    expect(list.errors).toBeUndefined();
    expect(list.data!.cases.edges).toHaveLength(1);
    expect(list.raw).not.toContain(digits);
    const h = await hub.gql(`query($id: ID!) { household(id: $id) { members { id bsnLast4 } } }`, { id: hA1.id }, T.flex);
    expect(h.errors).toBeUndefined();
    expect(h.raw).not.toContain(digits);
  });

  it('household.cases of the assigned case lists only the assigned case, not the household’s older case', async () => {
    const res = await hub.gql(CASE_FULL, { id: caseA1.id }, T.flex);
    expect(res.data!.case.household.cases.map((c: { id: string }) => c.id)).toEqual([caseA1.id]);
    expectNoOld(res);
    const h = await hub.gql(`query($id: ID!) { household(id: $id) { id cases { id reason notes { edges { node { body } } } referral { reason } } } }`, { id: hA1.id }, T.flex);
    expect(h.errors).toBeUndefined();
    expect(h.data!.household.cases.map((c: { id: string }) => c.id)).toEqual([caseA1.id]);
    expectNoOld(h);
  });

  it('the household’s older case and its referral answer NOT_FOUND; lists hold neither', async () => {
    const c = await hub.gql(CASE_FULL, { id: caseA1old.id }, T.flex);
    expect(code(c)).toBe('NOT_FOUND');
    expectNoOld(c);
    const r = await hub.gql(`query($id: ID!) { referral(id: $id) { id reason } }`, { id: refA1old.id }, T.flex);
    expect(code(r)).toBe('NOT_FOUND');
    const list = await hub.gql(
      `query($h: ID!) { cases(filter: { householdId: $h }) { totalCount edges { node { id reason } } } referrals(first: 100) { totalCount edges { node { id reason } } } informalCareRequests(first: 100) { totalCount edges { node { id needs } } } }`,
      { h: hA1.id }, T.flex,
    );
    expect(list.errors).toBeUndefined();
    expect(list.data!.cases.totalCount).toBe(1);
    expect(list.data!.referrals.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([refA1.id]);
    expect(list.data!.informalCareRequests.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([icrA1.id]);
    expectNoOld(list);
  });

  it('cannot act on the older case of the assigned household (NOT_FOUND)', async () => {
    const note = await hub.gql(`mutation($i: AddCaseNoteInput!) { addCaseNote(input: $i) { id } }`, { i: { caseId: caseA1old.id, body: 'probe' } }, T.flex);
    expect(code(note)).toBe('NOT_FOUND');
    const zrm = await hub.gql(`mutation($i: RecordZrmAssessmentInput!) { recordZrmAssessment(input: $i) { id } }`, { i: { caseId: caseA1old.id, assessedAt: NOW_MINUS_HOUR(), version: 'ZRM_2017', kind: 'CLOSING', scores: zrmScores() } }, T.flex);
    expect(code(zrm)).toBe('NOT_FOUND');
  });

  it('accessReport of a resident of the assigned household is refused: it would list the reads of the household’s older case', async () => {
    const q = `query($id: ID!) { accessReport(residentId: $id) { resident { id } entries { at action objectType actor { name } } disclosures { what } } }`;
    // Team A reads the older case, so the household's log holds entries the flex worker may not see.
    expect((await hub.gql(CASE_FULL, { id: caseA1old.id }, T.workerA)).errors).toBeUndefined();
    const own = await hub.gql(q, { id: residentA1.id }, T.workerA);
    expect(own.errors).toBeUndefined();
    expect(own.data!.accessReport.entries.length).toBeGreaterThan(0);
    const res = await hub.gql(q, { id: residentA1.id }, T.flex);
    expect(code(res)).toBe('FORBIDDEN');
    expect(res.data?.accessReport ?? null).toBeNull();
    expect(res.raw).not.toContain(workerA.name);
    expectNoOld(res);
  });

  it('team-only operations are refused to a flex worker (teamMembers, open a new case, register a household, dashboards)', async () => {
    const tm = await hub.gql(`query($t: ID!) { teamMembers(teamId: $t) { id email } }`, { t: tA.id }, T.flex);
    expect(['FORBIDDEN', 'NOT_FOUND']).toContain(code(tm));
    const open = await hub.gql(`mutation($i: OpenCaseInput!) { openCase(input: $i) { id } }`, { i: { householdId: hA2.id, referralSource: 'SELF', reason: 'probe' } }, T.flex);
    expect(['FORBIDDEN', 'NOT_FOUND']).toContain(code(open));
    const q = await hub.gql(`{ quarterReport(period: "2015-Q2") { suppressed } }`, {}, T.flex);
    expect(code(q)).toBe('FORBIDDEN');
    const cc = await hub.gql(`{ caseCounts { suppressed } }`, {}, T.flex);
    expect(code(cc)).toBe('FORBIDDEN');
  });

  for (const who of ['flexEnded', 'flexNone'] as const) {
    it(`${who}: every read of the case file is NOT_FOUND or empty`, async () => {
      const t = T[who]!;
      const c = await hub.gql(CASE_FULL, { id: caseA1.id }, t);
      expect(code(c)).toBe('NOT_FOUND');
      const h = await hub.gql(`query($id: ID!) { household(id: $id) { id members { givenName } } }`, { id: hA1.id }, t);
      expect(code(h)).toBe('NOT_FOUND');
      const r = await hub.gql(`query($id: ID!) { referral(id: $id) { id reason } }`, { id: refA1.id }, t);
      expect(code(r)).toBe('NOT_FOUND');
      const ar = await hub.gql(`query($id: ID!) { accessReport(residentId: $id) { entries { at } } }`, { id: residentA1.id }, t);
      expect(code(ar)).toBe('FORBIDDEN');
      const lists = await hub.gql(`{ cases { totalCount } referrals { totalCount } informalCareRequests { totalCount } }`, {}, t);
      expect(lists.errors).toBeUndefined();
      expect(lists.data).toEqual({ cases: { totalCount: 0 }, referrals: { totalCount: 0 }, informalCareRequests: { totalCount: 0 } });
      for (const res of [c, h, r, ar, lists]) {
        expect(res.raw).not.toContain(A.given);
        expect(res.raw).not.toContain(A.note);
      }
    });

    it(`${who}: every mutation on the case, its residents, consents and referral is NOT_FOUND and changes nothing`, async () => {
      const t = T[who]!;
      const conn = hub.em().getConnection();
      const before = await conn.execute<{ n: string }[]>(`select (select count(*) from case_note where case_id = ?) + (select count(*) from goal where case_id = ?) + (select count(*) from consent where resident_id = ?) as n`, [caseA1.id, caseA1.id, residentA1.id]);
      const probes: [string, Record<string, unknown>][] = [
        [`mutation($i: AddCaseNoteInput!) { addCaseNote(input: $i) { id } }`, { i: { caseId: caseA1.id, body: 'probe' } }],
        [`mutation($i: AddGoalInput!) { addGoal(input: $i) { id } }`, { i: { caseId: caseA1.id, description: 'probe' } }],
        [`mutation($i: RecordConsentInput!) { recordConsent(input: $i) { id } }`, { i: { residentId: residentA1.id, recipientId: careOrg.id, purpose: 'INFORMAL_CARE' } }],
        [`mutation($i: CorrectResidentInput!) { correctResident(input: $i) { id givenName phone } }`, { i: { residentId: residentA1.id, languages: ['Dutch', 'English'] } }],
        [`mutation($i: RequestInformalCareInput!) { requestInformalCare(input: $i) { id } }`, { i: { caseId: caseA1.id, needs: ['shopping'] } }],
        [`mutation($i: TriageReferralInput!) { triageReferral(input: $i) { id reason } }`, { i: { referralId: refA1.id, status: 'CLOSED' } }],
        [`mutation($i: RequestWorkerChangeInput!) { requestWorkerChange(input: $i) { id } }`, { i: { caseId: caseA1.id, reason: 'probe' } }],
        [`mutation($id: ID!) { endMatch(id: $id) { id } }`, { id: matchActive.id }],
      ];
      for (const [q, v] of probes) {
        const res = await hub.gql(q, v, t);
        expect(code(res), `${q} → ${JSON.stringify(res.errors ?? res.data)}`).toBe('NOT_FOUND');
        expect(res.raw).not.toContain(A.given);
      }
      const after = await conn.execute<{ n: string }[]>(`select (select count(*) from case_note where case_id = ?) + (select count(*) from goal where case_id = ?) + (select count(*) from consent where resident_id = ?) as n`, [caseA1.id, caseA1.id, residentA1.id]);
      expect(after[0]!.n).toBe(before[0]!.n);
      const [m] = await conn.execute<{ status: string }[]>('select status from volunteer_match where id = ?', [matchActive.id]);
      expect(m!.status).toBe('ACTIVE');
    });
  }

  it('an assignment whose last day ("until") has passed on the Amsterdam calendar no longer gives access', async () => {
    // 23:30 UTC on the assignment's last day is already the next day in Europe/Amsterdam.
    const until = isoDay(new Date());
    const lateUtc = new Date(`${until}T23:30:00Z`);
    expect(new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam' }).format(lateUtc)).not.toBe(until);
    const viewer = await loadViewer(hub.em(), flexTz.id, lateUtc);
    expect(viewer?.role).toBe(Role.FLEX_WORKER);
    expect([...(viewer?.flexCaseIds ?? [])]).not.toContain(caseA1.id);
  });
});

// ---------------------------------------------------------------------------------------------

const REPORT = /* GraphQL */ `
  query($period: String!, $teamId: ID) {
    quarterReport(period: $period, teamId: $teamId) {
      suppressed
      caseCounts { withoutStartDate startedInPeriod runningInPeriod closedInPeriod }
      perTeam { team { id code } started running closed }
      referralSources { source count share }
      selfReferralShare
    }
  }`;

describe('ANALYST: aggregates only, small cells suppressed', () => {
  it('(control) city-wide report: team A’s 2 started cases are suppressed, and team B’s 6 with them (complementary suppression)', async () => {
    const res = await hub.gql(REPORT, { period: '2015-Q2' }, T.analyst);
    expect(res.errors).toBeUndefined();
    const per = res.data!.quarterReport.perTeam as { team: { id: string }; started: number | null }[];
    expect(per.find((p) => p.team.id === tA.id)!.started).toBeNull();
    expect(per.find((p) => p.team.id === tB.id)!.started).toBeNull();
  });

  it('a team asked directly (quarterReport teamId) has every count from 1 to 4 suppressed', async () => {
    const res = await hub.gql(REPORT, { period: '2015-Q2', teamId: tA.id }, T.analyst);
    expect(res.errors).toBeUndefined();
    const r = res.data!.quarterReport;
    expect(r.caseCounts.startedInPeriod).toBeNull();
    expect(r.perTeam[0].started).toBeNull();
    const self = r.referralSources.find((s: { source: string }) => s.source === 'SELF');
    expect(self.count).toBeNull();
    expect(self.share).toBeNull();
    expect(r.selfReferralShare).toBeNull();
    expect(r.suppressed).toBe(true);
  });

  it('city-wide quarterReport: a suppressed team cell cannot be recovered as the city total minus the shown team cells', async () => {
    const res = await hub.gql(REPORT, { period: '2015-Q2' }, T.analyst);
    const r = res.data!.quarterReport;
    const per = r.perTeam as { started: number | null }[];
    const hidden = per.filter((p) => p.started === null);
    const shown = per.reduce((a, p) => a + (p.started ?? 0), 0);
    const city = r.caseCounts.startedInPeriod as number;
    // With exactly one hidden cell, city − shown is its exact value: the suppression is void.
    const recoverable = hidden.length === 1 && city - shown >= 1 && city - shown <= 4;
    expect(recoverable, `city ${city} − shown ${shown} = ${city - shown} reveals the suppressed team count`).toBe(false);
  });

  it('one team’s quarterReport: a suppressed referral-source cell cannot be recovered as startedInPeriod minus the shown sources', async () => {
    const res = await hub.gql(REPORT, { period: '2015-Q2', teamId: tB.id }, T.analyst);
    expect(res.errors).toBeUndefined();
    const r = res.data!.quarterReport;
    const hidden = r.referralSources.filter((s: { count: number | null }) => s.count === null);
    const shown = r.referralSources.reduce((a: number, s: { count: number | null }) => a + (s.count ?? 0), 0);
    const total = r.caseCounts.startedInPeriod as number | null;
    const recoverable = total !== null && hidden.length === 1 && total - shown >= 1 && total - shown <= 4;
    expect(recoverable, `startedInPeriod ${total} − shown ${shown} reveals ${hidden[0]?.source} = ${total! - shown}`).toBe(false);
  });

  it('caseCounts: a suppressed team count cannot be recovered as the city total minus the other teams', async () => {
    const res = await hub.gql(`{ caseCounts { total { active } perTeam { team { id } counts { active } } } }`, {}, T.analyst);
    expect(res.errors).toBeUndefined();
    // Analysts get the city's totals only (case-counts.ts): there is no team count to subtract.
    expect(res.data!.caseCounts.perTeam).toEqual([]);
    const per = res.data!.caseCounts.perTeam as { counts: { active: number | null } }[];
    const hidden = per.filter((p) => p.counts.active === null);
    const shown = per.reduce((a, p) => a + (p.counts.active ?? 0), 0);
    const city = res.data!.caseCounts.total.active as number;
    const recoverable = hidden.length === 1 && city - shown >= 1 && city - shown <= 4;
    expect(recoverable, `city ${city} − shown ${shown} = ${city - shown} reveals the suppressed team count`).toBe(false);
  });

  it('no case content for an analyst anywhere (FORBIDDEN, nothing in the body)', async () => {
    for (const [q, v] of [
      [CASE_FULL, { id: caseB.id }],
      [`{ cases { totalCount edges { node { id } } } }`, {}],
      [`query($id: ID!) { household(id: $id) { id } }`, { id: hB.id }],
      [`{ referrals { totalCount edges { node { id } } } }`, {}],
      [`{ informalCareRequests { totalCount } }`, {}],
      [`query($id: ID!) { accessReport(residentId: $id) { entries { at } } }`, { id: residentsB[0]!.id }],
      [`query($t: ID!) { teamMembers(teamId: $t) { id email } }`, { t: tB.id }],
    ] as [string, Record<string, unknown>][]) {
      const res = await hub.gql(q, v, T.analyst);
      expect(code(res), q).toBe('FORBIDDEN');
      expectNoB(res);
    }
  });
});

describe('TEAM_LEAD dashboards', () => {
  it('quarterReport and caseCounts for a team the lead does not lead: FORBIDDEN, no figures', async () => {
    const q = await hub.gql(REPORT, { period: '2015-Q2', teamId: tB.id }, T.leadA);
    expect(code(q)).toBe('FORBIDDEN');
    expect(q.data?.quarterReport ?? null).toBeNull();
    const cc = await hub.gql(`query($t: ID!) { caseCounts(teamId: $t) { total { active } } }`, { t: tB.id }, T.leadA);
    expect(code(cc)).toBe('FORBIDDEN');
  });

  it('quarterReport without teamId covers only the lead’s own teams', async () => {
    const res = await hub.gql(REPORT, { period: '2015-Q2' }, T.leadA);
    expect(res.errors).toBeUndefined();
    expect(res.data!.quarterReport.perTeam.map((p: { team: { id: string } }) => p.team.id)).toEqual([tA.id]);
    expect(res.data!.quarterReport.caseCounts.startedInPeriod).toBe(2);
  });

  it('a TEAM_WORKER gets no dashboard', async () => {
    const q = await hub.gql(REPORT, { period: '2015-Q2', teamId: tA.id }, T.workerA);
    expect(code(q)).toBe('FORBIDDEN');
  });
});

// ---------------------------------------------------------------------------------------------

describe('ADMIN: never case content', () => {
  it('every query root that holds case content is refused, nothing in the body', async () => {
    for (const [q, v] of [
      [CASE_FULL, { id: caseA1.id }],
      [`{ cases { totalCount edges { node { id reason } } } }`, {}],
      [`query($id: ID!) { household(id: $id) { id members { givenName } } }`, { id: hA1.id }],
      [`{ referrals { totalCount edges { node { id reason } } } }`, {}],
      [`query($id: ID!) { referral(id: $id) { id reason } }`, { id: refA1.id }],
      [`{ informalCareRequests { totalCount edges { node { resident { givenName } } } } }`, {}],
      [`query($id: ID!) { accessReport(residentId: $id) { entries { at } } }`, { id: residentA1.id }],
      [`{ quarterReport(period: "2015-Q2") { suppressed } }`, {}],
      [`{ caseCounts { total { active } } }`, {}],
      [`{ volunteers { totalCount } }`, {}],
    ] as [string, Record<string, unknown>][]) {
      const res = await hub.gql(q, v, T.admin);
      expect(code(res), q).toBe('FORBIDDEN');
      expect(res.raw).not.toContain(A.given);
      expect(res.raw).not.toContain(A.note);
    }
  });

  it('mutations on case content are refused to an admin', async () => {
    for (const [q, v] of [
      [`mutation($i: AddCaseNoteInput!) { addCaseNote(input: $i) { id } }`, { i: { caseId: caseA1.id, body: 'probe' } }],
      [`mutation($i: CorrectResidentInput!) { correctResident(input: $i) { id givenName } }`, { i: { residentId: residentA1.id, phone: '0611112222' } }],
      [`mutation($i: RecordConsentInput!) { recordConsent(input: $i) { id } }`, { i: { residentId: residentA1.id, recipientId: gp.id, purpose: 'OTHER' } }],
      [`mutation($id: ID!) { activateMatch(id: $id) { id resident { givenName } } }`, { id: matchB.id }],
    ] as [string, Record<string, unknown>][]) {
      const res = await hub.gql(q, v, T.admin);
      expect(code(res), q).toBe('FORBIDDEN');
      expect(res.raw).not.toContain(A.given);
    }
  });

  it('staffMembers and teams carry no case content', async () => {
    const res = await hub.gql(`{ staffMembers { id name email teams { id } } teams { id code } organisations { id name } }`, {}, T.admin);
    expect(res.errors).toBeUndefined();
    for (const v of [A.given, A.note, B.given, B.note, caseA1.id, caseB.id]) expect(res.raw).not.toContain(v);
  });
});

// ---------------------------------------------------------------------------------------------

describe('AMBASSADOR', () => {
  it('lists only its own team’s requests, pseudonymised (no family name, note, phone or address)', async () => {
    const res = await hub.gql(`{ informalCareRequests(first: 100) { totalCount edges { node { id needs area { postcode4 neighbourhood } resident { givenName } } } } }`, {}, T.ambA);
    expect(res.errors).toBeUndefined();
    expectNoB(res);
    for (const v of [A.family, A.phone, 'A1-ICR-NOTE', OLD.icrNote, hA1.street]) expect(res.raw).not.toContain(v);
  });

  it('cannot reach another team’s request, case or match (NOT_FOUND like a random id)', async () => {
    const cand = (id: string) => hub.gql(`query($id: ID!) { volunteerCandidates(requestId: $id) { score volunteer { id } } }`, { id }, T.ambA);
    const cf = await cand(icrB.id);
    const cr = await cand(randomUUID());
    expect(code(cf)).toBe('NOT_FOUND');
    expect(msg(cf)).toBe(msg(cr));
    const prop = (id: string) => hub.gql(`mutation($r: ID!, $v: ID!) { proposeMatch(requestId: $r, volunteerId: $v) { id resident { givenName } } }`, { r: id, v: volA.id }, T.ambA);
    const pf = await prop(icrB.id);
    const pr = await prop(randomUUID());
    expect(code(pf)).toBe('NOT_FOUND');
    expect(msg(pf)).toBe(msg(pr));
    expectNoB(pf);
    const disc = (id: string) => hub.gql(`mutation($i: RecordCaseDiscussionInput!) { recordCaseDiscussion(input: $i) { id } }`, { i: { caseId: id, discussedAt: NOW_MINUS_HOUR(), informalCarePossible: true } }, T.ambA);
    const df = await disc(caseB.id);
    const dr = await disc(randomUUID());
    expect(code(df)).toBe('NOT_FOUND');
    expect(msg(df)).toBe(msg(dr));
    const act = await hub.gql(`mutation($id: ID!) { activateMatch(id: $id) { id resident { givenName } } }`, { id: matchB.id }, T.ambA);
    expect(code(act)).toBe('NOT_FOUND');
    expectNoB(act);
    const due = await hub.gql(`{ dueCheckIns { dueAt match { id resident { givenName } } } }`, {}, T.ambA);
    expectNoB(due);
  });

  it('reaches no case file (FORBIDDEN, nothing in the body)', async () => {
    for (const [q, v] of [
      [CASE_FULL, { id: caseA1.id }],
      [`query($id: ID!) { household(id: $id) { id } }`, { id: hA1.id }],
      [`{ referrals { totalCount } }`, {}],
      [`query($id: ID!) { accessReport(residentId: $id) { entries { at } } }`, { id: residentA1.id }],
      [`{ quarterReport(period: "2015-Q2") { suppressed } }`, {}],
    ] as [string, Record<string, unknown>][]) {
      const res = await hub.gql(q, v, T.ambA);
      expect(code(res), q).toBe('FORBIDDEN');
      expect(res.raw).not.toContain(A.note);
      expect(res.raw).not.toContain(A.family);
    }
  });
});

describe('VOLUNTEER', () => {
  it('sees only its own matches; the resident’s phone only on the ACTIVE one; no case file', async () => {
    const res = await hub.gql(`{ myMatches { id status task resident { givenName } area { postcode4 } contactPhone } }`, {}, T.volA);
    expect(res.errors).toBeUndefined();
    for (const m of res.data!.myMatches as { id: string; status: string; contactPhone: string | null }[]) {
      if (m.status !== 'ACTIVE') expect(m.contactPhone).toBeNull();
    }
    expect(res.raw).not.toContain(B.phone);
    expect(res.raw).not.toContain(B.family);
    for (const q of [`query($id: ID!) { case(id: $id) { id } }`, `{ informalCareRequests { totalCount } }`]) {
      const r = await hub.gql(q, { id: caseA1.id }, T.volA);
      expect(code(r)).toBe('FORBIDDEN');
    }
  });
});


describe('AMBASSADOR and VOLUNTEER mutations on ids outside their scope', () => {
  it('ambassador A: endMatch / recordMatchCheckIn on team B’s match answer like a random id', async () => {
    for (const q of [
      `mutation($id: ID!) { endMatch(id: $id) { id status } }`,
      `mutation($id: ID!) { recordMatchCheckIn(input: { matchId: $id, at: "${NOW_MINUS_HOUR()}", going: GOOD }) { id } }`,
    ]) {
      const f = await hub.gql(q, { id: matchB.id }, T.ambA);
      const r = await hub.gql(q, { id: randomUUID() }, T.ambA);
      expect(code(f), q).toBe('NOT_FOUND');
      expect(msg(f)).toBe(msg(r));
    }
    const [m] = await hub.em().getConnection().execute<{ status: string }[]>('select status from volunteer_match where id = ?', [matchB.id]);
    expect(m!.status).toBe('ACCEPTED');
  });

  it('ambassador: registerVolunteer for another organisation is refused', async () => {
    const em = hub.em();
    const otherOrg = buildOrganisation(em, { kind: OrganisationKind.INFORMAL_CARE });
    await em.flush();
    const res = await hub.gql(`mutation($i: RegisterVolunteerInput!) { registerVolunteer(input: $i) { id } }`, {
      i: { organisationId: otherOrg.id, givenName: 'X', familyName: 'Y', email: `x.${Date.now()}@example.test`, postcode: '3931AA', skills: [], languages: [], availability: [], maxMatches: 1 },
    }, T.ambA);
    expect(code(res)).toBe('FORBIDDEN');
  });

  it('volunteer: respondToMatch on another volunteer’s proposal answers like a random id', async () => {
    const q = `mutation($id: ID!) { respondToMatch(id: $id, accept: true) { id status contactPhone resident { givenName } } }`;
    const f = await hub.gql(q, { id: matchProposed.id }, T.volA);
    const r = await hub.gql(q, { id: randomUUID() }, T.volA);
    expect(code(f)).toBe('NOT_FOUND');
    expect(msg(f)).toBe(msg(r));
    expect(f.raw).not.toContain(B.given);
  });
});

describe('staff lifecycle: role and membership come from the database on every request', () => {
  it('a worker removed from the team, a deactivated worker and a demoted lead lose access on the next request', async () => {
    const em = hub.em();
    const moved = buildStaff(em, { role: Role.TEAM_WORKER, teams: [tA] });
    const gone = buildStaff(em, { role: Role.TEAM_WORKER, teams: [tA] });
    const demoted = buildStaff(em, { role: Role.TEAM_LEAD, teams: [tA] });
    await em.flush();
    const tm = await hub.tokenFor(moved), tg = await hub.tokenFor(gone), td = await hub.tokenFor(demoted);
    const q = `query($id: ID!) { case(id: $id) { id } }`;
    expect((await hub.gql(q, { id: caseA1.id }, tm)).data?.case?.id).toBe(caseA1.id);
    expect((await hub.gql(q, { id: caseA1.id }, tg)).data?.case?.id).toBe(caseA1.id);
    const conn = hub.em().getConnection();
    await conn.execute('delete from staff_team where staff_id = ?', [moved.id]);
    await conn.execute('update staff set active = false where id = ?', [gone.id]);
    await conn.execute(`update staff set role = 'TEAM_WORKER' where id = ?`, [demoted.id]);
    const m = await hub.gql(q, { id: caseA1.id }, tm);
    expect(code(m)).toBe('NOT_FOUND');
    const g = await hub.gql(q, { id: caseA1.id }, tg);
    expect(code(g)).toBe('UNAUTHENTICATED');
    const d = await hub.gql(`mutation($id: ID!, $c: ID!) { reassignCoordinator(caseId: $id, coordinatorId: $c) { id } }`, { id: caseA1.id, c: workerA.id }, td);
    expect(code(d)).toBe('FORBIDDEN');
  });
});

describe('error contract (not a leak): a malformed cursor is the client’s input', () => {
  it('notes(after: garbage cursor) answers BAD_USER_INPUT, not INTERNAL_SERVER_ERROR with a database message', async () => {
    const res = await hub.gql(`query($id: ID!, $a: String) { case(id: $id) { id notes(after: $a) { edges { node { id } } } } }`, { id: caseA1.id, a: cursorOf('not-a-date', 'not-a-uuid') }, T.workerA);
    expect(code(res), res.raw).toBe('BAD_USER_INPUT');
  });
});
