/**
 * Adversarial review probes (round 2): residents' rights against the changes of 68373ad..HEAD
 * (closing a case ends informal care; referrals follow their household's/case's team; BSN held
 * twice; control characters). Every probe asserts the SAFE behaviour; a failing probe is a
 * finding. All data is obviously fake.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestHub, type GqlResponse, type TestHub } from '../helpers/app.js';
import {
  buildCase,
  buildConsent,
  buildHousehold,
  buildInformalCareRequest,
  buildMatchCheckIn,
  buildOrganisation,
  buildStaff,
  buildTeam,
  buildVolunteer,
  buildVolunteerMatch,
} from '../../seeds/factories.js';
import { CaseStatus, ConsentPurpose, InformalCareRequestStatus, MatchStatus, OrganisationKind, Role } from '../../src/modules/common/enums.js';
import { hashBsn, makeBsn } from '../../src/modules/household/bsn.js';
import { logger } from '../../src/logger.js';
import type { Team } from '../../src/modules/team/team.entity.js';
import type { Staff } from '../../src/modules/staff/staff.entity.js';
import type { Organisation } from '../../src/modules/organisation/organisation.entity.js';
import type { Household } from '../../src/modules/household/household.entity.js';
import type { Resident } from '../../src/modules/household/resident.entity.js';
import type { Case } from '../../src/modules/case/case.entity.js';
import type { Volunteer } from '../../src/modules/informal-care/volunteer.entity.js';
import type { InformalCareRequest, VolunteerMatch } from '../../src/modules/informal-care/informal-care.entity.js';

const logLines: string[] = [];
for (const level of ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const) {
  vi.spyOn(logger, level).mockImplementation(((...args: unknown[]) => {
    logLines.push(args.map((a) => (a instanceof Error ? `${a.name}: ${a.message}` : typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
  }) as never);
}

const DAY = 86_400_000;
const YEAR = 365.25 * DAY;
const ago = (d: number) => new Date(Date.now() - d * DAY);
const VALID_VOG = ago(200).toISOString().slice(0, 10);

// Residents (fake).
const L = { givenName: 'Linkjehand', familyName: 'Handgekoppeldsma', birthDate: '1961-01-11', bsn: null, phone: '06-31313131' };
const L2 = { givenName: 'Linkjetwee', familyName: 'Triagekoppelaar', birthDate: '1962-02-12', bsn: null, phone: '06-31313132' };
const P = { givenName: 'Pietronella', familyName: 'Verhuisdeteam', birthDate: '1963-03-13', bsn: makeBsn(3131313), phone: '06-31313133' };
const P2 = { givenName: 'Pieternelle', familyName: 'Zelfdeteamsma', birthDate: '1964-04-14', bsn: makeBsn(3131314), phone: '06-31313134' };
const Y = { givenName: 'Ymkeanders', familyName: 'Anderhuisstra', birthDate: '1970-07-17', bsn: null, phone: '06-37373737' };
const X = { givenName: 'Xandertje', familyName: 'Ongekoppeldveld', birthDate: '1965-05-15', bsn: null, phone: '06-31313135' };
const M = { givenName: 'Matchilde', familyName: 'Geendvrijwillig', birthDate: '1966-06-16', bsn: null, phone: '06-31313136' };
const D = { givenName: 'Doortjewis', familyName: 'Verlopendossier', birthDate: '1940-08-18', bsn: null, phone: '06-31313137' };
const K = { givenName: 'Karelfout', familyName: 'Correctiebron', birthDate: '1967-07-17', bsn: null, phone: '06-31313138' };
const K_NEW = { givenName: 'Karelgoed', phone: '06-39393939' };
const G = { givenName: 'Gerritdokter', familyName: 'Tandemveld', birthDate: '1968-08-18', bsn: makeBsn(3131319), phone: '06-31313139' };

let hub: TestHub;
let tA: Team, tC: Team;
let workerA: Staff, leadA: Staff, workerC: Staff, leadC: Staff, workerAC: Staff, ambA: Staff;
let gp: Organisation, careOrg: Organisation;
let rL: Resident, rL2: Resident, rP: Resident, rP2: Resident, rY: Resident, rY2: Resident, rX: Resident, rM: Resident, rD: Resident, rK: Resident, rG: Resident, rYG: Resident;
let hL: Household, hL2: Household, hP: Household, hP2: Household, hY: Household, hY2: Household, hX: Household, hM: Household, hD: Household, hYG: Household;
let caseY: Case, caseY2: Case, caseM: Case, caseG: Case, caseYG: Case;
let vM1: Volunteer, vM2: Volunteer, vD: Volunteer, vK: Volunteer;
let mM1: VolunteerMatch, mM2: VolunteerMatch, mD: VolunteerMatch, mK: VolunteerMatch;
let icrM: InformalCareRequest, icrD: InformalCareRequest;
const T: Record<string, string> = {};

const code = (res: GqlResponse) => res.errors?.[0]?.extensions?.code;
const ERASE = 'mutation($id: ID!) { eraseResident(residentId: $id) { residentId outcome reason } }';
const REPORT = `query($id: ID!) { accessReport(residentId: $id) {
  resident { id } entries { at action objectType purpose actor { name role organisation } } disclosures { at purpose what recipient { id } } } }`;
const SUBMIT = 'mutation($input: SubmitReferralInput!) { submitReferral(input: $input) { id status } }';
const TRIAGE = 'mutation($i: TriageReferralInput!) { triageReferral(input: $i) { id status household { id } case { id } team { id } } }';
const CLOSE = 'mutation($i: CloseCaseInput!) { closeCase(input: $i) { id status } }';
const MY = '{ myMatches { id status endedAt contactPhone task resident { givenName } area { postcode4 } } }';
const REF_TEAM = 'query($id: ID!) { referral(id: $id) { id status team { id } subject { givenName familyName birthDate postcode houseNumber } } }';
const GP_REF = 'query($id: ID!) { referral(id: $id) { id status contactPerson { name phone } } }';
const CORRECT = 'mutation($i: CorrectResidentInput!) { correctResident(input: $i) { id givenName phone } }';
const REVOKE = 'mutation($id: ID!) { revokeConsent(id: $id) { id revokedAt } }';

async function q<R = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<R[]> {
  return hub.em().getConnection().execute<R[]>(text, params);
}

async function submit(subject: Record<string, unknown>) {
  const res = await hub.gql(SUBMIT, {
    input: { externalId: `SR-R2-${randomUUID().slice(0, 8)}`, kind: 'GP_REFERRAL', subject, reason: 'Nepverwijzing voor een test.', consentObtained: true },
  }, T.gp);
  expect(res.errors, res.raw).toBeUndefined();
  return res.data!.submitReferral.id as string;
}

/** Every row of every table, as text, that contains one of `markers`: "table: marker". */
async function scanDatabase(markers: string[]): Promise<string[]> {
  const tables = await q<{ table_name: string }>(
    `select table_name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'
     and table_name not like 'mikro_orm%'`,
  );
  const hits: string[] = [];
  for (const { table_name } of tables) {
    const rows = await q<{ j: string }>(`select row_to_json(x)::text as j from "${table_name}" x`);
    for (const { j } of rows) for (const m of markers) if (m && j.toLowerCase().includes(m.toLowerCase())) hits.push(`${table_name}: ${m}`);
  }
  return [...new Set(hits)];
}

