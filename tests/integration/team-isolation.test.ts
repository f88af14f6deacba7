/**
 * Who sees what (DESIGN.md section 2), over real HTTP: a worker of team A sees nothing of
 * team B — not in lists, not by id, not through mutations — and gets the same NOT_FOUND for
 * B's ids as for ids that do not exist; every denial is audited. An ADMIN manages teams,
 * staff and organisations but never sees case content. Without a valid token nothing works.
 * Team-lead mutations are refused for workers.
 */
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { SignJWT } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type GqlResponse, type TestHub } from '../helpers/app.js';
import {
  buildCase,
  buildFeedback,
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
  OrganisationKind,
  ReferralStatus,
  Role,
  WorkerChangeStatus,
  ZrmVersion,
} from '../../src/modules/common/enums.js';
import type { Team } from '../../src/modules/team/team.entity.js';
import type { Staff } from '../../src/modules/staff/staff.entity.js';
import type { Household } from '../../src/modules/household/household.entity.js';
import type { Resident } from '../../src/modules/household/resident.entity.js';
import type { Case } from '../../src/modules/case/case.entity.js';
import type { CaseNote } from '../../src/modules/case/case-note.entity.js';
import type { ZrmAssessment } from '../../src/modules/case/zrm-assessment.entity.js';
import type { Referral } from '../../src/modules/referral/referral.entity.js';
import type { Feedback } from '../../src/modules/feedback/feedback.entity.js';
import type { WorkerChangeRequest } from '../../src/modules/feedback/worker-change-request.entity.js';

// Distinctive values of team B: none of them may ever appear in a response to team A.
const B_NAMES = ['Zwaantje', 'Kwirijn', 'Bzzlaar'];
const B_NOTE = 'SECRET-B-NOTE';
const B_POSTCODE = '3599QX';
const B_STREET = 'Bzzlaarsteeg';

const DAY = 86_400_000;
const ago = (days: number) => new Date(Date.now() - days * DAY);

let hub: TestHub;
let teamA: Team;
let teamB: Team;
let worker: Staff;
let secondWorker: Staff;
let lead: Staff;
let admin: Staff;
let workerB: Staff;
let ownHousehold: Household;
let ownResident: Resident;
let ownCase: Case;
let ownFeedback: Feedback;
let ownChange: WorkerChangeRequest;
let householdB: Household;
let residentsB: Resident[];
let caseB: Case;
let noteB: CaseNote;
let zrmB: ZrmAssessment;
let referralB: Referral;
let tokens: { worker: string; lead: string; admin: string };

/** Every value of team B that a response to team A must not contain. */
function bValues(except: string[] = []): string[] {
  const ids = [householdB.id, caseB.id, noteB.id, zrmB.id, referralB.id, ...residentsB.map((r) => r.id)];
  return [...B_NAMES, B_NOTE, B_POSTCODE, B_STREET, ...ids].filter((v) => !except.includes(v));
}

function expectNoBData(res: GqlResponse, asked: string[] = []) {
  for (const value of bValues(asked)) expect(res.raw, `response leaks "${value}"`).not.toContain(value);
}

function codes(res: GqlResponse): (string | undefined)[] {
  return (res.errors ?? []).map((e) => e.extensions?.code);
}

async function lastLogId(): Promise<number> {
  const [row] = await hub.em().getConnection().execute<{ max: string | null }[]>('select max(id) as max from access_log');
  return Number(row?.max ?? 0);
}

interface LogRow {
  action: string;
  actor_id: string | null;
  object_type: string;
  object_id: string | null;
  request_id: string;
  detail: Record<string, unknown> | null;
}

async function logRowsSince(id: number): Promise<LogRow[]> {
  return hub
    .em()
    .getConnection()
    .execute<LogRow[]>(
      'select action, actor_id, object_type, object_id, request_id, detail from access_log where id > ? order by id',
      [id],
    );
}

/** Runs a request and returns it with the audit rows it wrote. */
async function audited(query: string, variables: Record<string, unknown>, token: string | undefined) {
  const before = await lastLogId();
  const res = await hub.gql(query, variables, token);
  return { res, rows: await logRowsSince(before) };
}

