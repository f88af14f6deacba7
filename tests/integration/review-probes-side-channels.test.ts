/**
 * Review probes: side channels across teams and partners. Every probe asserts the SAFE
 * behaviour (an id outside the scope answers exactly like an id that does not exist, and a
 * mutation on it changes nothing), so a failing probe is a finding.
 *
 * Teams A (3911), B (3912), C (3913); a worker in A and C (multi-team), A-only and C-only
 * workers; a GP practice, a housing corporation, two informal-care organisations.
 * All names, BSNs and addresses are fake.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type GqlResponse, type TestHub } from '../helpers/app.js';
import { buildCase, buildHousehold, buildNote, buildOrganisation, buildReferral, buildStaff, buildTeam, buildVolunteer } from '../../seeds/factories.js';
import { CaseStatus, OrganisationKind, ReferralStatus, Role } from '../../src/modules/common/enums.js';
import { makeBsn } from '../../src/modules/household/bsn.js';
import type { Team } from '../../src/modules/team/team.entity.js';
import type { Staff } from '../../src/modules/staff/staff.entity.js';
import type { Household } from '../../src/modules/household/household.entity.js';
import type { Resident } from '../../src/modules/household/resident.entity.js';
import type { Case } from '../../src/modules/case/case.entity.js';
import type { Referral } from '../../src/modules/referral/referral.entity.js';
import type { Organisation } from '../../src/modules/organisation/organisation.entity.js';
import type { Volunteer } from '../../src/modules/informal-care/volunteer.entity.js';

const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY);
const HOUR_AGO = () => new Date(Date.now() - 3_600_000).toISOString();

const BSN_B = makeBsn(39120001);
const BSN_OUT = makeBsn(39990001);
const BSN_B2 = makeBsn(39120004);
const BSN_FRESH = [makeBsn(11110003), makeBsn(11110004), makeBsn(11110005), makeBsn(11110007), makeBsn(11110009)];
const B = { given: 'Zwaantje', family: 'Bzzlaar', street: 'Bzzlaarsteeg', house: '77', postcode: '3912QX', birth: '1980-04-12' };
const OUT = { given: 'Otje', family: 'Buitengebied', birth: '1961-06-06', postcode: '3999ZZ', house: '5' };

let hub: TestHub;
let tA: Team, tB: Team, tC: Team, flexTeam: Team;
let workerA: Staff, leadA: Staff, workerB: Staff, workerAC: Staff, workerC: Staff, flex: Staff, ambX: Staff;
let gp: Organisation, corp: Organisation, careX: Organisation, careY: Organisation;
let hA: Household, hA2: Household, hB: Household, hC2: Household;
let rA: Resident, rB: Resident, rB2: Resident, rBanon: Resident;
let caseA: Case, caseB: Case, caseBclosed: Case, caseC: Case, caseC3: Case, caseC4: Case;
let R1: Referral, R2: Referral, R3: Referral, R4: Referral, refOwn: Referral;
let volY: Volunteer;
const T: Record<string, string> = {};

const code = (res: GqlResponse) => res.errors?.[0]?.extensions?.code;
const msg = (res: GqlResponse) => res.errors?.[0]?.message;

/** The parts of an answer a client can observe, without the id it asked for. */
function shape(res: GqlResponse, ...asked: string[]) {
  let raw = res.raw;
  for (const id of asked) raw = raw.split(id).join('<ID>');
  return { status: res.status, raw };
}

async function q<R = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<R[]> {
  return hub.em().getConnection().execute<R[]>(text, params);
}

function decode(cursor: string): unknown {
  return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
}

