/**
 * Adversarial review probes (s19, staff roles across team boundaries): TEAM_WORKER, TEAM_LEAD,
 * FLEX_WORKER and ADMIN. Every probe asserts the SAFE behaviour of DESIGN.md section 2 and the
 * README ("How access works"), so a failing probe is a finding. It covers what the earlier
 * review files (-staff, -side-channels, -admin, -session, -integrity) did not: denial rows of
 * another team in the access report, the notes page past the end, a worker and a lead of two
 * teams, a flex worker assigned in two teams, and the Amsterdam calendar at both ends of an
 * assignment (reading and assigning). All data is obviously fake.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestHub, type GqlResponse, type TestHub } from '../helpers/app.js';
import {
  buildCase,
  buildFlexAssignment,
  buildHousehold,
  buildNote,
  buildOrganisation,
  buildReferral,
  buildStaff,
  buildTeam,
  buildVolunteer,
  ZRM_DOMAINS,
} from '../../seeds/factories.js';
import { CaseStatus, InformalCareRequestStatus, MatchStatus, OrganisationKind, ReferralStatus, Role, ZrmVersion } from '../../src/modules/common/enums.js';
import { makeBsn } from '../../src/modules/household/bsn.js';
import { loadViewer } from '../../src/permissions/viewer.js';
import { logger } from '../../src/logger.js';
import { InformalCareRequest, VolunteerMatch } from '../../src/modules/informal-care/informal-care.entity.js';
import type { Team } from '../../src/modules/team/team.entity.js';
import type { Staff } from '../../src/modules/staff/staff.entity.js';
import type { Household } from '../../src/modules/household/household.entity.js';
import type { Resident } from '../../src/modules/household/resident.entity.js';
import type { Case } from '../../src/modules/case/case.entity.js';
import type { Referral } from '../../src/modules/referral/referral.entity.js';
import type { Organisation } from '../../src/modules/organisation/organisation.entity.js';
import type { Volunteer } from '../../src/modules/informal-care/volunteer.entity.js';

for (const level of ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const) vi.spyOn(logger, level).mockImplementation((() => undefined) as never);

const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY);
const isoDay = (d: Date) => d.toISOString().slice(0, 10);
const HOUR_AGO = () => new Date(Date.now() - 3_600_000).toISOString();

// Distinctive fake values.
const A = { given: 'Annegien', family: 'Sneeuwklokje', note1: 'S19-A-NOTE-ONE', note2: 'S19-A-NOTE-TWO', note3: 'S19-A-NOTE-THREE' };
const B = { given: 'Bauke', family: 'Bzzwaluwstaart', referralReason: 'S19-SECRET-B-REFERRAL-REASON', subjectFamily: 'Bzzreferraalsma' };
const C = { given: 'Cornelis', family: 'Czzkoekoek' };

let hub: TestHub;
let tA: Team, tB: Team, tC: Team, tFlex: Team;
let workerA: Staff, leadA: Staff, workerB: Staff, leadB: Staff, workerC: Staff, leadC: Staff, workerAC: Staff, leadAC: Staff;
let flex2: Staff, flexTz: Staff, flexTz2: Staff;
let gp: Organisation, careOrg: Organisation;
let hA: Household, rA: Resident, caseA: Case, caseAold: Case, refA: Referral;
let hA3: Household, caseA3: Case;
let hB: Household, rB: Resident, caseB: Case, refB: Referral;
let hC: Household, rC: Resident, caseC: Case, hC2: Household;
let vol: Volunteer, matchOld: VolunteerMatch;
const T: Record<string, string> = {};

const code = (res: GqlResponse) => res.errors?.[0]?.extensions?.code;
/** What a client can observe of an answer, with the id it asked for blanked out. */
const shape = (res: GqlResponse, ...asked: string[]) => {
  let raw = res.raw;
  for (const id of asked) raw = raw.split(id).join('<ID>');
  return { status: res.status, raw };
};
async function q<R = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<R[]> {
  return hub.em().getConnection().execute<R[]>(text, params);
}
const zrmScores = () => ZRM_DOMAINS[ZrmVersion.ZRM_2017].map((domain) => ({ domain, score: 3 }));

