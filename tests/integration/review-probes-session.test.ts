/**
 * Review probes for the change ce807c3..HEAD (erasure, error messages, locks, report cache).
 * Every probe asserts the SAFE behaviour; a failing probe is a bug.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type GqlResponse, type TestHub } from '../helpers/app.js';
import {
  buildCareAllocation,
  buildCase,
  buildCaseDiscussion,
  buildConsent,
  buildFeedback,
  buildFlexAssignment,
  buildGoal,
  buildHousehold,
  buildInformalCareRequest,
  buildMatchCheckIn,
  buildNote,
  buildOrganisation,
  buildReferral,
  buildStaff,
  buildTeam,
  buildVolunteer,
  buildVolunteerMatch,
  buildWorkerChangeRequest,
  buildZrm,
} from '../../seeds/factories.js';
import { CaseStatus, ConsentPurpose, InformalCareRequestStatus, MatchStatus, OrganisationKind, ReferralStatus, Role } from '../../src/modules/common/enums.js';
import { hashBsn, makeBsn } from '../../src/modules/household/bsn.js';
import { withoutInputValues } from '../../src/errors-format.js';
import type { Team } from '../../src/modules/team/team.entity.js';
import type { Staff } from '../../src/modules/staff/staff.entity.js';
import type { Organisation } from '../../src/modules/organisation/organisation.entity.js';
import type { Resident } from '../../src/modules/household/resident.entity.js';
import type { Referral } from '../../src/modules/referral/referral.entity.js';
import type { VolunteerMatch } from '../../src/modules/informal-care/informal-care.entity.js';

const YEAR = 365.25 * 86_400_000;
const SECRET = '111222333';
const A = { givenName: 'Annegien', familyName: 'Wisverzoekster', birthDate: '1950-03-03', bsn: makeBsn(5151515), phone: '06-51515151' };
const C = { givenName: 'Cornelis', familyName: 'Anderhuishouden', birthDate: '1980-08-08', bsn: makeBsn(6161616), phone: '06-61616161' };
const D = { givenName: 'Dirkje', familyName: 'Volledigdossier', birthDate: '1944-04-04', bsn: makeBsn(7171717), phone: '06-71717171' };

let hub: TestHub;
let team: Team, flexTeam: Team;
let worker: Staff, lead: Staff, flex: Staff, ambassador: Staff;
let gp: Organisation, careOrg: Organisation;
let rA: Resident, rC: Resident, rD: Resident, rF: Resident;
let refC: Referral;
let activeMatch: VolunteerMatch;
const T: Record<string, string> = {};

const code = (res: GqlResponse) => res.errors?.[0]?.extensions?.code;
const ERASE = 'mutation($id: ID!) { eraseResident(residentId: $id) { residentId outcome reason } }';

async function q<R = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<R[]> {
  return hub.em().getConnection().execute<R[]>(sql, params);
}

const ROLLUPS = ['report_case_state', 'report_case_source', 'report_case_closure', 'report_first_contact', 'report_zrm', 'report_zrm_score',
  'report_feedback', 'report_care', 'report_discussion', 'report_match'];

/** The rollups as text (rows with n = 0 left out, as a rebuild would not have them). */
async function rollups(): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const t of ROLLUPS) {
    const rows = await q<{ j: string }>(`select row_to_json(x)::text j from "${t}" x where n <> 0 order by 1`);
    out[t] = rows.map((r) => r.j).sort();
  }
  return out;
}