function expectDenialAudited(rows: LogRow[], actor: Staff, objectType?: string, objectId?: string | null) {
  const denied = rows.filter((r) => r.action === 'DENIED');
  expect(denied.length, 'a DENIED row was written').toBeGreaterThan(0);
  for (const r of denied) expect(r.actor_id).toBe(actor.id);
  if (objectType) {
    expect(denied.some((r) => r.object_type === objectType && (objectId === undefined || r.object_id === objectId))).toBe(true);
  }
}

function fullZrmScores() {
  return ZRM_DOMAINS[ZrmVersion.ZRM_2017].map((domain) => ({ domain, score: 3 }));
}

async function caseBState(em: EntityManager) {
  const [row] = await em.getConnection().execute<
    { status: string; version: number; coordinator_id: string | null; closed_at: Date | null; notes: string; zrms: string; goals: string; cases: string }[]
  >(
    `select c.status, c.version, c.coordinator_id, c.closed_at,
            (select count(*) from case_note n where n.case_id = c.id) as notes,
            (select count(*) from zrm_assessment z where z.case_id = c.id) as zrms,
            (select count(*) from goal g where g.case_id = c.id) as goals,
            (select count(*) from "case" x where x.household_id = c.household_id) as cases
       from "case" c where c.id = ?`,
    [caseB.id],
  );
  return row;
}

beforeAll(async () => {
  hub = await startTestHub();
  const em = hub.em();
  teamA = buildTeam(em);
  teamB = buildTeam(em);
  worker = buildStaff(em, { role: Role.TEAM_WORKER, teams: [teamA], name: 'Wendy Werker' });
  secondWorker = buildStaff(em, { role: Role.TEAM_WORKER, teams: [teamA] });
  lead = buildStaff(em, { role: Role.TEAM_LEAD, teams: [teamA], name: 'Lotte Leider' });
  admin = buildStaff(em, { role: Role.ADMIN, name: 'Arjen Beheer' });
  workerB = buildStaff(em, { role: Role.TEAM_WORKER, teams: [teamB] });
  const gp = buildOrganisation(em, { kind: OrganisationKind.GP_PRACTICE });

  const own = buildHousehold(em, { team: teamA, members: 2 });
  ownHousehold = own.household;
  ownResident = own.head;
  ownCase = buildCase(em, { household: ownHousehold, status: CaseStatus.ACTIVE, coordinator: worker });
  buildNote(em, { case: ownCase, author: worker });
  ownFeedback = buildFeedback(em, { team: teamA, case: ownCase, kind: FeedbackKind.COMPLAINT, status: FeedbackStatus.OPEN });
  ownChange = buildWorkerChangeRequest(em, { case: ownCase, requestedBy: worker, status: WorkerChangeStatus.REQUESTED });

  const b = buildHousehold(em, {
    team: teamB,
    street: B_STREET,
    houseNumber: '77',
    postcode: B_POSTCODE,
    members: [
      { givenName: 'Zwaantje', familyName: 'Bzzlaar', birthDate: '1980-04-12' },
      { givenName: 'Kwirijn', familyName: 'Bzzlaar', birthDate: '1978-09-30' },
    ],
  });
  householdB = b.household;
  residentsB = b.residents;
  caseB = buildCase(em, { household: householdB, status: CaseStatus.ACTIVE, coordinator: workerB });
  noteB = buildNote(em, { case: caseB, author: workerB, body: B_NOTE });
  zrmB = buildZrm(em, { case: caseB, resident: b.head });
  referralB = buildReferral(em, { from: gp, resident: b.head, status: ReferralStatus.RECEIVED });
  await em.flush();

  tokens = { worker: await hub.tokenFor(worker), lead: await hub.tokenFor(lead), admin: await hub.tokenFor(admin) };
});

afterAll(async () => {
  await hub?.stop();
});