beforeAll(async () => {
  hub = await startTestHub();
  const em = hub.em();
  const key = hub.config.BSN_KEY;
  tA = buildTeam(em, { postcodes: ['3931'] });
  tC = buildTeam(em, { postcodes: ['3933'] });
  workerA = buildStaff(em, { role: Role.TEAM_WORKER, teams: [tA], name: 'Werker Alfa Nep' });
  leadA = buildStaff(em, { role: Role.TEAM_LEAD, teams: [tA] });
  workerC = buildStaff(em, { role: Role.TEAM_WORKER, teams: [tC], name: 'Werker Charlie Nep' });
  leadC = buildStaff(em, { role: Role.TEAM_LEAD, teams: [tC] });
  workerAC = buildStaff(em, { role: Role.TEAM_WORKER, teams: [tA, tC], name: 'Werker Dubbelteam Nep' });
  gp = buildOrganisation(em, { kind: OrganisationKind.GP_PRACTICE, agbCode: '01393939' });
  careOrg = buildOrganisation(em, { kind: OrganisationKind.INFORMAL_CARE });
  ambA = buildStaff(em, { role: Role.AMBASSADOR, teams: [tA], organisation: careOrg });
  const closed16 = new Date(Date.now() - 16 * YEAR);

  // L: only a case closed 16 years ago (deletion); a GP referral the team linked to the household by triage.
  const bL = buildHousehold(em, { team: tA, postcode: '3931LA', houseNumber: '5', street: 'Koppelsteegnep', members: [L], bsnKey: key });
  hL = bL.household; rL = bL.head;
  buildCase(em, { household: hL, status: CaseStatus.CLOSED, registeredAt: new Date(closed16.getTime() - YEAR / 2), latest: closed16 });
  // L2: an open case (anonymisation); a GP referral linked by triage.
  const bL2 = buildHousehold(em, { team: tA, postcode: '3931LB', houseNumber: '6', street: 'Triagelaannep', members: [L2], bsnKey: key });
  hL2 = bL2.household; rL2 = bL2.head;
  buildCase(em, { household: hL2, status: CaseStatus.ACTIVE, coordinator: workerA });

  // P: no case at all (deletion); referral matched by BSN, then re-linked to Y (team C, with case).
  const bP = buildHousehold(em, { team: tA, postcode: '3931PA', houseNumber: '9', street: 'Verhuisstraatnep', members: [P], bsnKey: key });
  hP = bP.household; rP = bP.head;
  const bY = buildHousehold(em, { team: tC, postcode: '3933YA', members: [Y], bsnKey: key });
  hY = bY.household; rY = bY.head;
  caseY = buildCase(em, { household: hY, status: CaseStatus.ACTIVE, coordinator: workerC });
  // P2: the control of P in one team: re-linked to Y2 in team A.
  const bP2 = buildHousehold(em, { team: tA, postcode: '3931PB', houseNumber: '10', street: 'Blijfstraatnep', members: [P2], bsnKey: key });
  hP2 = bP2.household; rP2 = bP2.head;
  const bY2 = buildHousehold(em, { team: tA, postcode: '3931YB', members: 1, bsnKey: key });
  hY2 = bY2.household; rY2 = bY2.head;
  caseY2 = buildCase(em, { household: hY2, status: CaseStatus.ACTIVE, coordinator: workerA });

  // X: team A, open case; a GP referral with an address in team C's area comes in unmatched to C.
  const bX = buildHousehold(em, { team: tA, postcode: '3931XA', houseNumber: '11', members: [X], bsnKey: key });
  hX = bX.household; rX = bX.head;
  buildCase(em, { household: hX, status: CaseStatus.ACTIVE, coordinator: workerA });

  // M: open case with a request, an ACTIVE and an ACCEPTED match; INFORMAL_CARE consent.
  const bM = buildHousehold(em, { team: tA, postcode: '3931MA', members: [M], bsnKey: key });
  hM = bM.household; rM = bM.head;
  caseM = buildCase(em, { household: hM, status: CaseStatus.ACTIVE, coordinator: workerA, registeredAt: ago(90) });
  icrM = buildInformalCareRequest(em, { case: caseM, requestedBy: workerA, resident: rM, status: InformalCareRequestStatus.MATCHED, needs: ['company'], createdAt: ago(60) });
  vM1 = buildVolunteer(em, { organisation: careOrg, givenName: 'Vrijwilm1', email: `vm1.${randomUUID()}@example.test`, postcode: '3931VV', skills: ['company'], languages: ['Dutch'], vogIssuedAt: VALID_VOG, maxMatches: 5, active: true });
  vM2 = buildVolunteer(em, { organisation: careOrg, givenName: 'Vrijwilm2', email: `vm2.${randomUUID()}@example.test`, postcode: '3931VV', skills: ['company'], languages: ['Dutch'], vogIssuedAt: VALID_VOG, maxMatches: 5, active: true });
  mM1 = buildVolunteerMatch(em, { request: icrM, volunteer: vM1, status: MatchStatus.ACTIVE, proposedAt: ago(50), respondedAt: ago(49), startedAt: ago(45), proposedBy: ambA });
  mM2 = buildVolunteerMatch(em, { request: icrM, volunteer: vM2, status: MatchStatus.ACCEPTED, proposedAt: ago(20), respondedAt: ago(19), startedAt: null, proposedBy: ambA });
  buildConsent(em, { resident: rM, recipient: careOrg, recordedBy: workerA, purpose: ConsentPurpose.INFORMAL_CARE });

  // D: deleted, but the household keeps another member; an expired case with an ENDED match and a check-in.
  const bD = buildHousehold(em, { team: tA, postcode: '3931DA', members: [D, { givenName: 'Blijvertje', familyName: 'Huisgenoot' }], bsnKey: key });
  hD = bD.household; rD = bD.head;
  const oldD = buildCase(em, { household: hD, status: CaseStatus.CLOSED, registeredAt: new Date(closed16.getTime() - YEAR / 2), latest: closed16 });
  icrD = buildInformalCareRequest(em, { case: oldD, requestedBy: workerA, resident: rD, status: InformalCareRequestStatus.CLOSED, createdAt: new Date(closed16.getTime() - 100 * DAY) });
  vD = buildVolunteer(em, { organisation: careOrg, givenName: 'Vrijwild', email: `vd.${randomUUID()}@example.test`, postcode: '3931VV', skills: ['company'], languages: ['Dutch'], vogIssuedAt: VALID_VOG, maxMatches: 5, active: true });
  mD = buildVolunteerMatch(em, { request: icrD, volunteer: vD, status: MatchStatus.ENDED, proposedAt: new Date(closed16.getTime() - 90 * DAY), respondedAt: new Date(closed16.getTime() - 89 * DAY), startedAt: new Date(closed16.getTime() - 80 * DAY), endedAt: new Date(closed16.getTime() - 10 * DAY), proposedBy: ambA });
  buildMatchCheckIn(em, { match: mD, recordedBy: ambA, at: new Date(closed16.getTime() - 50 * DAY) });

  // K: correction propagating to the volunteer.
  const bK = buildHousehold(em, { team: tA, postcode: '3931KA', members: [K], bsnKey: key });
  rK = bK.head;
  const caseK = buildCase(em, { household: bK.household, status: CaseStatus.ACTIVE, coordinator: workerA, registeredAt: ago(90) });
  const icrK = buildInformalCareRequest(em, { case: caseK, requestedBy: workerA, resident: rK, status: InformalCareRequestStatus.MATCHED, needs: ['company'], createdAt: ago(60) });
  vK = buildVolunteer(em, { organisation: careOrg, givenName: 'Vrijwilk', email: `vk.${randomUUID()}@example.test`, postcode: '3931VV', skills: ['company'], languages: ['Dutch'], vogIssuedAt: VALID_VOG, maxMatches: 5, active: true });
  mK = buildVolunteerMatch(em, { request: icrK, volunteer: vK, status: MatchStatus.ACTIVE, proposedAt: ago(50), respondedAt: ago(49), startedAt: ago(45), proposedBy: ambA });
  buildConsent(em, { resident: rK, recipient: careOrg, recordedBy: workerA, purpose: ConsentPurpose.INFORMAL_CARE });

  // G: GP tandem consent, open case; the referral will be re-linked to YG of team C.
  const bG = buildHousehold(em, { team: tA, postcode: '3931GA', houseNumber: '3', members: [G], bsnKey: key });
  rG = bG.head;
  caseG = buildCase(em, { household: bG.household, status: CaseStatus.ACTIVE, coordinator: workerA });
  buildConsent(em, { resident: rG, recipient: gp, recordedBy: workerA, purpose: ConsentPurpose.GP_TANDEM });
  const bYG = buildHousehold(em, { team: tC, postcode: '3933GB', members: 1, bsnKey: key });
  hYG = bYG.household; rYG = bYG.head;
  caseYG = buildCase(em, { household: hYG, status: CaseStatus.ACTIVE, coordinator: workerC });
  buildConsent(em, { resident: rYG, recipient: gp, recordedBy: workerC, purpose: ConsentPurpose.GP_TANDEM });
  await em.flush();

  for (const [name, p] of Object.entries({ workerA, leadA, workerC, leadC, workerAC, ambA, gp, vM1, vM2, vD, vK })) T[name] = await hub.tokenFor(p);
});