beforeAll(async () => {
  hub = await startTestHub();
  const em = hub.em();
  const key = hub.config.BSN_KEY;
  team = buildTeam(em, { postcodes: ['3571'] });
  flexTeam = buildTeam(em, { isFlex: true, postcodes: [] });
  worker = buildStaff(em, { role: Role.TEAM_WORKER, teams: [team] });
  lead = buildStaff(em, { role: Role.TEAM_LEAD, teams: [team] });
  flex = buildStaff(em, { role: Role.FLEX_WORKER, teams: [flexTeam] });
  gp = buildOrganisation(em, { kind: OrganisationKind.GP_PRACTICE, agbCode: '01515151' });
  careOrg = buildOrganisation(em, { kind: OrganisationKind.INFORMAL_CARE });
  ambassador = buildStaff(em, { role: Role.AMBASSADOR, teams: [team], organisation: careOrg });

  // A: an open case (anonymising path).
  const bA = buildHousehold(em, { team, postcode: '3571AA', members: [A], bsnKey: key });
  rA = bA.head;
  buildCase(em, { household: bA.household, status: CaseStatus.ACTIVE, coordinator: worker });

  // C: another household of the same team. A GP referral that carried A's BSN (a typo or the
  // parent's BSN) but that the team matched to C, the person it is actually about.
  const bC = buildHousehold(em, { team, postcode: '3571CC', members: [C], bsnKey: key });
  rC = bC.head;
  const caseC = buildCase(em, { household: bC.household, status: CaseStatus.ACTIVE, coordinator: worker });
  refC = buildReferral(em, { from: gp, resident: rC, case: caseC, status: ReferralStatus.IN_CARE, subjectBsn: A.bsn, bsnKey: key });
  refC.subjectBsnHash = hashBsn(A.bsn, key);

  // D: the last resident of a household with only a case closed 16 years ago, with every kind
  // of record hanging off it (deletion path).
  const bD = buildHousehold(em, { team, postcode: '3571DD', members: [D], bsnKey: key });
  rD = bD.head;
  const closedAt = new Date(Date.now() - 16 * YEAR);
  const oldCase = buildCase(em, { household: bD.household, status: CaseStatus.CLOSED, registeredAt: new Date(closedAt.getTime() - YEAR), latest: closedAt });
  const at = (daysBefore: number) => new Date(closedAt.getTime() - daysBefore * 86_400_000);
  buildNote(em, { case: oldCase, author: worker, createdAt: at(100) });
  buildGoal(em, { case: oldCase });
  buildZrm(em, { case: oldCase, resident: rD, assessedAt: at(200) });
  buildCareAllocation(em, { case: oldCase, investigationStartedAt: at(150).toISOString().slice(0, 10) });
  buildFeedback(em, { team, case: oldCase, receivedAt: at(50) });
  buildWorkerChangeRequest(em, { case: oldCase, requestedBy: worker, requestedAt: at(90) });
  buildFlexAssignment(em, { staff: flex, case: oldCase, assignedBy: lead, until: at(10).toISOString().slice(0, 10), createdAt: at(60) });
  buildCaseDiscussion(em, { case: oldCase, ambassador, discussedAt: at(80) });
  const icr = buildInformalCareRequest(em, { case: oldCase, requestedBy: worker, resident: rD, status: InformalCareRequestStatus.CLOSED, createdAt: at(80) });
  const volunteer = buildVolunteer(em, { organisation: careOrg });
  const m = buildVolunteerMatch(em, { request: icr, volunteer, status: MatchStatus.ENDED, proposedAt: at(75), respondedAt: at(74), startedAt: at(70), endedAt: at(20) });
  buildMatchCheckIn(em, { match: m, recordedBy: ambassador, at: at(40) });
  buildReferral(em, { from: gp, resident: rD, case: oldCase, status: ReferralStatus.CLOSED, subjectBsn: D.bsn, bsnKey: key });
  buildConsent(em, { resident: rD, recipient: gp, recordedBy: worker, purpose: ConsentPurpose.GP_TANDEM });

  // An ACCEPTED match on A's... no: on a fresh open case, for the DateTime error probe.
  const bE = buildHousehold(em, { team, postcode: '3571EE', members: 1, bsnKey: key });
  const caseE = buildCase(em, { household: bE.household, status: CaseStatus.ACTIVE, coordinator: worker });
  const icrE = buildInformalCareRequest(em, { case: caseE, requestedBy: worker, resident: bE.head, status: InformalCareRequestStatus.OPEN });
  activeMatch = buildVolunteerMatch(em, { request: icrE, volunteer, status: MatchStatus.ACCEPTED, proposedAt: new Date(Date.now() - 5 * 86_400_000), respondedAt: new Date(Date.now() - 4 * 86_400_000), startedAt: null });
  // F: an open case; consent recorded while an erasure runs.
  const bF = buildHousehold(em, { team, postcode: '3571FF', members: 1, bsnKey: key });
  rF = bF.head;
  buildCase(em, { household: bF.household, status: CaseStatus.ACTIVE, coordinator: worker });
  await em.flush();

  for (const [name, p] of Object.entries({ worker, lead, flex, ambassador })) T[name] = await hub.tokenFor(p);
});

afterAll(async () => {
  await hub?.stop();
});

