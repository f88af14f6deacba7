/**
 * Registering a household: the postcode is normalised and decides the team (overridable
 * within the worker's own teams); invalid input is BAD_USER_INPUT naming the field.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type GqlResponse, type TestHub } from '../helpers/app.js';
import { buildStaff, buildTeam } from '../../seeds/factories.js';
import { Role } from '../../src/modules/common/enums.js';
import type { Team } from '../../src/modules/team/team.entity.js';

const REGISTER = /* GraphQL */ `
  mutation RegisterHousehold($input: RegisterHouseholdInput!) {
    registerHousehold(input: $input) {
      id
      team { id code }
      address { street houseNumber postcode city }
      members { id givenName familyName birthDate bsnLast4 }
    }
  }
`;

let hub: TestHub;
let home: Team;
let second: Team;
let foreign: Team;
let token: string;

function input(overrides: { postcode?: string; teamId?: string; member?: Record<string, unknown>; houseNumber?: string } = {}) {
  return {
    input: {
      ...(overrides.teamId ? { teamId: overrides.teamId } : {}),
      address: { street: 'Amsterdamsestraatweg', houseNumber: overrides.houseNumber ?? '112', postcode: overrides.postcode ?? '3562AB', city: 'Utrecht' },
      members: [{ givenName: 'Anouk', familyName: 'de Jong', birthDate: '1990-05-01', relation: 'HEAD', ...overrides.member }],
    },
  };
}

async function counts(): Promise<{ household: number; resident: number }> {
  const [row] = await hub
    .em()
    .getConnection()
    .execute<{ household: string; resident: string }[]>('select (select count(*) from household) as household, (select count(*) from resident) as resident');
  return { household: Number(row!.household), resident: Number(row!.resident) };
}

/** Sends, expects the error code (and the field path in the message), and checks nothing was written. */
async function expectRefused(variables: ReturnType<typeof input>, code: string, field?: string): Promise<GqlResponse> {
  const before = await counts();
  const res = await hub.gql(REGISTER, variables, token);
  expect(res.errors, res.raw).toBeDefined();
  const err = res.errors![0]!;
  expect(err.extensions?.code, res.raw).toBe(code);
  if (field) expect(err.message, res.raw).toContain(field);
  expect(res.data?.registerHousehold ?? null).toBeNull();
  expect(await counts()).toEqual(before);
  return res;
}

beforeAll(async () => {
  hub = await startTestHub();
  const em = hub.em();
  home = buildTeam(em, { postcodes: ['3562'] });
  second = buildTeam(em, { postcodes: ['3563'] });
  foreign = buildTeam(em, { postcodes: ['3564'] });
  const worker = buildStaff(em, { role: Role.TEAM_WORKER, teams: [home, second] });
  buildStaff(em, { role: Role.TEAM_LEAD, teams: [home] });
  buildStaff(em, { role: Role.TEAM_WORKER, teams: [foreign] });
  await em.flush();
  token = await hub.tokenFor(worker);
});

afterAll(async () => {
  await hub?.stop();
});

describe('postcode routing', () => {
  it("normalises '3562 ab' to 3562AB and routes to the team covering 3562", async () => {
    const res = await hub.gql(REGISTER, input({ postcode: '3562 ab' }), token);
    expect(res.errors, res.raw).toBeUndefined();
    const h = res.data!.registerHousehold;
    expect(h.team).toEqual({ id: home.id, code: home.code });
    expect(h.address).toEqual({ street: 'Amsterdamsestraatweg', houseNumber: '112', postcode: '3562AB', city: 'Utrecht' });
    expect(h.members).toHaveLength(1);
    expect(h.members[0]).toMatchObject({ givenName: 'Anouk', familyName: 'de Jong', birthDate: '1990-05-01', bsnLast4: null });

    const [row] = await hub
      .em()
      .getConnection()
      .execute<{ postcode: string; team_id: string }[]>('select postcode, team_id from household where id = ?', [h.id]);
    expect(row).toEqual({ postcode: '3562AB', team_id: home.id });
    const residents = await hub.em().getConnection().execute<{ team_id: string }[]>('select team_id from resident where household_id = ?', [h.id]);
    expect(residents).toEqual([{ team_id: home.id }]);
  });

  it('routes a postcode of the second own team to that team', async () => {
    const res = await hub.gql(REGISTER, input({ postcode: '3563XK' }), token);
    expect(res.errors, res.raw).toBeUndefined();
    expect(res.data!.registerHousehold.team.id).toBe(second.id);
  });

  it('refuses a postcode no team covers with BAD_USER_INPUT naming address.postcode', async () => {
    await expectRefused(input({ postcode: '9999 ZZ' }), 'BAD_USER_INPUT', 'address.postcode');
  });

  it("lets teamId override the routing to another of the worker's own teams", async () => {
    const res = await hub.gql(REGISTER, input({ postcode: '3562 CD', teamId: second.id }), token);
    expect(res.errors, res.raw).toBeUndefined();
    const h = res.data!.registerHousehold;
    expect(h.team.id).toBe(second.id);
    expect(h.address.postcode).toBe('3562CD');
    const [row] = await hub.em().getConnection().execute<{ team_id: string }[]>('select team_id from household where id = ?', [h.id]);
    expect(row!.team_id).toBe(second.id);
  });

  it('refuses an override to a team the worker is not in (FORBIDDEN)', async () => {
    await expectRefused(input({ postcode: '3564AB', teamId: foreign.id }), 'FORBIDDEN');
    await expectRefused(input({ postcode: '3562AB', teamId: foreign.id }), 'FORBIDDEN');
  });

  it("refuses a postcode of another team without override (FORBIDDEN)", async () => {
    const res = await expectRefused(input({ postcode: '3564 AB' }), 'FORBIDDEN');
    // The message says what to do; it names no personal data.
    expect(res.errors![0]!.message).toMatch(/teamId/);
  });
});

describe('input validation names the field', () => {
  it.each(['3562', '0562AB', '3562 A', '35620AB', 'ABCD12', '3562SS', ''])('refuses postcode %j', async (postcode) => {
    await expectRefused(input({ postcode }), 'BAD_USER_INPUT', 'address.postcode');
  });

  it('refuses a birth date in the future', async () => {
    const tomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    await expectRefused(input({ member: { birthDate: tomorrow } }), 'BAD_USER_INPUT', 'members.0.birthDate');
  });

  it('refuses a given name of 101 characters', async () => {
    await expectRefused(input({ member: { givenName: 'A'.repeat(101) } }), 'BAD_USER_INPUT', 'members.0.givenName');
  });

  it('accepts a given name of exactly 100 characters', async () => {
    const res = await hub.gql(REGISTER, input({ member: { givenName: 'B'.repeat(100) } }), token);
    expect(res.errors, res.raw).toBeUndefined();
    expect(res.data!.registerHousehold.members[0].givenName).toBe('B'.repeat(100));
  });

  it('refuses an empty family name and an invalid house number', async () => {
    await expectRefused(input({ member: { familyName: '  ' } }), 'BAD_USER_INPUT', 'members.0.familyName');
    await expectRefused(input({ houseNumber: 'twaalf' }), 'BAD_USER_INPUT', 'address.houseNumber');
  });

  it('names the member index of a later member', async () => {
    const variables = input();
    variables.input.members.push({ givenName: 'Daan', familyName: 'de Jong', birthDate: '2999-01-01', relation: 'CHILD' });
    await expectRefused(variables, 'BAD_USER_INPUT', 'members.1.birthDate');
  });
});
