/**
 * The BSN over HTTP: validated with the elfproef without echoing it, stored only encrypted,
 * never returned (at most bsnLast4 to the own team), and absent from the schema's output types.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractFile, startTestHub, type GqlResponse, type TestHub } from '../helpers/app.js';
import { buildStaff, buildTeam } from '../../seeds/factories.js';
import { Role } from '../../src/modules/common/enums.js';
import { decryptBsn } from '../../src/modules/household/bsn.js';

const VALID_BSN = '111222333';
const SECOND_BSN = '123456782';
const INVALID_BSN = '123456789';

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
const OPEN = /* GraphQL */ `
  mutation OpenCase($input: OpenCaseInput!) { openCase(input: $input) { id status } }
`;
const CASE_DETAIL = /* GraphQL */ `
  query CaseDetail($id: ID!) {
    case(id: $id) {
      id status reason registeredAt
      household { id address { street houseNumber postcode city } members { id givenName familyName birthDate bsnLast4 phone languages relation } }
      notes(first: 20) { totalCount edges { node { id body } } }
      zrmAssessments { id }
      consents { id }
    }
  }
`;
const TEAM_CASES = /* GraphQL */ `
  query TeamCases($teamId: ID!) {
    cases(filter: { teamId: $teamId }, first: 50) {
      totalCount
      edges { node { id status household { id members { id givenName familyName birthDate bsnLast4 } } } }
    }
  }
`;
const HOUSEHOLD = /* GraphQL */ `
  query Household($id: ID!) {
    household(id: $id) {
      id team { id code }
      address { street houseNumber postcode city }
      members { id givenName familyName birthDate bsnLast4 phone languages relation }
      cases { id status }
    }
  }
`;

let hub: TestHub;
let teamId: string;
let token: string;
let outsiderToken: string;
let householdId: string;
let caseId: string;
let members: { id: string; givenName: string; bsnLast4: string | null }[];

function registration(bsn: string | null, extra: Record<string, unknown>[] = []) {
  return {
    input: {
      address: { street: 'Kanaalstraat', houseNumber: '21', postcode: '3531 CJ', city: 'Utrecht' },
      members: [{ givenName: 'Samira', familyName: 'El Amrani', birthDate: '1979-11-02', relation: 'HEAD', bsn, phone: '06-12345678' }, ...extra],
    },
  };
}

/** No BSN digit string in any column of any table of the hub's database. */
async function tablesContaining(needle: string): Promise<string[]> {
  const conn = hub.em().getConnection();
  const tables = await conn.execute<{ table_name: string }[]>(
    `select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'`,
  );
  const hits: string[] = [];
  for (const { table_name } of tables) {
    const [row] = await conn.execute<{ n: string }[]>(`select count(*) as n from "${table_name}" t where t::text like ?`, [`%${needle}%`]);
    if (Number(row!.n) > 0) hits.push(table_name);
  }
  return hits;
}

function expectNoBsn(res: GqlResponse) {
  for (const bsn of [VALID_BSN, SECOND_BSN]) expect(res.raw).not.toContain(bsn);
}

beforeAll(async () => {
  hub = await startTestHub();
  const em = hub.em();
  const team = buildTeam(em, { postcodes: ['3531'] });
  const otherTeam = buildTeam(em, { postcodes: ['3532'] });
  const worker = buildStaff(em, { role: Role.TEAM_WORKER, teams: [team] });
  buildStaff(em, { role: Role.TEAM_LEAD, teams: [team] });
  const outsider = buildStaff(em, { role: Role.TEAM_WORKER, teams: [otherTeam] });
  await em.flush();
  teamId = team.id;
  token = await hub.tokenFor(worker);
  outsiderToken = await hub.tokenFor(outsider);
});

afterAll(async () => {
  await hub?.stop();
});

