/**
 * Adversarial review probes: residents' rights (erasure, correction), consent and the audit
 * trail (DESIGN.md section 2). Every probe asserts the SAFE behaviour; a failing probe is a
 * leak or a rule violation.
 *
 * Residents:
 *  - R1: open case (must be kept) → erasure anonymises. GP referral (subject with BSN and
 *    phone), GP_TANDEM consent, informal-care request with an ACTIVE volunteer match.
 *  - R2: only a case closed 16 years ago → erasure deletes. A GP referral about them.
 *  - R3: corrected (names, phone), then erased.
 *  - R4: erased twice, corrected after erasure.
 *  - R5: consent and audit probes.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestHub, type GqlResponse, type TestHub } from '../helpers/app.js';
import {
  buildCase,
  buildConsent,
  buildFlexAssignment,
  buildHousehold,
  buildNote,
  buildOrganisation,
  buildReferral,
  buildStaff,
  buildTeam,
} from '../../seeds/factories.js';
import { CaseStatus, ConsentPurpose, InformalCareRequestStatus, MatchStatus, OrganisationKind, ReferralStatus, Role } from '../../src/modules/common/enums.js';
import { hashBsn, makeBsn } from '../../src/modules/household/bsn.js';
import { logger } from '../../src/logger.js';
import { Volunteer } from '../../src/modules/informal-care/volunteer.entity.js';
import { InformalCareRequest, VolunteerMatch } from '../../src/modules/informal-care/informal-care.entity.js';
import { Resident } from '../../src/modules/household/resident.entity.js';
import { Case } from '../../src/modules/case/case.entity.js';
import type { Team } from '../../src/modules/team/team.entity.js';
import type { Staff } from '../../src/modules/staff/staff.entity.js';
import type { Organisation } from '../../src/modules/organisation/organisation.entity.js';
import type { Household } from '../../src/modules/household/household.entity.js';
import type { Referral } from '../../src/modules/referral/referral.entity.js';
import type { Consent } from '../../src/modules/consent/consent.entity.js';

// --- everything written to the logs during this file -------------------------------------------
const logLines: string[] = [];
for (const level of ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const) {
  vi.spyOn(logger, level).mockImplementation(((...args: unknown[]) => {
    logLines.push(args.map((a) => (a instanceof Error ? `${a.name}: ${a.message}` : typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
  }) as never);
}

const YEAR = 365.25 * 86_400_000;
const R1 = { givenName: 'Wilhelmientje', familyName: 'Erasmusvlied', birthDate: '1951-06-17', bsn: makeBsn(4242421), phone: '06-42424242' };
const R1_STREET = 'Vergeetmenietsteeg';
const R1_POSTCODE = '3561KK';
const R2 = { givenName: 'Gijsbertha', familyName: 'Oudedossierveld', birthDate: '1940-02-03', bsn: makeBsn(2424241), phone: '06-24242424' };
const R2_STREET = 'Bewaartermijnlaan';
const R2_POSTCODE = '3561LL';
const R3 = { givenName: 'Fennetje', familyName: 'Verkeerdgespeld', birthDate: '1977-07-07', bsn: null, phone: '06-37373737' };
const R3_NEW = { familyName: 'Juistgespelde', phone: '06-73737373' };
const R3_STREET = 'Correctiekade';
const R4 = { givenName: 'Dubbeltje', familyName: 'Tweemaalwis', birthDate: '1966-06-06', bsn: null, phone: '06-46464646' };
const R5 = { givenName: 'Consentina', familyName: 'Toestemmingh', birthDate: '1959-09-09', bsn: null, phone: '06-59595959' };
const NOTE_R5 = 'R5-NOTE-BODY-zorgen-over-huur';
const NOTE_R2 = 'R2-OLD-CASE-NOTE-schuldhulp-2010';
const R6 = { givenName: 'Veertienja', familyName: 'Bewaarplichtig', birthDate: '1945-05-05', bsn: null, phone: '06-61616161' };

let hub: TestHub;
let team: Team, other: Team, flexTeam: Team;
let worker: Staff, lead: Staff, otherWorker: Staff, otherLead: Staff, flex: Staff, admin: Staff, ambassador: Staff;
let gp: Organisation, corp: Organisation, careOrg: Organisation;
let r1: Resident, r2: Resident, r3: Resident, r4: Resident, r5: Resident, r6: Resident;
let h1: Household, h2: Household, h3: Household, h5: Household;
let case1: Case, case5: Case;
let ref1: Referral, ref2: Referral;
let consent1gp: Consent;
let icr1: InformalCareRequest, match1: VolunteerMatch;
let volunteer: Volunteer;
const T: Record<string, string> = {};

const code = (res: GqlResponse) => res.errors?.[0]?.extensions?.code;
const ERASE = 'mutation($id: ID!) { eraseResident(residentId: $id) { residentId outcome reason } }';
const CORRECT = 'mutation($i: CorrectResidentInput!) { correctResident(input: $i) { id givenName familyName phone birthDate anonymisedAt } }';
const RECORD = 'mutation($i: RecordConsentInput!) { recordConsent(input: $i) { id revokedAt recipient { id } } }';
const REVOKE = 'mutation($id: ID!) { revokeConsent(id: $id) { id revokedAt } }';
const REPORT = `query($id: ID!) { accessReport(residentId: $id) {
  resident { id } entries { at action objectType purpose actor { name role organisation } } disclosures { at purpose what recipient { id } } } }`;

/** A GraphQL request with extra headers (X-Request-Id, X-Purpose). */
async function gqlWith(query: string, variables: Record<string, unknown>, token: string, headers: Record<string, string>) {
  const res = await fetch(hub.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, ...headers },
    body: JSON.stringify({ query, variables }),
  });
  const raw = await res.text();
  const body = JSON.parse(raw) as { data?: any; errors?: GqlResponse['errors'] };
  return { status: res.status, data: body.data, errors: body.errors, raw } as GqlResponse;
}