const REPORT = `query($id: ID!) { accessReport(residentId: $id) { entries { at action objectType purpose actor { name role organisation } } } }`;
const NOTES = `query($id: ID!, $first: Int, $after: String) { case(id: $id) { id notes(first: $first, after: $after) { totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { cursor node { id body } } } } }`;
const TRIAGE = `mutation($i: TriageReferralInput!) { triageReferral(input: $i) { id status team { id } household { id } case { id } } }`;

beforeAll(async () => {
  hub = await startTestHub();
  const em = hub.em();
  const key = hub.config.BSN_KEY;
  tA = buildTeam(em, { postcodes: ['3941'] });
  tB = buildTeam(em, { postcodes: ['3942'] });
  tC = buildTeam(em, { postcodes: ['3943'] });
  tFlex = buildTeam(em, { isFlex: true, postcodes: [] });
  workerA = buildStaff(em, { role: Role.TEAM_WORKER, teams: [tA], name: 'Aart Alleenaa' });
  leadA = buildStaff(em, { role: Role.TEAM_LEAD, teams: [tA], name: 'Lies Leidaa' });
  workerB = buildStaff(em, { role: Role.TEAM_WORKER, teams: [tB], name: 'Bzzbert Probeerbee' });
  leadB = buildStaff(em, { role: Role.TEAM_LEAD, teams: [tB], name: 'Lotte Leidbee' });
  workerC = buildStaff(em, { role: Role.TEAM_WORKER, teams: [tC], name: 'Cor Alleencee' });
  leadC = buildStaff(em, { role: Role.TEAM_LEAD, teams: [tC], name: 'Lex Leidcee' });
  workerAC = buildStaff(em, { role: Role.TEAM_WORKER, teams: [tA, tC], name: 'Ada Tweeteams' });
  leadAC = buildStaff(em, { role: Role.TEAM_LEAD, teams: [tA, tC], name: 'Leen Tweeleider' });
  flex2 = buildStaff(em, { role: Role.FLEX_WORKER, teams: [tFlex], name: 'Flip Tweezaken' });
  flexTz = buildStaff(em, { role: Role.FLEX_WORKER, teams: [tFlex], name: 'Fenna Tijdzone' });
  flexTz2 = buildStaff(em, { role: Role.FLEX_WORKER, teams: [tFlex], name: 'Fedde Tijdzone' });
  gp = buildOrganisation(em, { kind: OrganisationKind.GP_PRACTICE });
  careOrg = buildOrganisation(em, { kind: OrganisationKind.INFORMAL_CARE });

  // Team A: household hA with an older closed case (with a match) and the running case.
  const a = buildHousehold(em, {
    team: tA, postcode: '3941AA', bsnKey: key,
    members: [{ givenName: A.given, familyName: A.family, birthDate: '1971-03-03', bsn: makeBsn(39410001) }, {}],
  });
  hA = a.household;
  rA = a.head;
  caseAold = buildCase(em, { household: hA, status: CaseStatus.CLOSED, registeredAt: ago(400), latest: ago(200) });
  caseA = buildCase(em, { household: hA, status: CaseStatus.ACTIVE, coordinator: workerA, registeredAt: ago(40) });
  buildNote(em, { case: caseA, author: workerA, body: A.note1, createdAt: ago(30) });
  buildNote(em, { case: caseA, author: workerA, body: A.note2, createdAt: ago(20) });
  buildNote(em, { case: caseA, author: workerA, body: A.note3, createdAt: ago(10) });
  refA = buildReferral(em, { from: gp, resident: rA, case: caseA, status: ReferralStatus.IN_CARE });
  const a3 = buildHousehold(em, { team: tA, postcode: '3941AC', members: 1, bsnKey: key });
  hA3 = a3.household;
  caseA3 = buildCase(em, { household: hA3, status: CaseStatus.INTAKE, registeredAt: ago(15) });

  // Team B: household hB with its case and the GP referral it answers.
  const b = buildHousehold(em, {
    team: tB, postcode: '3942BB', bsnKey: key,
    members: [{ givenName: B.given, familyName: B.family, birthDate: '1982-02-02', bsn: makeBsn(39420001) }],
  });
  hB = b.household;
  rB = b.head;
  caseB = buildCase(em, { household: hB, status: CaseStatus.ACTIVE, coordinator: workerB, registeredAt: ago(25) });
  refB = buildReferral(em, {
    from: gp, resident: rB, case: caseB, status: ReferralStatus.TRIAGED, reason: B.referralReason, subjectFamilyName: B.subjectFamily,
  });

  // Team C.
  const c = buildHousehold(em, {
    team: tC, postcode: '3943CC', bsnKey: key,
    members: [{ givenName: C.given, familyName: C.family, birthDate: '1990-09-09', bsn: makeBsn(39430001) }],
  });
  hC = c.household;
  rC = c.head;
  caseC = buildCase(em, { household: hC, status: CaseStatus.ACTIVE, coordinator: workerC, registeredAt: ago(12) });
  hC2 = buildHousehold(em, { team: tC, postcode: '3943CD', members: 1, bsnKey: key }).household;

  // Informal care on the OLDER (closed, not assigned) case of hA: an ACCEPTED match.
  vol = buildVolunteer(em, { organisation: careOrg, email: `s19.vol.${Date.now()}@example.test`, givenName: 'Vlinder', vogIssuedAt: isoDay(ago(100)) });
  const icrOld = em.create(InformalCareRequest, {
    case: caseAold, resident: rA, team: tA, needs: ['shopping'], languages: ['Dutch'], availability: [], note: 'S19-OLD-ICR',
    postcode4: '3941', requestedBy: workerA, status: InformalCareRequestStatus.OPEN,
  });
  matchOld = em.create(VolunteerMatch, {
    request: icrOld, volunteer: vol, team: tA, status: MatchStatus.ACCEPTED, task: 'S19 oude zaak', proposedAt: ago(250), respondedAt: ago(249),
  });

  // flex2: assigned to one case of team A and one of team B, both running.
  const week = isoDay(new Date(Date.now() + 7 * DAY));
  buildFlexAssignment(em, { staff: flex2, case: caseA, assignedBy: leadA, until: week });
  buildFlexAssignment(em, { staff: flex2, case: caseB, assignedBy: leadB, until: week });
  // flexTz: fixed end dates in 2030, for the calendar probes (loadViewer with an explicit `now`).
  buildFlexAssignment(em, { staff: flexTz, case: caseA, assignedBy: leadA, until: '2030-01-16' });
  buildFlexAssignment(em, { staff: flexTz, case: caseB, assignedBy: leadB, until: '2030-07-16' });
  await em.flush();

  for (const [name, p] of Object.entries({ workerA, leadA, workerB, leadB, workerC, leadC, workerAC, leadAC, flex2, flexTz, flexTz2 })) {
    T[name] = await hub.tokenFor(p);
  }
});

