/**
 * The case lifecycle over HTTP: REGISTERED → INTAKE → ACTIVE → CLOSED, illegal transitions,
 * one open case per household, optimistic locking and input validation (nothing half-written).
 */
import { OptimisticLockError } from '@mikro-orm/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type GqlResponse, type TestHub } from '../helpers/app.js';
import { buildStaff, buildTeam } from '../../seeds/factories.js';
import { Case } from '../../src/modules/case/case.entity.js';
import { Role } from '../../src/modules/common/enums.js';
import type { Staff } from '../../src/modules/staff/staff.entity.js';
import type { Team } from '../../src/modules/team/team.entity.js';

const DAY = 86_400_000;
/** A moment `days` ago, on a whole second (so database round trips compare exactly). */
const ago = (days: number) => new Date(Math.floor((Date.now() - days * DAY) / 1000) * 1000);
const iso = (d: Date) => d.toISOString();
const future = () => iso(new Date(Date.now() + 2 * DAY));
const ms = (v: string | Date | null | undefined) => (v == null ? null : new Date(v).getTime());

const REGISTER = /* GraphQL */ `
  mutation Register($input: RegisterHouseholdInput!) {
    registerHousehold(input: $input) { id team { id code } members { id } }
  }
`;
const OPEN = /* GraphQL */ `
  mutation Open($input: OpenCaseInput!) {
    openCase(input: $input) { id status version registeredAt referralSource startedAt team { id code } household { id } }
  }
`;
const FIRST_CONTACT = /* GraphQL */ `
  mutation FirstContact($caseId: ID!, $at: DateTime!, $expectedVersion: Int) {
    recordFirstContact(caseId: $caseId, at: $at, expectedVersion: $expectedVersion) { id status version firstContactAt daysToFirstContact }
  }
`;
const START = /* GraphQL */ `
  mutation Start($input: StartCaseInput!) {
    startCase(input: $input) { id status version startedAt coordinator { id name } }
  }
`;
const CLOSE = /* GraphQL */ `
  mutation Close($input: CloseCaseInput!) {
    closeCase(input: $input) { id status version startedAt closedAt closureReason clientRating selfReliantAfter }
  }
`;
const ADD_GOAL = /* GraphQL */ `
  mutation AddGoal($input: AddGoalInput!) { addGoal(input: $input) { id description domain status targetDate } }
`;
const ADD_NOTE = /* GraphQL */ `
  mutation AddNote($input: AddCaseNoteInput!) { addCaseNote(input: $input) { id body createdAt author { id name } } }
`;
const CARE = /* GraphQL */ `
  mutation Care($input: RecordCareAllocationInput!) {
    recordCareAllocation(input: $input) { id provision form decision investigationStartedAt decidedAt }
  }
`;
const DETAIL = /* GraphQL */ `
  query Detail($id: ID!) {
    case(id: $id) {
      id status version registeredAt firstContactAt startedAt closedAt closureReason clientRating selfReliantAfter referralSource
      coordinator { id name }
      team { id code }
      household { id }
      goals { id description domain status targetDate }
      notes(first: 20) { totalCount edges { node { id body author { id } } } }
      careAllocations { id provision form decision investigationStartedAt decidedAt }
    }
  }
`;

interface CaseRow {
  id: string;
  status: string;
  version: number;
  reason: string;
  /** Timestamps come back from the raw driver as strings; compare them with ms(). */
  registered_at: string;
  first_contact_at: string | null;
  started_at: string | null;
  closed_at: string | null;
  closure_reason: string | null;
  client_rating: number | null;
  self_reliant_after: boolean | null;
  coordinator_id: string | null;
}

let hub: TestHub;
let team: Team;
let otherTeam: Team;
let lead: Staff;
let worker: Staff;
let worker2: Staff;
let outsider: Staff;
let token: string;
let houseNo = 1;

async function caseRow(id: string): Promise<CaseRow> {
  const rows = await hub.em().getConnection().execute<CaseRow[]>('select * from "case" where id = ?', [id]);
  expect(rows).toHaveLength(1);
  return rows[0]!;
}

const COUNTED = ['household', 'resident', 'case', 'goal', 'case_note', 'care_allocation', 'zrm_assessment'] as const;
async function counts(): Promise<Record<string, number>> {
  const sql = `select ${COUNTED.map((t) => `(select count(*) from "${t}") as "${t}"`).join(', ')}`;
  const [row] = await hub.em().getConnection().execute<Record<string, string>[]>(sql);
  return Object.fromEntries(Object.entries(row!).map(([k, v]) => [k, Number(v)]));
}