afterAll(async () => {
  await hub?.stop();
  vi.restoreAllMocks();
});

describe('erasure: referrals linked by the team or moved to another team', () => {
  it('E1 a GP referral the team linked to the household (triage, no BSN), then the last resident deleted: the referral no longer holds their name, birth date or address', async () => {
    const ref = await submit({ givenName: L.givenName, familyName: L.familyName, birthDate: L.birthDate, postcode: '3931LA', houseNumber: '7', phone: L.phone });
    const [before] = await q<{ resident_id: string | null; team_id: string }>('select resident_id, team_id from referral where id = ?', [ref]);
    expect(before).toEqual({ resident_id: null, team_id: tA.id });
    const t = await hub.gql(TRIAGE, { i: { referralId: ref, householdId: hL.id, status: 'TRIAGED' } }, T.workerA);
    expect(t.errors, t.raw).toBeUndefined();
    const res = await hub.gql(ERASE, { id: rL.id }, T.leadA);
    expect(res.errors, res.raw).toBeUndefined();
    expect(res.data!.eraseResident.outcome).toBe('DELETED');
    const [row] = await q<Record<string, unknown>>('select subject_given_name, subject_family_name, subject_birth_date::text bd, subject_postcode, subject_house_number, subject_phone, household_id from referral where id = ?', [ref]);
    // eslint-disable-next-line no-console
    console.log('E1 observed referral after erasure', JSON.stringify(row), 'team A view', (await hub.gql(REF_TEAM, { id: ref }, T.workerA)).raw);
    expect(JSON.stringify(row)).not.toContain(L.givenName);
    expect(JSON.stringify(row)).not.toContain(L.familyName);
    expect(JSON.stringify(row)).not.toContain(L.phone);
    expect(JSON.stringify(row)).not.toContain(L.birthDate);
    expect(await scanDatabase([L.givenName, L.familyName, L.phone, 'Koppelsteegnep', '3931LA'])).toEqual([]);
  });

  it('E2 the same with an open case (anonymised): the triage-linked referral\'s subject is anonymised too, and the team no longer reads the name', async () => {
    const ref = await submit({ givenName: L2.givenName, familyName: L2.familyName, birthDate: L2.birthDate, postcode: '3931LB', houseNumber: '8', phone: L2.phone });
    const t = await hub.gql(TRIAGE, { i: { referralId: ref, householdId: hL2.id, status: 'TRIAGED' } }, T.workerA);
    expect(t.errors, t.raw).toBeUndefined();
    const res = await hub.gql(ERASE, { id: rL2.id }, T.leadA);
    expect(res.data?.eraseResident.outcome, res.raw).toBe('ANONYMISED');
    const view = await hub.gql(REF_TEAM, { id: ref }, T.workerA);
    // eslint-disable-next-line no-console
    console.log('E2 observed team view after erasure', view.raw);
    expect(view.raw).not.toContain(L2.givenName);
    expect(view.raw).not.toContain(L2.familyName);
    expect(await scanDatabase([L2.givenName, L2.familyName, L2.phone, 'Triagelaannep'])).toEqual([]);
  });

  it('E3 control, one team: a referral matched to P2 by BSN and re-linked to Y2 (same team) loses P2\'s data on P2\'s erasure', async () => {
    const ref = await submit({ givenName: P2.givenName, familyName: P2.familyName, birthDate: P2.birthDate, postcode: '3931PB', houseNumber: '10', bsn: P2.bsn, phone: P2.phone });
    const [m] = await q<{ resident_id: string | null }>('select resident_id from referral where id = ?', [ref]);
    expect(m!.resident_id).toBe(rP2.id);
    const t = await hub.gql(TRIAGE, { i: { referralId: ref, householdId: hY2.id, caseId: caseY2.id, status: 'TRIAGED' } }, T.workerA);
    expect(t.errors, t.raw).toBeUndefined();
    const res = await hub.gql(ERASE, { id: rP2.id }, T.leadA);
    expect(res.data?.eraseResident.outcome, res.raw).toBe('DELETED');
    const hits = await scanDatabase([P2.givenName, P2.familyName, P2.phone, hashBsn(P2.bsn, hub.config.BSN_KEY)]);
    // eslint-disable-next-line no-console
    console.log('E3 observed hits', JSON.stringify(hits));
    expect(hits).toEqual([]);
  });

  it('E4 a referral matched to P by BSN and re-linked (worker of A and C) to Y\'s case in team C keeps nothing of P after P\'s erasure', async () => {
    const ref = await submit({ givenName: P.givenName, familyName: P.familyName, birthDate: P.birthDate, postcode: '3931PA', houseNumber: '9', bsn: P.bsn, phone: P.phone });
    const [m] = await q<{ resident_id: string | null; team_id: string }>('select resident_id, team_id from referral where id = ?', [ref]);
    expect(m).toEqual({ resident_id: rP.id, team_id: tA.id });
    const t = await hub.gql(TRIAGE, { i: { referralId: ref, householdId: hY.id, caseId: caseY.id, status: 'TRIAGED' } }, T.workerAC);
    expect(t.errors, t.raw).toBeUndefined();
    expect(t.data!.triageReferral.team.id).toBe(tC.id);
    const res = await hub.gql(ERASE, { id: rP.id }, T.leadA);
    expect(res.data?.eraseResident.outcome, res.raw).toBe('DELETED');
    const [row] = await q<Record<string, unknown>>('select subject_given_name, subject_family_name, subject_birth_date::text bd, subject_postcode, subject_house_number, subject_phone, subject_bsn_hash is not null as has_bsn, resident_id, team_id from referral where id = ?', [ref]);
    const viewC = await hub.gql(REF_TEAM, { id: ref }, T.workerC);
    // eslint-disable-next-line no-console
    console.log('E4 observed referral row', JSON.stringify(row), 'team C view', viewC.raw);
    expect(viewC.raw).not.toContain(P.givenName);
    expect(viewC.raw).not.toContain(P.familyName);
    expect(await scanDatabase([P.givenName, P.familyName, P.phone, hashBsn(P.bsn, hub.config.BSN_KEY), 'Verhuisstraatnep'])).toEqual([]);
  });
});

