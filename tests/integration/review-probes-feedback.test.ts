/**
 * Review probes: feedback and complaints, worker-change requests, consents, care allocations.
 * Every probe asserts the SAFE behaviour; a failing probe is a finding.
 *
 * Teams A (3921) and B (3922), a flex team; leads and workers of A and B, a worker in A and B'
 * (multi-team is not used here), a flex worker assigned to one case of a household whose older
 * case is closed; a GP practice, a care provider, an informal-care organisation, a municipality.
 * All names, addresses and texts are fake.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type GqlResponse, type TestHub } from '../helpers/app.js';
import {
  buildCareAllocation, buildCase, buildConsent, buildFeedback, buildFlexAssignment, buildHousehold, buildOrganisation,
  buildReferral, buildStaff, buildTeam, buildWorkerChangeRequest,
} from '../../seeds/factories.js';
import {
  CareForm, CaseStatus, ConsentPurpose, FeedbackKind, FeedbackStatus, OrganisationKind, ReferralStatus, Role, WorkerChangeStatus,
} from '../../src/modules/common/enums.js';
import { makeBsn } from '../../src/modules/household/bsn.js';
import type { Team } from '../../src/modules/team/team.entity.js';
import type { Staff } from '../../src/modules/staff/staff.entity.js';
import type { Household } from '../../src/modules/household/household.entity.js';
import type { Resident } from '../../src/modules/household/resident.entity.js';
import type { Case } from '../../src/modules/case/case.entity.js';
import type { Organisation } from '../../src/modules/organisation/organisation.entity.js';
import type { Feedback } from '../../src/modules/feedback/feedback.entity.js';
import type { WorkerChangeRequest } from '../../src/modules/feedback/worker-change-request.entity.js';
import type { Referral } from '../../src/modules/referral/referral.entity.js';
import type { Consent } from '../../src/modules/consent/consent.entity.js';

const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY);
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

const SECRET_COMPLAINT = 'KLACHT-GEHEIM-Zwartepiet-wachttijd-medewerker-Anja';
const SECRET_REASON = 'WISSEL-GEHEIM-geen-klik-met-Anja';

let hub: TestHub;
let tA: Team, tB: Team, flexTeam: Team;
let workerA: Staff, leadA: Staff, workerB: Staff, leadB: Staff, flex: Staff;
let gp: Organisation, provider: Organisation, icOrg: Organisation, muni: Organisation;
let hA: Household, hF: Household;
let rA: Resident, rF: Resident;
let caseA: Case, caseB: Case, cOld: Case, cNew: Case;
let refGp: Referral;
let fbA: Feedback, fbALinked: Feedback, wcrA: WorkerChangeRequest, consentA: Consent;
const T: Record<string, string> = {};

const code = (res: GqlResponse) => res.errors?.[0]?.extensions?.code;

/** The parts of an answer a client can observe, without the id it asked for. */
function shape(res: GqlResponse, ...asked: string[]) {
  let raw = res.raw;
  for (const id of asked) raw = raw.split(id).join('<ID>');
  return { status: res.status, raw };
}

async function q<R = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<R[]> {
  return hub.em().getConnection().execute<R[]>(text, params);
}

/** Audit rows are batched at the end of the request: wait until the count stops changing. */
async function settle() {
  let last = -1;
  for (let i = 0; i < 20; i++) {
    const [{ n }] = await q<{ n: string }>('select count(*)::text as n from access_log');
    if (Number(n) === last) return;
    last = Number(n);
    await new Promise((r) => setTimeout(r, 60));
  }
}

