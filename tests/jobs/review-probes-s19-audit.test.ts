/**
 * Adversarial review (session 19): audit completeness and personal data outside the database.
 *
 * (1) Every read or write of personal data writes exactly one access_log row per object per
 *     request, with the right action, actor, role, organisation, household and purpose; denials
 *     are logged. Probed here: goals and care allocations (audited types, read through the case
 *     detail statement and through the loaders), mutations that answer with an object they did
 *     not change (correction without a change, an identical consent, a second revocation), a
 *     create that is read back in the same request, several denials in one request, a referral
 *     taken in by the GP poll (who is the actor?) and a status push that discloses the
 *     coordinator (an EXPORT like the graph's contactPerson?).
 * (2) No planted personal value in Redis (BullMQ prefix and rate-limit keys, SCAN + TYPE + dump),
 *     logs, /metrics, /ready, /health, the integrations view, parked records, audit detail, or
 *     the answer to an internal error.
 *
 * Every probe asserts the SAFE behaviour: a failing probe is a finding.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Redis } from 'ioredis';
import { startTestHub, type TestHub } from '../helpers/app.js';
import { redisUrl } from '../helpers/db.js';
import {
  buildCareAllocation,
  buildCase,
  buildConsent,
  buildGoal,
  buildHousehold,
  buildNote,
  buildOrganisation,
  buildStaff,
  buildTeam,
  buildZrm,
} from '../../seeds/factories.js';
import { CaseStatus, ConsentPurpose, HouseholdRelation, OrganisationKind, Role } from '../../src/modules/common/enums.js';
import { makeBsn } from '../../src/modules/household/bsn.js';
import { logger } from '../../src/logger.js';
import { productionErrorLog } from '../../src/errors-format.js';
import { Referral } from '../../src/modules/referral/referral.entity.js';
import { ParkedRecord } from '../../src/jobs/parked-record.entity.js';
import { AGB_SYSTEM } from '../../integrations/huisarts/schemas.js';
import { dumpPrefix, jobsOverrides, startHarness, waitFor, type Harness } from './harness.js';
import type { Organisation } from '../../src/modules/organisation/organisation.entity.js';
import type { Resident } from '../../src/modules/household/resident.entity.js';
import type { Household } from '../../src/modules/household/household.entity.js';
import type { Case } from '../../src/modules/case/case.entity.js';
import type { Staff } from '../../src/modules/staff/staff.entity.js';
import type { Goal } from '../../src/modules/case/goal.entity.js';
import type { CareAllocation } from '../../src/modules/case/care-allocation.entity.js';
import type { Consent } from '../../src/modules/consent/consent.entity.js';

// --- every log line of this file -----------------------------------------------------------------
const logLines: string[] = [];
const productionLogLines: string[] = [];
for (const level of ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const) {
  vi.spyOn(logger, level).mockImplementation(((...args: unknown[]) => {
    logLines.push(args.map((a) => (a instanceof Error ? `${a.name}: ${a.message}` : typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
    const first = args[0] as { err?: { name?: string; message?: string; stack?: string } } | undefined;
    if (level === 'error' && first?.err?.stack) {
      const err = Object.assign(new Error(first.err.message ?? ''), { name: first.err.name ?? 'Error', stack: first.err.stack });
      productionLogLines.push(JSON.stringify(productionErrorLog(err)));
    }
  }) as never);
}

// --- planted personal values ---------------------------------------------------------------------
const R1 = { givenName: 'Zwaantje', familyName: 'Auditvergeetster', birthDate: '1951-09-19', bsn: makeBsn(919191), phone: '06-91919191', relation: HouseholdRelation.HEAD };
const R2 = { givenName: 'Gerritdina', familyName: 'Auditvergeetster', birthDate: '1953-03-13', bsn: makeBsn(929292), phone: '06-92929292', relation: HouseholdRelation.PARTNER };
const STREET = 'Plantstraatje Zestiennegen';
const COORD = 'Coördinator Zestiennegen';
const COORD_PHONE = '030-1919191';
const NOTE = 'Notitieplant geheimzinnig s19';
const GOAL = 'Doelplantje geheimzinnig s19';
const PROVISION = 'Voorzieningplant s19';
const REASON = 'Plantreden van de huisarts s19';
const NEW_MEMBER = { givenName: 'Nieuwtjeplant', familyName: 'Registreerling', birthDate: '1980-02-02', phone: '06-91000005' };
const PARKED_NAME = 'Parkeerplantje';
const PERSONAL = [
  R1.givenName, R1.familyName, R1.bsn, R1.phone, R2.givenName, R2.bsn, R2.phone, STREET, 'Plantstraatje', COORD, COORD_PHONE,
  NOTE, GOAL, PROVISION, REASON, NEW_MEMBER.givenName, NEW_MEMBER.familyName, NEW_MEMBER.phone, PARKED_NAME, 'Nieuwplantlaan',
];

let hub: TestHub;
let h: Harness;
let redis: Redis;
let gp: Organisation;
let worker: Staff;
let workerOtherTeam: Staff;
let analyst: Staff;
let admin: Staff;
let h1: Household;
let h2: Household;
let r1: Resident;
let r2: Resident;
let c1: Case;
let c2: Case;
let goal: Goal;
let allocation: CareAllocation;
let tandem: Consent;
let other: Consent;
let polled: Referral | null = null;
const tokens: Record<string, string> = {};

interface AuditRow {
  action: string;
  object_type: string;
  object_id: string | null;
  household_id: string | null;
  actor_id: string | null;
  actor_role: string | null;
  organisation: string | null;
  purpose: string;
  detail: Record<string, unknown> | null;
}

const conn = () => hub.em().getConnection();
async function auditOf(requestId: string): Promise<AuditRow[]> {
  return conn().execute<AuditRow[]>(
    `select action, object_type, object_id, household_id, actor_id, actor_role, organisation, purpose, detail
       from access_log where request_id = ? order by id`,
    [requestId],
  );
}

let requests = 0;
/** One request with its own request id; the answer and that request's audit rows. */
async function ask(query: string, variables: Record<string, unknown>, token: string) {
  const requestId = `s19-audit-${++requests}-${Date.now()}`;
  const res = await fetch(hub.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-request-id': requestId },
    body: JSON.stringify({ query, variables }),
  });
  const raw = await res.text();
  const body = JSON.parse(raw) as { data?: any; errors?: { message: string; extensions?: { code?: string; [k: string]: unknown } }[] };
  return { status: res.status, body, raw, requestId, audit: await auditOf(requestId) };
}