beforeAll(async () => {
  // makeBsn(n) can give the same BSN for neighbouring n: the probes need distinct ones.
  const all = [BSN_B, BSN_B2, BSN_OUT, ...BSN_FRESH];
  if (new Set(all).size !== all.length) throw new Error('test BSNs collide');
  hub = await startTestHub();
  const em = hub.em();
  const key = hub.config.BSN_KEY;
  tA = buildTeam(em, { postcodes: ['3911'] });
  tB = buildTeam(em, { postcodes: ['3912'] });
  tC = buildTeam(em, { postcodes: ['3913'] });
  flexTeam = buildTeam(em, { isFlex: true, postcodes: [] });
  workerA = buildStaff(em, { role: Role.TEAM_WORKER, teams: [tA], name: 'Anja Alleenteam' });
  leadA = buildStaff(em, { role: Role.TEAM_LEAD, teams: [tA], name: 'Leo Leiderteam' });
  workerB = buildStaff(em, { role: Role.TEAM_WORKER, teams: [tB], name: 'Bram Bteamwerker' });
  workerAC = buildStaff(em, { role: Role.TEAM_WORKER, teams: [tA, tC], name: 'Ada Tweeteams' });
  workerC = buildStaff(em, { role: Role.TEAM_WORKER, teams: [tC], name: 'Cees Cteamwerker' });
  flex = buildStaff(em, { role: Role.FLEX_WORKER, teams: [flexTeam] });
  gp = buildOrganisation(em, { kind: OrganisationKind.GP_PRACTICE });
  corp = buildOrganisation(em, { kind: OrganisationKind.HOUSING_CORPORATION });
  careX = buildOrganisation(em, { kind: OrganisationKind.INFORMAL_CARE });
  careY = buildOrganisation(em, { kind: OrganisationKind.INFORMAL_CARE });
  ambX = buildStaff(em, { role: Role.AMBASSADOR, teams: [tA], organisation: careX });

  const a = buildHousehold(em, { team: tA, postcode: '3911AA', members: [{ givenName: 'Aafke', familyName: 'Eigenteam', birthDate: '1970-01-01', bsn: makeBsn(39110001) }], bsnKey: key });
  hA = a.household;
  rA = a.head;
  caseA = buildCase(em, { household: hA, status: CaseStatus.ACTIVE, coordinator: workerA, registeredAt: ago(20) });
  buildNote(em, { case: caseA, author: workerA });
  hA2 = buildHousehold(em, { team: tA, postcode: '3911AB', members: 1, bsnKey: key }).household;
  refOwn = buildReferral(em, { from: gp, team: tA, status: ReferralStatus.RECEIVED, subjectPostcode: '3911ZZ' });

  const b = buildHousehold(em, {
    team: tB, street: B.street, houseNumber: B.house, postcode: B.postcode, bsnKey: key,
    members: [{ givenName: B.given, familyName: B.family, birthDate: B.birth, bsn: BSN_B }],
  });
  hB = b.household;
  rB = b.head;
  caseB = buildCase(em, { household: hB, status: CaseStatus.ACTIVE, coordinator: workerB, registeredAt: ago(10) });
  const b2 = buildHousehold(em, { team: tB, postcode: '3912AE', bsnKey: key, members: [{ givenName: 'Bertha', familyName: 'Tweedebee', birthDate: '1955-05-05', bsn: BSN_B2 }] });
  rB2 = b2.head;
  buildCase(em, { household: b2.household, status: CaseStatus.ACTIVE, coordinator: workerB });
  const bClosed = buildHousehold(em, { team: tB, postcode: '3912AC', members: 1, bsnKey: key });
  caseBclosed = buildCase(em, { household: bClosed.household, status: CaseStatus.CLOSED, registeredAt: ago(300), latest: ago(100) });
  const bAnon = buildHousehold(em, { team: tB, postcode: '3912AD', members: 1, bsnKey: key });
  rBanon = bAnon.head;
  buildCase(em, { household: bAnon.household, status: CaseStatus.ACTIVE, coordinator: workerB });
  // A household team B took on outside every team's areas (registered with a teamId override).
  buildHousehold(em, {
    team: tB, postcode: OUT.postcode, houseNumber: OUT.house, houseNumberAddition: null, bsnKey: key,
    members: [{ givenName: OUT.given, familyName: OUT.family, birthDate: OUT.birth, bsn: BSN_OUT }],
  });

  const c = buildHousehold(em, { team: tC, postcode: '3913AA', members: 1, bsnKey: key });
  caseC = buildCase(em, { household: c.household, status: CaseStatus.ACTIVE, coordinator: workerC });
  hC2 = buildHousehold(em, { team: tC, postcode: '3913AB', members: 1, bsnKey: key }).household;
  const c3 = buildHousehold(em, { team: tC, postcode: '3913AC', members: 1, bsnKey: key });
  caseC3 = buildCase(em, { household: c3.household, status: CaseStatus.ACTIVE, coordinator: workerC });
  const c4 = buildHousehold(em, { team: tC, postcode: '3913AD', members: 1, bsnKey: key });
  caseC4 = buildCase(em, { household: c4.household, status: CaseStatus.ACTIVE, coordinator: workerC });

  // Unmatched referrals routed to team A's inbox (postcode of A), about people team C knows.
  R1 = buildReferral(em, { from: gp, team: tA, status: ReferralStatus.RECEIVED, subjectPostcode: '3911XA' });
  R2 = buildReferral(em, { from: gp, team: tA, status: ReferralStatus.RECEIVED, subjectPostcode: '3911XB' });
  R3 = buildReferral(em, { from: gp, team: tA, status: ReferralStatus.RECEIVED, subjectPostcode: '3911XC' });
  R4 = buildReferral(em, { from: gp, team: tA, status: ReferralStatus.RECEIVED, subjectPostcode: '3911XD' });

  volY = buildVolunteer(em, { organisation: careY, email: `vera.ander.${Date.now()}@example.test`, givenName: 'Vera' });
  await em.flush();
  await q(`update resident set given_name = 'Geanonimiseerd', family_name = 'Geanonimiseerd', phone = null, bsn_hash = null, bsn_encrypted = null, bsn_last4 = null, anonymised_at = now() where id = ?`, [rBanon.id]);

  for (const [name, p] of Object.entries({ workerA, leadA, workerB, workerAC, workerC, flex, ambX, gp, corp })) T[name] = await hub.tokenFor(p);
});