afterEach(() => {
  vi.useRealTimers();
});

afterAll(async () => {
  await hub?.stop();
});

// ---------------------------------------------------------------------------------------------

describe('S19-AU: the access report and another team’s refused attempts', () => {
  it('S19-AU1: team B’s refused reads/triage of team A’s referral do not show up in team A’s access report (no DENIED row, no B worker name)', async () => {
    // Control: a team B worker is refused exactly like for a random id.
    const mine = await hub.gql(`query($id: ID!) { referral(id: $id) { id reason } }`, { id: refA.id }, T.workerB);
    expect(code(mine)).toBe('NOT_FOUND');
    const tri = await hub.gql(TRIAGE, { i: { referralId: refA.id, status: 'CLOSED' } }, T.workerB);
    expect(code(tri)).toBe('NOT_FOUND');
    // Control: the same attempts on a case of team A leave no trace in A's report (side-channels SC5).
    expect(code(await hub.gql(`query($id: ID!) { case(id: $id) { id } }`, { id: caseA.id }, T.workerB))).toBe('NOT_FOUND');

    // Team A's own read is in the report (so the report is not empty for another reason).
    expect(code(await hub.gql(`query($id: ID!) { case(id: $id) { id } }`, { id: caseA.id }, T.leadA))).toBeUndefined();
    const report = await hub.gql(REPORT, { id: rA.id }, T.leadA);
    expect(report.errors, report.raw).toBeUndefined();
    const entries = report.data!.accessReport.entries as { action: string; objectType: string; actor: { name: string | null } }[];
    expect(entries.length).toBeGreaterThan(0);
    expect(entries.filter((e) => e.action === 'DENIED'), JSON.stringify(entries.filter((e) => e.action === 'DENIED'))).toEqual([]);
    expect(report.raw).not.toContain(workerB.name);
  });
});

// ---------------------------------------------------------------------------------------------