describe('access report after a referral moved teams', () => {
  let ref: string;
  it('A1 reads of the referral by team C and by the GP, before team A linked it to X\'s household, appear in X\'s access report', async () => {
    ref = await submit({ givenName: X.givenName, familyName: X.familyName, birthDate: X.birthDate, postcode: '3933XZ', houseNumber: '40' });
    const [r0] = await q<{ team_id: string; resident_id: string | null }>('select team_id, resident_id from referral where id = ?', [ref]);
    expect(r0).toEqual({ team_id: tC.id, resident_id: null });
    const readC = await hub.gql(REF_TEAM, { id: ref }, T.workerC);
    expect(readC.raw).toContain(X.familyName);
    const readGp = await hub.gql(GP_REF, { id: ref }, T.gp);
    expect(readGp.errors, readGp.raw).toBeUndefined();
    const t = await hub.gql(TRIAGE, { i: { referralId: ref, householdId: hX.id, status: 'TRIAGED' } }, T.workerAC);
    expect(t.errors, t.raw).toBeUndefined();
    expect(t.data!.triageReferral.team.id).toBe(tA.id);
    const rep = await hub.gql(REPORT, { id: rX.id }, T.leadA);
    expect(rep.errors, rep.raw).toBeUndefined();
    const entries = rep.data!.accessReport.entries as { action: string; objectType: string; actor: { name: string | null; role: string | null } }[];
    const refEntries = entries.filter((e) => e.objectType === 'Referral');
    const rows = await q<{ action: string; actor_role: string | null; household_id: string | null }>("select action, actor_role, household_id from access_log where object_type = 'Referral' and object_id = ? order by at", [ref]);
    // eslint-disable-next-line no-console
    console.log('A1 observed report entries for the referral', JSON.stringify(refEntries), 'access_log rows', JSON.stringify(rows));
    expect(refEntries.some((e) => e.action === 'READ' && e.actor.name === 'Werker Charlie Nep')).toBe(true);
    expect(refEntries.some((e) => e.action === 'READ' && e.actor.role === 'PARTNER_GP')).toBe(true);
    expect(refEntries.some((e) => e.action === 'CREATE')).toBe(true);
  });

  it('A2 after the move, team C reads the referral no more, and its former team sees it nowhere', async () => {
    const c = await hub.gql(REF_TEAM, { id: ref }, T.workerC);
    expect(code(c)).toBe('NOT_FOUND');
  });
});