afterAll(async () => {
  await hub?.stop();
});

// ---------------------------------------------------------------------------------------------

describe('registerHousehold / correctResident and another team’s BSN or address', () => {
  const REG = `mutation($i: RegisterHouseholdInput!) { registerHousehold(input: $i) { id team { id } members { id bsnLast4 } } }`;
  const input = (bsn: string, street: string, house: string, postcode: string, teamId?: string) => ({
    i: {
      ...(teamId ? { teamId } : {}),
      address: { street, houseNumber: house, postcode, city: 'Utrecht' },
      members: [{ givenName: 'Proef', familyName: 'Dubbelganger', birthDate: '1980-04-12', relation: 'HEAD', bsn }],
    },
  });

  it('SC1: a BSN and the exact address of team B’s resident register like a fresh BSN and address (no CONFLICT, no duplicate oracle); B unchanged', async () => {
    const before = await q(`select id, given_name, family_name, bsn_hash, household_id, team_id from resident where id = ?`, [rB.id]);
    const known = await hub.gql(REG, input(BSN_B, B.street, B.house, B.postcode, tA.id), T.workerA);
    const fresh = await hub.gql(REG, input(BSN_FRESH[0]!, 'Verzonnenlaan', '12', '3912QY', tA.id), T.workerA);
    expect(known.errors, JSON.stringify(known.errors)).toBeUndefined();
    expect(fresh.errors, JSON.stringify(fresh.errors)).toBeUndefined();
    expect(known.status).toBe(fresh.status);
    expect(known.raw).not.toContain(rB.id);
    expect(known.raw).not.toContain(hB.id);
    // Without the override the postcode of B is refused the same way, known address or not.
    const knownNoOverride = await hub.gql(REG, input(BSN_FRESH[1]!, B.street, B.house, B.postcode), T.workerA);
    const freshNoOverride = await hub.gql(REG, input(BSN_FRESH[2]!, 'Verzonnenlaan', '13', '3912QZ'), T.workerA);
    expect(code(knownNoOverride)).toBe('FORBIDDEN');
    expect(shape(knownNoOverride, B.postcode.slice(0, 4))).toEqual(shape(freshNoOverride, '3912'));
    expect(await q(`select id, given_name, family_name, bsn_hash, household_id, team_id from resident where id = ?`, [rB.id])).toEqual(before);
  });

  it('SC2: correcting an own resident’s BSN to team B’s resident’s BSN answers like a fresh BSN', async () => {
    const CORR = `mutation($i: CorrectResidentInput!) { correctResident(input: $i) { id bsnLast4 } }`;
    const known = await hub.gql(CORR, { i: { residentId: rA.id, bsn: BSN_B } }, T.workerA);
    const fresh = await hub.gql(CORR, { i: { residentId: rA.id, bsn: BSN_FRESH[3]! } }, T.workerA);
    expect(known.errors, JSON.stringify(known.errors)).toBeUndefined();
    expect(fresh.errors, JSON.stringify(fresh.errors)).toBeUndefined();
  });
});