describe('S19-L: list totals and page info', () => {
  it('S19-L1: case.notes totalCount is the case’s note count on every page, also on the (empty) page after the last note', async () => {
    const p1 = await hub.gql(NOTES, { id: caseA.id, first: 2 }, T.workerA);
    expect(p1.errors, p1.raw).toBeUndefined();
    expect(p1.data!.case.notes.totalCount).toBe(3);
    expect(p1.data!.case.notes.pageInfo.hasNextPage).toBe(true);
    const p2 = await hub.gql(NOTES, { id: caseA.id, first: 2, after: p1.data!.case.notes.pageInfo.endCursor }, T.workerA);
    expect(p2.errors, p2.raw).toBeUndefined();
    expect(p2.data!.case.notes.edges).toHaveLength(1);
    expect(p2.data!.case.notes.totalCount).toBe(3);
    expect(p2.data!.case.notes.pageInfo.hasNextPage).toBe(false);
    const p3 = await hub.gql(NOTES, { id: caseA.id, first: 2, after: p2.data!.case.notes.pageInfo.endCursor }, T.workerA);
    expect(p3.errors, p3.raw).toBeUndefined();
    expect(p3.data!.case.notes.edges).toHaveLength(0);
    expect(p3.data!.case.notes.totalCount, 'totalCount on the page past the end').toBe(3);
  });

  it('S19-L2 (control): a notes cursor of team A on team B’s case gives NOT_FOUND, nothing of A or B', async () => {
    const p1 = await hub.gql(NOTES, { id: caseA.id, first: 1 }, T.workerA);
    const res = await hub.gql(NOTES, { id: caseB.id, first: 5, after: p1.data!.case.notes.pageInfo.endCursor }, T.workerA);
    expect(code(res)).toBe('NOT_FOUND');
    expect(res.raw).not.toContain(B.referralReason);
  });
});

// ---------------------------------------------------------------------------------------------

