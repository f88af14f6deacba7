/**
 * No disclosure without its audit row (DESIGN.md: every read of personal data writes one): when
 * the access_log insert fails, the client gets INTERNAL_SERVER_ERROR and none of the data, on
 * both ways a read is recorded — batched at the end of the request (loaders) and in the read's
 * own statement (TeamCases, CaseDetail); for a mutation whose change has committed, the message
 * says so. The failure is real: a trigger on the test database rejects the rows of requests
 * whose id starts with `fail-audit-` (all rows) or `fail-reads-` (READ rows only).
 */
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../helpers/app.js';
import { buildCase, buildHousehold, buildStaff, buildTeam } from '../../seeds/factories.js';
import { CaseStatus, Role } from '../../src/modules/common/enums.js';

const STREET = 'Auditloosstraat';
const GIVEN = 'Onvermeld';

let hub: TestHub;
let token: string;
let teamId: string;
let householdId: string;
let caseId: string;
let secondHouseholdId: string;

beforeAll(async () => {
  hub = await startTestHub();
  const em = hub.em();
  const team = buildTeam(em);
  const worker = buildStaff(em, { role: Role.TEAM_WORKER, teams: [team] });
  const { household } = buildHousehold(em, { team, street: STREET, members: [{ givenName: GIVEN, familyName: 'Geheim', birthDate: '1970-01-01' }] });
  const c = buildCase(em, { household, status: CaseStatus.ACTIVE, coordinator: worker });
  const second = buildHousehold(em, { team, street: STREET, members: [{ givenName: GIVEN, familyName: 'Tweede', birthDate: '1971-01-01' }] });
  await em.flush();
  [token, teamId, householdId, caseId, secondHouseholdId] = [await hub.tokenFor(worker), team.id, household.id, c.id, second.household.id];

  const client = new pg.Client({ connectionString: hub.db.url });
  await client.connect();
  await client.query(`
    create function test_audit_unavailable() returns trigger language plpgsql as $$
    begin
      if new.request_id like 'fail-audit-%' then raise exception 'audit log unavailable'; end if;
      -- Only the READ rows: a mutation's own CREATE/UPDATE rows commit with its change.
      if new.request_id like 'fail-reads-%' and new.action = 'READ' then raise exception 'audit log unavailable'; end if;
      return new;
    end $$;
    create trigger test_audit_unavailable before insert on access_log for each row execute function test_audit_unavailable();`);
  await client.end();
});

afterAll(async () => {
  await hub?.stop();
});

async function ask(query: string, variables: Record<string, unknown>, requestId: string) {
  const res = await fetch(hub.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-request-id': requestId },
    body: JSON.stringify({ query, variables }),
  });
  const raw = await res.text();
  return { status: res.status, raw, body: JSON.parse(raw) as { data?: unknown; errors?: { extensions?: { code?: string } }[] } };
}

const READS = {
  'a household (its READs flushed at the end of the request)': {
    query: `query($id: ID!) { household(id: $id) { id address { street } members { givenName } } }`,
    variables: () => ({ id: householdId }),
  },
  'a team case list (its READs written by the read statement)': {
    query: `query($teamId: ID!) { cases(filter: { teamId: $teamId }, first: 10) { edges { node { id household { address { street } members { givenName } } } } } }`,
    variables: () => ({ teamId }),
  },
  'a case detail (its READs written by the read statement)': {
    query: `query($id: ID!) { case(id: $id) { id household { address { street } members { givenName } } } }`,
    variables: () => ({ id: caseId }),
  },
};

describe('when the audit log cannot be written', () => {
  for (const [what, op] of Object.entries(READS)) {
    it(`${what}: answered while the log works (control)`, async () => {
      const res = await ask(op.query, op.variables(), `ok-${randomUUID()}`);
      expect(res.status).toBe(200);
      expect(res.body.errors).toBeUndefined();
      expect(res.raw).toContain(STREET);
      expect(res.raw).toContain(GIVEN);
    });

    it(`${what}: withheld, with INTERNAL_SERVER_ERROR`, async () => {
      const res = await ask(op.query, op.variables(), `fail-audit-${randomUUID()}`);
      expect(res.body.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
      expect(res.raw).not.toContain(STREET);
      expect(res.raw).not.toContain(GIVEN);
      expect(res.raw).not.toContain(householdId);
    });
  }
});

describe('when the READ rows of a mutation cannot be written', () => {
  it('withholds the answer, and says the change may have been saved', async () => {
    const res = await ask(
      `mutation($input: OpenCaseInput!) { openCase(input: $input) { id household { address { street } members { givenName } } } }`,
      { input: { householdId: secondHouseholdId, referralSource: 'SELF', reason: 'Vraag bij aanmelding' } },
      `fail-reads-${randomUUID()}`,
    );
    expect(res.status).toBe(500);
    expect(res.body.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    expect((res.body.errors?.[0] as { message?: string } | undefined)?.message).toMatch(/may have been saved/);
    expect(res.raw).not.toContain(STREET);
    expect(res.raw).not.toContain(GIVEN);
    // The change itself committed, with its CREATE row.
    const client = new pg.Client({ connectionString: hub.db.url });
    await client.connect();
    const { rows } = await client.query(`select count(*)::int as n from "case" where household_id = $1`, [secondHouseholdId]);
    const { rows: created } = await client.query(`select count(*)::int as n from access_log where action = 'CREATE' and object_type = 'Case' and household_id = $1`, [secondHouseholdId]);
    await client.end();
    expect(rows[0].n).toBe(1);
    expect(created[0].n).toBe(1);
  });
});