function expectError(res: GqlResponse, code: string, mention?: RegExp | string): NonNullable<GqlResponse['errors']>[number] {
  expect(res.errors, `expected a ${code} error, got ${res.raw}`).toBeDefined();
  const err = res.errors![0]!;
  expect(err.extensions?.code, res.raw).toBe(code);
  if (mention) {
    const named = typeof mention === 'string' ? `${err.message} ${String(err.extensions?.field ?? '')}`.includes(mention) : mention.test(err.message);
    expect(named, `error should name ${String(mention)}: ${res.raw}`).toBe(true);
  }
  return err;
}

function ok<T = any>(res: GqlResponse, field: string): T {
  expect(res.errors, res.raw).toBeUndefined();
  expect(res.status).toBe(200);
  return (res.data as Record<string, T>)[field]!;
}

async function registerHousehold(): Promise<string> {
  const res = await hub.gql(
    REGISTER,
    {
      input: {
        address: { street: 'Vechtstraat', houseNumber: String(houseNo++), postcode: '3562 AB', city: 'Utrecht' },
        members: [{ givenName: 'Fatima', familyName: 'Bouzid', birthDate: '1981-03-14', relation: 'HEAD' }],
      },
    },
    token,
  );
  const h = ok<{ id: string; team: { id: string } }>(res, 'registerHousehold');
  expect(h.team.id).toBe(team.id);
  return h.id;
}

async function openCase(householdId: string, registeredAt = ago(10), reason = 'Geldzorgen en een huurachterstand'): Promise<{ id: string; version: number }> {
  const res = await hub.gql(OPEN, { input: { householdId, referralSource: 'SELF', registeredAt: iso(registeredAt), reason } }, token);
  return ok(res, 'openCase');
}

async function toIntake(caseId: string, at = ago(8)) {
  return ok<{ version: number }>(await hub.gql(FIRST_CONTACT, { caseId, at: iso(at) }, token), 'recordFirstContact');
}

async function toActive(caseId: string, coordinator = worker2, at = ago(7)) {
  return ok<{ version: number }>(
    await hub.gql(START, { input: { caseId, startedAt: iso(at), coordinatorId: coordinator.id } }, token),
    'startCase',
  );
}

/** A fresh household with a case in the given status. */
async function caseIn(status: 'REGISTERED' | 'INTAKE' | 'ACTIVE' | 'CLOSED'): Promise<{ id: string; householdId: string }> {
  const householdId = await registerHousehold();
  const c = await openCase(householdId);
  if (status !== 'REGISTERED') await toIntake(c.id);
  if (status === 'ACTIVE' || status === 'CLOSED') await toActive(c.id);
  if (status === 'CLOSED') {
    ok(await hub.gql(CLOSE, { input: { caseId: c.id, closedAt: iso(ago(1)), reason: 'AS_PLANNED' } }, token), 'closeCase');
  }
  return { id: c.id, householdId };
}

beforeAll(async () => {
  hub = await startTestHub();
  const em = hub.em();
  team = buildTeam(em, { postcodes: ['3562'] });
  otherTeam = buildTeam(em, { postcodes: ['3564'] });
  lead = buildStaff(em, { role: Role.TEAM_LEAD, teams: [team] });
  worker = buildStaff(em, { role: Role.TEAM_WORKER, teams: [team] });
  worker2 = buildStaff(em, { role: Role.TEAM_WORKER, teams: [team] });
  outsider = buildStaff(em, { role: Role.TEAM_WORKER, teams: [otherTeam] });
  await em.flush();
  token = await hub.tokenFor(worker);
});

afterAll(async () => {
  await hub?.stop();
});