const key = (r: AuditRow) => `${r.action}:${r.object_type}:${r.object_id ?? ''}`;
function duplicates(rows: AuditRow[]): string[] {
  const seen = new Map<string, number>();
  for (const r of rows) seen.set(key(r), (seen.get(key(r)) ?? 0) + 1);
  return [...seen].filter(([, n]) => n > 1).map(([k, n]) => `${k} ×${n}`);
}
/** Rows for one object (any action). */
const rowsFor = (rows: AuditRow[], id: string) => rows.filter((r) => r.object_id === id);

beforeAll(async () => {
  redis = new Redis(redisUrl(), { maxRetriesPerRequest: 1 });
  hub = await startTestHub(jobsOverrides(redisUrl()), { redis });
  const em = hub.em();
  const team = buildTeam(em, { postcodes: ['3577'] });
  const teamOther = buildTeam(em, { postcodes: ['3578'] });
  gp = buildOrganisation(em, { kind: OrganisationKind.GP_PRACTICE, code: 'gp-s19-audit', agbCode: '01919191' });
  worker = buildStaff(em, { role: Role.TEAM_WORKER, teams: [team] });
  const lead = buildStaff(em, { role: Role.TEAM_LEAD, teams: [team] });
  workerOtherTeam = buildStaff(em, { role: Role.TEAM_WORKER, teams: [teamOther] });
  analyst = buildStaff(em, { role: Role.ANALYST, teams: [] });
  admin = buildStaff(em, { role: Role.ADMIN, teams: [] });
  const coordinator = buildStaff(em, { role: Role.TEAM_WORKER, teams: [team], name: COORD, phone: COORD_PHONE });
  const key = hub.config.BSN_KEY;
  const built = buildHousehold(em, { team, street: STREET, postcode: '3577PX', houseNumber: '19', members: [R1, R2], bsnKey: key });
  h1 = built.household;
  r1 = built.residents[0]!;
  r2 = built.residents[1]!;
  c1 = buildCase(em, { household: h1, status: CaseStatus.ACTIVE, coordinator });
  goal = buildGoal(em, { case: c1, description: GOAL });
  allocation = buildCareAllocation(em, { case: c1, provision: PROVISION });
  buildNote(em, { case: c1, author: worker, body: NOTE });
  buildZrm(em, { case: c1 });
  const day = new Date(Date.now() - 86_400_000);
  tandem = buildConsent(em, { resident: r1, recipient: gp, recordedBy: worker, purpose: ConsentPurpose.GP_TANDEM, grantedAt: day });
  other = buildConsent(em, { resident: r2, recipient: gp, recordedBy: worker, purpose: ConsentPurpose.OTHER, grantedAt: day });
  const second = buildHousehold(em, { team, postcode: '3577PY', members: 1, bsnKey: key });
  h2 = second.household;
  c2 = buildCase(em, { household: h2, status: CaseStatus.ACTIVE, coordinator });
  await em.flush();
  for (const [name, p] of Object.entries({ worker, lead, workerOtherTeam, analyst, admin, gp })) tokens[name] = await hub.tokenFor(p);
  h = await startHarness(hub.db.orm, hub.config);
  await h.start();
});