describe('S19-W: a worker and a lead in two teams (A and C)', () => {
  it('S19-W1: cases of both teams; filter by team C lists and counts only C; a cursor from the C page under filter A pages only A', async () => {
    const all = await hub.gql(`{ cases(first: 100) { totalCount edges { node { id team { id } } } } }`, {}, T.workerAC);
    expect(all.errors, all.raw).toBeUndefined();
    const teams = new Set(all.data!.cases.edges.map((e: { node: { team: { id: string } } }) => e.node.team.id));
    expect([...teams].sort()).toEqual([tA.id, tC.id].sort());
    const onlyC = await hub.gql(`query($t: ID!) { cases(first: 1, filter: { teamId: $t }) { totalCount pageInfo { endCursor } edges { node { id team { id } } } } }`, { t: tC.id }, T.workerAC);
    expect(onlyC.errors, onlyC.raw).toBeUndefined();
    const [{ n: cCount }] = await q<{ n: string }>('select count(*) as n from "case" where team_id = ?', [tC.id]);
    expect(onlyC.data!.cases.totalCount).toBe(Number(cCount));
    for (const e of onlyC.data!.cases.edges) expect(e.node.team.id).toBe(tC.id);
    const cursor = onlyC.data!.cases.pageInfo.endCursor as string;
    const aAfterC = await hub.gql(`query($t: ID!, $after: String) { cases(first: 100, after: $after, filter: { teamId: $t }) { edges { node { id team { id } } } } }`, { t: tA.id, after: cursor }, T.workerAC);
    expect(aAfterC.errors, aAfterC.raw).toBeUndefined();
    for (const e of aAfterC.data!.cases.edges) expect(e.node.team.id).toBe(tA.id);
    // And the A-only worker: nothing of C, even with the two-team worker's cursor.
    const aOnly = await hub.gql(`query($after: String) { cases(first: 100, after: $after) { edges { node { id team { id } } } } }`, { after: cursor }, T.workerA);
    expect(aOnly.errors).toBeUndefined();
    for (const e of aOnly.data!.cases.edges) expect(e.node.team.id).toBe(tA.id);
    expect(aOnly.raw).not.toContain(caseC.id);
  });

  it('S19-W2: registerFeedback for team A naming team C’s case answers like a random case id; no feedback row', async () => {
    const m = `mutation($i: RegisterFeedbackInput!) { registerFeedback(input: $i) { id summary } }`;
    const before = await q<{ n: string }>('select count(*) as n from feedback');
    const input = (caseId: string) => ({ i: { teamId: tA.id, caseId, kind: 'COMPLAINT', receivedAt: HOUR_AGO(), summary: 'S19 probe' } });
    const cross = await hub.gql(m, input(caseC.id), T.workerAC);
    const rnd = randomUUID();
    const random = await hub.gql(m, input(rnd), T.workerAC);
    expect(code(cross)).toBe('NOT_FOUND');
    expect(shape(cross, caseC.id)).toEqual(shape(random, rnd));
    const after = await q<{ n: string }>('select count(*) as n from feedback');
    expect(after[0]!.n).toBe(before[0]!.n);
  });

  it('S19-W3: a resident of team C on team A’s case (informal care, ZRM) answers like a random resident; nothing stored', async () => {
    const icr = `mutation($i: RequestInformalCareInput!) { requestInformalCare(input: $i) { id } }`;
    const zrm = `mutation($i: RecordZrmAssessmentInput!) { recordZrmAssessment(input: $i) { id } }`;
    const rnd = randomUUID();
    const before = await q<{ n: string }>(`select (select count(*) from informal_care_request) + (select count(*) from zrm_assessment) as n`);
    const i1 = await hub.gql(icr, { i: { caseId: caseA.id, residentId: rC.id, needs: ['shopping'] } }, T.workerAC);
    const i2 = await hub.gql(icr, { i: { caseId: caseA.id, residentId: rnd, needs: ['shopping'] } }, T.workerAC);
    expect(i1.errors).toBeDefined();
    expect(shape(i1, rC.id)).toEqual(shape(i2, rnd));
    const z = (residentId: string) => ({ i: { caseId: caseA.id, residentId, assessedAt: HOUR_AGO(), version: 'ZRM_2017', kind: 'FOLLOW_UP', scores: zrmScores() } });
    const z1 = await hub.gql(zrm, z(rC.id), T.workerAC);
    const z2 = await hub.gql(zrm, z(rnd), T.workerAC);
    expect(z1.errors).toBeDefined();
    expect(shape(z1, rC.id)).toEqual(shape(z2, rnd));
    const after = await q<{ n: string }>(`select (select count(*) from informal_care_request) + (select count(*) from zrm_assessment) as n`);
    expect(after[0]!.n).toBe(before[0]!.n);
  });

  it('S19-W4: lead of A and C cannot make a C-only worker coordinator of A’s case (reassign, start): refused like a random id; nothing changes', async () => {
    const rnd = randomUUID();
    const re = (id: string) => hub.gql(`mutation($c: ID!, $s: ID!) { reassignCoordinator(caseId: $c, coordinatorId: $s) { id coordinator { id } } }`, { c: caseA.id, s: id }, T.leadAC);
    const r1 = await re(workerC.id);
    const r2 = await re(rnd);
    expect(r1.errors).toBeDefined();
    expect(shape(r1, workerC.id)).toEqual(shape(r2, rnd));
    const st = (id: string) => hub.gql(`mutation($i: StartCaseInput!) { startCase(input: $i) { id status } }`, { i: { caseId: caseA3.id, coordinatorId: id, startedAt: HOUR_AGO() } }, T.leadAC);
    const s1 = await st(workerC.id);
    const s2 = await st(rnd);
    expect(s1.errors).toBeDefined();
    expect(shape(s1, workerC.id)).toEqual(shape(s2, rnd));
    const [row] = await q<{ coordinator_id: string; status: string }>('select coordinator_id, status from "case" where id = ?', [caseA.id]);
    expect(row!.coordinator_id).toBe(workerA.id);
    const [row3] = await q<{ status: string }>('select status from "case" where id = ?', [caseA3.id]);
    expect(row3!.status).toBe('INTAKE');
  });

  it('S19-W5: openCase for C’s household with a referral already answered by A’s case is refused; the referral stays with A', async () => {
    const res = await hub.gql(`mutation($i: OpenCaseInput!) { openCase(input: $i) { id team { id } referral { id } } }`, {
      i: { householdId: hC2.id, referralId: refA.id, reason: 'S19 probe', referralSource: 'GP' },
    }, T.workerAC);
    expect(res.errors).toBeDefined();
    const [r] = await q<{ team_id: string; household_id: string; case_id: string }>('select team_id, household_id, case_id from referral where id = ?', [refA.id]);
    expect(r).toEqual({ team_id: tA.id, household_id: hA.id, case_id: caseA.id });
    const [{ n }] = await q<{ n: string }>('select count(*) as n from "case" where household_id = ?', [hC2.id]);
    expect(Number(n)).toBe(0);
  });

  it('S19-W6: a worker change of A’s case towards team C: C’s lead cannot see or decide it; granted by A’s lead the case stays A’s and C sees nothing of it', async () => {
    const ask = await hub.gql(`mutation($i: RequestWorkerChangeInput!) { requestWorkerChange(input: $i) { id status toTeam { id } } }`, {
      i: { caseId: caseA.id, reason: 'S19 de bewoner wil naar team C', toTeamId: tC.id },
    }, T.workerAC);
    expect(ask.errors, ask.raw).toBeUndefined();
    const id = ask.data!.requestWorkerChange.id as string;
    const rnd = randomUUID();
    const dec = (x: string, t: string) => hub.gql(`mutation($id: ID!) { decideWorkerChange(id: $id, grant: true) { id status reason } }`, { id: x }, t);
    const byC = await dec(id, T.leadC);
    const byCrnd = await dec(rnd, T.leadC);
    expect(code(byC)).toBe('NOT_FOUND');
    expect(shape(byC, id)).toEqual(shape(byCrnd, rnd));
    const byA = await dec(id, T.leadA);
    expect(byA.errors, byA.raw).toBeUndefined();
    expect(byA.data!.decideWorkerChange.status).toBe('GRANTED');
    const [row] = await q<{ team_id: string }>('select team_id from "case" where id = ?', [caseA.id]);
    expect(row!.team_id).toBe(tA.id);
    const cRead = await hub.gql(`query($id: ID!) { case(id: $id) { id notes { edges { node { body } } } } }`, { id: caseA.id }, T.workerC);
    expect(code(cRead)).toBe('NOT_FOUND');
    expect(cRead.raw).not.toContain(A.note1);
    const cReport = await hub.gql(REPORT, { id: rA.id }, T.leadC);
    expect(code(cReport)).toBe('NOT_FOUND');
  });
});