describe('the happy path', () => {
  it('registers, opens, makes first contact, starts, plans, notes, allocates care and closes', async () => {
    const householdId = await registerHousehold();

    const registeredAt = ago(10);
    const opened = await openCase(householdId, registeredAt);
    expect(opened).toMatchObject({ status: 'REGISTERED', registeredAt: iso(registeredAt), referralSource: 'SELF', startedAt: null });
    expect((opened as any).team).toEqual({ id: team.id, code: team.code });
    expect((opened as any).household).toEqual({ id: householdId });
    let row = await caseRow(opened.id);
    expect(row.status).toBe('REGISTERED');
    expect(ms(row.registered_at)).toBe(registeredAt.getTime());

    const firstContactAt = ago(7);
    const fc = ok(await hub.gql(FIRST_CONTACT, { caseId: opened.id, at: iso(firstContactAt) }, token), 'recordFirstContact');
    expect(fc).toMatchObject({ id: opened.id, status: 'INTAKE', firstContactAt: iso(firstContactAt), daysToFirstContact: 3 });
    row = await caseRow(opened.id);
    expect(row.status).toBe('INTAKE');
    expect(ms(row.first_contact_at)).toBe(firstContactAt.getTime());

    const startedAt = ago(6);
    const started = ok(
      await hub.gql(START, { input: { caseId: opened.id, startedAt: iso(startedAt), coordinatorId: worker2.id } }, token),
      'startCase',
    );
    expect(started).toMatchObject({ status: 'ACTIVE', startedAt: iso(startedAt), coordinator: { id: worker2.id, name: worker2.name } });
    row = await caseRow(opened.id);
    expect(row.status).toBe('ACTIVE');
    expect(row.coordinator_id).toBe(worker2.id);
    expect(ms(row.started_at)).toBe(startedAt.getTime());

    const goal = ok(
      await hub.gql(ADD_GOAL, { input: { caseId: opened.id, description: 'Schulden in kaart brengen', domain: 'FINANCES', targetDate: '2030-01-31' } }, token),
      'addGoal',
    );
    expect(goal).toMatchObject({ description: 'Schulden in kaart brengen', domain: 'FINANCES', status: 'OPEN', targetDate: '2030-01-31' });

    const note = ok(await hub.gql(ADD_NOTE, { input: { caseId: opened.id, body: 'Kennismakingsgesprek thuis gehad.' } }, token), 'addCaseNote');
    expect(note).toMatchObject({ body: 'Kennismakingsgesprek thuis gehad.', author: { id: worker.id, name: worker.name } });
    expect(Date.parse(note.createdAt)).toBeGreaterThan(Date.now() - 60_000);

    const investigation = iso(ago(5)).slice(0, 10);
    const decided = iso(ago(2)).slice(0, 10);
    const care = ok(
      await hub.gql(
        CARE,
        { input: { caseId: opened.id, provision: 'Huishoudelijke hulp', form: 'ZIN', investigationStartedAt: investigation, decision: 'GRANTED', decidedAt: decided } },
        token,
      ),
      'recordCareAllocation',
    );
    expect(care).toMatchObject({ provision: 'Huishoudelijke hulp', form: 'ZIN', decision: 'GRANTED', investigationStartedAt: investigation, decidedAt: decided });

    const closedAt = ago(1);
    const closed = ok(
      await hub.gql(
        CLOSE,
        { input: { caseId: opened.id, closedAt: iso(closedAt), reason: 'AS_PLANNED', clientRating: 8, selfReliantAfter: true } },
        token,
      ),
      'closeCase',
    );
    expect(closed).toMatchObject({
      status: 'CLOSED',
      startedAt: iso(startedAt),
      closedAt: iso(closedAt),
      closureReason: 'AS_PLANNED',
      clientRating: 8,
      selfReliantAfter: true,
    });
    row = await caseRow(opened.id);
    expect(row).toMatchObject({ status: 'CLOSED', closure_reason: 'AS_PLANNED', client_rating: 8, self_reliant_after: true });
    expect(ms(row.closed_at)).toBe(closedAt.getTime());

    const detail = ok(await hub.gql(DETAIL, { id: opened.id }, token), 'case');
    expect(detail).toMatchObject({
      status: 'CLOSED',
      registeredAt: iso(registeredAt),
      firstContactAt: iso(firstContactAt),
      startedAt: iso(startedAt),
      closedAt: iso(closedAt),
      closureReason: 'AS_PLANNED',
      clientRating: 8,
      selfReliantAfter: true,
      referralSource: 'SELF',
      coordinator: { id: worker2.id },
      team: { id: team.id },
      household: { id: householdId },
    });
    expect(detail.goals).toEqual([goal]);
    expect(detail.notes.totalCount).toBe(1);
    expect(detail.notes.edges[0].node).toMatchObject({ id: note.id, body: note.body, author: { id: worker.id } });
    expect(detail.careAllocations).toEqual([care]);
  });

  it('lets a case close early from REGISTERED and keeps startedAt empty', async () => {
    const { id } = await caseIn('REGISTERED');
    const closedAt = ago(2);
    const closed = ok(await hub.gql(CLOSE, { input: { caseId: id, closedAt: iso(closedAt), reason: 'ENDED_BY_CLIENT' } }, token), 'closeCase');
    expect(closed).toMatchObject({ status: 'CLOSED', startedAt: null, closedAt: iso(closedAt), closureReason: 'ENDED_BY_CLIENT', clientRating: null });
    const row = await caseRow(id);
    expect(row.status).toBe('CLOSED');
    expect(row.started_at).toBeNull();
    expect(row.first_contact_at).toBeNull();
    expect(row.coordinator_id).toBeNull();
  });

  it('lets an INTAKE case close early without a start date', async () => {
    const { id } = await caseIn('INTAKE');
    ok(await hub.gql(CLOSE, { input: { caseId: id, closedAt: iso(ago(1)), reason: 'EXTERNAL' } }, token), 'closeCase');
    const row = await caseRow(id);
    expect(row.status).toBe('CLOSED');
    expect(row.started_at).toBeNull();
  });
});

