/**
 * The one-statement read paths of TeamCases and CaseDetail (look-ahead by selection:
 * `listCases`, `caseWithSelection`) answer exactly what the field resolvers and their loaders
 * answer on their own — same data, same order, same audit rows — for every role that reaches
 * case files, including a flex worker's per-case scope and another team's worker.
 *
 * The loader path is forced without any switch in the code: a field under a directive
 * (`@include(if: true)`) is never prefetched (`selectedPaths`), so its resolver loads it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type GqlResponse, type TestHub } from '../helpers/app.js';
import { countSql } from '../helpers/sql-count.js';
import {
  buildCareAllocation,
  buildCase,
  buildConsent,
  buildFlexAssignment,
  buildGoal,
  buildHousehold,
  buildNote,
  buildOrganisation,
  buildReferral,
  buildStaff,
  buildTeam,
  buildZrm,
} from '../../seeds/factories.js';
import { Rng } from '../../seeds/random.js';
import { CaseStatus, ConsentPurpose, OrganisationKind, ReferralKind, Role, ZrmKind } from '../../src/modules/common/enums.js';
import type { Staff } from '../../src/modules/staff/staff.entity.js';
import type { Team } from '../../src/modules/team/team.entity.js';
import type { Case } from '../../src/modules/case/case.entity.js';

/** Marks the given fields of a selection with `@include(if: true)`: their resolvers load them. */
function viaLoaders(query: string, fields: string[]): string {
  let out = query;
  for (const f of fields) {
    const next = out.replace(new RegExp(`\\b${f}(\\([^)]*\\))? \\{`, "g"), (m, args) => `${f}${args ?? ''} @include(if: true) {`);
    // A field that is not marked would be prefetched both ways, and the comparison would prove nothing.
    if (next === out) throw new Error(`viaLoaders: no selection of ${f} in the query`);
    out = next;
  }
  return out;
}

const CASE_DETAIL = `query CaseDetail($id: ID!) {
  case(id: $id) {
    id status registeredAt firstContactAt startedAt closedAt closureReason referralSource
    coordinator { id name }
    team { id code }
    household { id address { street houseNumber postcode city } members { id givenName familyName birthDate bsnLast4 phone } }
    goals { id description domain status }
    notes(first: 20) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id body createdAt author { id name } } } }
    zrmAssessments { id assessedAt version kind scores { domain score } }
    careAllocations { id provision form decision }
    consents { id purpose grantedAt revokedAt recipient { id name } }
    referral { id kind externalId status from { id name } }
  }
}`;
const DETAIL_FIELDS = ['coordinator', 'team', 'household', 'goals', 'notes', 'zrmAssessments', 'careAllocations', 'consents', 'referral'];

const TEAM_CASES = `query TeamCases($teamId: ID, $first: Int, $after: String) {
  cases(filter: { teamId: $teamId }, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id status registeredAt startedAt coordinator { id name }
      household { id address { postcode } members { id givenName familyName } }
      latestZrm { id assessedAt scores { domain score } } } }
  }
}`;
const LIST_FIELDS = ['coordinator', 'household', 'latestZrm'];

let hub: TestHub;
let teamA: Team;
let teamB: Team;
let workerA: Staff;
let leadA: Staff;
let workerB: Staff;
let flex: Staff;
let rich: Case;
let flexCase: Case;
const caseIds: string[] = [];