async function q<R = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<R[]> {
  return hub.em().getConnection().execute<R[]>(sql, params);
}

/** Every row of every table, as text, that contains one of `markers`: "table: marker". */
async function scanDatabase(markers: string[], skipTables: string[] = []): Promise<string[]> {
  const tables = await q<{ table_name: string }>(
    `select table_name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'
     and table_name not like 'mikro_orm%'`,
  );
  const hits: string[] = [];
  for (const { table_name } of tables) {
    if (skipTables.includes(table_name)) continue;
    const rows = await q<{ j: string }>(`select row_to_json(x)::text as j from "${table_name}" x`);
    for (const { j } of rows) {
      for (const m of markers) if (j.toLowerCase().includes(m.toLowerCase())) hits.push(`${table_name}: ${m}`);
    }
  }
  return [...new Set(hits)];
}

beforeAll(async () => {
  hub = await startTestHub();
  const em = hub.em();
  const key = hub.config.BSN_KEY;
  team = buildTeam(em, { postcodes: ['3561'] });
  other = buildTeam(em, { postcodes: ['3562'] });
  flexTeam = buildTeam(em, { isFlex: true, postcodes: [] });
  worker = buildStaff(em, { role: Role.TEAM_WORKER, teams: [team] });
  lead = buildStaff(em, { role: Role.TEAM_LEAD, teams: [team] });
  otherWorker = buildStaff(em, { role: Role.TEAM_WORKER, teams: [other] });
  otherLead = buildStaff(em, { role: Role.TEAM_LEAD, teams: [other] });
  flex = buildStaff(em, { role: Role.FLEX_WORKER, teams: [flexTeam] });
  admin = buildStaff(em, { role: Role.ADMIN });
  gp = buildOrganisation(em, { kind: OrganisationKind.GP_PRACTICE, agbCode: '01424242' });
  corp = buildOrganisation(em, { kind: OrganisationKind.HOUSING_CORPORATION });
  careOrg = buildOrganisation(em, { kind: OrganisationKind.INFORMAL_CARE });
  ambassador = buildStaff(em, { role: Role.AMBASSADOR, teams: [team], organisation: careOrg });

  // R1: an open case, so erasure must anonymise.
  const b1 = buildHousehold(em, { team, street: R1_STREET, houseNumber: '17', postcode: R1_POSTCODE, members: [R1], bsnKey: key });
  h1 = b1.household;
  r1 = b1.head;
  case1 = buildCase(em, { household: h1, status: CaseStatus.ACTIVE, coordinator: worker });
  buildNote(em, { case: case1, author: worker, body: 'Gesprek gevoerd over de administratie.' });
  ref1 = buildReferral(em, { from: gp, resident: r1, case: case1, status: ReferralStatus.IN_CARE, subjectBsn: R1.bsn, bsnKey: key });
  ref1.subjectBsnHash = hashBsn(R1.bsn, key);
  consent1gp = buildConsent(em, { resident: r1, recipient: gp, recordedBy: worker, purpose: ConsentPurpose.GP_TANDEM });
  buildConsent(em, { resident: r1, recipient: careOrg, recordedBy: worker, purpose: ConsentPurpose.INFORMAL_CARE });
  volunteer = em.create(Volunteer, {
    organisation: careOrg, givenName: 'Vrijwilligaard', familyName: 'Helpendehand', email: `vh.${randomUUID()}@example.test`,
    phone: '06-11110000', postcode: '3561ZZ', skills: ['shopping'], languages: ['Dutch'], availability: [], maxMatches: 3,
    vogIssuedAt: new Date(Date.now() - 100 * 86_400_000).toISOString().slice(0, 10),
  });
  icr1 = em.create(InformalCareRequest, {
    case: case1, resident: r1, team, needs: ['shopping'], languages: ['Dutch'], availability: [], note: 'Hulp bij boodschappen.',
    postcode4: '3561', requestedBy: worker, status: InformalCareRequestStatus.MATCHED,
  });
  match1 = em.create(VolunteerMatch, {
    request: icr1, volunteer, team, status: MatchStatus.ACTIVE, task: 'Boodschappen',
    proposedAt: new Date(Date.now() - 40 * 86_400_000), respondedAt: new Date(Date.now() - 39 * 86_400_000), startedAt: new Date(Date.now() - 30 * 86_400_000),
  });
  buildFlexAssignment(em, { staff: flex, case: case1, assignedBy: lead, until: new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10) });

  // R2: one case, closed 16 years ago: no retention left, so erasure deletes.
  const b2 = buildHousehold(em, { team, street: R2_STREET, houseNumber: '99', postcode: R2_POSTCODE, members: [R2], bsnKey: key });
  h2 = b2.household;
  r2 = b2.head;
  const closedAt = new Date(Date.now() - 16 * YEAR);
  const old = buildCase(em, { household: h2, status: CaseStatus.CLOSED, registeredAt: new Date(closedAt.getTime() - YEAR / 2), latest: closedAt });
  buildNote(em, { case: old, author: worker, body: NOTE_R2, createdAt: new Date(closedAt.getTime() - 86_400_000) });
  ref2 = buildReferral(em, { from: gp, resident: r2, case: old, status: ReferralStatus.CLOSED, subjectBsn: R2.bsn, bsnKey: key });
  ref2.subjectBsnHash = hashBsn(R2.bsn, key);

  // R3 and R4: open cases (anonymising path).
  const b3 = buildHousehold(em, { team, street: R3_STREET, postcode: '3561MM', members: [R3], bsnKey: key });
  h3 = b3.household;
  r3 = b3.head;
  buildCase(em, { household: h3, status: CaseStatus.ACTIVE, coordinator: worker });
  const b4 = buildHousehold(em, { team, postcode: '3561NN', members: [R4], bsnKey: key });
  r4 = b4.head;
  buildCase(em, { household: b4.household, status: CaseStatus.ACTIVE, coordinator: worker });

  // R6: one case, closed 14 years ago: still within retention.
  const b6 = buildHousehold(em, { team, postcode: '3561RR', members: [R6], bsnKey: key });
  r6 = b6.head;
  const closed14 = new Date(Date.now() - 14 * YEAR);
  buildCase(em, { household: b6.household, status: CaseStatus.CLOSED, registeredAt: new Date(closed14.getTime() - YEAR / 2), latest: closed14 });

  // R5: consents and audit.
  const b5 = buildHousehold(em, { team, postcode: '3561PP', members: [R5, {}], bsnKey: key });
  h5 = b5.household;
  r5 = b5.head;
  case5 = buildCase(em, { household: h5, status: CaseStatus.ACTIVE, coordinator: worker });
  buildNote(em, { case: case5, author: worker, body: NOTE_R5 });
  await em.flush();

  for (const [name, p] of Object.entries({ worker, lead, otherWorker, otherLead, flex, admin, ambassador, volunteer, gp, corp })) {
    T[name] = await hub.tokenFor(p);
  }
});