// ---------------------------------------------------------------------------------------------

describe('S19-F: a flex worker assigned to one case in team A and one in team B', () => {
  it('S19-F1 (control): lists exactly the two assigned cases; no other household, no older case, no BSN digits, no access report', async () => {
    const list = await hub.gql(`{ cases(first: 100) { totalCount edges { node { id household { id cases { id } members { bsnLast4 } } } } } }`, {}, T.flex2);
    expect(list.errors, list.raw).toBeUndefined();
    expect(list.data!.cases.totalCount).toBe(2);
    expect(list.data!.cases.edges.map((e: { node: { id: string } }) => e.node.id).sort()).toEqual([caseA.id, caseB.id].sort());
    expect(list.raw).not.toContain(caseAold.id);
    expect(list.raw).not.toContain(rA.bsnLast4!);
    expect(list.raw).not.toContain(rB.bsnLast4!);
    const other = await hub.gql(`query($id: ID!) { household(id: $id) { id } }`, { id: hA3.id }, T.flex2);
    expect(code(other)).toBe('NOT_FOUND');
    const rep = await hub.gql(REPORT, { id: rB.id }, T.flex2);
    expect(code(rep)).toBe('FORBIDDEN');
  });

  it('S19-F2: the flex worker cannot move team B’s referral into team A (link it to A’s household and case): team A never gets B’s referral', async () => {
    const res = await hub.gql(TRIAGE, { i: { referralId: refB.id, status: 'TRIAGED', householdId: hA.id, caseId: caseA.id } }, T.flex2);
    const [row] = await q<{ team_id: string; household_id: string; case_id: string }>('select team_id, household_id, case_id from referral where id = ?', [refB.id]);
    // Whatever the answer, team A must not end up with team B's referral.
    const seenByA = await hub.gql(`query($id: ID!) { referral(id: $id) { id reason subject { familyName } } }`, { id: refB.id }, T.workerA);
    const caseAref = await hub.gql(`query($id: ID!) { case(id: $id) { referral { id reason } } }`, { id: caseA.id }, T.workerA);
    expect(row, `flex worker's triage answered ${res.raw}`).toEqual({ team_id: tB.id, household_id: hB.id, case_id: caseB.id });
    expect(code(seenByA)).toBe('NOT_FOUND');
    expect(seenByA.raw).not.toContain(B.referralReason);
    expect(caseAref.raw).not.toContain(B.referralReason);
    expect(caseAref.raw).not.toContain(B.subjectFamily);
  });

  it('S19-F2b (allowed): the flex worker links within the referral\'s own team: team B\'s referral to its assigned case of team B', async () => {
    const res = await hub.gql(TRIAGE, { i: { referralId: refB.id, status: 'TRIAGED', householdId: hB.id, caseId: caseB.id } }, T.flex2);
    expect(res.errors, res.raw).toBeUndefined();
    expect(res.data!.triageReferral).toEqual({ id: refB.id, status: 'TRIAGED', team: { id: tB.id }, household: { id: hB.id }, case: { id: caseB.id } });
  });

  it('S19-F3: the flex worker cannot end or start the match of the household’s older (not assigned) case: NOT_FOUND like a random id; unchanged', async () => {
    const rnd = randomUUID();
    for (const m of ['endMatch(id: $id) { id status }', 'activateMatch(id: $id) { id status }']) {
      const a = await hub.gql(`mutation($id: ID!) { ${m} }`, { id: matchOld.id }, T.flex2);
      const b = await hub.gql(`mutation($id: ID!) { ${m} }`, { id: rnd }, T.flex2);
      expect(code(a)).toBe('NOT_FOUND');
      expect(shape(a, matchOld.id)).toEqual(shape(b, rnd));
    }
    const [row] = await q<{ status: string }>('select status from volunteer_match where id = ?', [matchOld.id]);
    expect(row!.status).toBe('ACCEPTED');
  });
});