describe('ids of another type, of an erased resident, of another team: one answer', () => {
  const READS: Array<{ name: string; query: string }> = [
    { name: 'household', query: `query($id: ID!) { household(id: $id) { id } }` },
    { name: 'case', query: `query($id: ID!) { case(id: $id) { id } }` },
    { name: 'referral', query: `query($id: ID!) { referral(id: $id) { id status } }` },
    { name: 'accessReport', query: `query($id: ID!) { accessReport(residentId: $id) { entries { action } } }` },
  ];

  it('SC3: an own id of another type (a case id as household, a household id as case/referral/resident) answers exactly like a random uuid', async () => {
    const own = [caseA.id, hA.id, rA.id, refOwn.id];
    for (const r of READS) {
      const random = randomUUID();
      const missing = await hub.gql(r.query, { id: random }, T.workerA);
      expect(code(missing), r.name).toBe('NOT_FOUND');
      for (const id of own) {
        const typeMatches = (r.name === 'household' && id === hA.id) || (r.name === 'case' && id === caseA.id)
          || (r.name === 'referral' && id === refOwn.id) || (r.name === 'accessReport' && id === rA.id);
        if (typeMatches) continue;
        const other = await hub.gql(r.query, { id }, T.workerA);
        expect(shape(other, id), `${r.name}(${id})`).toEqual(shape(missing, random));
      }
    }
  });

  it('SC4: team B’s anonymised resident: correctResident / recordConsent / accessReport / eraseResident answer NOT_FOUND like a random id (not the CONFLICT of "anonymised")', async () => {
    const ops: Array<{ name: string; query: string; vars: (id: string) => Record<string, unknown>; who: string }> = [
      { name: 'correctResident', who: 'workerA', query: `mutation($i: CorrectResidentInput!) { correctResident(input: $i) { id } }`, vars: (id) => ({ i: { residentId: id, phone: '0612345678' } }) },
      { name: 'recordConsent', who: 'workerA', query: `mutation($i: RecordConsentInput!) { recordConsent(input: $i) { id } }`, vars: (id) => ({ i: { residentId: id, recipientId: gp.id, purpose: 'GP_TANDEM' } }) },
      { name: 'accessReport', who: 'workerA', query: `query($id: ID!) { accessReport(residentId: $id) { entries { action } } }`, vars: (id) => ({ id }) },
      { name: 'eraseResident', who: 'leadA', query: `mutation($id: ID!) { eraseResident(residentId: $id) { outcome reason } }`, vars: (id) => ({ id }) },
    ];
    for (const op of ops) {
      const random = randomUUID();
      const anon = await hub.gql(op.query, op.vars(rBanon.id), T[op.who]);
      const missing = await hub.gql(op.query, op.vars(random), T[op.who]);
      expect(code(anon), op.name).toBe('NOT_FOUND');
      expect(shape(anon, rBanon.id), op.name).toEqual(shape(missing, random));
    }
    const [row] = await q<{ n: string }>(`select count(*) as n from consent where resident_id = ?`, [rBanon.id]);
    expect(Number(row!.n)).toBe(0);
  });

  it('SC5: DENIED rows of A’s attempts on B carry no household, so no access report shows them; A’s own report holds no B id', async () => {
    const [{ max }] = await q<{ max: string }>('select coalesce(max(id), 0) as max from access_log');
    await hub.gql(`query($id: ID!) { case(id: $id) { id } }`, { id: caseB.id }, T.workerA);
    await hub.gql(`mutation($i: AddCaseNoteInput!) { addCaseNote(input: $i) { id } }`, { i: { caseId: caseB.id, body: 'probe' } }, T.workerA);
    const rows = await q<{ action: string; household_id: string | null; object_id: string | null }>(
      'select action, household_id, object_id from access_log where id > ? order by id', [max]);
    const denied = rows.filter((r) => r.action === 'DENIED');
    expect(denied.length).toBeGreaterThan(0);
    for (const r of denied) expect(r.household_id).toBeNull();
    const report = await hub.gql(`query($id: ID!) { accessReport(residentId: $id) { entries { at action objectType purpose actor { name role organisation } } } }`, { id: rA.id }, T.workerA);
    expect(report.errors).toBeUndefined();
    expect(report.raw).not.toContain(caseB.id);
    expect(report.raw).not.toContain(hB.id);
    expect(report.data!.accessReport.entries.some((e: { action: string }) => e.action === 'DENIED')).toBe(false);
  });
});

