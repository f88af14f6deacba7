/**
 * The case list and the case detail read only the columns that the operation shows (`operationFields` in
 * src/modules/common/selection.ts, `omittedProps` in src/db/lean.ts): a page of cases does not
 * carry every case's reason, every member's phone or BSN hash, or a street the list does not
 * show. What it leaves out is decided for the whole operation, so another part of the same
 * operation that reads the same objects through the loaders still finds what it shows; outside
 * production, code that reads a left-out property throws (the tests here run with that guard).
 * That the list's answers and audit rows stay the same for every role is held by read-paths.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Kind, parse, type FragmentDefinitionNode, type GraphQLResolveInfo, type GraphQLSchema, type OperationDefinitionNode } from 'graphql';
import { startTestHub, type TestHub } from '../helpers/app.js';
import { countSql } from '../helpers/sql-count.js';
import { buildCase, buildHousehold, buildNote, buildStaff, buildTeam } from '../../seeds/factories.js';
import { Rng } from '../../seeds/random.js';
import { buildAppSchema } from '../../src/schema.js';
import { OPS } from '../../bench/scenarios.js';
import { operationFields } from '../../src/modules/common/selection.js';
import { declaredFieldResolverReads, fieldResolverReads, leanRows, omittedProps } from '../../src/db/lean.js';
import { getMetadataStorage } from 'type-graphql';
import { Referral } from '../../src/modules/referral/referral.entity.js';
import { CaseNote } from '../../src/modules/case/case-note.entity.js';
import { Consent } from '../../src/modules/consent/consent.entity.js';
import { CaseStatus, Role } from '../../src/modules/common/enums.js';
import { Case } from '../../src/modules/case/case.entity.js';
import { Household } from '../../src/modules/household/household.entity.js';
import { Resident } from '../../src/modules/household/resident.entity.js';
import { Staff } from '../../src/modules/staff/staff.entity.js';
import { Team } from '../../src/modules/team/team.entity.js';
import { ZrmAssessment } from '../../src/modules/case/zrm-assessment.entity.js';
import { Goal } from '../../src/modules/case/goal.entity.js';
import { CareAllocation } from '../../src/modules/case/care-allocation.entity.js';

/** The contract's TeamCases (team.graphql), as the bench sends it. */
const TEAM_CASES = OPS.teamCases;

let hub: TestHub;
let schema: GraphQLSchema;
let team: Team;
let worker: Staff;
const cases: Case[] = [];
const households: Household[] = [];

beforeAll(async () => {
  hub = await startTestHub();
  schema = await buildAppSchema();
  const em = hub.em();
  const rng = new Rng('read-columns');
  team = buildTeam(em, { postcodes: ['3913'] });
  worker = buildStaff(em, { role: Role.TEAM_WORKER, teams: [team], rng });
  for (let i = 0; i < 4; i++) {
    const h = buildHousehold(em, { team, members: 2, rng });
    households.push(h.household);
    cases.push(buildCase(em, { household: h.household, status: CaseStatus.ACTIVE, coordinator: worker, rng }));
  }
  for (let n = 0; n < 5; n++) buildNote(em, { case: cases[0]!, author: worker, rng });
  await em.flush();
});

afterAll(async () => {
  await hub?.stop();
});

/** The parts of a resolver's info that `operationFields` reads, for a whole document. */
function infoOf(document: string): GraphQLResolveInfo {
  const doc = parse(document);
  const operation = doc.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  const fragments = Object.fromEntries(
    doc.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]),
  );
  return { schema, operation, fragments } as unknown as GraphQLResolveInfo;
}

const sorted = (set: ReadonlySet<string>) => [...set].sort();