describe('a worker of team A and the data of team B', () => {
  it('(control) a worker of team B does see these values, so the leak checks below can bite', async () => {
    const res = await hub.gql(
      `query($id: ID!) { case(id: $id) { id household { id address { street postcode } members { id givenName familyName } }
         notes { edges { node { id body } } } zrmAssessments { id } referral { id } } }`,
      { id: caseB.id },
      await hub.tokenFor(workerB),
    );
    expect(res.errors).toBeUndefined();
    const missing = bValues().filter((v) => !res.raw.includes(v) && v !== referralB.id);
    expect(missing).toEqual([]);
  });

  it('lists no case of team B when cases are listed without a team', async () => {
    const res = await hub.gql(
      `query { cases(first: 100) { totalCount edges { node { id household { id address { postcode } members { givenName familyName } } } } } }`,
      {},
      tokens.worker,
    );
    expect(res.errors).toBeUndefined();
    const ids = res.data!.cases.edges.map((e: { node: { id: string } }) => e.node.id);
    expect(ids).toContain(ownCase.id);
    expect(ids).not.toContain(caseB.id);
    expect(res.data!.cases.totalCount).toBe(ids.length);
    expectNoBData(res);
  });

  it('lists no referral of team B', async () => {
    const res = await hub.gql(`query { referrals(first: 100) { totalCount edges { node { id subject { givenName familyName postcode } } } } }`, {}, tokens.worker);
    expect(res.errors).toBeUndefined();
    expect(res.data!.referrals.totalCount).toBe(0);
    expectNoBData(res);
  });

  it('is refused (FORBIDDEN) when it asks for the cases of team B, and the denial is audited', async () => {
    const { res, rows } = await audited(
      `query($teamId: ID!) { cases(filter: { teamId: $teamId }) { totalCount edges { node { id } } } }`,
      { teamId: teamB.id },
      tokens.worker,
    );
    expect(codes(res)).toEqual(['FORBIDDEN']);
    expect(res.data ?? null).toBeNull();
    expectNoBData(res);
    expectDenialAudited(rows, worker, 'Team', teamB.id);
  });

  it('gets NOT_FOUND for a case of team B, exactly as for an id that does not exist', async () => {
    const query = `query($id: ID!) { case(id: $id) { id reason household { id members { givenName } } notes { edges { node { body } } } } }`;
    const b = await audited(query, { id: caseB.id }, tokens.worker);
    const missingId = randomUUID();
    const missing = await audited(query, { id: missingId }, tokens.worker);

    expect(codes(b.res)).toEqual(['NOT_FOUND']);
    expect(codes(missing.res)).toEqual(['NOT_FOUND']);
    // No existence oracle: same code, same message, same shape.
    expect(b.res.errors![0]!.message).toBe(missing.res.errors![0]!.message);
    expect(b.res.data ?? null).toEqual(missing.res.data ?? null);
    expect(b.res.status).toBe(missing.res.status);
    expectNoBData(b.res, [caseB.id]);
    expectDenialAudited(b.rows, worker, 'Case', caseB.id);
    expectDenialAudited(missing.rows, worker, 'Case', missingId);
  });

  it('gets NOT_FOUND for a household of team B', async () => {
    const { res, rows } = await audited(
      `query($id: ID!) { household(id: $id) { id address { street postcode } members { id givenName familyName } } }`,
      { id: householdB.id },
      tokens.worker,
    );
    expect(codes(res)).toEqual(['NOT_FOUND']);
    expectNoBData(res, [householdB.id]);
    expectDenialAudited(rows, worker, 'Household', householdB.id);
  });

  it('gets NOT_FOUND for the access report of a resident of team B', async () => {
    const resident = residentsB[0]!;
    const { res, rows } = await audited(
      `query($id: ID!) { accessReport(residentId: $id) { resident { id givenName familyName } entries { action objectType } } }`,
      { id: resident.id },
      tokens.worker,
    );
    expect(codes(res)).toEqual(['NOT_FOUND']);
    expectNoBData(res, [resident.id]);
    expectDenialAudited(rows, worker, 'Resident', resident.id);
  });

  describe('mutations on ids of team B: NOT_FOUND, and nothing changes', () => {
    let before: Awaited<ReturnType<typeof caseBState>>;
    beforeAll(async () => {
      before = await caseBState(hub.em());
    });

    const cases: Array<{ name: string; query: string; vars: () => Record<string, unknown>; asked: () => string; type: string }> = [
      {
        name: 'addCaseNote',
        query: `mutation($input: AddCaseNoteInput!) { addCaseNote(input: $input) { id body } }`,
        vars: () => ({ input: { caseId: caseB.id, body: 'Written by team A' } }),
        asked: () => caseB.id,
        type: 'Case',
      },
      {
        name: 'closeCase',
        query: `mutation($input: CloseCaseInput!) { closeCase(input: $input) { id status household { members { givenName } } } }`,
        vars: () => ({ input: { caseId: caseB.id, closedAt: new Date().toISOString(), reason: 'AS_PLANNED' } }),
        asked: () => caseB.id,
        type: 'Case',
      },
      {
        name: 'startCase',
        query: `mutation($input: StartCaseInput!) { startCase(input: $input) { id status } }`,
        vars: () => ({ input: { caseId: caseB.id, startedAt: new Date().toISOString(), coordinatorId: worker.id } }),
        asked: () => caseB.id,
        type: 'Case',
      },
      {
        name: 'recordFirstContact',
        query: `mutation($caseId: ID!, $at: DateTime!) { recordFirstContact(caseId: $caseId, at: $at) { id status } }`,
        vars: () => ({ caseId: caseB.id, at: new Date().toISOString() }),
        asked: () => caseB.id,
        type: 'Case',
      },
      {
        name: 'addGoal',
        query: `mutation($input: AddGoalInput!) { addGoal(input: $input) { id } }`,
        vars: () => ({ input: { caseId: caseB.id, description: 'Goal by team A' } }),
        asked: () => caseB.id,
        type: 'Case',
      },
      {
        name: 'recordZrmAssessment',
        query: `mutation($input: RecordZrmAssessmentInput!) { recordZrmAssessment(input: $input) { id scores { domain score } } }`,
        vars: () => ({
          input: { caseId: caseB.id, assessedAt: new Date().toISOString(), version: 'ZRM_2017', kind: 'FOLLOW_UP', scores: fullZrmScores() },
        }),
        asked: () => caseB.id,
        type: 'Case',
      },
      {
        name: 'openCase',
        query: `mutation($input: OpenCaseInput!) { openCase(input: $input) { id household { members { givenName } } } }`,
        vars: () => ({ input: { householdId: householdB.id, referralSource: 'SELF', reason: 'Opened by team A' } }),
        asked: () => householdB.id,
        type: 'Household',
      },
      {
        name: 'requestWorkerChange',
        query: `mutation($input: RequestWorkerChangeInput!) { requestWorkerChange(input: $input) { id } }`,
        vars: () => ({ input: { caseId: caseB.id, reason: 'Asked by team A' } }),
        asked: () => caseB.id,
        type: 'Case',
      },
      {
        name: 'recordConsent',
        query: `mutation($input: RecordConsentInput!) { recordConsent(input: $input) { id } }`,
        vars: () => ({ input: { residentId: residentsB[0]!.id, recipientId: randomUUID(), purpose: 'GP_TANDEM' } }),
        asked: () => residentsB[0]!.id,
        type: 'Resident',
      },
    ];

    for (const c of cases) {
      it(`${c.name} on team B's id → NOT_FOUND, audited, no B data in the body`, async () => {
        const { res, rows } = await audited(c.query, c.vars(), tokens.worker);
        expect(codes(res)).toEqual(['NOT_FOUND']);
        expect(res.data ?? null).toBeNull();
        expectNoBData(res, [c.asked()]);
        expectDenialAudited(rows, worker, c.type, c.asked());
        // Only the denial was logged: no CREATE/UPDATE row for B's objects.
        expect(rows.filter((r) => r.action !== 'DENIED')).toEqual([]);
      });
    }

    it('left the case of team B unchanged', async () => {
      expect(await caseBState(hub.em())).toEqual(before);
    });
  });

  it("triageReferral on team B's referral → NOT_FOUND and the referral is unchanged", async () => {
    const { res, rows } = await audited(
      `mutation($input: TriageReferralInput!) { triageReferral(input: $input) { id status subject { givenName familyName } } }`,
      { input: { referralId: referralB.id, status: 'TRIAGED' } },
      tokens.worker,
    );
    expect(codes(res)).toEqual(['NOT_FOUND']);
    expectNoBData(res, [referralB.id]);
    expectDenialAudited(rows, worker, 'Referral', referralB.id);
    const [row] = await hub.em().getConnection().execute<{ status: string }[]>('select status from referral where id = ?', [referralB.id]);
    expect(row!.status).toBe(ReferralStatus.RECEIVED);
  });

  it('registerFeedback for team B → FORBIDDEN', async () => {
    const { res, rows } = await audited(
      `mutation($input: RegisterFeedbackInput!) { registerFeedback(input: $input) { id } }`,
      { input: { teamId: teamB.id, kind: 'COMPLAINT', receivedAt: new Date().toISOString(), summary: 'x' } },
      tokens.worker,
    );
    expect(codes(res)).toEqual(['FORBIDDEN']);
    expectNoBData(res);
    expectDenialAudited(rows, worker, 'Team', teamB.id);
  });

  describe('aliases: one own id and one id of team B in one query', () => {
    const query = `query($own: ID!, $other: ID!) {
      a: case(id: $own) { id household { id members { givenName } } }
      b: case(id: $other) { id household { id members { givenName familyName } } notes { edges { node { body } } } }
    }`;

    it('answers NOT_FOUND for the other id, leaks nothing of B, and audits the denial', async () => {
      const { res, rows } = await audited(query, { own: ownCase.id, other: caseB.id }, tokens.worker);
      expect(codes(res)).toEqual(['NOT_FOUND']);
      expect(res.errors![0]!.path).toEqual(['b']);
      expectNoBData(res, [caseB.id]);
      expectDenialAudited(rows, worker, 'Case', caseB.id);
    });

    it('still returns the own case (a: data present next to the NOT_FOUND of b)', async () => {
      // Fails while Query.case is declared non-null (Case!): one NOT_FOUND then nulls the
      // whole `data`, so the own case is lost with it.
      const res = await hub.gql(query, { own: ownCase.id, other: caseB.id }, tokens.worker);
      expect(res.data?.a?.id).toBe(ownCase.id);
      expect(res.data?.b ?? null).toBeNull();
    });
  });
});