afterAll(async () => {
  await hub?.stop();
  vi.restoreAllMocks();
});

// ------------------------------------------------------------------------------------------------
describe('audit trail: reads, denials, exports', () => {
  it('a read writes exactly one row per object per request, with time, actor, role, action, type, id, household, purpose and request id', async () => {
    const requestId = `rights-probe-${randomUUID()}`;
    const query = `query($h: ID!, $c: ID!) {
      a: household(id: $h) { id members { id givenName } }
      b: household(id: $h) { id members { id phone familyName } }
      c: case(id: $c) { id household { id members { id birthDate } } notes(first: 5) { edges { node { id body } } } }
      d: case(id: $c) { id reason notes(first: 5) { edges { node { id } } } }
    }`;
    const res = await gqlWith(query, { h: h5.id, c: case5.id }, T.worker!, { 'x-request-id': requestId, 'x-purpose': 'CARE' });
    expect(res.errors).toBeUndefined();
    const rows = await q<Record<string, any>>('select * from access_log where request_id = ?', [requestId]);
    const dupes = Object.entries(
      rows.reduce<Record<string, number>>((acc, r) => ({ ...acc, [`${r.action}:${r.object_type}:${r.object_id}`]: (acc[`${r.action}:${r.object_type}:${r.object_id}`] ?? 0) + 1 }), {}),
    ).filter(([, n]) => n > 1);
    expect(dupes, 'more than one audit row for one object in one request').toEqual([]);
    const types = new Set(rows.map((r) => `${r.object_type}:${r.object_id}`));
    expect(types).toContain(`Household:${h5.id}`);
    expect(types).toContain(`Resident:${r5.id}`);
    expect(types).toContain(`Case:${case5.id}`);
    expect(rows.some((r) => r.object_type === 'CaseNote')).toBe(true);
    for (const r of rows) {
      expect(r.action).toBe('READ');
      expect(r.at).toBeTruthy();
      expect(r.actor_id).toBe(worker.id);
      expect(r.actor_name).toBe(worker.name);
      expect(r.actor_role).toBe('TEAM_WORKER');
      expect(r.object_id).toBeTruthy();
      expect(r.household_id).toBe(h5.id);
      expect(r.purpose).toBe('CARE');
      expect(r.request_id).toBe(requestId);
    }
  });

  it('X-Purpose is recorded as the purpose of every row of the request', async () => {
    const requestId = `rights-purpose-${randomUUID()}`;
    const res = await gqlWith('query($h: ID!) { household(id: $h) { id members { id } } }', { h: h5.id }, T.worker!, { 'x-request-id': requestId, 'x-purpose': 'COMPLAINT_HANDLING' });
    expect(res.errors).toBeUndefined();
    const rows = await q<{ purpose: string }>('select purpose from access_log where request_id = ?', [requestId]);
    expect(rows.length).toBeGreaterThan(0);
    for (const r of rows) expect(r.purpose).toBe('COMPLAINT_HANDLING');
  });

  it('another team reading the case, household or resident: NOT_FOUND, audited as DENIED with the object type and id', async () => {
    const requestId = `rights-denied-${randomUUID()}`;
    const res = await gqlWith(
      'query($c: ID!, $h: ID!, $r: ID!) { case(id: $c) { id } household(id: $h) { id } accessReport(residentId: $r) { resident { id } } }',
      { c: case5.id, h: h5.id, r: r5.id },
      T.otherWorker!,
      { 'x-request-id': requestId },
    );
    expect(res.errors?.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND', 'NOT_FOUND', 'NOT_FOUND']);
    const rows = await q<Record<string, any>>('select * from access_log where request_id = ?', [requestId]);
    const denied = rows.filter((r) => r.action === 'DENIED').map((r) => `${r.object_type}:${r.object_id}`);
    expect(denied).toEqual(expect.arrayContaining([`Case:${case5.id}`, `Household:${h5.id}`, `Resident:${r5.id}`]));
    for (const r of rows) {
      expect(r.actor_id).toBe(otherWorker.id);
      expect(r.actor_role).toBe('TEAM_WORKER');
      expect(r.purpose).toBeTruthy();
    }
  });

  it('a worker refused eraseResident (FORBIDDEN) is audited as DENIED, and the row names the resident it targeted', async () => {
    const requestId = `rights-erase-denied-${randomUUID()}`;
    const res = await gqlWith(ERASE, { id: r5.id }, T.worker!, { 'x-request-id': requestId });
    expect(code(res)).toBe('FORBIDDEN');
    const rows = await q<Record<string, any>>('select * from access_log where request_id = ?', [requestId]);
    expect(rows.filter((r) => r.action === 'DENIED').length, 'no DENIED row at all').toBeGreaterThan(0);
    // For the resident's own access report and for an investigation, the attempt must be traceable to them.
    expect(
      rows.some((r) => r.action === 'DENIED' && (r.object_id === r5.id || JSON.stringify(r.detail ?? {}).includes(r5.id))),
      'the DENIED row of a refused erasure does not say whose erasure was attempted',
    ).toBe(true);
  });

  it('accessReport is audited as EXPORT (actor, role, purpose, request id, household)', async () => {
    const requestId = `rights-export-${randomUUID()}`;
    const res = await gqlWith(REPORT, { id: r5.id }, T.worker!, { 'x-request-id': requestId, 'x-purpose': 'AVG_ACCESS_REQUEST' });
    expect(res.errors).toBeUndefined();
    const rows = await q<Record<string, any>>("select * from access_log where request_id = ? and action = 'EXPORT'", [requestId]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ actor_id: worker.id, actor_role: 'TEAM_WORKER', household_id: h5.id, purpose: 'AVG_ACCESS_REQUEST', request_id: requestId });
    // Entries hold who read what, not the content itself.
    expect(res.raw).not.toContain(NOTE_R5);
    expect(res.raw).not.toContain(R5.phone);
  });

  it("a partner's read of its referral is audited with its role and organisation; a refused field is audited as DENIED", async () => {
    const requestId = `rights-partner-${randomUUID()}`;
    const ok = await gqlWith('query($id: ID!) { referral(id: $id) { id status } }', { id: ref1.id }, T.gp!, { 'x-request-id': requestId });
    expect(ok.errors).toBeUndefined();
    const rows = await q<Record<string, any>>('select * from access_log where request_id = ?', [requestId]);
    expect(rows.find((r) => r.object_type === 'Referral' && r.object_id === ref1.id)).toMatchObject({ action: 'READ', actor_role: 'PARTNER_GP', organisation: gp.name, actor_id: gp.id });
    const deniedId = `rights-partner-denied-${randomUUID()}`;
    const refused = await gqlWith('query($id: ID!) { referral(id: $id) { id reason subject { givenName } } }', { id: ref1.id }, T.gp!, { 'x-request-id': deniedId });
    expect(refused.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const denied = await q<Record<string, any>>("select * from access_log where request_id = ? and action = 'DENIED'", [deniedId]);
    expect(denied.length).toBeGreaterThan(0);
    expect(denied[0]).toMatchObject({ actor_role: 'PARTNER_GP', organisation: gp.name });
  });

  it("mutations write CREATE / UPDATE rows: note, consent recorded and revoked, correction", async () => {
    const note = await hub.gql('mutation($i: AddCaseNoteInput!) { addCaseNote(input: $i) { id } }', { i: { caseId: case5.id, body: 'Korte notitie.' } }, T.worker);
    expect(note.errors).toBeUndefined();
    const consent = await hub.gql(RECORD, { i: { residentId: r5.id, recipientId: gp.id, purpose: 'OTHER' } }, T.worker);
    expect(consent.errors).toBeUndefined();
    const revoked = await hub.gql(REVOKE, { id: consent.data!.recordConsent.id }, T.worker);
    expect(revoked.errors).toBeUndefined();
    const corrected = await hub.gql(CORRECT, { i: { residentId: r5.id, languages: ['Dutch', 'English'] } }, T.worker);
    expect(corrected.errors).toBeUndefined();
    const rows = await q<{ action: string; object_type: string; object_id: string; household_id: string }>(
      `select action, object_type, object_id, household_id from access_log where action in ('CREATE', 'UPDATE') and object_id in (?, ?, ?)`,
      [note.data!.addCaseNote.id, consent.data!.recordConsent.id, r5.id],
    );
    const seen = rows.map((r) => `${r.action}:${r.object_type}:${r.object_id}`);
    expect(seen).toEqual(expect.arrayContaining([
      `CREATE:CaseNote:${note.data!.addCaseNote.id}`,
      `CREATE:Consent:${consent.data!.recordConsent.id}`,
      `UPDATE:Consent:${consent.data!.recordConsent.id}`,
      `UPDATE:Resident:${r5.id}`,
    ]));
    for (const r of rows) expect(r.household_id).toBe(h5.id);
  });

  it("a volunteer's reads of the match (the resident's given name, area, task) appear in the resident's access report", async () => {
    const res = await hub.gql('{ myMatches { id status task resident { givenName } area { postcode4 } } }', {}, T.volunteer);
    expect(res.errors).toBeUndefined();
    expect(res.raw).toContain(R1.givenName); // control: the volunteer did read the given name
    const report = await hub.gql(REPORT, { id: r1.id }, T.worker);
    expect(report.errors).toBeUndefined();
    const roles = (report.data!.accessReport.entries as { actor: { role: string } }[]).map((e) => e.actor.role);
    expect(roles, "the volunteer's reads of R1's match are missing from R1's access report (art. 15: who read it)").toContain('VOLUNTEER');
  });
});

// ------------------------------------------------------------------------------------------------
describe('consent', () => {
  it('revoking twice: the same answer, revokedAt unchanged, one UPDATE row, no error', async () => {
    const rec = await hub.gql(RECORD, { i: { residentId: r5.id, recipientId: gp.id, purpose: 'GP_TANDEM' } }, T.worker);
    expect(rec.errors).toBeUndefined();
    const id = rec.data!.recordConsent.id as string;
    const first = await hub.gql(REVOKE, { id }, T.worker);
    const second = await hub.gql(REVOKE, { id }, T.worker);
    expect(first.errors).toBeUndefined();
    expect(second.errors).toBeUndefined();
    expect(second.data!.revokeConsent.revokedAt).toBe(first.data!.revokeConsent.revokedAt);
    const rows = await q("select 1 from access_log where object_type = 'Consent' and object_id = ? and action = 'UPDATE'", [id]);
    expect(rows).toHaveLength(1);
  });

  it('revokeConsent with a malformed id, a random id, another team, a lead of another team: NOT_FOUND, consent unchanged', async () => {
    const rec = await hub.gql(RECORD, { i: { residentId: r5.id, recipientId: careOrg.id, purpose: 'INFORMAL_CARE' } }, T.worker);
    const id = rec.data!.recordConsent.id as string;
    for (const [token, cid] of [[T.otherWorker, id], [T.otherLead, id], [T.worker, randomUUID()], [T.worker, 'not-a-uuid'], [T.ambassador, id], [T.gp, id]] as const) {
      const res = await hub.gql(REVOKE, { id: cid }, token);
      expect(['NOT_FOUND', 'FORBIDDEN']).toContain(code(res));
      expect(res.raw).not.toContain(R5.givenName);
    }
    const [row] = await q<{ revoked_at: Date | null }>('select revoked_at from consent where id = ?', [id]);
    expect(row!.revoked_at).toBeNull();
  });

  it('recordConsent with a grant date in the future is BAD_USER_INPUT (a future grant would not be the active consent)', async () => {
    const res = await hub.gql(RECORD, { i: { residentId: r5.id, recipientId: gp.id, purpose: 'GP_TANDEM', grantedAt: new Date(Date.now() + 86_400_000).toISOString() } }, T.worker);
    expect(code(res)).toBe('BAD_USER_INPUT');
  });

  it('recordConsent for a recipient of the wrong kind (GP_TANDEM with a housing corporation, INFORMAL_CARE with a GP) is refused', async () => {
    const tandemCorp = await hub.gql(RECORD, { i: { residentId: r5.id, recipientId: corp.id, purpose: 'GP_TANDEM' } }, T.worker);
    const careGp = await hub.gql(RECORD, { i: { residentId: r5.id, recipientId: gp.id, purpose: 'INFORMAL_CARE' } }, T.worker);
    expect(code(tandemCorp), 'GP_TANDEM consent recorded for a housing corporation').toBe('BAD_USER_INPUT');
    expect(code(careGp), 'INFORMAL_CARE consent recorded for a GP practice').toBe('BAD_USER_INPUT');
  });

  it('recordConsent with an unknown recipient or a resident of another team answers without leaking and stores nothing', async () => {
    const before = await q<{ n: number }>('select count(*)::int as n from consent where resident_id = ?', [r5.id]);
    const unknown = await hub.gql(RECORD, { i: { residentId: r5.id, recipientId: randomUUID(), purpose: 'OTHER' } }, T.worker);
    expect(code(unknown)).toBe('BAD_USER_INPUT');
    const foreign = await hub.gql(RECORD, { i: { residentId: r5.id, recipientId: gp.id, purpose: 'OTHER' } }, T.otherLead);
    expect(code(foreign)).toBe('NOT_FOUND');
    expect(foreign.raw).not.toContain(R5.givenName);
    const after = await q<{ n: number }>('select count(*)::int as n from consent where resident_id = ?', [r5.id]);
    expect(after[0]!.n).toBe(before[0]!.n);
  });
});

// ------------------------------------------------------------------------------------------------
describe('erasure: who may', () => {
  it('only a TEAM_LEAD of the own team: worker, flex worker on the case, admin, ambassador, volunteer, partner, other lead are refused; nothing changes', async () => {
    for (const who of ['worker', 'flex', 'admin', 'ambassador', 'volunteer', 'gp', 'corp', 'otherLead']) {
      const res = await hub.gql(ERASE, { id: r1.id }, T[who]);
      expect(['FORBIDDEN', 'NOT_FOUND'], who).toContain(code(res));
      expect(res.raw, who).not.toContain(R1.givenName);
    }
    const r = await hub.em().findOneOrFail(Resident, r1.id);
    expect(r.givenName).toBe(R1.givenName);
    expect(r.anonymisedAt ?? null).toBeNull();
  });
});

describe('erasure with retention (anonymised): R1', () => {
  let before: { registered_at: Date; started_at: Date | null; status: string };

  beforeAll(async () => {
    [before] = await q<typeof before>('select registered_at, started_at, status from "case" where id = ?', [case1.id]);
    const res = await hub.gql(ERASE, { id: r1.id }, T.lead);
    expect(res.errors).toBeUndefined();
    expect(res.data!.eraseResident.outcome).toBe('ANONYMISED');
    expect(res.raw).not.toContain(R1.givenName);
  });

  it('the case is kept with what the statistics need (status and dates), the resident and household anonymised', async () => {
    const [after] = await q<typeof before>('select registered_at, started_at, status from "case" where id = ?', [case1.id]);
    expect(after).toEqual(before);
    const [r] = await q<Record<string, any>>('select * from resident where id = ?', [r1.id]);
    expect(r!.given_name).not.toBe(R1.givenName);
    expect(r!.family_name).not.toBe(R1.familyName);
    expect(r!.phone).toBeNull();
    expect(r!.bsn_hash).toBeNull();
    expect(r!.bsn_encrypted).toBeNull();
    const [h] = await q<Record<string, any>>('select * from household where id = ?', [h1.id]);
    expect(h!.street).not.toBe(R1_STREET);
    expect(h!.postcode).not.toBe(R1_POSTCODE);
  });

  it("the referral about R1 no longer holds their name, birth date, address, phone or BSN (referral.subject*)", async () => {
    const [row] = await q<Record<string, any>>(
      `select subject_given_name, subject_family_name, subject_birth_date::text as bd, subject_postcode, subject_house_number,
              subject_phone, subject_bsn_encrypted, subject_bsn_hash from referral where id = ?`,
      [ref1.id],
    );
    const leaks: string[] = [];
    if (row!.subject_given_name === R1.givenName) leaks.push('subject_given_name');
    if (row!.subject_family_name === R1.familyName) leaks.push('subject_family_name');
    if (row!.bd === R1.birthDate) leaks.push('subject_birth_date');
    if (row!.subject_postcode === R1_POSTCODE) leaks.push('subject_postcode');
    if (row!.subject_phone) leaks.push('subject_phone');
    if (row!.subject_bsn_encrypted) leaks.push('subject_bsn_encrypted');
    if (row!.subject_bsn_hash) leaks.push('subject_bsn_hash');
    expect(leaks, 'personal data of the erased resident left in the referral row').toEqual([]);
    // And through the graph, to the team.
    const res = await hub.gql('query($id: ID!) { referral(id: $id) { id subject { givenName familyName birthDate postcode houseNumber } } }', { id: ref1.id }, T.worker);
    expect(res.errors).toBeUndefined();
    for (const s of [R1.givenName, R1.familyName, R1.birthDate, R1_POSTCODE]) expect(res.raw, s).not.toContain(s);
  });

  it('no table anywhere still holds R1’s name, phone, BSN (plain or hashed), street or full postcode', async () => {
    const hits = await scanDatabase([R1.givenName, R1.familyName, R1.phone, R1.bsn, hashBsn(R1.bsn, hub.config.BSN_KEY), R1_STREET, R1_POSTCODE]);
    expect(hits, 'personal data of the erased resident still in the database').toEqual([]);
  });

  it('the team’s views of the case (household, members, referral, consents) show nothing of R1', async () => {
    const res = await hub.gql(
      `query($id: ID!) { case(id: $id) { id household { address { street houseNumber postcode } members { givenName familyName phone birthDate bsnLast4 anonymisedAt } }
        referral { subject { givenName familyName birthDate postcode houseNumber } } consents { id revokedAt } } }`,
      { id: case1.id },
      T.worker,
    );
    expect(res.errors).toBeUndefined();
    for (const s of [R1.givenName, R1.familyName, R1.phone, R1.birthDate, R1_STREET, R1_POSTCODE, R1.bsn.slice(-4)]) expect(res.raw, s).not.toContain(s);
    for (const c of res.data!.case.consents as { revokedAt: string | null }[]) expect(c.revokedAt).not.toBeNull();
  });

  it('the volunteer (myMatches) and the ambassador (informalCareRequests) get neither the given name nor the phone', async () => {
    const mine = await hub.gql('{ myMatches { id status contactPhone resident { givenName } } }', {}, T.volunteer);
    expect(mine.errors).toBeUndefined();
    expect(mine.raw).not.toContain(R1.givenName);
    expect(mine.raw).not.toContain(R1.phone);
    const m = (mine.data!.myMatches as { id: string; contactPhone: string | null }[]).find((x) => x.id === match1.id);
    expect(m?.contactPhone ?? null).toBeNull();
    const amb = await hub.gql('{ informalCareRequests(first: 50) { edges { node { id resident { givenName } } } } }', {}, T.ambassador);
    expect(amb.errors).toBeUndefined();
    expect(amb.raw).not.toContain(R1.givenName);
  });

  it('the GP gets no coordinator for the erased resident any more (consents revoked)', async () => {
    const res = await hub.gql('query($id: ID!) { referral(id: $id) { id status contactPerson { name phone } } }', { id: ref1.id }, T.gp);
    expect(res.errors).toBeUndefined();
    expect(res.data!.referral.contactPerson).toBeNull();
    const [c] = await q<{ revoked_at: Date | null }>('select revoked_at from consent where id = ?', [consent1gp.id]);
    expect(c!.revoked_at).not.toBeNull();
  });

  it('a new GP referral with the erased BSN, or with the old name, birth date and address, is not matched to the anonymised resident', async () => {
    const submit = (externalId: string, subject: Record<string, unknown>) =>
      hub.gql('mutation($input: SubmitReferralInput!) { submitReferral(input: $input) { id status } }', {
        input: { externalId, kind: 'GP_REFERRAL', subject, reason: 'Opnieuw verwezen.', consentObtained: true },
      }, T.gp);
    const byBsn = await submit(`SR-RIGHTS-${randomUUID().slice(0, 8)}`, { givenName: 'Iemand', familyName: 'Anders', birthDate: '1990-01-01', postcode: '3561AA', houseNumber: '1', bsn: R1.bsn });
    const byName = await submit(`SR-RIGHTS-${randomUUID().slice(0, 8)}`, { givenName: R1.givenName, familyName: R1.familyName, birthDate: R1.birthDate, postcode: R1_POSTCODE, houseNumber: '17' });
    for (const res of [byBsn, byName]) {
      expect(res.errors).toBeUndefined();
      const [row] = await q<{ resident_id: string | null; household_id: string | null; case_id: string | null }>('select resident_id, household_id, case_id from referral where id = ?', [res.data!.submitReferral.id]);
      expect(row).toEqual({ resident_id: null, household_id: null, case_id: null });
    }
  });

  it('access_log.detail and disclosure rows hold nothing of R1', async () => {
    const rows = await q<{ d: string | null }>('select detail::text as d from access_log where detail is not null');
    const text = rows.map((r) => r.d).join('\n');
    for (const s of [R1.givenName, R1.familyName, R1.phone, R1.bsn, R1_STREET, R1_POSTCODE]) expect(text, s).not.toContain(s);
    const disc = await q<{ what: string }>('select what from disclosure');
    for (const s of [R1.givenName, R1.familyName, R1.phone]) expect(disc.map((d) => d.what).join('\n')).not.toContain(s);
  });

  it('the erasure writes an UPDATE audit row for every object it changed (the consents it revoked)', async () => {
    const rows = await q("select 1 from access_log where object_type = 'Consent' and object_id = ? and action = 'UPDATE'", [consent1gp.id]);
    expect(rows.length, 'consent revoked by the erasure without an audit row').toBe(1);
  });

  it("the access report of the anonymised resident still answers, shows the erasure, and holds nothing of them", async () => {
    const res = await hub.gql(REPORT, { id: r1.id }, T.worker);
    expect(res.errors).toBeUndefined();
    const entries = res.data!.accessReport.entries as { action: string; objectType: string }[];
    expect(entries.some((e) => e.action === 'UPDATE' && e.objectType === 'Resident')).toBe(true);
    for (const s of [R1.givenName, R1.familyName, R1.phone, R1_STREET]) expect(res.raw, s).not.toContain(s);
  });

  it('erasing again answers cleanly (no INTERNAL_SERVER_ERROR) and does not move the moment of anonymisation', async () => {
    const [first] = await q<{ anonymised_at: Date }>('select anonymised_at from resident where id = ?', [r1.id]);
    const again = await hub.gql(ERASE, { id: r1.id }, T.lead);
    expect(code(again)).not.toBe('INTERNAL_SERVER_ERROR');
    expect(again.status).toBeLessThan(500);
    const [second] = await q<{ anonymised_at: Date }>('select anonymised_at from resident where id = ?', [r1.id]);
    expect(new Date(second!.anonymised_at).getTime()).toBe(new Date(first!.anonymised_at).getTime());
  });
});

describe('retention boundary', () => {
  it('a case closed 14 years ago must still be kept: ANONYMISED, the case still there', async () => {
    const res = await hub.gql(ERASE, { id: r6.id }, T.lead);
    expect(res.data?.eraseResident.outcome).toBe('ANONYMISED');
    const [n] = await q<{ n: number }>('select count(*)::int as n from "case" c join resident r on r.household_id = c.household_id where r.id = ?', [r6.id]);
    expect(n!.n).toBe(1);
  });

  it('eraseResident with a malformed or unknown id: NOT_FOUND, not a 500', async () => {
    for (const id of ['not-a-uuid', randomUUID(), "'; drop table resident; --"]) {
      const res = await hub.gql(ERASE, { id }, T.lead);
      expect(code(res), id).toBe('NOT_FOUND');
    }
  });
});

describe('erasure after retention (deleted): R2, only a case closed 16 years ago', () => {
  beforeAll(async () => {
    const res = await hub.gql(ERASE, { id: r2.id }, T.lead);
    expect(res.errors).toBeUndefined();
    expect(res.data!.eraseResident.outcome).toBe('DELETED');
  });

  it('the resident row is gone', async () => {
    expect(await q('select 1 from resident where id = ?', [r2.id])).toHaveLength(0);
  });

  it('no table anywhere still holds R2’s name, phone, BSN, street or full postcode (household address, referral subject)', async () => {
    const hits = await scanDatabase([R2.givenName, R2.familyName, R2.phone, R2.bsn, hashBsn(R2.bsn, hub.config.BSN_KEY), R2_STREET, R2_POSTCODE, NOTE_R2]);
    expect(hits, 'personal data of the deleted resident still in the database').toEqual([]);
  });

  it('erasing again is NOT_FOUND (not a 500), and so is a correction', async () => {
    const again = await hub.gql(ERASE, { id: r2.id }, T.lead);
    expect(code(again)).toBe('NOT_FOUND');
    const corr = await hub.gql(CORRECT, { i: { residentId: r2.id, givenName: 'Terug' } }, T.worker);
    expect(code(corr)).toBe('NOT_FOUND');
  });
});

describe('correction, then erasure: R3', () => {
  it('the correction’s audit row holds field names only, so that nothing of the old or new value survives erasure in the append-only log', async () => {
    const res = await hub.gql(CORRECT, { i: { residentId: r3.id, familyName: R3_NEW.familyName, phone: R3_NEW.phone } }, T.worker);
    expect(res.errors).toBeUndefined();
    const erased = await hub.gql(ERASE, { id: r3.id }, T.lead);
    expect(erased.data?.eraseResident.outcome).toBe('ANONYMISED');
    const rows = await q<{ d: string }>("select detail::text as d from access_log where object_type = 'Resident' and object_id = ? and detail is not null", [r3.id]);
    const text = rows.map((r) => r.d).join('\n');
    for (const s of [R3.familyName, R3.phone, R3_NEW.familyName, R3_NEW.phone]) {
      expect(text, `access_log.detail keeps "${s}" of the erased resident forever (append-only)`).not.toContain(s);
    }
  });
});

describe('after erasure: R4', () => {
  beforeAll(async () => {
    const res = await hub.gql(ERASE, { id: r4.id }, T.lead);
    expect(res.data?.eraseResident.outcome).toBe('ANONYMISED');
  });

  it('a correction of an anonymised resident is refused with a clear client error (it would re-identify them)', async () => {
    const res = await hub.gql(CORRECT, { i: { residentId: r4.id, givenName: R4.givenName, familyName: R4.familyName, phone: R4.phone } }, T.worker);
    expect(['CONFLICT', 'BAD_USER_INPUT'], JSON.stringify(res.errors ?? res.data)).toContain(code(res));
    const [r] = await q<{ given_name: string; phone: string | null }>('select given_name, phone from resident where id = ?', [r4.id]);
    expect(r!.given_name).not.toBe(R4.givenName);
    expect(r!.phone).toBeNull();
  });

  it('a new consent for an anonymised resident is refused (it would reopen disclosure to a partner)', async () => {
    const res = await hub.gql(RECORD, { i: { residentId: r4.id, recipientId: gp.id, purpose: 'GP_TANDEM' } }, T.worker);
    expect(['CONFLICT', 'BAD_USER_INPUT', 'NOT_FOUND'], JSON.stringify(res.errors ?? res.data)).toContain(code(res));
  });
});

// ------------------------------------------------------------------------------------------------
describe('error messages of the rights mutations echo no personal data', () => {
  it('correctResident: invalid BSN, invalid phone, future birth date, over-long name: BAD_USER_INPUT without the value', async () => {
    const long = `Langenaam${'x'.repeat(120)}`;
    const cases: [Record<string, unknown>, string][] = [
      [{ bsn: '123456780' }, '123456780'],
      [{ phone: 'bel-0612398765-nu' }, '0612398765'],
      [{ birthDate: '2999-03-04' }, '2999-03-04'],
      [{ birthDate: '1961-13-45' }, '1961-13-45'],
      [{ givenName: long }, long.slice(0, 20)],
      [{ bsn: 111222333 }, '111222333'],
    ];
    const echoed: string[] = [];
    for (const [input, secret] of cases) {
      const res = await hub.gql(CORRECT, { i: { residentId: r5.id, ...input } }, T.worker);
      expect(code(res), JSON.stringify(input)).toBe('BAD_USER_INPUT');
      if (res.raw.includes(secret)) echoed.push(`${JSON.stringify(input)} → ${res.errors?.[0]?.message}`);
    }
    expect(echoed, 'error messages that repeat the personal data sent').toEqual([]);
  });
});

// ------------------------------------------------------------------------------------------------
describe('append-only audit tables (even for a superuser connection)', () => {
  async function inRolledBackTx(statements: string[]): Promise<{ ok: boolean; rowCount?: number; error?: string }> {
    const knex = hub.em().getConnection().getKnex();
    const ROLLBACK = new Error('rollback');
    let outcome: { ok: boolean; rowCount?: number; error?: string } = { ok: false };
    await knex
      .transaction(async (trx) => {
        let last: any;
        try {
          for (const s of statements) last = await trx.raw(s);
          outcome = { ok: true, rowCount: last?.rowCount };
        } catch (e) {
          outcome = { ok: false, error: (e as Error).message };
        }
        throw ROLLBACK;
      })
      .catch((e) => {
        if (e !== ROLLBACK) throw e;
      });
    return outcome;
  }

  it('the test connection is a superuser (so the probes below mean what they say)', async () => {
    const [r] = await q<{ rolsuper: boolean }>('select rolsuper from pg_roles where rolname = current_user');
    expect(r!.rolsuper).toBe(true);
  });

  for (const table of ['access_log', 'disclosure']) {
    it(`${table}: UPDATE, DELETE and TRUNCATE are rejected`, async () => {
      if (table === 'disclosure') await q("insert into disclosure (resident_id, recipient_id, purpose, what) values (?, ?, 'OTHER', 'probe')", [randomUUID(), gp.id]);
      const [{ n }] = (await q<{ n: number }>(`select count(*)::int as n from ${table}`)) as [{ n: number }];
      expect(n).toBeGreaterThan(0);
      const col = table === 'access_log' ? 'purpose' : 'what';
      for (const s of [`update ${table} set ${col} = 'tampered'`, `delete from ${table}`, `truncate ${table}`]) {
        const r = await inRolledBackTx([s]);
        expect(r.ok, `${s} was allowed`).toBe(false);
      }
    });

    it(`${table}: a superuser cannot switch the trigger off for the session (session_replication_role = replica)`, async () => {
      const r = await inRolledBackTx(['set local session_replication_role = replica', `delete from ${table}`]);
      expect(r.ok && (r.rowCount ?? 0) > 0, `delete from ${table} with session_replication_role = replica removed ${r.rowCount} rows`).toBe(false);
    });
  }
});

// ------------------------------------------------------------------------------------------------
describe('after all of this', () => {
  it('no access_log.detail anywhere holds a resident’s name, phone, BSN, street or note text', async () => {
    const rows = await q<{ d: string }>('select detail::text as d from access_log where detail is not null');
    const text = rows.map((r) => r.d).join('\n');
    for (const s of [R1.givenName, R1.familyName, R1.phone, R2.givenName, R2.familyName, R3.familyName, R3.phone, R3_NEW.familyName, R3_NEW.phone, R4.givenName, R5.givenName, R5.phone, NOTE_R5, R1.bsn, R2.bsn]) {
      expect(text, s).not.toContain(s);
    }
  });

  it('no log line holds a name, BSN, address, phone or note text', () => {
    const text = logLines.join('\n');
    for (const s of [R1.givenName, R1.familyName, R1.phone, R1.bsn, R1_STREET, R2.givenName, R2.familyName, R2.phone, R2_STREET, R3.familyName, R3_NEW.familyName, R3_NEW.phone, R4.givenName, R5.givenName, R5.phone, NOTE_R5, '123456780', '0612398765', '1961-13-45']) {
      expect(text, s).not.toContain(s);
    }
  });
});