describe('illegal transitions are CONFLICT and change nothing', () => {
  async function expectConflictUnchanged(caseId: string, send: () => Promise<GqlResponse>, mention: RegExp) {
    const before = await caseRow(caseId);
    const res = await send();
    const err = expectError(res, 'CONFLICT');
    expect(err.message).toMatch(mention);
    expect(await caseRow(caseId)).toEqual(before);
  }

  it('refuses to start a REGISTERED case', async () => {
    const { id } = await caseIn('REGISTERED');
    await expectConflictUnchanged(
      id,
      () => hub.gql(START, { input: { caseId: id, startedAt: iso(ago(1)), coordinatorId: worker.id } }, token),
      /REGISTERED.*ACTIVE|first contact/i,
    );
  });

  it('refuses a first contact on an INTAKE case', async () => {
    const { id } = await caseIn('INTAKE');
    await expectConflictUnchanged(id, () => hub.gql(FIRST_CONTACT, { caseId: id, at: iso(ago(1)) }, token), /INTAKE/);
  });

  it('refuses a first contact on an ACTIVE case', async () => {
    const { id } = await caseIn('ACTIVE');
    await expectConflictUnchanged(id, () => hub.gql(FIRST_CONTACT, { caseId: id, at: iso(ago(1)) }, token), /ACTIVE/);
  });

  it('refuses to close a CLOSED case', async () => {
    const { id } = await caseIn('CLOSED');
    await expectConflictUnchanged(
      id,
      () => hub.gql(CLOSE, { input: { caseId: id, closedAt: iso(ago(0.5)), reason: 'EXTERNAL', clientRating: 3 } }, token),
      /closed/i,
    );
  });

  it('refuses to re-open a CLOSED case (first contact or start again)', async () => {
    const { id } = await caseIn('CLOSED');
    await expectConflictUnchanged(id, () => hub.gql(FIRST_CONTACT, { caseId: id, at: iso(ago(0.5)) }, token), /closed/i);
    await expectConflictUnchanged(
      id,
      () => hub.gql(START, { input: { caseId: id, startedAt: iso(ago(0.5)), coordinatorId: worker.id } }, token),
      /closed/i,
    );
  });

  it('refuses goals, notes and care allocations on a CLOSED case', async () => {
    const { id } = await caseIn('CLOSED');
    const before = await counts();
    expectError(await hub.gql(ADD_GOAL, { input: { caseId: id, description: 'Nog een doel' } }, token), 'CONFLICT');
    expectError(await hub.gql(ADD_NOTE, { input: { caseId: id, body: 'Nog een notitie' } }, token), 'CONFLICT');
    expectError(
      await hub.gql(CARE, { input: { caseId: id, provision: 'Dagbesteding', form: 'PGB', investigationStartedAt: iso(ago(1)).slice(0, 10) } }, token),
      'CONFLICT',
    );
    expect(await counts()).toEqual(before);
  });
});