describe('closing a case, then erasing: matches, requests and the report', () => {
  it('C1 closeCase ends both matches and closes the request; the access report lists those UPDATE rows and exactly the household\'s rows', async () => {
    const res = await hub.gql(CLOSE, { i: { caseId: caseM.id, closedAt: new Date().toISOString(), reason: 'AS_PLANNED' } }, T.workerA);
    expect(res.errors, res.raw).toBeUndefined();
    const my = await hub.gql(MY, {}, T.vM1);
    expect(my.errors, my.raw).toBeUndefined();
    const [{ n }] = (await q<{ n: string }>('select count(*) n from access_log where household_id = ?', [hM.id])) as [{ n: string }];
    const rep = await hub.gql(REPORT, { id: rM.id }, T.leadA);
    expect(rep.errors, rep.raw).toBeUndefined();
    const entries = rep.data!.accessReport.entries as { action: string; objectType: string; actor: { name: string | null; role: string | null } }[];
    expect(entries.length).toBe(Number(n));
    expect(entries.filter((e) => e.action === 'UPDATE' && e.objectType === 'VolunteerMatch').length).toBe(2);
    expect(entries.filter((e) => e.action === 'UPDATE' && e.objectType === 'InformalCareRequest').length).toBe(1);
    expect(entries.some((e) => e.action === 'READ' && e.objectType === 'VolunteerMatch' && e.actor.role === 'VOLUNTEER')).toBe(true);
    // Nothing of another household's objects (e.g. K's match read by its volunteer).
    await hub.gql(MY, {}, T.vK);
    const rep2 = await hub.gql(REPORT, { id: rM.id }, T.leadA);
    const e2 = rep2.data!.accessReport.entries as { action: string; objectType: string; at: string; actor: { role: string | null } }[];
    const newRows = await q<{ action: string; object_type: string; object_id: string; actor_role: string | null; request_id: string }>('select action, object_type, object_id, actor_role, request_id from access_log where household_id = ? order by at desc limit 4', [hM.id]);
    // eslint-disable-next-line no-console
    console.log('C1 newest rows of household M', JSON.stringify(newRows), 'resident', rM.id, 'match K', mK.id);
    // Only rows of the first report's request (its EXPORT and the read of the resident it shows), nothing of K's match.
    expect(e2.length - entries.length).toBeLessThanOrEqual(2);
    expect(newRows.some((r) => r.object_id === mK.id)).toBe(false);
  });

  it('C2 after the erasure of M (anonymised: the case closed today), neither volunteer sees M\'s given name on the ENDED matches, nor the phone', async () => {
    const res = await hub.gql(ERASE, { id: rM.id }, T.leadA);
    expect(res.data?.eraseResident.outcome, res.raw).toBe('ANONYMISED');
    for (const tok of [T.vM1, T.vM2]) {
      const my = await hub.gql(MY, {}, tok);
      expect(my.errors, my.raw).toBeUndefined();
      expect(my.raw).not.toContain(M.givenName);
      expect(my.raw).not.toContain(M.phone);
    }
    const amb = await hub.gql('{ informalCareRequests(first: 100) { edges { node { id status resident { givenName } } } } }', {}, T.ambA);
    expect(amb.raw).not.toContain(M.givenName);
    const due = await hub.gql('{ dueCheckIns { match { id resident { givenName } } } }', {}, T.ambA);
    expect(due.raw).not.toContain(M.givenName);
    expect(await scanDatabase([M.givenName, M.familyName, M.phone])).toEqual([]);
  });

  it('C3 the erasure\'s own rows: one UPDATE per changed object (consent, resident, household), values-free, and all in M\'s report', async () => {
    const rows = await q<{ object_type: string; detail: string | null }>("select object_type, detail::text detail from access_log where household_id = ? and action = 'UPDATE' and detail::text like '%erasure%'", [hM.id]);
    const types = rows.map((r) => r.object_type).sort();
    expect(types).toEqual(['Consent', 'Household', 'Resident']);
    for (const r of rows) for (const s of [M.givenName, M.familyName, M.phone, M.birthDate, '3931MA']) expect(r.detail ?? '').not.toContain(s);
  });

  it('C4 D deleted (another member stays, the expired file stays): the volunteer of the ENDED match and the ambassador get nothing of D', async () => {
    const res = await hub.gql(ERASE, { id: rD.id }, T.leadA);
    expect(res.data?.eraseResident.outcome, res.raw).toBe('DELETED');
    const my = await hub.gql(MY, {}, T.vD);
    expect(my.errors, my.raw).toBeUndefined();
    // eslint-disable-next-line no-console
    console.log('C4 observed myMatches of the volunteer', my.raw);
    expect(my.raw).not.toContain(D.givenName);
    const [req] = await q<{ resident_id: string | null }>('select resident_id from informal_care_request where id = ?', [icrD.id]);
    expect(req!.resident_id).toBeNull();
    const [unl] = await q<{ n: string }>("select count(*) n from access_log where object_type = 'InformalCareRequest' and object_id = ? and detail->>'erasure' = 'UNLINKED'", [icrD.id]);
    expect(Number(unl!.n)).toBe(1);
    expect(await scanDatabase([D.givenName, D.familyName, D.phone])).toEqual([]);
  });
});