describe('what the case list leaves out', () => {
  it('for the contract TeamCases: every column no field of the operation shows, and nothing it shows', () => {
    const em = hub.em();
    const fields = operationFields(infoOf(TEAM_CASES));
    expect(sorted(fields.get('Case')!)).toEqual(['coordinator', 'household', 'id', 'latestZrm', 'registeredAt', 'startedAt', 'status']);
    expect(sorted(fields.get('Address')!)).toEqual(['postcode']);
    expect(sorted(omittedProps(em, Case, fields, ['registeredAt']))).toEqual(
      ['clientRating', 'closedAt', 'closureReason', 'firstContactAt', 'reason', 'referralSource', 'selfReliantAfter', 'version'],
    );
    // The address through `address` (the Address fields of the same names); anonymisedAt has no
    // field and stays (code may read it).
    expect(sorted(omittedProps(em, Household, fields))).toEqual(['city', 'houseNumber', 'houseNumberAddition', 'street']);
    // bsnHash: hidden, and no field shows it. The encrypted BSN is lazy: never read by a list.
    expect(sorted(omittedProps(em, Resident, fields))).toEqual(['anonymisedAt', 'birthDate', 'bsnHash', 'bsnLast4', 'languages', 'phone', 'relation']);
    expect(sorted(omittedProps(em, Staff, fields))).toEqual(['email', 'phone', 'role']);
  });

  it('never a column that another part of the operation, a fragment or a field under a directive shows', () => {
    const em = hub.em();
    const fields = operationFields(
      infoOf(`query($id: ID!, $hid: ID!, $no: Boolean!) {
        cases(first: 5) { edges { node { id ...CaseBits household { id } } } }
        household(id: $hid) { address { street } members { ...Contact } }
        case(id: $id) { firstContactAt @include(if: $no) }
      }
      fragment CaseBits on Case { reason }
      fragment Contact on Resident { phone }
      fragment Unused on Staff { email }`),
    );
    const caseOmitted = omittedProps(em, Case, fields, ['registeredAt']);
    expect(caseOmitted.has('reason')).toBe(false);
    expect(caseOmitted.has('firstContactAt')).toBe(false);
    expect(caseOmitted.has('closedAt')).toBe(true);
    const householdOmitted = omittedProps(em, Household, fields);
    expect(householdOmitted.has('street')).toBe(false);
    expect(householdOmitted.has('city')).toBe(true);
    expect(omittedProps(em, Resident, fields).has('phone')).toBe(false);
    // Every fragment of the document counts, used or not: it never says less than a request reads.
    expect(omittedProps(em, Staff, fields).has('email')).toBe(false);
  });

  it('never the primary key, a relation, a `keep` column or a property without a field', () => {
    const em = hub.em();
    const fields = operationFields(infoOf('{ cases(first: 1) { totalCount } }'));
    const omitted = omittedProps(em, Case, fields);
    for (const prop of ['id', 'household', 'team', 'coordinator']) expect(omitted.has(prop)).toBe(false);
    expect(omitted.has('registeredAt')).toBe(true);
    expect(omittedProps(em, Case, fields, ['registeredAt']).has('registeredAt')).toBe(false);
    expect(omittedProps(em, Household, fields).has('anonymisedAt')).toBe(false);
    expect(omittedProps(em, Staff, fields).has('active')).toBe(false);
  });
});