describe('one household, one plan', () => {
  it('refuses a second open case and allows a new one after closing', async () => {
    const { id, householdId } = await caseIn('INTAKE');
    const before = await counts();
    const second = await hub.gql(OPEN, { input: { householdId, referralSource: 'GP', reason: 'Nog een vraag' } }, token);
    const err = expectError(second, 'CONFLICT');
    expect(err.message).toMatch(/open case/i);
    expect(second.data?.openCase ?? null).toBeNull();
    expect(await counts()).toEqual(before);

    ok(await hub.gql(CLOSE, { input: { caseId: id, closedAt: iso(ago(1)), reason: 'EARLY_BY_AGREEMENT' } }, token), 'closeCase');
    const third = ok(await hub.gql(OPEN, { input: { householdId, referralSource: 'GP', reason: 'Nieuwe vraag' } }, token), 'openCase');
    expect(third).toMatchObject({ status: 'REGISTERED', referralSource: 'GP' });
    expect(third.id).not.toBe(id);
    const [{ open }] = await hub
      .em()
      .getConnection()
      .execute<{ open: string }[]>(`select count(*) as open from "case" where household_id = ? and status <> 'CLOSED'`, [householdId]);
    expect(Number(open)).toBe(1);
  });

  it('lets only one of two concurrent openCase calls succeed', async () => {
    const householdId = await registerHousehold();
    const send = (reason: string) => hub.gql(OPEN, { input: { householdId, referralSource: 'SELF', reason } }, token);
    const results = await Promise.all([send('Eerste'), send('Tweede')]);
    const winners = results.filter((r) => !r.errors);
    const losers = results.filter((r) => r.errors);
    expect(winners, results.map((r) => r.raw).join('\n')).toHaveLength(1);
    expect(losers[0]!.errors![0]!.extensions?.code).toBe('CONFLICT');
    const rows = await hub.em().getConnection().execute<{ id: string }[]>('select id from "case" where household_id = ?', [householdId]);
    expect(rows.map((r) => r.id)).toEqual([winners[0]!.data!.openCase.id]);
  });
});

describe('optimistic locking', () => {
  it('refuses a stale expectedVersion with CONFLICT and changes nothing', async () => {
    const { id } = await caseIn('INTAKE');
    const before = await caseRow(id);
    const stale = before.version - 1;
    const res = await hub.gql(
      CLOSE,
      { input: { caseId: id, closedAt: iso(ago(1)), reason: 'AS_PLANNED', expectedVersion: stale } },
      token,
    );
    const err = expectError(res, 'CONFLICT');
    expect(err.message).toMatch(/changed|version/i);
    expect(await caseRow(id)).toEqual(before);

    const res2 = await hub.gql(START, { input: { caseId: id, startedAt: iso(ago(1)), coordinatorId: worker.id, expectedVersion: stale } }, token);
    expectError(res2, 'CONFLICT');
    expect(await caseRow(id)).toEqual(before);

    // The current version is accepted and bumped.
    const started = ok<{ version: number; status: string }>(
      await hub.gql(START, { input: { caseId: id, startedAt: iso(ago(1)), coordinatorId: worker.id, expectedVersion: before.version } }, token),
      'startCase',
    );
    expect(started.status).toBe('ACTIVE');
    expect(started.version).toBeGreaterThan(before.version);
  });

  it('lets only one of two concurrent closeCase calls win; the database holds the winner', async () => {
    const { id } = await caseIn('ACTIVE');
    const send = (reason: string, rating: number) =>
      hub.gql(CLOSE, { input: { caseId: id, closedAt: iso(ago(1)), reason, clientRating: rating, selfReliantAfter: rating > 5 } }, token);
    const results = await Promise.all([send('AS_PLANNED', 9), send('ENDED_BY_TEAM', 4)]);
    const winners = results.filter((r) => !r.errors);
    const losers = results.filter((r) => r.errors);
    expect(winners, results.map((r) => r.raw).join('\n')).toHaveLength(1);
    expect(losers).toHaveLength(1);
    expect(losers[0]!.errors![0]!.extensions?.code).toBe('CONFLICT');
    const won = winners[0]!.data!.closeCase;
    const row = await caseRow(id);
    expect(row.status).toBe('CLOSED');
    expect(row.closure_reason).toBe(won.closureReason);
    expect(row.client_rating).toBe(won.clientRating);
    expect(row.self_reliant_after).toBe(won.selfReliantAfter);
  });

  it('lets only one of two concurrent startCase calls win; the database holds the winner', async () => {
    const { id } = await caseIn('INTAKE');
    const send = (coordinator: Staff) =>
      hub.gql(START, { input: { caseId: id, startedAt: iso(ago(1)), coordinatorId: coordinator.id } }, token);
    const results = await Promise.all([send(worker), send(lead)]);
    const winners = results.filter((r) => !r.errors);
    expect(winners, results.map((r) => r.raw).join('\n')).toHaveLength(1);
    expect(results.find((r) => r.errors)!.errors![0]!.extensions?.code).toBe('CONFLICT');
    const row = await caseRow(id);
    expect(row.status).toBe('ACTIVE');
    expect(row.coordinator_id).toBe(winners[0]!.data!.startCase.coordinator.id);
  });

  it('throws OptimisticLockError when a second EntityManager flushes a stale copy', async () => {
    const { id } = await caseIn('INTAKE');
    const em1 = hub.em();
    const em2 = hub.em();
    const c1 = await em1.findOneOrFail(Case, id);
    const c2 = await em2.findOneOrFail(Case, id);
    expect(c1.version).toBe(c2.version);
    c1.reason = 'Gewijzigd door de eerste';
    c2.reason = 'Gewijzigd door de tweede';
    await em1.flush();
    await expect(em2.flush()).rejects.toBeInstanceOf(OptimisticLockError);
    const row = await caseRow(id);
    expect(row.reason).toBe('Gewijzigd door de eerste');
    expect(row.version).toBe(c1.version);
  });
});