beforeAll(async () => {
  hub = await startTestHub();
  const em = hub.em();
  const key = hub.config.BSN_KEY;
  tA = buildTeam(em, { postcodes: ['3921'] });
  tB = buildTeam(em, { postcodes: ['3922'] });
  flexTeam = buildTeam(em, { isFlex: true, postcodes: [] });
  workerA = buildStaff(em, { role: Role.TEAM_WORKER, teams: [tA], name: 'Anja Proefwerker' });
  leadA = buildStaff(em, { role: Role.TEAM_LEAD, teams: [tA], name: 'Lotte Proefleider' });
  workerB = buildStaff(em, { role: Role.TEAM_WORKER, teams: [tB], name: 'Bram Proefwerker' });
  leadB = buildStaff(em, { role: Role.TEAM_LEAD, teams: [tB], name: 'Bea Proefleider' });
  flex = buildStaff(em, { role: Role.FLEX_WORKER, teams: [flexTeam], name: 'Flo Flexproef' });
  gp = buildOrganisation(em, { kind: OrganisationKind.GP_PRACTICE });
  provider = buildOrganisation(em, { kind: OrganisationKind.CARE_PROVIDER });
  icOrg = buildOrganisation(em, { kind: OrganisationKind.INFORMAL_CARE });
  muni = buildOrganisation(em, { kind: OrganisationKind.MUNICIPALITY });

  const a = buildHousehold(em, { team: tA, postcode: '3921AA', members: [{ givenName: 'Proefje', familyName: 'Klager', birthDate: '1970-01-01', bsn: makeBsn(39210001) }], bsnKey: key });
  hA = a.household;
  rA = a.head;
  caseA = buildCase(em, { household: hA, status: CaseStatus.ACTIVE, coordinator: workerA, registeredAt: ago(40) });
  const b = buildHousehold(em, { team: tB, postcode: '3922AA', members: 1, bsnKey: key });
  caseB = buildCase(em, { household: b.household, status: CaseStatus.ACTIVE, coordinator: workerB, registeredAt: ago(40) });

  // Household of team A with an old closed case and a new open case; the flex worker has only the new one.
  const f = buildHousehold(em, { team: tA, postcode: '3921AB', members: [{ givenName: 'Flexje', familyName: 'Tweezaken', birthDate: '1960-02-02', bsn: makeBsn(39210002) }], bsnKey: key });
  hF = f.household;
  rF = f.head;
  cOld = buildCase(em, { household: hF, status: CaseStatus.CLOSED, coordinator: workerA, registeredAt: ago(400), latest: ago(200) });
  cNew = buildCase(em, { household: hF, status: CaseStatus.ACTIVE, coordinator: workerA, registeredAt: ago(30) });
  buildCareAllocation(em, { case: cOld, provision: 'OUDE-ZAAK-begeleiding', provider, form: CareForm.ZIN });
  buildFlexAssignment(em, { staff: flex, case: cNew, assignedBy: leadA });

  fbA = buildFeedback(em, { team: tA, kind: FeedbackKind.COMPLAINT, status: FeedbackStatus.OPEN, receivedAt: ago(3), summary: SECRET_COMPLAINT });
  fbALinked = buildFeedback(em, { team: tA, case: caseA, kind: FeedbackKind.COMPLAINT, status: FeedbackStatus.OPEN, receivedAt: ago(2), summary: SECRET_COMPLAINT });
  wcrA = buildWorkerChangeRequest(em, { case: caseA, requestedBy: workerA, status: WorkerChangeStatus.REQUESTED, reason: SECRET_REASON });
  consentA = buildConsent(em, { resident: rA, recipient: provider, recordedBy: workerA, purpose: ConsentPurpose.CARE_ALLOCATION });
  refGp = buildReferral(em, { from: gp, resident: rA, team: tA, case: caseA, status: ReferralStatus.IN_CARE });
  buildConsent(em, { resident: rA, recipient: gp, recordedBy: workerA, purpose: ConsentPurpose.REFERRAL_FEEDBACK });
  buildCareAllocation(em, { case: caseA, provision: 'GP-ZICHTBAAR-begeleiding', provider, form: CareForm.PGB });
  await em.flush();

  for (const [name, p] of Object.entries({ workerA, leadA, workerB, leadB, flex, gp, provider, icOrg, muni })) T[name] = await hub.tokenFor(p);
});