beforeAll(async () => {
  hub = await startTestHub();
  const em = hub.em();
  const rng = new Rng('read-paths');
  teamA = buildTeam(em, { postcodes: ['3911'] });
  teamB = buildTeam(em, { postcodes: ['3912'] });
  workerA = buildStaff(em, { role: Role.TEAM_WORKER, teams: [teamA], rng });
  leadA = buildStaff(em, { role: Role.TEAM_LEAD, teams: [teamA], rng });
  workerB = buildStaff(em, { role: Role.TEAM_WORKER, teams: [teamB], rng });
  flex = buildStaff(em, { role: Role.FLEX_WORKER, teams: [], rng });
  const gp = buildOrganisation(em, { kind: OrganisationKind.GP_PRACTICE, rng });
  const corp = buildOrganisation(em, { kind: OrganisationKind.HOUSING_CORPORATION, rng });

  // Twelve households of team A with 1–4 members; one has an old closed case besides the open one.
  for (let i = 0; i < 12; i++) {
    const h = buildHousehold(em, { team: teamA, members: 1 + (i % 4), rng });
    if (i === 3) caseIds.push(buildCase(em, { household: h.household, status: CaseStatus.CLOSED, coordinator: leadA, rng }).id);
    const c = buildCase(em, { household: h.household, status: i % 3 === 0 ? CaseStatus.REGISTERED : CaseStatus.ACTIVE, coordinator: i % 2 ? workerA : null, rng });
    caseIds.push(c.id);
    if (i % 2 === 0) {
      const base = buildZrm(em, { case: c, kind: ZrmKind.BASELINE, rng });
      buildZrm(em, { case: c, kind: ZrmKind.FOLLOW_UP, previous: base, rng });
    }
    if (i === 1) {
      rich = c;
      for (let g = 0; g < 3; g++) buildGoal(em, { case: c, rng });
      // More notes than one page, by two authors.
      for (let n = 0; n < 23; n++) buildNote(em, { case: c, author: n % 2 ? workerA : leadA, rng });
      buildCareAllocation(em, { case: c, rng });
      buildCareAllocation(em, { case: c, rng });
      buildConsent(em, { resident: h.residents[0]!, recipient: gp, recordedBy: workerA, rng });
      buildConsent(em, { resident: h.residents[1]!, recipient: corp, recordedBy: workerA, purpose: ConsentPurpose.REFERRAL_FEEDBACK, rng });
      buildReferral(em, { from: gp, resident: h.residents[0]!, kind: ReferralKind.GP_REFERRAL, case: c, rng });
    }
  }
  // Team B: a case assigned to the flex worker, and one that is not.
  const hb = buildHousehold(em, { team: teamB, members: 3, rng });
  flexCase = buildCase(em, { household: hb.household, status: CaseStatus.ACTIVE, coordinator: workerB, rng });
  buildNote(em, { case: flexCase, author: workerB, rng });
  buildZrm(em, { case: flexCase, rng });
  buildFlexAssignment(em, { staff: flex, case: flexCase, assignedBy: workerB, rng });
  const hb2 = buildHousehold(em, { team: teamB, members: 2, rng });
  buildCase(em, { household: hb2.household, status: CaseStatus.ACTIVE, rng });
  await em.flush();
});

afterAll(async () => {
  await hub?.stop();
});

/** What a request left in the audit log, without the time and row ids. */
interface AuditRow {
  action: string;
  object_type: string;
  object_id: string | null;
  household_id: string | null;
  detail: string | null;
}

async function auditOf(requestId: string): Promise<AuditRow[]> {
  return hub
    .em()
    .getConnection()
    .execute<AuditRow[]>(
      `select action, object_type, object_id, household_id, detail::text as detail from access_log where request_id = ?
       order by action, object_type, object_id`,
      [requestId],
    );
}

