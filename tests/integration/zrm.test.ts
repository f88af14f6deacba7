/**
 * ZRM assessments (zelfredzaamheidsmatrix): one score 1–5 for every domain of the version,
 * stored and returned in the version's order; anything else is BAD_USER_INPUT naming the domain.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type GqlResponse, type TestHub } from '../helpers/app.js';
import { buildCase, buildHousehold, buildStaff, buildTeam } from '../../seeds/factories.js';
import { CaseStatus, Role } from '../../src/modules/common/enums.js';
import type { Case } from '../../src/modules/case/case.entity.js';
import type { Team } from '../../src/modules/team/team.entity.js';

const DAY = 86_400_000;
const ago = (days: number) => new Date(Math.floor((Date.now() - days * DAY) / 1000) * 1000);
const iso = (d: Date) => d.toISOString();

/** DESIGN.md section 3, in the order of the matrix. */
const DOMAINS = {
  ZRM_2015: [
    'INCOME', 'DAYTIME_ACTIVITIES', 'HOUSING', 'FAMILY_RELATIONS', 'MENTAL_HEALTH', 'PHYSICAL_HEALTH', 'ADDICTION', 'ADL',
    'SOCIAL_NETWORK', 'SOCIAL_PARTICIPATION', 'JUSTICE',
  ],
  ZRM_2017: [
    'FINANCES', 'WORK_EDUCATION', 'TIME_USE', 'HOUSING', 'DOMESTIC_RELATIONS', 'MENTAL_HEALTH', 'PHYSICAL_HEALTH', 'SUBSTANCE_USE',
    'BASIC_ADL', 'INSTRUMENTAL_ADL', 'SOCIAL_NETWORK', 'SOCIAL_PARTICIPATION', 'JUSTICE',
  ],
} as const;
type Version = keyof typeof DOMAINS;
/** A domain that exists only in the other version. */
const FOREIGN: Record<Version, string> = { ZRM_2015: 'FINANCES', ZRM_2017: 'INCOME' };

const RECORD = /* GraphQL */ `
  mutation RecordZrm($input: RecordZrmAssessmentInput!) {
    recordZrmAssessment(input: $input) { id version kind assessedAt scores { domain score } }
  }
`;
const CASE_ZRM = /* GraphQL */ `
  query CaseZrm($id: ID!) { case(id: $id) { id zrmAssessments { id assessedAt version kind scores { domain score } } } }
`;
const TEAM_CASES = /* GraphQL */ `
  query TeamCases($teamId: ID!, $status: [CaseStatus!], $first: Int, $after: String) {
    cases(filter: { teamId: $teamId, status: $status }, first: $first, after: $after) {
      totalCount
      edges { node { id status latestZrm { id assessedAt version kind scores { domain score } } } }
    }
  }
`;

let hub: TestHub;
let team: Team;
let token: string;
const cases: Case[] = [];

/** Scores 1..5 cycling, so every domain has a recognisable value. */
function fullSet(version: Version): { domain: string; score: number }[] {
  return DOMAINS[version].map((domain, i) => ({ domain, score: (i % 5) + 1 }));
}

async function zrmCount(): Promise<number> {
  const [row] = await hub.em().getConnection().execute<{ n: string }[]>('select count(*) as n from zrm_assessment');
  return Number(row!.n);
}

async function record(caseId: string, version: Version, scores: { domain: string; score: number }[], assessedAt = ago(2), kind = 'BASELINE') {
  return hub.gql(RECORD, { input: { caseId, assessedAt: iso(assessedAt), version, kind, scores } }, token);
}

async function expectRejected(caseId: string, version: Version, scores: { domain: string; score: number }[], domain: string) {
  const before = await zrmCount();
  const res: GqlResponse = await record(caseId, version, scores);
  expect(res.errors, res.raw).toBeDefined();
  const err = res.errors![0]!;
  expect(err.extensions?.code, res.raw).toBe('BAD_USER_INPUT');
  expect(err.message, `the message should name ${domain}`).toContain(domain);
  expect(res.data?.recordZrmAssessment ?? null).toBeNull();
  expect(await zrmCount()).toBe(before);
}

beforeAll(async () => {
  hub = await startTestHub();
  const em = hub.em();
  team = buildTeam(em, { postcodes: ['3571'] });
  const worker = buildStaff(em, { role: Role.TEAM_WORKER, teams: [team] });
  buildStaff(em, { role: Role.TEAM_LEAD, teams: [team] });
  for (let i = 0; i < 3; i++) {
    const { household } = buildHousehold(em, { team, members: 1 });
    cases.push(buildCase(em, { household, status: CaseStatus.ACTIVE, registeredAt: ago(60), coordinator: worker }));
  }
  await em.flush();
  token = await hub.tokenFor(worker);
});

afterAll(async () => {
  await hub?.stop();
});