describe('malformed cursors', () => {
  it('answer BAD_USER_INPUT on every paged field (the notes of a case too), never a database error', async () => {
    const cursor = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const bad = ['not-base64-json', cursor(['not-a-date', 'x']), cursor(['2026-01-01T00:00:00.000Z', 'not-a-uuid']), cursor([1, 2, 3])];
    const queries = [
      'query($a: String) { cases(after: $a) { totalCount } }',
      'query($a: String) { referrals(after: $a) { totalCount } }',
      `query($a: String) { case(id: "${ownCase.id}") { id notes(after: $a) { totalCount } } }`,
    ];
    for (const query of queries) {
      for (const a of bad) {
        const res = await hub.gql(query, { a }, tokens.worker);
        expect(res.errors?.[0]?.extensions?.code, `${query} ${a}`).toBe('BAD_USER_INPUT');
        expect(res.errors?.[0]?.message).toBe('after: is not a valid cursor');
        expect(res.raw).not.toMatch(/syntax|invalid input|uuid|timestamp/i);
      }
    }
  });
});

describe('ADMIN', () => {
  it('lists teams, organisations and staff members', async () => {
    const res = await hub.gql(
      `query { teams { id code } organisations { id code name } staffMembers { id name email role } }`,
      {},
      tokens.admin,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data!.teams.map((t: { id: string }) => t.id)).toEqual(expect.arrayContaining([teamA.id, teamB.id]));
    expect(res.data!.staffMembers.map((s: { id: string }) => s.id)).toEqual(expect.arrayContaining([worker.id, lead.id, admin.id]));
    expect(res.data!.organisations.length).toBeGreaterThan(0);
  });

  it('creates a staff member and an organisation', async () => {
    const staff = await hub.gql(
      `mutation($input: CreateStaffInput!) { createStaff(input: $input) { id name email role teams { id } } }`,
      { input: { name: 'Nieuwe Collega', email: `nieuw.${randomUUID().slice(0, 8)}@voordeur.test`, role: 'TEAM_WORKER', teamIds: [teamA.id] } },
      tokens.admin,
    );
    expect(staff.errors).toBeUndefined();
    expect(staff.data!.createStaff.teams).toEqual([{ id: teamA.id }]);

    const org = await hub.gql(
      `mutation($input: CreateOrganisationInput!) { createOrganisation(input: $input) { id code kind } }`,
      { input: { code: `praktijk-${randomUUID().slice(0, 8)}`, name: 'Huisartsenpraktijk Test', kind: 'GP_PRACTICE', agbCode: '01234567' } },
      tokens.admin,
    );
    expect(org.errors).toBeUndefined();
    expect(org.data!.createOrganisation.kind).toBe('GP_PRACTICE');
  });

  const refused: Array<{ name: string; query: string; vars: () => Record<string, unknown> }> = [
    { name: 'cases', query: `query { cases { totalCount edges { node { id reason } } } }`, vars: () => ({}) },
    { name: 'case', query: `query($id: ID!) { case(id: $id) { id reason notes { edges { node { body } } } } }`, vars: () => ({ id: caseB.id }) },
    { name: 'household', query: `query($id: ID!) { household(id: $id) { id members { givenName familyName } } }`, vars: () => ({ id: householdB.id }) },
    {
      name: 'accessReport',
      query: `query($id: ID!) { accessReport(residentId: $id) { resident { givenName familyName } entries { action } } }`,
      vars: () => ({ id: residentsB[0]!.id }),
    },
    {
      name: 'registerHousehold',
      query: `mutation($input: RegisterHouseholdInput!) { registerHousehold(input: $input) { id } }`,
      vars: () => ({
        input: {
          teamId: teamA.id,
          address: { street: 'Oudegracht', houseNumber: '1', postcode: '3511AA', city: 'Utrecht' },
          members: [{ givenName: 'Piet', familyName: 'Admin', birthDate: '1970-01-01', relation: 'HEAD' }],
        },
      }),
    },
    {
      name: 'openCase',
      query: `mutation($input: OpenCaseInput!) { openCase(input: $input) { id } }`,
      vars: () => ({ input: { householdId: ownHousehold.id, referralSource: 'SELF', reason: 'admin' } }),
    },
  ];

  for (const r of refused) {
    it(`is refused ${r.name} (FORBIDDEN), with no case data in the body, and the denial is audited`, async () => {
      const { res, rows } = await audited(r.query, r.vars(), tokens.admin);
      expect(codes(res)).toEqual(['FORBIDDEN']);
      // Either no data at all (non-null fields) or the refused field is null (look-ups by id).
      expect(Object.values(res.data ?? {}).every((v) => v === null)).toBe(true);
      expectNoBData(res, Object.values(r.vars()).filter((v): v is string => typeof v === 'string'));
      expect(res.raw).not.toContain(ownResident.givenName);
      expectDenialAudited(rows, admin, 'Operation');
    });
  }
});