afterAll(async () => {
  await h?.stop();
  await hub?.stop();
  // Our rate-limit counters expire with their window; nothing else of ours is left in Redis.
  redis?.disconnect();
  vi.restoreAllMocks();
});

// ------------------------------------------------------------------------------------------------
describe('audit completeness of reads', () => {
  it('A1: case(id) with goals and care allocations: the case\'s READ row covers them (no row per goal or allocation)', async () => {
    const r = await ask('query($id: ID!) { case(id: $id) { id goals { id description } careAllocations { id provision } } }', { id: c1.id }, tokens.worker!);
    expect(r.body.errors).toBeUndefined();
    expect(r.raw).toContain(GOAL);
    expect(r.raw).toContain(PROVISION);
    // Lead's decision: goals and allocations are part of the case file, covered by the case's READ row (DESIGN.md §2 lists household, resident, case, note, ZRM, referral, match).
    expect(rowsFor(r.audit, goal.id)).toEqual([]);
    expect(rowsFor(r.audit, allocation.id)).toEqual([]);
    expect(rowsFor(r.audit, c1.id)).toEqual([expect.objectContaining({ action: 'READ', object_type: 'Case', household_id: h1.id })]);
  });

  it('A2: the same through the loaders (household → cases → goals, careAllocations): covered by the case\'s READ row', async () => {
    const r = await ask(
      'query($id: ID!) { household(id: $id) { id cases { id goals { id description } careAllocations { id provision } } } }',
      { id: h1.id },
      tokens.worker!,
    );
    expect(r.body.errors).toBeUndefined();
    expect(r.raw).toContain(GOAL);
    // Lead's decision, as A1: the case's READ row covers its goals and allocations (DESIGN.md §2's audited list).
    expect(rowsFor(r.audit, goal.id)).toEqual([]);
    expect(rowsFor(r.audit, allocation.id)).toEqual([]);
    expect(rowsFor(r.audit, c1.id).map((x) => x.action)).toEqual(['READ']);
  });

  it('A3 (control): the full case detail writes one row per object, each with the household, the actor, role and purpose', async () => {
    const r = await ask(
      `query($id: ID!) { case(id: $id) { id status household { id address { street } members { id givenName bsnLast4 } }
         notes { edges { node { id body } } } zrmAssessments { id } latestZrm { id } consents { id purpose } referral { id } } }`,
      { id: c1.id },
      tokens.worker!,
    );
    expect(r.body.errors).toBeUndefined();
    expect(duplicates(r.audit)).toEqual([]);
    const types = new Set(r.audit.map((x) => x.object_type));
    for (const t of ['Case', 'Household', 'Resident', 'CaseNote', 'ZrmAssessment', 'Consent']) expect(types, t).toContain(t);
    for (const row of r.audit) {
      expect(row, JSON.stringify(row)).toMatchObject({ action: 'READ', household_id: h1.id, actor_id: worker.id, actor_role: 'TEAM_WORKER', purpose: 'CARE' });
    }
    expect(rowsFor(r.audit, r1.id)).toHaveLength(1);
    expect(rowsFor(r.audit, r2.id)).toHaveLength(1);
  });

  it('A4 (control): one request reading the same objects through household(id), case(id) and cases: still one row per object', async () => {
    const r = await ask(
      `query($h: ID!, $c: ID!) {
         a: household(id: $h) { id members { id givenName } cases { id latestZrm { id } } }
         b: case(id: $c) { id household { id members { id familyName } } zrmAssessments { id } }
         c: cases(first: 50) { edges { node { id latestZrm { id } household { id members { id } } } } } }`,
      { h: h1.id, c: c1.id },
      tokens.worker!,
    );
    expect(r.body.errors).toBeUndefined();
    expect(duplicates(r.audit)).toEqual([]);
    expect(rowsFor(r.audit, r1.id)).toHaveLength(1);
    expect(rowsFor(r.audit, h1.id)).toHaveLength(1);
    expect(rowsFor(r.audit, c1.id)).toHaveLength(1);
  });
});