describe('validation: BAD_USER_INPUT naming the field, nothing half-written', () => {
  async function expectBadInput(send: () => Promise<GqlResponse>, field: string, caseId?: string) {
    const before = await counts();
    const rowBefore = caseId ? await caseRow(caseId) : undefined;
    const res = await send();
    expectError(res, 'BAD_USER_INPUT', field);
    expect(await counts()).toEqual(before);
    if (caseId) expect(await caseRow(caseId)).toEqual(rowBefore);
  }

  it('refuses a future registeredAt', async () => {
    const householdId = await registerHousehold();
    await expectBadInput(
      () => hub.gql(OPEN, { input: { householdId, referralSource: 'SELF', registeredAt: future(), reason: 'Vraag' } }, token),
      'registeredAt',
    );
  });

  it('refuses an empty or blank reason', async () => {
    const householdId = await registerHousehold();
    for (const reason of ['', '   ']) {
      await expectBadInput(() => hub.gql(OPEN, { input: { householdId, referralSource: 'SELF', reason } }, token), 'reason');
    }
  });

  it('refuses a future first contact', async () => {
    const { id } = await caseIn('REGISTERED');
    await expectBadInput(() => hub.gql(FIRST_CONTACT, { caseId: id, at: future() }, token), 'at', id);
  });

  it('refuses a future start and a future closure', async () => {
    const { id } = await caseIn('INTAKE');
    await expectBadInput(
      () => hub.gql(START, { input: { caseId: id, startedAt: future(), coordinatorId: worker.id } }, token),
      'startedAt',
      id,
    );
    await expectBadInput(() => hub.gql(CLOSE, { input: { caseId: id, closedAt: future(), reason: 'AS_PLANNED' } }, token), 'closedAt', id);
  });

  it('refuses a client rating of 0 or 11', async () => {
    const { id } = await caseIn('ACTIVE');
    for (const clientRating of [0, 11]) {
      await expectBadInput(
        () => hub.gql(CLOSE, { input: { caseId: id, closedAt: iso(ago(1)), reason: 'AS_PLANNED', clientRating } }, token),
        'clientRating',
        id,
      );
    }
    expect((await caseRow(id)).status).toBe('ACTIVE');
  });

  it('refuses a coordinator from another team', async () => {
    const { id } = await caseIn('INTAKE');
    await expectBadInput(
      () => hub.gql(START, { input: { caseId: id, startedAt: iso(ago(1)), coordinatorId: outsider.id } }, token),
      'coordinatorId',
      id,
    );
    const row = await caseRow(id);
    expect(row.status).toBe('INTAKE');
    expect(row.coordinator_id).toBeNull();
    expect(row.started_at).toBeNull();
  });

  it('refuses a first contact before the registration', async () => {
    const householdId = await registerHousehold();
    const c = await openCase(householdId, ago(3));
    await expectBadInput(() => hub.gql(FIRST_CONTACT, { caseId: c.id, at: iso(ago(5)) }, token), 'at', c.id);
  });
});