describe('cursors, totalCount, filters', () => {
  it('SC6: every cursor a worker of A, a GP and an ambassador get decodes to [timestamp, id] of a row they may see — never another team’s', async () => {
    const cases = await hub.gql(`query { cases(first: 1) { totalCount pageInfo { endCursor hasNextPage } edges { cursor node { id registeredAt notes(first: 1) { pageInfo { endCursor } edges { cursor node { id } } } } } } }`, {}, T.workerA);
    expect(cases.errors).toBeUndefined();
    const ownCaseIds = new Set((await q<{ id: string }>('select id from "case" where team_id = ?', [tA.id])).map((r) => r.id));
    for (const e of cases.data!.cases.edges) {
      const [at, id] = decode(e.cursor) as [string, string];
      expect(ownCaseIds.has(id)).toBe(true);
      expect(new Date(at).toISOString()).toBe(new Date(e.node.registeredAt).toISOString());
      for (const n of e.node.notes.edges) expect((decode(n.cursor) as [string, string])[1]).toBe(n.node.id);
    }
    const refs = await hub.gql(`query { referrals(first: 100) { edges { cursor node { id } } } }`, {}, T.workerA);
    for (const e of refs.data!.referrals.edges) expect((decode(e.cursor) as [string, string])[1]).toBe(e.node.id);
    const gpRefs = await hub.gql(`query { referrals(first: 100) { totalCount edges { cursor node { id } } } }`, {}, T.gp);
    expect(gpRefs.errors).toBeUndefined();
    const sent = new Set((await q<{ id: string }>('select id from referral where from_id = ?', [gp.id])).map((r) => r.id));
    for (const e of gpRefs.data!.referrals.edges) {
      expect(sent.has((decode(e.cursor) as [string, string])[1])).toBe(true);
    }
  });

  it('SC7: referrals/cases/teamMembers filtered by team B answer exactly like a filter by a random team id (worker A), and a GP’s teamId filter is refused the same for both', async () => {
    const queries = [
      `query($t: ID!) { referrals(filter: { teamId: $t }) { totalCount } }`,
      `query($t: ID!) { cases(filter: { teamId: $t }) { totalCount } }`,
      `query($t: ID!) { teamMembers(teamId: $t) { id } }`,
    ];
    for (const text of queries) {
      const random = randomUUID();
      const b = await hub.gql(text, { t: tB.id }, T.workerA);
      const r = await hub.gql(text, { t: random }, T.workerA);
      expect(code(b)).toBeDefined();
      expect(shape(b, tB.id)).toEqual(shape(r, random));
    }
    const random = randomUUID();
    const b = await hub.gql(queries[0]!, { t: tB.id }, T.gp);
    const r = await hub.gql(queries[0]!, { t: random }, T.gp);
    expect(shape(b, tB.id)).toEqual(shape(r, random));
  });
});

describe('assignFlexWorker by a lead of A on team B’s case', () => {
  const ASSIGN = `mutation($i: AssignFlexWorkerInput!) { assignFlexWorker(input: $i) { id until } }`;
  const vars = (caseId: string) => ({ i: { staffId: flex.id, caseId, until: '2099-12-31' } });

  it('SC8: B’s open case, B’s closed case and a random id answer the same NOT_FOUND; no assignment is made', async () => {
    const random = randomUUID();
    const open = await hub.gql(ASSIGN, vars(caseB.id), T.leadA);
    const closed = await hub.gql(ASSIGN, vars(caseBclosed.id), T.leadA);
    const missing = await hub.gql(ASSIGN, vars(random), T.leadA);
    expect(code(open)).toBe('NOT_FOUND');
    expect(shape(open, caseB.id)).toEqual(shape(missing, random));
    expect(shape(closed, caseBclosed.id)).toEqual(shape(missing, random));
    const [row] = await q<{ n: string }>('select count(*) as n from flex_assignment where case_id in (?, ?)', [caseB.id, caseBclosed.id]);
    expect(Number(row!.n)).toBe(0);
  });

  it('SC9: the lookup does not touch B’s case row: while B holds a lock on it (an edit in flight), A’s refusal is not delayed (a wait would tell the id exists)', async () => {
    const knex = hub.em().getConnection().getKnex();
    const trx = await knex.transaction();
    try {
      await trx.raw('select 1 from "case" where id = ? for update', [caseB.id]);
      const started = Date.now();
      let settledAt: number | null = null;
      const pending = hub.gql(ASSIGN, vars(caseB.id), T.leadA).then((r) => { settledAt = Date.now(); return r; });
      const randomStarted = Date.now();
      const missing = await hub.gql(ASSIGN, vars(randomUUID()), T.leadA);
      const randomMs = Date.now() - randomStarted;
      await new Promise((r) => setTimeout(r, 1500));
      const waitedMs = settledAt === null ? null : settledAt - started;
      await trx.commit();
      const res = await pending;
      expect(code(missing)).toBe('NOT_FOUND');
      expect(code(res)).toBe('NOT_FOUND');
      // Answered while the lock was still held, like the random id (randomMs for scale).
      expect(waitedMs, `B's id: still waiting after 1.5 s (random id: ${randomMs} ms)`).not.toBeNull();
    } finally {
      if (!trx.isCompleted()) await trx.rollback();
    }
  });
});