let requests = 0;
async function ask(query: string, variables: Record<string, unknown>, who: Staff) {
  const requestId = `read-paths-${++requests}-${Date.now()}`;
  const res = await fetch(hub.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await hub.tokenFor(who)}`, 'x-request-id': requestId },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await res.json()) as Pick<GqlResponse, 'data' | 'errors'>;
  return { body, audit: await auditOf(requestId) };
}

async function expectSameBothWays(query: string, fields: string[], variables: Record<string, unknown>, who: Staff) {
  const fast = await ask(query, variables, who);
  const slow = await ask(viaLoaders(query, fields), variables, who);
  expect(fast.body).toEqual(slow.body);
  expect(fast.audit).toEqual(slow.audit);
  return fast;
}

describe('CaseDetail in one statement = the field resolvers on their own', () => {
  it('for the richest case (23 notes by two authors, goals, allocations, consents, referral)', async () => {
    const { body, audit } = await expectSameBothWays(CASE_DETAIL, DETAIL_FIELDS, { id: rich.id }, workerA);
    const c = body.data!.case;
    expect(c.notes.totalCount).toBe(23);
    expect(c.notes.edges).toHaveLength(20);
    expect(c.notes.pageInfo.hasNextPage).toBe(true);
    expect(c.goals).toHaveLength(3);
    expect(c.careAllocations).toHaveLength(2);
    expect(c.consents).toHaveLength(2);
    expect(c.consents.every((k: { recipient: unknown }) => k.recipient)).toBe(true);
    expect(c.referral.from).toBeTruthy();
    expect(c.household.members).toHaveLength(2);
    // One READ per object: the case, household, members, the page's notes, consents, referral.
    const reads = audit.filter((a) => a.action === 'READ');
    expect(reads.filter((a) => a.object_type === 'CaseNote')).toHaveLength(20);
    expect(reads.filter((a) => a.object_type === 'Case')).toHaveLength(1);
  });

  it('for every case of the team, as worker and as lead', async () => {
    for (const id of caseIds) {
      await expectSameBothWays(CASE_DETAIL, DETAIL_FIELDS, { id }, workerA);
      await expectSameBothWays(CASE_DETAIL, DETAIL_FIELDS, { id }, leadA);
    }
  });

  it('for a flex worker: the assigned case, and NOT_FOUND for the team’s other cases', async () => {
    const { body } = await expectSameBothWays(CASE_DETAIL, DETAIL_FIELDS, { id: flexCase.id }, flex);
    expect(body.data!.case.id).toBe(flexCase.id);
    const other = await expectSameBothWays(CASE_DETAIL, DETAIL_FIELDS, { id: rich.id }, flex);
    expect(other.body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
  });

  it('for another team’s worker: NOT_FOUND and a DENIED row, nothing read', async () => {
    const { body, audit } = await expectSameBothWays(CASE_DETAIL, DETAIL_FIELDS, { id: rich.id }, workerB);
    expect(body.data!.case).toBeNull();
    expect(body.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(audit.map((a) => a.action)).toEqual(['DENIED']);
  });

  it('for a later notes page, a partial selection and notes asked twice', async () => {
    const first = await ask(CASE_DETAIL, { id: rich.id }, workerA);
    const after = first.body.data!.case.notes.pageInfo.endCursor as string;
    const paged = `query($id: ID!, $after: String) { case(id: $id) { id notes(first: 5, after: $after) { totalCount edges { node { id author { name } } } } } }`;
    await expectSameBothWays(paged, ['notes'], { id: rich.id, after }, workerA);
    const twice = `query($id: ID!) { case(id: $id) { id a: notes(first: 2) { edges { node { id } } } b: notes(first: 3) { edges { node { id } } } } }`;
    const { body } = await expectSameBothWays(twice, ['notes'], { id: rich.id }, workerA);
    expect(body.data!.case.a.edges).toHaveLength(2);
    expect(body.data!.case.b.edges).toHaveLength(3);
    await expectSameBothWays(`query($id: ID!) { case(id: $id) { id household { id } consents { id } } }`, ['household', 'consents'], { id: rich.id }, workerA);
  });

  it("sends two statements for the whole contract selection (viewer, the case with its audit rows)", async () => {
    const counter = countSql(hub.db.orm);
    try {
      counter.reset();
      const res = await hub.gql(CASE_DETAIL, { id: rich.id }, await hub.tokenFor(workerA));
      expect(res.errors).toBeUndefined();
      expect(counter.count).toBe(2);
    } finally {
      counter.stop();
    }
  });
});

describe('TeamCases in one statement = the field resolvers on their own', () => {
  it('page by page, as worker and as lead', async () => {
    for (const who of [workerA, leadA]) {
      let after: string | null = null;
      let pages = 0;
      do {
        const { body } = await expectSameBothWays(TEAM_CASES, LIST_FIELDS, { teamId: teamA.id, first: 5, after }, who);
        after = body.data!.cases.pageInfo.hasNextPage ? body.data!.cases.pageInfo.endCursor : null;
        pages++;
      } while (after);
      expect(pages).toBe(3); // 13 cases
    }
  });

  it('sends two statements for a page with households, members, coordinators and assessments (viewer, the page with its audit rows)', async () => {
    const counter = countSql(hub.db.orm);
    try {
      counter.reset();
      const res = await hub.gql(TEAM_CASES, { teamId: teamA.id, first: 50 }, await hub.tokenFor(workerA));
      expect(res.errors).toBeUndefined();
      expect(res.data!.cases.edges).toHaveLength(13);
      expect(counter.count).toBe(2);
    } finally {
      counter.stop();
    }
  });

  it('writes one READ row per object even when another field of the request reads the same objects', async () => {
    const query = `query($id: ID!) {
      one: case(id: $id) { id household { id members { id } } }
      cases(first: 50) { edges { node { id household { id members { id } } } } }
      again: cases(first: 3) { edges { node { id household { id } } } }
    }`;
    const { body, audit } = await ask(query, { id: rich.id }, workerA);
    expect(body.errors).toBeUndefined();
    const keys = audit.map((a) => `${a.action}:${a.object_type}:${a.object_id}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys).toContain(`READ:Case:${rich.id}`);
    expect(audit.filter((a) => a.object_type === 'Case')).toHaveLength(13);
  });

  it('for a flex worker (only the assigned case) and without a team filter', async () => {
    const { body } = await expectSameBothWays(TEAM_CASES, LIST_FIELDS, { first: 50 }, flex);
    expect(body.data!.cases.edges.map((e: { node: { id: string } }) => e.node.id)).toEqual([flexCase.id]);
    await expectSameBothWays(TEAM_CASES, LIST_FIELDS, { first: 50 }, workerA);
  });
});
