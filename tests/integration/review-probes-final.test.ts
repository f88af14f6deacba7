/**
 * Adversarial review probes (final): erasure's wider referral anonymisation, the access
 * report's pre-link rows, the ambassador rule and the AGB index (699cc64..HEAD). Every probe
 * asserts the SAFE behaviour; a failing probe is a finding. All data is obviously fake.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestHub, type GqlResponse, type TestHub } from '../helpers/app.js';
import { buildCase, buildHousehold, buildOrganisation, buildStaff, buildTeam } from '../../seeds/factories.js';
import { CaseStatus, OrganisationKind, Role } from '../../src/modules/common/enums.js';
import { makeBsn } from '../../src/modules/household/bsn.js';
import { logger } from '../../src/logger.js';
import type { Team } from '../../src/modules/team/team.entity.js';
import type { Staff } from '../../src/modules/staff/staff.entity.js';
import type { Organisation } from '../../src/modules/organisation/organisation.entity.js';
import type { Household } from '../../src/modules/household/household.entity.js';
import type { Resident } from '../../src/modules/household/resident.entity.js';
import type { Case } from '../../src/modules/case/case.entity.js';

for (const level of ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const) vi.spyOn(logger, level).mockImplementation((() => undefined) as never);

const W1 = { givenName: 'Wimfinaal', familyName: 'Eerstelid', birthDate: '1950-01-21', bsn: makeBsn(4141411), phone: '06-41414141' };
const W2 = { givenName: 'Wilmafinaal', familyName: 'Tweedelid', birthDate: '1951-02-22', bsn: makeBsn(4141412), phone: '06-41414142' };
const B1 = { givenName: 'Bramfinaal', familyName: 'Huisgenootsma', birthDate: '1952-03-23', bsn: null, phone: '06-41414143' };
const B2 = { givenName: 'Bettyfinaal', familyName: 'Anderlidsma', birthDate: '1953-04-24', bsn: null, phone: '06-41414144' };
const X = { givenName: 'Xenafinaal', familyName: 'Bsnanderteam', birthDate: '1954-05-25', bsn: makeBsn(4141415), phone: '06-41414145' };
const C1 = { givenName: 'Coenfinaal', familyName: 'Teamcharlie', birthDate: '1955-06-26', bsn: null, phone: '06-41414146' };
const H1 = { givenName: 'Hennyfinaal', familyName: 'Eerstehuis', birthDate: '1956-07-27', bsn: null, phone: '06-41414147' };

let hub: TestHub;
let tA: Team, tC: Team, tR: Team, tD: Team;
let workerA: Staff, leadA: Staff, workerC: Staff, leadC: Staff, workerAC: Staff, admin: Staff;
let gp: Organisation, careOrg: Organisation, careOrg2: Organisation;
let hW: Household, rW1: Resident, rW2: Resident;
let hB: Household, rB1: Resident;
let rX: Resident, hC: Household, rC: Resident, caseC: Case;
let hH1: Household, rH1: Resident;
const T: Record<string, string> = {};

const code = (res: GqlResponse) => res.errors?.[0]?.extensions?.code;
const ERASE = 'mutation($id: ID!) { eraseResident(residentId: $id) { residentId outcome reason } }';
const REPORT = `query($id: ID!) { accessReport(residentId: $id) {
  resident { id } entries { at action objectType purpose actor { name role organisation } } disclosures { at purpose what recipient { id } } } }`;
const SUBMIT = 'mutation($input: SubmitReferralInput!) { submitReferral(input: $input) { id status } }';
const TRIAGE = 'mutation($i: TriageReferralInput!) { triageReferral(input: $i) { id status household { id } case { id } team { id } } }';
const REF_TEAM = 'query($id: ID!) { referral(id: $id) { id status team { id } subject { givenName familyName birthDate postcode houseNumber } } }';
const STAFF = `mutation($i: CreateStaffInput!) { createStaff(input: $i) { id name email role teams { id } } }`;
const ORG = `mutation($i: CreateOrganisationInput!) { createOrganisation(input: $i) { id code kind agbCode } }`;

async function q<R = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<R[]> {
  return hub.em().getConnection().execute<R[]>(text, params);
}
async function submit(subject: Record<string, unknown>) {
  const res = await hub.gql(SUBMIT, {
    input: { externalId: `SR-FN-${randomUUID().slice(0, 8)}`, kind: 'GP_REFERRAL', subject, reason: 'Nepverwijzing voor een test.', consentObtained: true },
  }, T.gp);
  expect(res.errors, res.raw).toBeUndefined();
  return res.data!.submitReferral.id as string;
}
async function erasureRows(ref: string) {
  return q<{ household_id: string | null; actor_name: string | null }>(
    "select household_id, actor_name from access_log where object_type = 'Referral' and object_id = ? and detail->>'erasure' = 'SUBJECT_ANONYMISED'", [ref]);
}

beforeAll(async () => {
  hub = await startTestHub();
  const em = hub.em();
  const key = hub.config.BSN_KEY;
  tA = buildTeam(em, { postcodes: ['3941'] });
  tC = buildTeam(em, { postcodes: ['3943'] });
  tR = buildTeam(em, { postcodes: ['3945'] });
  tD = buildTeam(em, { postcodes: ['3946'] });
  workerA = buildStaff(em, { role: Role.TEAM_WORKER, teams: [tA], name: 'Werker Alfa Finaal' });
  leadA = buildStaff(em, { role: Role.TEAM_LEAD, teams: [tA], name: 'Leider Alfa Finaal' });
  workerC = buildStaff(em, { role: Role.TEAM_WORKER, teams: [tC], name: 'Werker Charlie Finaal' });
  leadC = buildStaff(em, { role: Role.TEAM_LEAD, teams: [tC], name: 'Leider Charlie Finaal' });
  workerAC = buildStaff(em, { role: Role.TEAM_WORKER, teams: [tA, tC], name: 'Werker Dubbel Finaal' });
  admin = buildStaff(em, { role: Role.ADMIN, teams: [] });
  gp = buildOrganisation(em, { kind: OrganisationKind.GP_PRACTICE, agbCode: '01414141' });
  careOrg = buildOrganisation(em, { kind: OrganisationKind.INFORMAL_CARE });
  careOrg2 = buildOrganisation(em, { kind: OrganisationKind.INFORMAL_CARE });

  // W: two members, an open case (both get anonymised, one after the other).
  const bW = buildHousehold(em, { team: tA, postcode: '3941WA', houseNumber: '1', members: [W1, W2], bsnKey: key });
  hW = bW.household; rW1 = bW.residents[0] ?? bW.head;
  buildCase(em, { household: hW, status: CaseStatus.ACTIVE, coordinator: workerA });
  // B: two members, open case; a referral linked by hand about B2 must survive B1's erasure.
  const bB = buildHousehold(em, { team: tA, postcode: '3941BA', houseNumber: '2', members: [B1, B2], bsnKey: key });
  hB = bB.household; rB1 = bB.head;
  buildCase(em, { household: hB, status: CaseStatus.ACTIVE, coordinator: workerA });
  // X: team A, BSN, open case. C: team C household with a case.
  const bX = buildHousehold(em, { team: tA, postcode: '3941XA', houseNumber: '3', members: [X], bsnKey: key });
  rX = bX.head;
  buildCase(em, { household: bX.household, status: CaseStatus.ACTIVE, coordinator: workerA });
  const bC = buildHousehold(em, { team: tC, postcode: '3943CA', houseNumber: '4', members: [C1], bsnKey: key });
  hC = bC.household; rC = bC.head;
  caseC = buildCase(em, { household: hC, status: CaseStatus.ACTIVE, coordinator: workerC });
  // H1: team A household (first link of a referral later re-linked to C).
  const bH1 = buildHousehold(em, { team: tA, postcode: '3941HA', houseNumber: '5', members: [H1], bsnKey: key });
  hH1 = bH1.household; rH1 = bH1.head;
  buildCase(em, { household: hH1, status: CaseStatus.ACTIVE, coordinator: workerA });
  await em.flush();
  const members = await q<{ id: string; given_name: string }>('select id, given_name from resident where household_id = ?', [hW.id]);
  rW1 = { id: members.find((m) => m.given_name === W1.givenName)!.id } as Resident;
  rW2 = { id: members.find((m) => m.given_name === W2.givenName)!.id } as Resident;
  const bm = await q<{ id: string; given_name: string }>('select id, given_name from resident where household_id = ?', [hB.id]);
  rB1 = { id: bm.find((m) => m.given_name === B1.givenName)!.id } as Resident;
  for (const [name, p] of Object.entries({ workerA, leadA, workerC, leadC, workerAC, admin, gp })) T[name] = await hub.tokenFor(p);
});

afterAll(async () => {
  await hub?.stop();
  vi.restoreAllMocks();
});

describe('erasure: the wider referral anonymisation', () => {
  it('FE1 erasing the last identifiable member (wholeHousehold) does not anonymise again, nor audit again, the referral already anonymised at the other member\'s erasure', async () => {
    const ref = await submit({ givenName: W2.givenName, familyName: W2.familyName, birthDate: W2.birthDate, postcode: '3941WA', houseNumber: '1', bsn: W2.bsn, phone: W2.phone });
    const [m] = await q<{ resident_id: string | null }>('select resident_id from referral where id = ?', [ref]);
    expect(m!.resident_id).toBe(rW2.id);
    const e2 = await hub.gql(ERASE, { id: rW2.id }, T.leadA);
    expect(e2.data?.eraseResident.outcome, e2.raw).toBe('ANONYMISED');
    const [v1] = await q<{ version: number }>('select version from referral where id = ?', [ref]);
    expect((await erasureRows(ref)).length).toBe(1);
    const e1 = await hub.gql(ERASE, { id: rW1.id }, T.leadA);
    expect(e1.data?.eraseResident.outcome, e1.raw).toBe('ANONYMISED');
    const [v2] = await q<{ version: number }>('select version from referral where id = ?', [ref]);
    const rows = await erasureRows(ref);
    // eslint-disable-next-line no-console
    console.log('FE1 observed', JSON.stringify({ versionAfterFirst: v1, versionAfterSecond: v2, erasureRows: rows }));
    expect(rows.length).toBe(1);
    expect(v2!.version).toBe(v1!.version);
  });

  it('FE2 a referral linked by hand to the household about ANOTHER member (B2) keeps B2\'s data when B1 is erased', async () => {
    const ref = await submit({ givenName: B2.givenName, familyName: B2.familyName, birthDate: B2.birthDate, postcode: '3941BA', houseNumber: '2', phone: B2.phone });
    const t = await hub.gql(TRIAGE, { i: { referralId: ref, householdId: hB.id, status: 'TRIAGED' } }, T.workerA);
    expect(t.errors, t.raw).toBeUndefined();
    const e = await hub.gql(ERASE, { id: rB1.id }, T.leadA);
    expect(e.data?.eraseResident.outcome, e.raw).toBe('ANONYMISED');
    const view = await hub.gql(REF_TEAM, { id: ref }, T.workerA);
    expect(view.raw).toContain(B2.familyName);
    expect((await erasureRows(ref)).length).toBe(0);
  });

  it('FE3 another team\'s never-linked referral with X\'s BSN, anonymised at X\'s erasure: when team C later links it to its own household, C\'s access report does not show team A\'s eraser', async () => {
    const ref = await submit({ givenName: X.givenName, familyName: X.familyName, birthDate: X.birthDate, postcode: '3943XZ', houseNumber: '40', bsn: X.bsn, phone: X.phone });
    // Make it team C's, unmatched (what a referral routed by address to C and never matched looks like).
    await q('update referral set team_id = ?, resident_id = null, household_id = null, case_id = null where id = ?', [tC.id, ref]);
    const e = await hub.gql(ERASE, { id: rX.id }, T.leadA);
    expect(e.data?.eraseResident.outcome, e.raw).toBe('ANONYMISED');
    const rows = await erasureRows(ref);
    expect(rows.length).toBe(1);
    const t = await hub.gql(TRIAGE, { i: { referralId: ref, householdId: hC.id, status: 'TRIAGED' } }, T.workerC);
    expect(t.errors, t.raw).toBeUndefined();
    const rep = await hub.gql(REPORT, { id: rC.id }, T.leadC);
    expect(rep.errors, rep.raw).toBeUndefined();
    const entries = rep.data!.accessReport.entries as { action: string; objectType: string; actor: { name: string | null } }[];
    // eslint-disable-next-line no-console
    console.log('FE3 observed erasure rows', JSON.stringify(rows), 'C report referral entries', JSON.stringify(entries.filter((x) => x.objectType === 'Referral')));
    expect(rep.raw).not.toContain('Leider Alfa Finaal');
  });
});

describe('access report: a referral re-linked from H1 (team A) to C (team C)', () => {
  it('FR1 C\'s report shows no row written under H1; H1\'s report keeps its H1-era rows', async () => {
    const ref = await submit({ givenName: H1.givenName, familyName: H1.familyName, birthDate: H1.birthDate, postcode: '3941HA', houseNumber: '5', phone: H1.phone });
    expect((await hub.gql(REF_TEAM, { id: ref }, T.workerA)).errors).toBeUndefined(); // pre-link read (no household)
    const t1 = await hub.gql(TRIAGE, { i: { referralId: ref, householdId: hH1.id, status: 'TRIAGED' } }, T.workerA);
    expect(t1.errors, t1.raw).toBeUndefined();
    expect((await hub.gql(REF_TEAM, { id: ref }, T.workerA)).errors).toBeUndefined(); // H1-era read
    const t2 = await hub.gql(TRIAGE, { i: { referralId: ref, householdId: hC.id, caseId: caseC.id, status: 'TRIAGED' } }, T.workerAC);
    expect(t2.errors, t2.raw).toBeUndefined();
    await new Promise((r) => setTimeout(r, 300));
    const logRows = await q<{ action: string; household_id: string | null; actor_name: string | null }>(
      "select action, household_id, actor_name from access_log where object_type = 'Referral' and object_id = ? order by at, id", [ref]);
    const rep = await hub.gql(REPORT, { id: rC.id }, T.leadC);
    expect(rep.errors, rep.raw).toBeUndefined();
    const refEntries = (rep.data!.accessReport.entries as { action: string; objectType: string; actor: { name: string | null } }[]).filter((x) => x.objectType === 'Referral');
    const underH1 = logRows.filter((r) => r.household_id === hH1.id).length;
    const repH1 = await hub.gql(REPORT, { id: rH1.id }, T.leadA);
    const h1Entries = (repH1.data!.accessReport.entries as { objectType: string }[]).filter((x) => x.objectType === 'Referral');
    // eslint-disable-next-line no-console
    console.log('FR1 observed log', JSON.stringify(logRows), 'C report', JSON.stringify(refEntries), 'H1 report referral entries', h1Entries.length);
    // H1-era rows: UPDATE and READ by Werker Alfa under H1. Only the pre-link READ may show in C's report.
    expect(refEntries.filter((x) => x.actor.name === 'Werker Alfa Finaal' && x.action === 'UPDATE').length).toBe(0);
    expect(refEntries.filter((x) => x.actor.name === 'Werker Alfa Finaal' && x.action === 'READ').length).toBe(1);
    expect(h1Entries.length).toBeGreaterThanOrEqual(underH1);
  });
});

describe('admin: ambassador rule and AGB code', () => {
  it('FA1 two concurrent createStaff AMBASSADOR for one team: exactly one succeeds (one active per team)', async () => {
    const t = tR;
    const mk = (n: number) => hub.gql(STAFF, { i: { name: `Ambassadeur Race ${n}`, email: `amb-race-${n}-${randomUUID().slice(0, 6)}@example.test`, role: 'AMBASSADOR', teamIds: [t.id], organisationId: careOrg.id } }, T.admin);
    const res = await Promise.all([mk(1), mk(2), mk(3), mk(4)]);
    const ok = res.filter((r) => r.data?.createStaff?.id).length;
    const [{ n }] = await q<{ n: number }>("select count(*)::int n from staff s join staff_team st on st.staff_id = s.id where s.role = 'AMBASSADOR' and s.active and st.team_id = ?", [t.id]);
    // eslint-disable-next-line no-console
    console.log('FA1 observed', JSON.stringify({ ok, n, codes: res.map(code) }));
    expect(n).toBe(1);
  });

  it('FA2 a new ambassador for a team whose previous one was deactivated is accepted; a CREATE audit row is written', async () => {
    const t = tD;
    const first = await hub.gql(STAFF, { i: { name: 'Ambassadeur Oud', email: `amb-old-${randomUUID().slice(0, 6)}@example.test`, role: 'AMBASSADOR', teamIds: [t.id], organisationId: careOrg.id } }, T.admin);
    expect(first.errors, first.raw).toBeUndefined();
    const again = await hub.gql(STAFF, { i: { name: 'Ambassadeur Twee', email: `amb-two-${randomUUID().slice(0, 6)}@example.test`, role: 'AMBASSADOR', teamIds: [t.id], organisationId: careOrg2.id } }, T.admin);
    expect(code(again)).toBe('CONFLICT');
    await q('update staff set active = false where id = ?', [first.data!.createStaff.id]);
    const next = await hub.gql(STAFF, { i: { name: 'Ambassadeur Nieuw', email: `amb-new-${randomUUID().slice(0, 6)}@example.test`, role: 'AMBASSADOR', teamIds: [t.id], organisationId: careOrg2.id } }, T.admin);
    expect(next.errors, next.raw).toBeUndefined();
    const rows = await q("select 1 from access_log where object_type = 'Staff' and action = 'CREATE' and object_id = ?", [next.data!.createStaff.id]);
    expect(rows.length).toBe(1);
    const noOrg = await hub.gql(STAFF, { i: { name: 'Ambassadeur Gp', email: `amb-gp-${randomUUID().slice(0, 6)}@example.test`, role: 'AMBASSADOR', teamIds: [t.id], organisationId: gp.id } }, T.admin);
    expect(code(noOrg)).toBe('BAD_USER_INPUT');
  });

  it('FA3 two concurrent createOrganisation with one AGB code: one created, the other CONFLICT (not INTERNAL)', async () => {
    const agb = '01474747';
    const mk = (n: number) => hub.gql(ORG, { i: { code: `gp-race-${n}-${randomUUID().slice(0, 4)}`, name: `Praktijk Race ${n}`, kind: 'GP_PRACTICE', agbCode: agb } }, T.admin);
    const res = await Promise.all([mk(1), mk(2), mk(3)]);
    const codes = res.map((r) => (r.data?.createOrganisation?.id ? 'OK' : code(r)));
    // eslint-disable-next-line no-console
    console.log('FA3 observed', JSON.stringify(codes));
    expect(codes.filter((c) => c === 'OK').length).toBe(1);
    expect(codes.filter((c) => c === 'CONFLICT').length).toBe(2);
    const rows = await q("select 1 from access_log where object_type = 'Organisation' and action = 'CREATE'");
    expect(rows.length).toBeGreaterThanOrEqual(1);
  });
});