describe('correction and consent, seen by volunteers and GPs', () => {
  it('K1 a correction of name and phone reaches the volunteer at once; the old values are nowhere', async () => {
    const c = await hub.gql(CORRECT, { i: { residentId: rK.id, givenName: K_NEW.givenName, phone: K_NEW.phone } }, T.workerA);
    expect(c.errors, c.raw).toBeUndefined();
    const my = await hub.gql(MY, {}, T.vK);
    const m = (my.data!.myMatches as { id: string; contactPhone: string | null; resident: { givenName: string } | null }[]).find((x) => x.id === mK.id)!;
    expect(m.resident?.givenName).toBe(K_NEW.givenName);
    expect(m.contactPhone).toBe(K_NEW.phone);
    expect(my.raw).not.toContain(K.givenName);
    expect(my.raw).not.toContain(K.phone);
    expect(await scanDatabase([K.givenName, K.phone])).toEqual([]);
  });

  it('K2 revoking the INFORMAL_CARE consent hides the phone from the very next request', async () => {
    const [k] = await q<{ id: string }>("select id from consent where resident_id = ? and purpose = 'INFORMAL_CARE' and revoked_at is null", [rK.id]);
    const r = await hub.gql(REVOKE, { id: k!.id }, T.workerA);
    expect(r.errors, r.raw).toBeUndefined();
    const my = await hub.gql(MY, {}, T.vK);
    expect(my.raw).not.toContain(K_NEW.phone);
  });

  it('G1 a GP referral matched to G (tandem consent) and re-linked to a team C case: the GP gets no coordinator from the next request on, Y\'s report holds none of G\'s disclosures, G\'s report keeps them', async () => {
    const ref = await submit({ givenName: G.givenName, familyName: G.familyName, birthDate: G.birthDate, postcode: '3931GA', houseNumber: '3', bsn: G.bsn });
    const before = await hub.gql(GP_REF, { id: ref }, T.gp);
    expect(before.errors, before.raw).toBeUndefined();
    expect(before.data!.referral.contactPerson?.name, before.raw).toBeTruthy();
    const t = await hub.gql(TRIAGE, { i: { referralId: ref, householdId: hYG.id, caseId: caseYG.id, status: 'TRIAGED' } }, T.workerAC);
    expect(t.errors, t.raw).toBeUndefined();
    const after = await hub.gql(GP_REF, { id: ref }, T.gp);
    expect(after.data!.referral.contactPerson ?? null, after.raw).toBeNull();
    const repG = await hub.gql(REPORT, { id: rG.id }, T.leadA);
    expect((repG.data!.accessReport.disclosures as unknown[]).length).toBe(1);
    const repY = await hub.gql(REPORT, { id: rYG.id }, T.leadC);
    expect(repY.errors, repY.raw).toBeUndefined();
    expect((repY.data!.accessReport.disclosures as unknown[]).length).toBe(0);
    // G's data on the referral (the GP's copy) is shown to team C: it is not Y's.
    const viewC = await hub.gql(REF_TEAM, { id: ref }, T.workerC);
    // eslint-disable-next-line no-console
    console.log('G1 team C view of the re-linked referral', viewC.raw);
  });
});

describe('residue after all erasures', () => {
  it('Z1 no access_log.detail, outbox payload, parked record or disclosure holds an erased value', async () => {
    const rows = await q<{ t: string }>(`select coalesce(detail::text, '') t from access_log
      union all select payload::text from outbox union all select row_to_json(p)::text from parked_record p union all select what from disclosure`);
    const text = rows.map((r) => r.t).join('\n').toLowerCase();
    for (const p of [L, L2, P, P2, M, D]) for (const s of [p.givenName, p.familyName, p.phone]) expect(text, s).not.toContain(s.toLowerCase());
  });

  it('Z2 no log line holds a name, phone or BSN of the residents', () => {
    const text = logLines.join('\n');
    for (const p of [L, L2, P, P2, X, M, D, K, G]) for (const s of [p.givenName, p.familyName, p.phone, p.bsn ?? 'no-bsn-xyz']) expect(text, s).not.toContain(s);
  });
});