// ------------------------------------------------------------------------------------------------
describe('audit completeness of mutations that answer with an object', () => {
  it('A5: correctResident without a change answers the resident\'s data: that read writes a row for the resident (with the household)', async () => {
    const r = await ask(
      'mutation($input: CorrectResidentInput!) { correctResident(input: $input) { id givenName familyName birthDate phone bsnLast4 } }',
      { input: { residentId: r2.id } },
      tokens.worker!,
    );
    expect(r.body.errors).toBeUndefined();
    expect(r.raw).toContain(R2.givenName);
    expect(rowsFor(r.audit, r2.id), 'names, birth date and phone were returned without any audit row').toEqual([
      expect.objectContaining({ object_type: 'Resident', household_id: h1.id }),
    ]);
  });

  it('A5b: the same with the values it already has (givenName unchanged): a row for the resident', async () => {
    const r = await ask(
      'mutation($input: CorrectResidentInput!) { correctResident(input: $input) { id givenName familyName birthDate phone } }',
      { input: { residentId: r2.id, givenName: R2.givenName } },
      tokens.worker!,
    );
    expect(r.body.errors).toBeUndefined();
    expect(rowsFor(r.audit, r2.id).length, 'no audit row for a correction that answered the resident\'s data').toBe(1);
  });

  it('A6: recordConsent for an identical active consent answers the existing consent: a row for it', async () => {
    const r = await ask(
      'mutation($input: RecordConsentInput!) { recordConsent(input: $input) { id purpose grantedAt revokedAt residentId recipient { id name } } }',
      { input: { residentId: r1.id, recipientId: gp.id, purpose: 'GP_TANDEM' } },
      tokens.worker!,
    );
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.recordConsent.id).toBe(tandem.id);
    expect(rowsFor(r.audit, tandem.id), 'the existing consent was returned without an audit row').toEqual([
      expect.objectContaining({ object_type: 'Consent', household_id: h1.id }),
    ]);
  });

  it('A7: revoking an already revoked consent answers it: a row for it', async () => {
    const q = 'mutation($id: ID!) { revokeConsent(id: $id) { id purpose grantedAt revokedAt residentId } }';
    const first = await ask(q, { id: other.id }, tokens.worker!);
    expect(first.body.errors).toBeUndefined();
    expect(rowsFor(first.audit, other.id).map((x) => x.action)).toEqual(['UPDATE']);
    const again = await ask(q, { id: other.id }, tokens.worker!);
    expect(again.body.errors).toBeUndefined();
    expect(rowsFor(again.audit, other.id), 'the second revocation answered the consent without an audit row').toEqual([
      expect.objectContaining({ object_type: 'Consent', household_id: h1.id }),
    ]);
  });

  it('A8: registerHousehold read back in the same request: the household its CREATE, the resident read back its CREATE and READ (two actions)', async () => {
    const r = await ask(
      'mutation($input: RegisterHouseholdInput!) { registerHousehold(input: $input) { id address { street } members { id givenName familyName phone } } }',
      {
        input: {
          address: { street: 'Nieuwplantlaan', houseNumber: '5', postcode: '3577PZ', city: 'Utrecht' },
          members: [{ ...NEW_MEMBER, relation: 'HEAD' }],
        },
      },
      tokens.worker!,
    );
    expect(r.body.errors).toBeUndefined();
    const householdId = r.body.data.registerHousehold.id as string;
    const residentId = r.body.data.registerHousehold.members[0].id as string;
    // Lead's decision: creating and reading back are two actions, each with its row (one row per action per object).
    expect(rowsFor(r.audit, householdId).map((x) => x.action)).toEqual(['CREATE']);
    expect(rowsFor(r.audit, residentId).map((x) => x.action).sort()).toEqual(['CREATE', 'READ']);
  });
});