describe('referrals a worker of A and C links to team C’s case or household', () => {
  const TRIAGE = `mutation($i: TriageReferralInput!) { triageReferral(input: $i) { id status } }`;
  const READ = `query($id: ID!) { referral(id: $id) { id status household { id } case { id } } }`;

  it('(control) before any link, the A-only worker sees R1 in the inbox', async () => {
    const res = await hub.gql(READ, { id: R1.id }, T.workerA);
    expect(res.errors).toBeUndefined();
    expect(res.data!.referral.status).toBe('RECEIVED');
  });

  it('SC10: once linked to C’s case and IN_CARE, R1 is no longer readable by the A-only worker (it would say "team C has this person in care")', async () => {
    const t1 = await hub.gql(TRIAGE, { i: { referralId: R1.id, status: 'TRIAGED', caseId: caseC.id } }, T.workerAC);
    expect(t1.errors, JSON.stringify(t1.errors)).toBeUndefined();
    const t2 = await hub.gql(TRIAGE, { i: { referralId: R1.id, status: 'IN_CARE' } }, T.workerAC);
    expect(t2.errors, JSON.stringify(t2.errors)).toBeUndefined();
    const random = randomUUID();
    const seen = await hub.gql(READ, { id: R1.id }, T.workerA);
    const missing = await hub.gql(READ, { id: random }, T.workerA);
    expect(shape(seen, R1.id), `A-only worker reads: ${seen.raw}`).toEqual(shape(missing, random));
  });

  it('SC11: … and team C, whose case it now is, sees it on its case (case.referral) and in its inbox', async () => {
    const res = await hub.gql(`query($id: ID!) { case(id: $id) { id referral { id status } } }`, { id: caseC.id }, T.workerC);
    expect(res.errors).toBeUndefined();
    expect(res.data!.case.referral?.id ?? null, 'C-only worker: case.referral').toBe(R1.id);
    const inbox = await hub.gql(`query { referrals(first: 100) { edges { node { id } } } }`, {}, T.workerC);
    expect(inbox.data!.referrals.edges.map((e: { node: { id: string } }) => e.node.id)).toContain(R1.id);
  });

  it('SC12: the A-only worker cannot move a referral linked to C’s case, nor learn from IN_CARE whether C’s case is closed', async () => {
    for (const [r, c] of [[R3, caseC3], [R4, caseC4]] as const) {
      const res = await hub.gql(TRIAGE, { i: { referralId: r.id, status: 'TRIAGED', caseId: c.id } }, T.workerAC);
      expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    }
    await q(`update "case" set status = 'CLOSED', closed_at = now(), closure_reason = 'AS_PLANNED' where id = ?`, [caseC3.id]);
    const closedSide = await hub.gql(TRIAGE, { i: { referralId: R3.id, status: 'IN_CARE' } }, T.workerA);
    const openSide = await hub.gql(TRIAGE, { i: { referralId: R4.id, status: 'IN_CARE' } }, T.workerA);
    const random = randomUUID();
    const missing = await hub.gql(TRIAGE, { i: { referralId: random, status: 'IN_CARE' } }, T.workerA);
    const statuses = await q<{ id: string; status: string }>('select id, status from referral where id in (?, ?)', [R3.id, R4.id]);
    expect({ closed: [code(closedSide), msg(closedSide)], open: [code(openSide), msg(openSide)] }, JSON.stringify(statuses))
      .toEqual({ closed: [code(missing), msg(missing)], open: [code(missing), msg(missing)] });
    expect(statuses.find((s) => s.id === R4.id)!.status).toBe('TRIAGED');
  });

  it('SC13: openCase (A and C worker) for C’s household with a referral of A’s inbox: afterwards the A-only worker can neither read it nor get a CONFLICT for it', async () => {
    const open = await hub.gql(`mutation($i: OpenCaseInput!) { openCase(input: $i) { id team { id } } }`,
      { i: { householdId: hC2.id, referralSource: 'GP', reason: 'Probe C', referralId: R2.id } }, T.workerAC);
    expect(open.errors, JSON.stringify(open.errors)).toBeUndefined();
    expect(open.data!.openCase.team.id).toBe(tC.id);
    const random = randomUUID();
    const read = await hub.gql(READ, { id: R2.id }, T.workerA);
    const readMissing = await hub.gql(READ, { id: random }, T.workerA);
    const OPEN = `mutation($i: OpenCaseInput!) { openCase(input: $i) { id } }`;
    const withR2 = await hub.gql(OPEN, { i: { householdId: hA2.id, referralSource: 'GP', reason: 'Probe A', referralId: R2.id } }, T.workerA);
    const withRandom = await hub.gql(OPEN, { i: { householdId: hA2.id, referralSource: 'GP', reason: 'Probe A', referralId: random } }, T.workerA);
    expect({ read: shape(read, R2.id), open: [code(withR2), msg(withR2)] }, `read: ${read.raw} / openCase: ${withR2.raw}`)
      .toEqual({ read: shape(readMissing, random), open: [code(withRandom), msg(withRandom)] });
    const [row] = await q<{ n: string }>(`select count(*) as n from "case" where household_id = ?`, [hA2.id]);
    expect(Number(row!.n)).toBe(0);
  });
});