describe('erasure', () => {
  it('S1: erasing A leaves the subject of a referral the team matched to another resident (C, another household) as it was', async () => {
    const res = await hub.gql(ERASE, { id: rA.id }, T.lead);
    expect(res.errors).toBeUndefined();
    expect(res.data?.eraseResident.outcome).toBe('ANONYMISED');
    const [row] = await q<{ subject_given_name: string; subject_family_name: string; resident_id: string }>(
      'select subject_given_name, subject_family_name, resident_id from referral where id = ?', [refC.id]);
    expect(row!.resident_id).toBe(rC.id);
    // C's own referral: A's erasure must not touch it (residents-rights.ts: `or (team_id = ? and subject_bsn_hash = ?)` lacks `resident_id is null`).
    expect(row!.subject_given_name).toBe(C.givenName);
    expect(row!.subject_family_name).toBe(C.familyName);
  });

  it('S2: erasing the last resident with a full expired case file deletes it without an FK error and leaves the rollups equal to a rebuild', async () => {
    const res = await hub.gql(ERASE, { id: rD.id }, T.lead);
    expect(res.errors).toBeUndefined();
    expect(res.data?.eraseResident.outcome).toBe('DELETED');
    const before = await rollups();
    await q('select report_rebuild()');
    const after = await rollups();
    expect(before).toEqual(after);
    const [left] = await q<{ n: string }>('select count(*) n from "case" where household_id = ?', [rD.household.id]);
    expect(Number(left!.n)).toBe(0);
  });
});

describe('input values in error messages', () => {
  it('S3: a literal Date with "; " in it is not echoed', async () => {
    const res = await hub.gql(`mutation { correctResident(input: { residentId: "${rC.id}", birthDate: "x; ${SECRET}" }) { id } }`, {}, T.worker);
    expect(code(res)).toBe('BAD_USER_INPUT');
    expect(res.raw).not.toContain(SECRET);
  });

  it('S4: an invalid DateTime variable is not echoed', async () => {
    const res = await hub.gql('mutation($id: ID!, $s: DateTime) { activateMatch(id: $id, startedAt: $s) { id } }', { id: activeMatch.id, s: `Jansen ${SECRET}` }, T.worker);
    expect(code(res)).toBe('BAD_USER_INPUT');
    expect(res.raw).not.toContain(SECRET);
  });

  it('S5: withoutInputValues strips the value from the messages graphql-js and graphql-scalars write', () => {
    const messages = [
      `Variable "$s" got invalid value "Jansen ${SECRET}"; DateTime cannot represent an invalid date-time-string Jansen ${SECRET}.`,
      `Expected value of type "Date", found "x; ${SECRET}"; Date must be a calendar date in the form YYYY-MM-DD`,
      `Variable "$d" got invalid value "x; ${SECRET}"; Expected type "Date". Date must be a calendar date in the form YYYY-MM-DD`,
    ];
    for (const m of messages) expect(withoutInputValues(m), m).not.toContain(SECRET);
  });
});

describe('locks', () => {
  it('S6: a consent recorded while an erasure of the resident commits is refused (the anonymised check runs after the lock)', async () => {
    const knex = hub.em().getConnection().getKnex();
    const trx = await knex.transaction();
    // Stands in for eraseResident's transaction: it holds the resident's row from its UPDATE on.
    await trx.raw('select 1 from resident where id = ? for update', [rF.id]);
    const pending = hub.gql('mutation($i: RecordConsentInput!) { recordConsent(input: $i) { id } }',
      { i: { residentId: rF.id, recipientId: gp.id, purpose: 'GP_TANDEM' } }, T.worker);
    await new Promise((r) => setTimeout(r, 700)); // recordConsent has read the resident and waits in em.lock
    await trx.raw(`update resident set given_name = 'Geanonimiseerd', family_name = 'Geanonimiseerd', phone = null, anonymised_at = now() where id = ?`, [rF.id]);
    await trx.commit();
    const res = await pending;
    const active = await q<{ n: string }>('select count(*) n from consent where resident_id = ? and revoked_at is null', [rF.id]);
    expect(Number(active[0]!.n), JSON.stringify(res.errors ?? res.data)).toBe(0);
    expect(code(res)).toBe('CONFLICT');
  });
});

describe('denials name their target (targetIds)', () => {
  it('S7: a refused erasure is FORBIDDEN (not a 500) and its DENIED row names the resident', async () => {
    const res = await hub.gql(ERASE, { id: rF.id }, T.worker);
    expect(code(res)).toBe('FORBIDDEN');
    const rows = await q<{ object_id: string }>(`select object_id from access_log where action = 'DENIED' and object_id = ?`, [rF.id]);
    expect(rows.length).toBeGreaterThan(0);
  });
});