describe('what field resolvers read', () => {
  it('keeps what a selected resolver is declared to read, and everything when it is not declared', () => {
    const em = hub.em();
    // daysToFirstContact computes from two dates that the operation does not select.
    const days = omittedProps(em, Case, operationFields(infoOf('{ cases(first: 1) { edges { node { id daysToFirstContact } } } }')));
    expect(days.has('firstContactAt')).toBe(false);
    expect(days.has('registeredAt')).toBe(false);
    expect(days.has('closedAt')).toBe(true);
    // Referrals are not declared, so they are always read whole. Declared here with one of their
    // resolvers (from, which follows an id), selecting it leaves the unselected columns out;
    // selecting an undeclared one (status, subject) keeps every column.
    const referral = (selection: string) => omittedProps(em, Referral, operationFields(infoOf(`query($id: ID!) { case(id: $id) { referral { ${selection} } } }`)));
    expect(referral('id from { id }').size).toBe(0);
    fieldResolverReads(Referral, { from: [] });
    expect(referral('id kind from { id }').has('externalId')).toBe(true);
    expect(referral('id kind from { id }').has('kind')).toBe(false);
    expect(referral('id status').size).toBe(0);
    expect(referral('id subject { givenName }').size).toBe(0);
  });

  it('an entity that is not declared is always read whole (a team: another type reads its name)', () => {
    const em = hub.em();
    const fields = operationFields(infoOf('query($id: ID!) { case(id: $id) { team { id } } }'));
    expect(declaredFieldResolverReads().has(Team)).toBe(false);
    expect(omittedProps(em, Team, fields).size).toBe(0);
  });

  it('every declaration names a field resolver of its type, and the read paths declare all of theirs', () => {
    const storage = getMetadataStorage();
    const resolversOf = (entity: Function) =>
      storage.fieldResolvers.filter((r) => r.getObjectType?.() === entity).map((r) => r.schemaName).sort();
    for (const [entity, reads] of declaredFieldResolverReads()) {
      for (const field of reads.keys()) expect(resolversOf(entity), `${entity.name}.${field}`).toContain(field);
    }
    // Undeclared, a selected resolver would make the case list and detail read every column again.
    for (const entity of [Case, Household, Resident, Staff, CaseNote, Consent, ZrmAssessment, Goal, CareAllocation]) {
      expect([...(declaredFieldResolverReads().get(entity)?.keys() ?? [])].sort(), entity.name).toEqual(resolversOf(entity));
    }
  });

  it('over HTTP, a computed field gets its columns when the list does not show them', async () => {
    const token = await hub.tokenFor(worker);
    const computed = await hub.gql(`query($teamId: ID!) { cases(filter: { teamId: $teamId }, first: 50) { edges { node { id daysToFirstContact } } } }`, { teamId: team.id }, token);
    expect(computed.errors).toBeUndefined();
    const dates = await hub.gql(`query($teamId: ID!) { cases(filter: { teamId: $teamId }, first: 50) { edges { node { id registeredAt firstContactAt } } } }`, { teamId: team.id }, token);
    const expected = dates.data!.cases.edges.map((e: { node: { id: string; registeredAt: string; firstContactAt: string | null } }) => ({
      id: e.node.id,
      // As the resolver computes it (daysBetween: tenths of a day, then whole days).
      daysToFirstContact: e.node.firstContactAt ? Math.round(Math.round(((Date.parse(e.node.firstContactAt) - Date.parse(e.node.registeredAt)) / 86_400_000) * 10) / 10) : null,
    }));
    expect(computed.data!.cases.edges.map((e: { node: unknown }) => e.node)).toEqual(expected);
    expect(expected.some((e: { daysToFirstContact: number | null }) => e.daysToFirstContact !== null)).toBe(true);
  });
});

describe('outside production, a left-out property cannot be read by mistake', () => {
  it('throws on a left-out property, and reads the others as before', () => {
    const em = hub.em();
    const [resident] = leanRows(em, Resident, [{ id: 'r1', household_id: 'h1', team_id: 't1', given_name: 'Sanne', family_name: 'de Vries' }], new Set(['phone']));
    expect(resident!.givenName).toBe('Sanne');
    expect(resident!.household).toEqual({ id: 'h1' });
    expect(() => resident!.phone).toThrow('Resident.phone was left out of this read');
    // Not a thenable: graphql-js checks every resolved value for `then`.
    expect((resident as unknown as { then?: unknown }).then).toBeUndefined();
    // Without a left-out set: the plain object.
    const [plain] = leanRows(em, Resident, [{ id: 'r2', phone: null }]);
    expect(plain!.phone).toBeNull();
  });
});