describe('authentication', () => {
  const query = `query { me { id name } cases { totalCount edges { node { id reason } } } }`;

  function expectUnauthenticated(res: GqlResponse) {
    expect(codes(res)).toContain('UNAUTHENTICATED');
    expect(codes(res).every((c) => c === 'UNAUTHENTICATED')).toBe(true);
    expect(res.data ?? null).toBeNull();
    expectNoBData(res);
    expect(res.raw).not.toContain(ownCase.id);
  }

  it('refuses a request without a token (UNAUTHENTICATED)', async () => {
    expectUnauthenticated(await hub.gql(query, {}, undefined));
  });

  it('refuses a garbage token', async () => {
    expectUnauthenticated(await hub.gql(query, {}, 'not-a-jwt'));
  });

  it('refuses an expired token', async () => {
    const now = Math.floor(Date.now() / 1000);
    const expired = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(worker.id)
      .setIssuer(hub.config.JWT_ISSUER)
      .setIssuedAt(now - 7200)
      .setExpirationTime(now - 3600)
      .sign(new TextEncoder().encode(hub.config.JWT_SECRET));
    expectUnauthenticated(await hub.gql(query, {}, expired));
  });

  it('refuses a token signed with another secret', async () => {
    const forged = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject(worker.id)
      .setIssuer(hub.config.JWT_ISSUER)
      .setIssuedAt()
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('another-secret-that-is-long-enough-for-hs256-000000'));
    expectUnauthenticated(await hub.gql(query, {}, forged));
  });

  it('refuses a valid token whose subject is no principal', async () => {
    expectUnauthenticated(await hub.gql(query, {}, await hub.tokenFor(randomUUID())));
  });

  it('accepts the same request with a valid token (control)', async () => {
    const res = await hub.gql(query, {}, tokens.worker);
    expect(res.errors).toBeUndefined();
    expect(res.data!.me.id).toBe(worker.id);
  });
});