// ---------------------------------------------------------------------------------------------

describe('S19-TZ: the last day of a flex assignment on the Amsterdam calendar', () => {
  const casesAt = async (staff: Staff, iso: string) => [...((await loadViewer(hub.em(), staff.id, new Date(iso)))?.flexCaseIds ?? [])];

  it('S19-TZ1: winter (CET): until 2030-01-16 runs from 00:00 on the 16th to 23:59 on the 16th in Amsterdam, not by the UTC date', async () => {
    // 23:30 UTC on the 15th is already 00:30 on the 16th in Amsterdam: inside.
    expect(await casesAt(flexTz, '2030-01-15T23:30:00Z')).toContain(caseA.id);
    // 22:30 UTC on the 16th is 23:30 on the 16th in Amsterdam: still inside.
    expect(await casesAt(flexTz, '2030-01-16T22:30:00Z')).toContain(caseA.id);
    // 23:00 UTC on the 16th is midnight in Amsterdam: over, though the UTC date is still the 16th.
    expect(await casesAt(flexTz, '2030-01-16T23:00:00Z')).not.toContain(caseA.id);
  });

  it('S19-TZ2: summer (CEST): until 2030-07-16 ends at 22:00 UTC on the 16th', async () => {
    expect(await casesAt(flexTz, '2030-07-16T21:59:00Z')).toContain(caseB.id);
    expect(await casesAt(flexTz, '2030-07-16T22:00:00Z')).not.toContain(caseB.id);
    expect(await casesAt(flexTz, '2030-07-16T23:59:00Z')).not.toContain(caseB.id);
  });

  it('S19-TZ3: assigning at 00:30 Amsterdam (23:30 UTC the day before): "until" = the UTC date is already in the past; the flex worker’s access ends at midnight Amsterdam, end to end', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: new Date('2030-01-15T23:30:00Z') });
    const tLead = await hub.tokenFor(leadA);
    const m = `mutation($i: AssignFlexWorkerInput!) { assignFlexWorker(input: $i) { id until } }`;
    const past = await hub.gql(m, { i: { staffId: flexTz2.id, caseId: caseA.id, until: '2030-01-15' } }, tLead);
    expect(code(past), past.raw).toBe('BAD_USER_INPUT');
    const [{ n }] = await q<{ n: string }>('select count(*) as n from flex_assignment where staff_id = ?', [flexTz2.id]);
    expect(Number(n)).toBe(0);
    const ok = await hub.gql(m, { i: { staffId: flexTz2.id, caseId: caseA.id, until: '2030-01-16' } }, tLead);
    expect(ok.errors, ok.raw).toBeUndefined();
    const read = `query($id: ID!) { case(id: $id) { id } }`;
    const tFlex = await hub.tokenFor(flexTz2);
    const inside = await hub.gql(read, { id: caseA.id }, tFlex);
    expect(inside.errors, inside.raw).toBeUndefined();
    vi.setSystemTime(new Date('2030-01-16T22:59:00Z')); // 23:59 in Amsterdam
    const lastMinute = await hub.gql(read, { id: caseA.id }, await hub.tokenFor(flexTz2));
    expect(lastMinute.errors, lastMinute.raw).toBeUndefined();
    vi.setSystemTime(new Date('2030-01-16T23:01:00Z')); // 00:01 on the 17th in Amsterdam, UTC still the 16th
    const after = await hub.gql(read, { id: caseA.id }, await hub.tokenFor(flexTz2));
    expect(code(after)).toBe('NOT_FOUND');
  });
});