describe('registering with a BSN', () => {
  it('refuses an invalid BSN with BAD_USER_INPUT that does not echo it', async () => {
    const [before] = await hub.em().getConnection().execute<{ n: string }[]>('select count(*) as n from resident');
    for (const bsn of [INVALID_BSN, '000000000', '12345678x']) {
      const res = await hub.gql(REGISTER, registration(bsn), token);
      expect(res.errors, res.raw).toBeDefined();
      const err = res.errors![0]!;
      expect(err.extensions?.code).toBe('BAD_USER_INPUT');
      expect(err.message).toContain('members.0.bsn');
      expect(err.message).not.toContain(bsn);
      expect(res.raw).not.toContain(bsn);
    }
    const [after] = await hub.em().getConnection().execute<{ n: string }[]>('select count(*) as n from resident');
    expect(after!.n).toBe(before!.n);
    expect(await tablesContaining(INVALID_BSN)).toEqual([]);
  });

  it('refuses a 10-digit BSN without echoing it', async () => {
    const res = await hub.gql(REGISTER, registration('1112223330'), token);
    expect(res.errors?.[0]?.extensions?.code, res.raw).toBe('BAD_USER_INPUT');
    expect(res.raw).not.toContain('1112223330');
  });

  it('stores a valid BSN only encrypted and returns bsnLast4 to the own team', async () => {
    const res = await hub.gql(
      REGISTER,
      registration(VALID_BSN, [{ givenName: 'Youssef', familyName: 'El Amrani', birthDate: '1977-04-20', relation: 'PARTNER', bsn: SECOND_BSN }]),
      token,
    );
    expect(res.errors, res.raw).toBeUndefined();
    expectNoBsn(res);
    const h = res.data!.registerHousehold;
    householdId = h.id;
    // Members are listed oldest first; match them by name.
    members = [...h.members].sort((a: { givenName: string }, b: { givenName: string }) => (a.givenName === 'Samira' ? -1 : b.givenName === 'Samira' ? 1 : 0));
    expect(h.team.id).toBe(teamId);
    expect(members.map((m) => [m.givenName, m.bsnLast4])).toEqual([['Samira', '2333'], ['Youssef', '6782']]);

    const conn = hub.em().getConnection();
    const rows = await conn.execute<{ id: string; bsn_encrypted: string | null; bsn_hash: string | null; bsn_last4: string | null }[]>(
      'select id, bsn_encrypted, bsn_hash, bsn_last4 from resident where household_id = ? order by given_name desc',
      [householdId],
    );
    expect(rows).toHaveLength(2);
    const samira = rows.find((r) => r.id === members[0]!.id)!;
    expect(samira.bsn_encrypted).toBeTruthy();
    expect(samira.bsn_encrypted).not.toContain(VALID_BSN);
    expect(decryptBsn(samira.bsn_encrypted!, hub.config.BSN_KEY)).toBe(VALID_BSN);
    expect(samira.bsn_last4).toBe('2333');

    // No column of resident (nor of any other table) holds the BSN digits.
    const [inResident] = await conn.execute<{ n: string }[]>('select count(*) as n from resident r where r::text like ?', [`%${VALID_BSN}%`]);
    expect(Number(inResident!.n)).toBe(0);
    expect(await tablesContaining(VALID_BSN)).toEqual([]);
    expect(await tablesContaining(SECOND_BSN)).toEqual([]);
  });

  it('accepts the BSN written with spaces or dots', async () => {
    const res = await hub.gql(REGISTER, { input: { ...registration('999.999.990').input, address: { ...registration(null).input.address, houseNumber: '23' } } }, token);
    expect(res.errors, res.raw).toBeUndefined();
    expect(res.data!.registerHousehold.members[0].bsnLast4).toBe('9990');
    expect(res.raw).not.toContain('999999990');
    expect(await tablesContaining('999999990')).toEqual([]);
  });
});

describe('the case file never returns the BSN', () => {
  beforeAll(async () => {
    const res = await hub.gql(OPEN, { input: { householdId, referralSource: 'SELF', reason: 'Hulp bij administratie' } }, token);
    expect(res.errors, res.raw).toBeUndefined();
    caseId = res.data!.openCase.id;
  });

  it('CaseDetail, TeamCases and household show bsnLast4 at most', async () => {
    const detail = await hub.gql(CASE_DETAIL, { id: caseId }, token);
    expect(detail.errors, detail.raw).toBeUndefined();
    expect(detail.data!.case.household.members.map((m: { bsnLast4: string }) => m.bsnLast4).sort()).toEqual(['2333', '6782']);
    expectNoBsn(detail);

    const list = await hub.gql(TEAM_CASES, { teamId }, token);
    expect(list.errors, list.raw).toBeUndefined();
    expect(list.data!.cases.edges.map((e: { node: { id: string } }) => e.node.id)).toContain(caseId);
    expectNoBsn(list);

    const household = await hub.gql(HOUSEHOLD, { id: householdId }, token);
    expect(household.errors, household.raw).toBeUndefined();
    expect(household.data!.household.members).toHaveLength(2);
    expectNoBsn(household);
  });

  it('the contract operations of team.graphql never return it', async (ctx) => {
    const contract = contractFile('team.graphql');
    if (!contract) {
      ctx.skip();
      return;
    }
    for (const [operation, variables] of [
      ['CaseDetail', { id: caseId }],
      ['TeamCases', { teamId, first: 50 }],
    ] as const) {
      const res = await hub.gql(contract, variables, token, operation);
      expect(res.errors, `${operation}: ${res.raw}`).toBeUndefined();
      expectNoBsn(res);
    }
  });

  it('another team sees nothing of the household', async () => {
    const res = await hub.gql(HOUSEHOLD, { id: householdId }, outsiderToken);
    expect(res.errors?.[0]?.extensions?.code, res.raw).toBe('NOT_FOUND');
    expect(res.data?.household ?? null).toBeNull();
    expect(res.raw).not.toContain('Samira');
    expectNoBsn(res);

    const detail = await hub.gql(CASE_DETAIL, { id: caseId }, outsiderToken);
    expect(detail.errors?.[0]?.extensions?.code, detail.raw).toBe('NOT_FOUND');
    expectNoBsn(detail);
  });

  it('asking for a field named bsn is a validation error', async () => {
    const res = await hub.gql(`query($id: ID!) { household(id: $id) { members { bsn } } }`, { id: householdId }, token);
    expect(res.errors?.[0]?.extensions?.code, res.raw).toBe('BAD_USER_INPUT');
    expect(res.data ?? null).toBeNull();
    expectNoBsn(res);
  });
});

describe('the schema', () => {
  it('has no output field named bsn (only bsnLast4)', async () => {
    const res = await hub.gql(
      `{ __schema { types { name kind fields(includeDeprecated: true) { name } } } }`,
      {},
      token,
    );
    expect(res.errors, res.raw).toBeUndefined();
    const types = res.data!.__schema.types as { name: string; kind: string; fields: { name: string }[] | null }[];
    const output = types.filter((t) => (t.kind === 'OBJECT' || t.kind === 'INTERFACE') && !t.name.startsWith('__'));
    expect(output.length).toBeGreaterThan(10);
    const bsnFields = output.flatMap((t) => (t.fields ?? []).filter((f) => /bsn/i.test(f.name)).map((f) => `${t.name}.${f.name}`));
    expect(bsnFields.every((f) => f.endsWith('.bsnLast4'))).toBe(true);
    expect(bsnFields).toContain('Resident.bsnLast4');
  });
});