describe('over HTTP', () => {
  it('the page statement selects only the columns TeamCases shows', async () => {
    const counter = countSql(hub.db.orm);
    try {
      counter.reset();
      const res = await hub.gql(TEAM_CASES, { teamId: team.id, first: 50 }, await hub.tokenFor(worker));
      expect(res.errors).toBeUndefined();
      expect(res.data!.cases.edges).toHaveLength(4);
      const page = counter.statements.find((s) => s.includes('with page as'))!;
      expect(page).toBeTruthy();
      for (const column of ['"reason"', '"phone"', '"bsn_hash"', '"bsn_last4"', '"street"', '"city"', '"email"', '"closure_reason"']) {
        expect(page, column).not.toContain(column);
      }
      for (const column of ['"registered_at"', '"started_at"', '"postcode"', '"given_name"', '"family_name"', '"household_id"']) {
        expect(page, column).toContain(column);
      }
    } finally {
      counter.stop();
    }
  });

  it('the case detail statement too, and a notes page keeps the column of its cursor', async () => {
    const token = await hub.tokenFor(worker);
    const counter = countSql(hub.db.orm);
    try {
      counter.reset();
      const detail = `query($id: ID!) { case(id: $id) { id status household { id address { postcode } members { id givenName } } } }`;
      const res = await hub.gql(detail, { id: cases[0]!.id }, token);
      expect(res.errors).toBeUndefined();
      const statement = counter.statements.find((s) => s.includes('with c as'))!;
      for (const column of ['"reason"', '"closure_reason"', '"phone"', '"bsn_hash"', '"languages"', '"street"']) {
        expect(statement, column).not.toContain(column);
      }
    } finally {
      counter.stop();
    }
    // The cursor is made of createdAt and id: without createdAt selected, the page and its cursors
    // are those of the same page with createdAt selected.
    const page = (extra: string) =>
      hub.gql(`query($id: ID!) { case(id: $id) { notes(first: 2) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id ${extra} } } } } }`, { id: cases[0]!.id }, token);
    const [bare, full] = await Promise.all([page(''), page('createdAt')]);
    expect(bare.errors).toBeUndefined();
    expect(bare.data!.case.notes.totalCount).toBe(5);
    expect(bare.data!.case.notes.pageInfo).toEqual(full.data!.case.notes.pageInfo);
    expect(bare.data!.case.notes.edges.map((e: { cursor: string }) => e.cursor)).toEqual(full.data!.case.notes.edges.map((e: { cursor: string }) => e.cursor));
  });

  it('another part of the same operation that reads the same objects gets what it asks for', async () => {
    const token = await hub.tokenFor(worker);
    const target = cases[1]!;
    const home = households[1]!;
    const list = `cases(filter: { teamId: $teamId }, first: 50) { edges { node { id household { id members { givenName } } } } }`;
    // The list runs first (its statement primes the loaders), then the case and the household
    // are read again: through the primed objects, which must carry what these parts show.
    const parts = `one: case(id: $id) { id reason closedAt household { id address { street city } members { phone bsnLast4 birthDate } } }
      home: household(id: $hid) { address { street houseNumber } members { relation languages } }`;
    const together = await hub.gql(`query($teamId: ID!, $id: ID!, $hid: ID!) { ${list} ${parts} }`, { teamId: team.id, id: target.id, hid: home.id }, token);
    expect(together.errors).toBeUndefined();
    const alone = await hub.gql(`query($id: ID!, $hid: ID!) { ${parts} }`, { id: target.id, hid: home.id }, token);
    const listAlone = await hub.gql(`query($teamId: ID!) { ${list} }`, { teamId: team.id }, token);
    expect(alone.errors).toBeUndefined();
    expect(together.data).toEqual({ ...listAlone.data, ...alone.data });
    expect(together.data!.one.reason).toBe(target.reason);
    expect(together.data!.home.address.street).toBe(home.street);
  });
});