describe('team-lead mutations', () => {
  it('resolveFeedback: FORBIDDEN for a worker (audited), allowed for the lead', async () => {
    const query = `mutation($id: ID!, $status: FeedbackStatus!, $resolution: String) {
      resolveFeedback(id: $id, status: $status, resolution: $resolution) { id status } }`;
    const vars = { id: ownFeedback.id, status: 'RESOLVED', resolution: 'Gesprek gevoerd.' };
    const denied = await audited(query, vars, tokens.worker);
    expect(codes(denied.res)).toEqual(['FORBIDDEN']);
    expectDenialAudited(denied.rows, worker, 'Operation');
    const [still] = await hub.em().getConnection().execute<{ status: string }[]>('select status from feedback where id = ?', [ownFeedback.id]);
    expect(still!.status).toBe(FeedbackStatus.OPEN);

    const allowed = await hub.gql(query, vars, tokens.lead);
    expect(allowed.errors).toBeUndefined();
    expect(allowed.data!.resolveFeedback).toEqual({ id: ownFeedback.id, status: 'RESOLVED' });
  });

  it('decideWorkerChange: FORBIDDEN for a worker (audited), allowed for the lead', async () => {
    const query = `mutation($id: ID!, $grant: Boolean!) { decideWorkerChange(id: $id, grant: $grant) { id status } }`;
    const vars = { id: ownChange.id, grant: true };
    const denied = await audited(query, vars, tokens.worker);
    expect(codes(denied.res)).toEqual(['FORBIDDEN']);
    expectDenialAudited(denied.rows, worker, 'Operation');

    const allowed = await hub.gql(query, vars, tokens.lead);
    expect(allowed.errors).toBeUndefined();
    expect(allowed.data!.decideWorkerChange).toEqual({ id: ownChange.id, status: 'GRANTED' });
  });

  it('reassignCoordinator: FORBIDDEN for a worker (audited), allowed for the lead', async () => {
    const query = `mutation($caseId: ID!, $coordinatorId: ID!) {
      reassignCoordinator(caseId: $caseId, coordinatorId: $coordinatorId) { id coordinator { id } } }`;
    const vars = { caseId: ownCase.id, coordinatorId: secondWorker.id };
    const denied = await audited(query, vars, tokens.worker);
    expect(codes(denied.res)).toEqual(['FORBIDDEN']);
    expectDenialAudited(denied.rows, worker, 'Operation');
    const [still] = await hub.em().getConnection().execute<{ coordinator_id: string }[]>('select coordinator_id from "case" where id = ?', [ownCase.id]);
    expect(still!.coordinator_id).toBe(worker.id);

    const allowed = await hub.gql(query, vars, tokens.lead);
    expect(allowed.errors).toBeUndefined();
    expect(allowed.data!.reassignCoordinator).toEqual({ id: ownCase.id, coordinator: { id: secondWorker.id } });
  });

  it("a lead of team A cannot reach team B's case either (NOT_FOUND)", async () => {
    const res = await hub.gql(
      `mutation($caseId: ID!, $coordinatorId: ID!) { reassignCoordinator(caseId: $caseId, coordinatorId: $coordinatorId) { id } }`,
      { caseId: caseB.id, coordinatorId: lead.id },
      tokens.lead,
    );
    expect(codes(res)).toEqual(['NOT_FOUND']);
    expectNoBData(res, [caseB.id]);
  });
});