afterAll(async () => {
  await hub?.stop();
});

const M = {
  resolve: `mutation($id: ID!, $s: FeedbackStatus!, $r: String) { resolveFeedback(id: $id, status: $s, resolution: $r) { id status summary resolution } }`,
  decide: `mutation($id: ID!, $g: Boolean!) { decideWorkerChange(id: $id, grant: $g) { id status reason } }`,
  wcr: `mutation($i: RequestWorkerChangeInput!) { requestWorkerChange(input: $i) { id reason status } }`,
  care: `mutation($i: RecordCareAllocationInput!) { recordCareAllocation(input: $i) { id provision decision } }`,
  feedback: `mutation($i: RegisterFeedbackInput!) { registerFeedback(input: $i) { id summary team { id } } }`,
  consent: `mutation($i: RecordConsentInput!) { recordConsent(input: $i) { id purpose recipient { id } } }`,
  revoke: `mutation($id: ID!) { revokeConsent(id: $id) { id revokedAt } }`,
};

const careInput = (caseId: string, extra: Record<string, unknown> = {}) => ({
  i: { caseId, provision: 'Proef-huishoudelijke hulp', form: 'ZIN', investigationStartedAt: isoDay(ago(5)), ...extra },
});

// ---------------------------------------------------------------------------------------------
describe('another team’s complaints and worker-change requests', () => {
  it('FB1: a lead of team B resolving team A’s complaint answers exactly like a random id; nothing changes, no text echoed', async () => {
    const random = randomUUID();
    const other = await hub.gql(M.resolve, { id: fbA.id, s: 'UNFOUNDED', r: 'Proef-afwijzing' }, T.leadB);
    const missing = await hub.gql(M.resolve, { id: random, s: 'UNFOUNDED', r: 'Proef-afwijzing' }, T.leadB);
    expect(code(other)).toBe('NOT_FOUND');
    expect(shape(other, fbA.id)).toEqual(shape(missing, random));
    expect(other.raw).not.toContain(SECRET_COMPLAINT);
    const [row] = await q<{ status: string; resolution: string | null }>('select status, resolution from feedback where id = ?', [fbA.id]);
    expect(row).toEqual({ status: 'OPEN', resolution: null });
  });

  it('FB2: a lead of team B deciding team A’s worker-change request answers like a random id; unchanged', async () => {
    const random = randomUUID();
    const other = await hub.gql(M.decide, { id: wcrA.id, g: true }, T.leadB);
    const missing = await hub.gql(M.decide, { id: random, g: true }, T.leadB);
    expect(code(other)).toBe('NOT_FOUND');
    expect(shape(other, wcrA.id)).toEqual(shape(missing, random));
    expect(other.raw).not.toContain(SECRET_REASON);
    const [row] = await q<{ status: string }>('select status from worker_change_request where id = ?', [wcrA.id]);
    expect(row!.status).toBe('REQUESTED');
  });

  it('FB3: feedback / worker-change ids used across types (a feedback id as worker-change and back) answer like random ids', async () => {
    const random = randomUUID();
    const missingD = await hub.gql(M.decide, { id: random, g: false }, T.leadA);
    const crossD = await hub.gql(M.decide, { id: fbA.id, g: false }, T.leadA);
    expect(shape(crossD, fbA.id)).toEqual(shape(missingD, random));
    const missingR = await hub.gql(M.resolve, { id: random, s: 'RESOLVED' }, T.leadA);
    const crossR = await hub.gql(M.resolve, { id: wcrA.id, s: 'RESOLVED' }, T.leadA);
    expect(shape(crossR, wcrA.id)).toEqual(shape(missingR, random));
  });

  it('FB4: a worker of team B asking a worker change / recording an allocation on team A’s case answers like a random case; nothing stored', async () => {
    const random = randomUUID();
    const w1 = await hub.gql(M.wcr, { i: { caseId: caseA.id, reason: 'Proef', toTeamId: tB.id } }, T.workerB);
    const w2 = await hub.gql(M.wcr, { i: { caseId: random, reason: 'Proef', toTeamId: tB.id } }, T.workerB);
    expect(code(w1)).toBe('NOT_FOUND');
    expect(shape(w1, caseA.id)).toEqual(shape(w2, random));
    // A provider id that is not a care provider must not turn the scope check into an oracle.
    for (const providerId of [provider.id, gp.id, randomUUID()]) {
      const c1 = await hub.gql(M.care, careInput(caseA.id, { providerId }), T.workerB);
      const c2 = await hub.gql(M.care, careInput(random, { providerId }), T.workerB);
      expect(shape(c1, caseA.id), providerId).toEqual(shape(c2, random));
    }
    const [{ n }] = await q<{ n: string }>('select count(*)::text as n from care_allocation where case_id = ?', [caseA.id]);
    expect(n).toBe('1'); // only the one seeded
    const [{ m }] = await q<{ m: string }>('select count(*)::text as m from worker_change_request where case_id = ?', [caseA.id]);
    expect(m).toBe('1');
  });

  it('FB5: registerFeedback for the own team naming team B’s case answers like a random case id; nothing stored', async () => {
    const base = { teamId: tA.id, kind: 'COMPLAINT', receivedAt: ago(1).toISOString(), summary: 'Proefklacht' };
    const random = randomUUID();
    const other = await hub.gql(M.feedback, { i: { ...base, caseId: caseB.id } }, T.workerA);
    const missing = await hub.gql(M.feedback, { i: { ...base, caseId: random } }, T.workerA);
    expect(code(other)).toBe('NOT_FOUND');
    expect(shape(other, caseB.id)).toEqual(shape(missing, random));
    const [{ n }] = await q<{ n: string }>('select count(*)::text as n from feedback where case_id = ?', [caseB.id]);
    expect(n).toBe('0');
  });
});