describe.each(['ZRM_2015', 'ZRM_2017'] as const)('%s', (version) => {
  const domains = DOMAINS[version];

  it(`has ${version === 'ZRM_2015' ? 11 : 13} domains`, () => {
    expect(domains).toHaveLength(version === 'ZRM_2015' ? 11 : 13);
  });

  it('stores a full valid set and returns it in the version’s domain order', async () => {
    const c = cases[0]!;
    const expected = fullSet(version);
    // Sent in reverse order; stored and returned in the matrix's order.
    const at = ago(3);
    const res = await record(c.id, version, [...expected].reverse(), at, 'BASELINE');
    expect(res.errors, res.raw).toBeUndefined();
    const zrm = res.data!.recordZrmAssessment;
    expect(zrm).toMatchObject({ version, kind: 'BASELINE', assessedAt: iso(at) });
    expect(zrm.scores).toEqual(expected);

    const rows = await hub
      .em()
      .getConnection()
      .execute<{ version: string; scores: unknown }[]>('select version, scores from zrm_assessment where id = ?', [zrm.id]);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.version).toBe(version);
    const stored = typeof rows[0]!.scores === 'string' ? JSON.parse(rows[0]!.scores) : rows[0]!.scores;
    expect(stored).toEqual(expected);

    const detail = await hub.gql(CASE_ZRM, { id: c.id }, token);
    expect(detail.errors, detail.raw).toBeUndefined();
    const found = detail.data!.case.zrmAssessments.find((z: { id: string }) => z.id === zrm.id);
    expect(found.scores).toEqual(expected);
  });

  it('rejects a missing domain, naming it', async () => {
    const missing = domains[domains.length - 1]!;
    await expectRejected(cases[0]!.id, version, fullSet(version).filter((s) => s.domain !== missing), missing);
    const missingFirst = domains[0]!;
    await expectRejected(cases[0]!.id, version, fullSet(version).filter((s) => s.domain !== missingFirst), missingFirst);
  });

  it('rejects a domain of the other version, naming it', async () => {
    const foreign = FOREIGN[version];
    // Same number of scores: the first domain swapped for one of the other version.
    const scores = fullSet(version).map((s, i) => (i === 0 ? { domain: foreign, score: 3 } : s));
    await expectRejected(cases[0]!.id, version, scores, foreign);
    // And as an extra score on top of a complete set.
    await expectRejected(cases[0]!.id, version, [...fullSet(version), { domain: foreign, score: 3 }], foreign);
  });

  it('rejects a duplicate domain, naming it', async () => {
    await expectRejected(cases[0]!.id, version, [...fullSet(version), { domain: 'HOUSING', score: 2 }], 'HOUSING');
  });

  it.each([0, 6])('rejects score %i, naming the domain', async (score) => {
    const scores = fullSet(version).map((s) => (s.domain === 'MENTAL_HEALTH' ? { domain: s.domain, score } : s));
    await expectRejected(cases[0]!.id, version, scores, 'MENTAL_HEALTH');
  });
});

describe('latestZrm', () => {
  it('returns the newest assessment of each case on TeamCases, by assessment date', async () => {
    const [, a, b] = cases as [Case, Case, Case];
    const [t40, t20, t5] = [ago(40), ago(20), ago(5)];
    // Case a: baseline, follow-up (newest), then an older one recorded last.
    const baseline = await record(a.id, 'ZRM_2015', fullSet('ZRM_2015'), t40, 'BASELINE');
    const followUp = await record(a.id, 'ZRM_2017', fullSet('ZRM_2017').map((s) => ({ ...s, score: 4 })), t5, 'FOLLOW_UP');
    const late = await record(a.id, 'ZRM_2017', fullSet('ZRM_2017').map((s) => ({ ...s, score: 2 })), t20, 'FOLLOW_UP');
    for (const r of [baseline, followUp, late]) expect(r.errors, r.raw).toBeUndefined();

    const res = await hub.gql(TEAM_CASES, { teamId: team.id, status: ['ACTIVE'], first: 50 }, token);
    expect(res.errors, res.raw).toBeUndefined();
    const nodes = res.data!.cases.edges.map((e: { node: any }) => e.node);
    const nodeA = nodes.find((n: { id: string }) => n.id === a.id);
    const nodeB = nodes.find((n: { id: string }) => n.id === b.id);
    expect(nodeA.latestZrm).toEqual(followUp.data!.recordZrmAssessment);
    expect(nodeA.latestZrm.assessedAt).toBe(iso(t5));
    expect(nodeA.latestZrm.scores).toEqual(DOMAINS.ZRM_2017.map((domain) => ({ domain, score: 4 })));
    expect(nodeB.latestZrm).toBeNull();

    // zrmAssessments lists them newest first.
    const detail = await hub.gql(CASE_ZRM, { id: a.id }, token);
    expect(detail.data!.case.zrmAssessments.map((z: { assessedAt: string }) => z.assessedAt)).toEqual([
      iso(t5),
      iso(t20),
      iso(t40),
    ]);
  });
});