// ---------------------------------------------------------------------------------------------

describe('S19-AD: ADMIN', () => {
  it('S19-AD1: everything an admin can select (staff with teams, integrations with failures, a flex assignment) holds no case content', async () => {
    const admin = await (async () => {
      const em = hub.em();
      const s = buildStaff(em, { role: Role.ADMIN, name: 'Adri Beheer' });
      await em.flush();
      return s;
    })();
    const t = await hub.tokenFor(admin);
    const res = await hub.gql(`{
      me { id role teams { id } organisation { id } }
      staffMembers { id name email phone role teams { id code name postcodes } organisation { id name } }
      teams { id code name postcodes }
      organisations { id code name kind agbCode }
      integrations { partner lastSyncAt lagSeconds lastError pendingJobs failedJobs parkedRecords queueReachable failures { id jobName failedReason attemptsMade failedAt } }
    }`, {}, t);
    expect(res.errors, res.raw).toBeUndefined();
    const assign = await hub.gql(`mutation($i: AssignFlexWorkerInput!) { assignFlexWorker(input: $i) { id until } }`, {
      i: { staffId: flex2.id, caseId: caseC.id, until: isoDay(new Date(Date.now() + 2 * DAY)) },
    }, t);
    expect(assign.errors, assign.raw).toBeUndefined();
    for (const r of [res, assign]) {
      for (const v of [A.given, A.family, A.note1, B.given, B.family, B.referralReason, B.subjectFamily, C.given, C.family, hA.id, caseA.id, rA.id, refB.id, 'S19-OLD-ICR']) {
        expect(r.raw, `admin answer leaks "${v}"`).not.toContain(v);
      }
    }
  });

  it('S19-AD2: a FLEX_WORKER the admin creates with team A as its team gets nothing of team A (no cases, requests, referrals, team members)', async () => {
    const em = hub.em();
    const admin = buildStaff(em, { role: Role.ADMIN, name: 'Adri Tweede' });
    await em.flush();
    const created = await hub.gql(`mutation($i: CreateStaffInput!) { createStaff(input: $i) { id role teams { id } } }`, {
      i: { name: 'Floor Flexinteam', email: `s19.flex.${Date.now()}@example.test`, role: 'FLEX_WORKER', teamIds: [tA.id] },
    }, await hub.tokenFor(admin));
    if (created.errors) return; // refused outright: safe
    const t = await hub.tokenFor(created.data!.createStaff.id as string);
    const lists = await hub.gql(`{ cases(first: 100) { totalCount } referrals(first: 100) { totalCount } informalCareRequests(first: 100) { totalCount } }`, {}, t);
    expect(lists.errors, lists.raw).toBeUndefined();
    expect(lists.data).toEqual({ cases: { totalCount: 0 }, referrals: { totalCount: 0 }, informalCareRequests: { totalCount: 0 } });
    const tm = await hub.gql(`query($t: ID!) { teamMembers(teamId: $t) { id email } }`, { t: tA.id }, t);
    expect(code(tm)).toBe('FORBIDDEN');
    const c = await hub.gql(`query($id: ID!, $h: ID!) { case(id: $id) { id } household(id: $h) { id } }`, { id: caseA.id, h: hA.id }, t);
    expect(code(c)).toBe('NOT_FOUND');
    expect(c.raw).not.toContain(A.given);
    const fb = await hub.gql(`mutation($i: RegisterFeedbackInput!) { registerFeedback(input: $i) { id } }`, {
      i: { teamId: tA.id, kind: 'COMPLAINT', receivedAt: HOUR_AGO(), summary: 'S19 probe' },
    }, t);
    expect(code(fb)).toBe('FORBIDDEN');
  });
});