// ---------------------------------------------------------------------------------------------
describe('flex worker and the household’s other case', () => {
  it('FL1: the flex worker cannot reach the household’s closed case (NOT_FOUND like random, not CONFLICT "closed")', async () => {
    const random = randomUUID();
    const w1 = await hub.gql(M.wcr, { i: { caseId: cOld.id, reason: 'Proef' } }, T.flex);
    const w2 = await hub.gql(M.wcr, { i: { caseId: random, reason: 'Proef' } }, T.flex);
    expect(code(w1)).toBe('NOT_FOUND');
    expect(shape(w1, cOld.id)).toEqual(shape(w2, random));
    const c1 = await hub.gql(M.care, careInput(cOld.id), T.flex);
    const c2 = await hub.gql(M.care, careInput(random), T.flex);
    expect(code(c1)).toBe('NOT_FOUND');
    expect(shape(c1, cOld.id)).toEqual(shape(c2, random));
  });

  it('FL2: through the assigned case’s household, the flex worker sees no other case nor its allocations', async () => {
    const res = await hub.gql(
      `query($id: ID!) { case(id: $id) { id careAllocations { provision } household { cases { id careAllocations { provision } } } } }`,
      { id: cNew.id }, T.flex,
    );
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    expect(res.raw).not.toContain(cOld.id);
    expect(res.raw).not.toContain('OUDE-ZAAK');
  });

  it('FL3: the flex worker cannot register, resolve or decide feedback/worker changes of the team (FORBIDDEN / NOT_FOUND), nothing changes', async () => {
    const reg = await hub.gql(M.feedback, { i: { teamId: tA.id, caseId: cNew.id, kind: 'COMPLAINT', receivedAt: ago(1).toISOString(), summary: 'Proef' } }, T.flex);
    expect(['FORBIDDEN', 'NOT_FOUND']).toContain(code(reg));
    expect(code(await hub.gql(M.resolve, { id: fbA.id, s: 'RESOLVED' }, T.flex))).toBe('FORBIDDEN');
    expect(code(await hub.gql(M.decide, { id: wcrA.id, g: true }, T.flex))).toBe('FORBIDDEN');
    const [row] = await q<{ status: string }>('select status from feedback where id = ?', [fbA.id]);
    expect(row!.status).toBe('OPEN');
  });

  it('FL4: the flex worker cannot record or revoke a consent of team A’s other household (NOT_FOUND like random)', async () => {
    const random = randomUUID();
    const r1 = await hub.gql(M.consent, { i: { residentId: rA.id, recipientId: provider.id, purpose: 'CARE_ALLOCATION' } }, T.flex);
    const r2 = await hub.gql(M.consent, { i: { residentId: random, recipientId: provider.id, purpose: 'CARE_ALLOCATION' } }, T.flex);
    expect(shape(r1, rA.id)).toEqual(shape(r2, random));
    const v1 = await hub.gql(M.revoke, { id: consentA.id }, T.flex);
    const v2 = await hub.gql(M.revoke, { id: random }, T.flex);
    expect(shape(v1, consentA.id)).toEqual(shape(v2, random));
    const [row] = await q<{ revoked_at: unknown }>('select revoked_at from consent where id = ?', [consentA.id]);
    expect(row!.revoked_at).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------
describe('organisations without a login: care provider, informal-care organisation, municipality', () => {
  it('OR1: a token for a care provider / informal-care org / municipality is UNAUTHENTICATED (no partner role, no case access)', async () => {
    for (const who of ['provider', 'icOrg', 'muni']) {
      const me = await hub.gql(`{ me { id role } }`, {}, T[who]);
      expect(code(me), who).toBe('UNAUTHENTICATED');
      const c = await hub.gql(`query($id: ID!) { case(id: $id) { id careAllocations { provision } consents { id } } }`, { id: caseA.id }, T[who]);
      expect(code(c), who).toBe('UNAUTHENTICATED');
      expect(c.raw).not.toContain('provision');
    }
  });

  it('OR2: a GP practice that referred the resident gets no path to their consents or allocations, and no coordinator on a non-GP_TANDEM consent', async () => {
    const ref = refGp;
    const res = await hub.gql(`{ referrals { edges { node { id case { consents { id purpose } careAllocations { provision } } } } } }`, {}, T.gp);
    expect(res.raw).toContain('errors');
    expect(res.raw).not.toContain(consentA.id);
    expect(res.raw).not.toContain('GP-ZICHTBAAR');
    const cp = await hub.gql(`query($id: ID!) { referral(id: $id) { id status contactPerson { name phone } } }`, { id: ref.id }, T.gp);
    expect(cp.errors, JSON.stringify(cp.errors)).toBeUndefined();
    expect(cp.data!.referral.contactPerson).toBeNull();
    expect(cp.raw).not.toContain('Anja');
  });
});

// ---------------------------------------------------------------------------------------------
describe('error messages and denial rows never echo the complaint or reason text', () => {
  it('EM1: too long / NUL summary, resolution and reason: BAD_USER_INPUT without the text', async () => {
    const marker = 'ECHO-MARKER-KLACHT';
    const longSummary = marker + 'x'.repeat(4001);
    const r1 = await hub.gql(M.feedback, { i: { teamId: tA.id, kind: 'COMPLAINT', receivedAt: ago(1).toISOString(), summary: longSummary } }, T.workerA);
    expect(code(r1)).toBe('BAD_USER_INPUT');
    expect(r1.raw).not.toContain(marker);
    const r2 = await hub.gql(M.feedback, { i: { teamId: tA.id, kind: 'COMPLAINT', receivedAt: ago(1).toISOString(), summary: `${marker}\u0000` } }, T.workerA);
    expect(code(r2)).toBe('BAD_USER_INPUT');
    expect(r2.raw).not.toContain(marker);
    const r3 = await hub.gql(M.resolve, { id: fbA.id, s: 'RESOLVED', r: marker + 'y'.repeat(4001) }, T.leadA);
    expect(code(r3)).toBe('BAD_USER_INPUT');
    expect(r3.raw).not.toContain(marker);
    const r4 = await hub.gql(M.wcr, { i: { caseId: caseA.id, reason: marker + 'z'.repeat(2001) } }, T.workerA);
    expect(code(r4)).toBe('BAD_USER_INPUT');
    expect(r4.raw).not.toContain(marker);
    const r5 = await hub.gql(M.feedback, { i: { teamId: tA.id, kind: 'RANT', receivedAt: ago(1).toISOString(), summary: marker } }, T.workerA);
    expect(code(r5)).toBe('BAD_USER_INPUT');
    expect(r5.raw).not.toContain(marker);
  });

  it('EM2: a refused registerFeedback / resolveFeedback / requestWorkerChange writes DENIED rows without the text', async () => {
    const marker = 'ECHO-MARKER-DENIED';
    const a = await hub.gql(M.feedback, { i: { teamId: tA.id, kind: 'COMPLAINT', receivedAt: ago(1).toISOString(), summary: marker } }, T.workerB);
    expect(code(a)).toBe('FORBIDDEN');
    expect(a.raw).not.toContain(marker);
    const b = await hub.gql(M.resolve, { id: fbA.id, s: 'RESOLVED', r: marker }, T.workerA);
    expect(code(b)).toBe('FORBIDDEN');
    const c = await hub.gql(M.wcr, { i: { caseId: caseA.id, reason: marker } }, T.workerB);
    expect(code(c)).toBe('NOT_FOUND');
    await settle();
    const rows = await q<{ t: string }>(`select row_to_json(l)::text as t from access_log l where l.action = 'DENIED'`);
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r.t).not.toContain(marker);
  });
});

// ---------------------------------------------------------------------------------------------
describe('audit rows of complaints, worker changes and consents', () => {
  it('AU1: reading the case’s consents writes a READ row per consent with the household', async () => {
    const res = await hub.gql(`query($id: ID!) { case(id: $id) { id consents { id purpose recipient { name } } } }`, { id: caseA.id }, T.workerA);
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    expect(res.raw).toContain(consentA.id);
    await settle();
    const rows = await q<{ household_id: string }>(`select household_id from access_log where action = 'READ' and object_type = 'Consent' and object_id = ?`, [consentA.id]);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.household_id === hA.id)).toBe(true);
  });

  it('AU2: deciding a complaint about the household’s case is in the household’s trail (UPDATE row with the household), so accessReport lists it', async () => {
    const res = await hub.gql(M.resolve, { id: fbALinked.id, s: 'RESOLVED', r: 'Proef-excuses' }, T.leadA);
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    await settle();
    const rows = await q<{ household_id: string | null }>(`select household_id from access_log where action = 'UPDATE' and object_type = 'Feedback' and object_id = ?`, [fbALinked.id]);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.household_id).toBe(hA.id);
  });

  it('AU3: deciding a worker-change request of the household’s case is in the household’s trail (UPDATE row with the household)', async () => {
    const res = await hub.gql(M.decide, { id: wcrA.id, g: false }, T.leadA);
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    await settle();
    const rows = await q<{ household_id: string | null }>(`select household_id from access_log where action = 'UPDATE' and object_type = 'WorkerChangeRequest' and object_id = ?`, [wcrA.id]);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.household_id).toBe(hA.id);
  });

  it('AU4: accessReport of the resident lists the complaint decision and the worker-change decision', async () => {
    const res = await hub.gql(`query($id: ID!) { accessReport(residentId: $id) { entries { action objectType } } }`, { id: rA.id }, T.workerA);
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    const entries = (res.data!.accessReport.entries as { action: string; objectType: string }[]);
    expect(entries.some((e) => e.objectType === 'Feedback' && e.action === 'UPDATE'), JSON.stringify(entries.map((e) => `${e.action}:${e.objectType}`))).toBe(true);
    expect(entries.some((e) => e.objectType === 'WorkerChangeRequest' && e.action === 'UPDATE')).toBe(true);
  });
});