// ------------------------------------------------------------------------------------------------
describe('denials in one request', () => {
  it('A9: two refused accessReport calls (aliases) in one request: a DENIED row names each resident', async () => {
    const r = await ask(
      'query($a: ID!, $b: ID!) { x: accessReport(residentId: $a) { entries { action } } y: accessReport(residentId: $b) { entries { action } } }',
      { a: r1.id, b: r2.id },
      tokens.analyst!,
    );
    expect(r.body.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
    const denied = r.audit.filter((x) => x.action === 'DENIED');
    const named = new Set(denied.flatMap((x) => [x.object_id, ...(((x.detail?.ids as string[]) ?? []))]));
    expect(named.has(r1.id), JSON.stringify(denied)).toBe(true);
    expect(named.has(r2.id), `the refused access report of the second resident is not in the log: ${JSON.stringify(denied)}`).toBe(true);
  });

  it('A10: two different refused operations sharing a rule (case(id), household(id)) in one request: each has its DENIED row', async () => {
    const r = await ask('query($c: ID!, $h: ID!) { a: case(id: $c) { id } b: household(id: $h) { id } }', { c: c1.id, h: h2.id }, tokens.analyst!);
    expect(r.body.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
    const denied = r.audit.filter((x) => x.action === 'DENIED');
    const ops = denied.map((x) => x.detail?.operation);
    expect(ops, JSON.stringify(denied)).toContain('Query.case');
    expect(ops, `the refused household(id) read is not in the log: ${JSON.stringify(denied)}`).toContain('Query.household');
  });

  it('A11 (control): another team\'s worker asking case(id) gets NOT_FOUND and a DENIED row with the id, actor and role, without a household', async () => {
    const r = await ask('query($id: ID!) { case(id: $id) { id } }', { id: c1.id }, tokens.workerOtherTeam!);
    expect(r.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(r.audit).toEqual([
      expect.objectContaining({ action: 'DENIED', object_type: 'Case', object_id: c1.id, household_id: null, actor_id: workerOtherTeam.id, actor_role: 'TEAM_WORKER' }),
    ]);
  });
});

// ------------------------------------------------------------------------------------------------
describe('the GP poll and the status push', () => {
  it('(setup) the GP system delivers a ServiceRequest about R1; the hub takes it in, matched to R1\'s household and case', async () => {
    const req = { system: AGB_SYSTEM, value: gp.agbCode! };
    h.huisarts.addServiceRequest({
      id: 'SR-S19-AUDIT', requester: req, givenName: R1.givenName, familyName: R1.familyName, birthDate: R1.birthDate,
      postcode: '3577 PX', houseNumber: '19', bsn: R1.bsn, phone: R1.phone, reason: REASON,
    });
    // And a malformed one carrying planted values, to be parked.
    h.huisarts.addServiceRequest({ id: 'SR-S19-PARK', requester: req, givenName: PARKED_NAME, familyName: 'Fictief', birthDate: 'geen-datum', postcode: '3577 PX', houseNumber: '3' });
    polled = await waitFor('the polled referral', () => hub.em().findOne(Referral, { from: gp.id, externalId: 'SR-S19-AUDIT' }));
    expect(polled.household?.id).toBe(h1.id);
    expect(polled.case?.id).toBe(c1.id);
    await waitFor('the parked record', () => hub.em().findOne(ParkedRecord, { partner: 'huisarts', externalId: 'SR-S19-PARK' }));
  });

  it('A12: the CREATE row of a polled referral names who it came from (the sending practice), so the access report can say who', async () => {
    expect(polled).toBeTruthy();
    const rows = await conn().execute<AuditRow[]>(
      `select action, object_type, object_id, household_id, actor_id, actor_role, organisation, purpose, detail from access_log
        where object_type = 'Referral' and object_id = ? and action = 'CREATE'`,
      [polled!.id],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.household_id).toBe(h1.id);
    // Who did it: at least the sending practice (role and actor as the fix sees fit).
    expect(rows[0]!.organisation, `the CREATE row of the polled referral names nobody: ${JSON.stringify(rows[0])}`).toBe(gp.name);
  });

  it('A13: the status push that gave the GP system the coordinator\'s name and phone writes an EXPORT access_log row (as the graph\'s contactPerson does)', async () => {
    expect(polled).toBeTruthy();
    const [task] = await waitFor('the Task with the coordinator', () => {
      const t = h.huisarts.effectsFor(`/Task/${polled!.id}`).filter((e) => JSON.stringify(e.body).includes(COORD_PHONE));
      return t.length ? t : null;
    });
    expect(JSON.stringify(task!.body)).toContain(COORD);
    // The push writes its rows after the GP system answered: wait for them, not for the Task.
    await waitFor('the disclosure of the push', async () => {
      const disclosures = await conn().execute<{ n: number }[]>('select count(*)::int as n from disclosure where resident_id = ?', [r1.id]);
      return disclosures[0]!.n > 0;
    });
    const exports = await conn().execute<AuditRow[]>(
      `select action, object_type, object_id, household_id from access_log where object_id = ? and action = 'EXPORT'`,
      [polled!.id],
    );
    expect(exports, 'the coordinator left the hub for the GP system, but the audit log has no EXPORT row for it').toEqual([
      expect.objectContaining({ object_type: 'Referral', household_id: h1.id }),
    ]);
  });

  it('A14 (control): the GP app reading its referral writes a READ row with role PARTNER_GP and the practice as organisation', async () => {
    const r = await ask('query($id: ID!) { referral(id: $id) { id status contactPerson { name phone } } }', { id: polled!.id }, tokens.gp!);
    expect(r.body.errors).toBeUndefined();
    expect(r.audit.filter((x) => x.action === 'READ')).toEqual([
      expect.objectContaining({ object_type: 'Referral', object_id: polled!.id, household_id: h1.id, actor_role: 'PARTNER_GP', organisation: gp.name }),
    ]);
    expect(r.audit.filter((x) => x.action === 'EXPORT')).toHaveLength(1);
  });
});

// ------------------------------------------------------------------------------------------------
describe('internal errors from odd input', () => {
  const farCursor = Buffer.from(JSON.stringify([8.64e15, '00000000-0000-4000-8000-000000000000'])).toString('base64url');
  const pastCursor = Buffer.from(JSON.stringify([-8.64e15, '00000000-0000-4000-8000-000000000000'])).toString('base64url');

  it('E1: cases(after:) with a cursor at the end of the JS time range is BAD_USER_INPUT, not an internal error', async () => {
    for (const after of [farCursor, pastCursor]) {
      const r = await ask('query($after: String) { cases(first: 5, after: $after) { edges { node { id household { address { street } } } } } }', { after }, tokens.worker!);
      for (const s of PERSONAL) expect(r.raw, s).not.toContain(s);
      expect(r.body.errors?.[0]?.extensions?.code, r.raw).toBe('BAD_USER_INPUT');
    }
  });

  it('E2: notes(after:) with such a cursor on a case with planted notes is BAD_USER_INPUT and echoes nothing', async () => {
    for (const after of [farCursor, pastCursor]) {
      const r = await ask('query($id: ID!, $after: String) { case(id: $id) { id notes(first: 5, after: $after) { edges { node { body } } } } }', { id: c1.id, after }, tokens.worker!);
      for (const s of PERSONAL) expect(r.raw, s).not.toContain(s);
      expect(r.body.errors?.[0]?.extensions?.code, r.raw).toBe('BAD_USER_INPUT');
    }
  });

  it('E3: referrals(after:) and informalCareRequests(after:) with such a cursor are BAD_USER_INPUT', async () => {
    for (const after of [farCursor, pastCursor]) {
      const a = await ask('query($after: String) { referrals(first: 5, after: $after) { edges { node { id } } } }', { after }, tokens.worker!);
      expect(a.body.errors?.[0]?.extensions?.code, a.raw).toBe('BAD_USER_INPUT');
      const b = await ask('query($after: String) { informalCareRequests(first: 5, after: $after) { edges { node { id } } } }', { after }, tokens.worker!);
      expect(b.body.errors?.[0]?.extensions?.code, b.raw).toBe('BAD_USER_INPUT');
    }
  });
});

// ------------------------------------------------------------------------------------------------
describe('no planted personal value outside the database (checked after every flow above)', () => {
  it('L1: nothing personal anywhere under the BullMQ prefix (SCAN + TYPE + dump), job data ids only', async () => {
    const dump = await dumpPrefix(hub.config.REDIS_URL, hub.config.BULLMQ_PREFIX);
    expect(dump.length).toBeGreaterThan(100);
    expect(dump).toContain(polled!.id); // the push job is there: the scan bites
    for (const s of PERSONAL) expect(dump, s).not.toContain(s);
    for (const s of [R1.birthDate, R2.birthDate, 'SR-S19-AUDIT']) expect(dump, s).not.toContain(s);
  });

  it('L2: rate-limit keys are sub:<uuid> or ip:<hash> and hold counters only; ours are there', async () => {
    let cursor = '0';
    const keys: string[] = [];
    do {
      const [next, found] = await redis.scan(cursor, 'MATCH', 'voordeur:rl:*', 'COUNT', 500);
      cursor = next;
      keys.push(...found);
    } while (cursor !== '0');
    expect(keys).toContain(`voordeur:rl:sub:${worker.id}`);
    for (const k of keys) {
      expect(k).toMatch(/^voordeur:rl:(sub:[0-9a-f-]{36}|sub:[0-9a-f]{32}|ip:[0-9a-f]{32})$/);
      const type = await redis.type(k);
      if (type === 'string') expect(await redis.get(k)).toMatch(/^\d*$/);
    }
    for (const s of PERSONAL) expect(keys.join('\n'), s).not.toContain(s);
  });

  it('L3: /metrics, /ready and /health hold none of the planted values', async () => {
    const base = hub.url.replace(/\/graphql$/, '');
    for (const path of ['/metrics', '/ready', '/health']) {
      const text = await (await fetch(`${base}${path}`)).text();
      for (const s of [...PERSONAL, R1.birthDate, 'SR-S19']) expect(text, `${path}: ${s}`).not.toContain(s);
    }
  });

  it('L4: the integrations view (admin) holds none of the planted values', async () => {
    const r = await ask(
      '{ integrations { partner lastError parkedRecords pendingJobs failedJobs failures { id jobName failedReason attemptsMade } } }',
      {},
      tokens.admin!,
    );
    expect(r.body.errors).toBeUndefined();
    for (const s of [...PERSONAL, R1.birthDate]) expect(r.raw, s).not.toContain(s);
  });

  it('L5: parked records, sync state, outbox payloads, audit detail and disclosures hold none of the planted values', async () => {
    const tables = [
      'select external_id, reason from parked_record',
      'select * from sync_state',
      'select topic, payload from outbox',
      'select detail, purpose, actor_name, organisation from access_log',
      'select what, purpose from disclosure',
    ];
    for (const q of tables) {
      const text = JSON.stringify(await conn().execute(q).catch(async () => conn().execute(q.replace('topic, ', ''))));
      for (const s of [...PERSONAL, R1.birthDate, 'geen-datum']) expect(text, `${q}: ${s}`).not.toContain(s);
    }
  });

  it('L6: no log line (as logged, and as production would reduce errors) holds a planted value', () => {
    const text = logLines.join('\n');
    for (const s of [...PERSONAL, R1.birthDate, 'geen-datum']) expect(text, s).not.toContain(s);
    const prod = productionLogLines.join('\n');
    for (const s of [...PERSONAL, R1.birthDate]) expect(prod, s).not.toContain(s);
  });
});