describe('partners: a known person answers like an unknown one', () => {
  const SUBMIT = `mutation($i: SubmitReferralInput!) { submitReferral(input: $i) { id externalId kind status receivedAt updatedAt contactPerson { name phone } } }`;
  const SUBMIT_CORP = `mutation($i: SubmitReferralInput!) { submitReferral(input: $i) { id externalId kind status receivedAt updatedAt } }`;
  const gpInput = (externalId: string, subject: Record<string, unknown>) => ({
    i: { externalId, kind: 'GP_REFERRAL', consentObtained: true, reason: 'Eenzaamheid (proef).', subject },
  });
  const corpInput = (externalId: string, subject: Record<string, unknown>) => ({
    i: { externalId, kind: 'ARREARS_SIGNAL', consentObtained: false, arrears: { amount: 450, since: '2025-01-01' }, subject },
  });
  const strip = (res: GqlResponse, key: string) => {
    const r = { ...(res.data?.[key] ?? {}) } as Record<string, unknown>;
    delete r.id; delete r.externalId; delete r.receivedAt; delete r.updatedAt;
    return { status: res.status, errors: res.errors?.map((e) => [e.extensions?.code, e.message]), data: r };
  };

  it('SC14: GP and corporation: a subject matched by BSN to team B’s resident (with an open case) answers exactly like an unknown BSN, now and on a later read', async () => {
    const known = await hub.gql(SUBMIT, gpInput('SR-SC-KNOWN', { givenName: 'Iemand', familyName: 'Anders', birthDate: '1980-04-12', postcode: '3911AC', houseNumber: '3', bsn: BSN_B2 }), T.gp);
    const unknown = await hub.gql(SUBMIT, gpInput('SR-SC-UNKNOWN', { givenName: 'Iemand', familyName: 'Anders', birthDate: '1980-04-12', postcode: '3911AC', houseNumber: '3', bsn: BSN_FRESH[4]! }), T.gp);
    expect(known.errors).toBeUndefined();
    expect(strip(known, 'submitReferral')).toEqual(strip(unknown, 'submitReferral'));
    const [k] = await q<{ resident_id: string | null; team_id: string; case_id: string | null }>('select resident_id, team_id, case_id from referral where id = ?', [known.data!.submitReferral.id]);
    expect(k!.resident_id, 'the probe bites: the known BSN was matched').toBe(rB2.id);
    const READ = `query($id: ID!) { referral(id: $id) { id status receivedAt updatedAt contactPerson { name phone } } }`;
    const kr = await hub.gql(READ, { id: known.data!.submitReferral.id }, T.gp);
    const ur = await hub.gql(READ, { id: unknown.data!.submitReferral.id }, T.gp);
    expect(strip(kr, 'referral')).toEqual(strip(ur, 'referral'));

    const cKnown = await hub.gql(SUBMIT_CORP, corpInput('VS-SC-KNOWN', { givenName: B.given, familyName: B.family, birthDate: B.birth, postcode: B.postcode, houseNumber: B.house }), T.corp);
    const cUnknown = await hub.gql(SUBMIT_CORP, corpInput('VS-SC-UNKNOWN', { givenName: 'Niemand', familyName: 'Bekend', birthDate: B.birth, postcode: '3912QW', houseNumber: '78' }), T.corp);
    expect(cKnown.errors).toBeUndefined();
    expect(strip(cKnown, 'submitReferral')).toEqual(strip(cUnknown, 'submitReferral'));
  });

  it('SC17: after team A registered (SC1) and corrected (SC2) residents with team B’s resident’s BSN, a GP referral with that BSN still reaches B’s resident — not team A’s inbox, unmatched', async () => {
    const [dups] = await q<{ n: string }>(`select count(*) as n from resident where bsn_hash = (select bsn_hash from resident where id = ?)`, [rB.id]);
    expect(Number(dups!.n), 'precondition: SC1/SC2 made duplicates').toBeGreaterThan(1);
    const res = await hub.gql(SUBMIT, gpInput('SR-SC-DUP', { givenName: 'Zwaan', familyName: 'Bzzlaar-Verhuisd', birthDate: B.birth, postcode: '3911AF', houseNumber: '9', bsn: BSN_B }), T.gp);
    expect(res.errors).toBeUndefined();
    const [row] = await q<{ resident_id: string | null; team_id: string }>('select resident_id, team_id from referral where id = ?', [res.data!.submitReferral.id]);
    const inboxA = await hub.gql(`query { referrals(first: 100) { edges { node { id subject { familyName } } } } }`, {}, T.workerA);
    const inA = inboxA.data!.referrals.edges.some((e: { node: { id: string } }) => e.node.id === res.data!.submitReferral.id);
    expect({ resident: row!.resident_id, team: row!.team_id, inTeamAInbox: inA }).toEqual({ resident: rB.id, team: tB.id, inTeamAInbox: false });
  });

  it('SC15: GP: a person at a postcode no team covers is refused the same whether or not a team knows them there (no "is a client" oracle for whoever knows name, birth date and address)', async () => {
    const subject = { givenName: OUT.given, familyName: OUT.family, birthDate: OUT.birth, postcode: OUT.postcode, houseNumber: OUT.house };
    const known = await hub.gql(SUBMIT, gpInput('SR-SC-OUT-1', subject), T.gp);
    const unknown = await hub.gql(SUBMIT, gpInput('SR-SC-OUT-2', { ...subject, givenName: 'Onbekend', familyName: 'Persoon' }), T.gp);
    const knownBsn = await hub.gql(SUBMIT, gpInput('SR-SC-OUT-3', { ...subject, givenName: 'X', familyName: 'Y', bsn: BSN_OUT }), T.gp);
    expect(code(unknown)).toBe('BAD_USER_INPUT');
    expect({ byName: strip(known, 'submitReferral'), byBsn: strip(knownBsn, 'submitReferral') }, `known: ${known.raw}`)
      .toEqual({ byName: strip(unknown, 'submitReferral'), byBsn: strip(unknown, 'submitReferral') });
  });
});

describe('informal care: another organisation’s volunteer', () => {
  it('SC16: an ambassador registering a volunteer with the email of another organisation’s volunteer answers like a fresh email', async () => {
    const REG = `mutation($i: RegisterVolunteerInput!) { registerVolunteer(input: $i) { id givenName } }`;
    const input = (email: string) => ({
      i: { organisationId: careX.id, givenName: 'Proef', familyName: 'Vrijwilliger', email, postcode: '3911AA', skills: ['shopping'], languages: ['Dutch'], availability: [], maxMatches: 1 },
    });
    const foreign = await hub.gql(REG, input(volY.email), T.ambX);
    const fresh = await hub.gql(REG, input(`proef.${Date.now()}@example.test`), T.ambX);
    expect(fresh.errors).toBeUndefined();
    expect([code(foreign), msg(foreign)], `another organisation's volunteer email: ${foreign.raw}`).toEqual([code(fresh), msg(fresh)]);
  });
});
