/**
 * The benchmark compares the API with hand-written single-SQL baselines "that return the same
 * JSON" (issue 7). This holds every baseline to that: on a scenario-seeded database, each
 * baseline statement, run as bench/baseline.ts runs it, returns exactly the document the API
 * answers for the same scenario, principal and variables — same values, same formats (cursors,
 * timestamps, dates), same order. A baseline that returned less, or something cheaper to
 * produce, would make every ratio of `npm run bench` look worse than it is (or better).
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../helpers/app.js';
import { seedScenario } from '../../seeds/scenario.js';
import { buildConsent, buildGoal, buildNote, buildReferral, buildZrm } from '../../seeds/factories.js';
import { Rng } from '../../seeds/random.js';
import { Case } from '../../src/modules/case/case.entity.js';
import { Organisation } from '../../src/modules/organisation/organisation.entity.js';
import { Resident } from '../../src/modules/household/resident.entity.js';
import { Staff } from '../../src/modules/staff/staff.entity.js';
import { ZrmKind, ZrmVersion } from '../../src/modules/common/enums.js';
import { BASELINE_SQL } from '../../bench/baseline.js';
import { auditRowsOf, caseDetailFloor, floorOptions as optionsFor } from '../../bench/floor.js';
import { ALL_SCENARIOS, opOf, scenarioPlans, type Scenario, type ScenarioPlan } from '../../bench/scenarios.js';

let hub: TestHub;
let db: pg.Client;
let plans: Record<Scenario, ScenarioPlan>;

beforeAll(async () => {
  hub = await startTestHub();
  await seedScenario(hub.em(), { size: 2000 });
  db = new pg.Client({ connectionString: hub.db.url, options: '-c plan_cache_mode=force_generic_plan' });
  await db.connect();
  plans = await scenarioPlans(db, (id) => hub.tokenFor(id));
  await enrichDetailCase(String(plans.caseDetail.variables.id));
}, 120_000);

/**
 * The scenario's detail case has an assessment and an allocation but no goals, notes, consents
 * or referral; give it some of each (and a second assessment), so that the comparison covers
 * every list's order and every nested object's format.
 */
async function enrichDetailCase(caseId: string) {
  const em = hub.em();
  const rng = new Rng('bench-baseline');
  const c = await em.findOneOrFail(Case, caseId, { populate: ['household', 'team'] });
  const residents = await em.find(Resident, { household: c.household }, { populate: ['household'] });
  const author = await em.findOneOrFail(Staff, c.coordinator!.id);
  const gp = await em.findOneOrFail(Organisation, { code: 'gp-de-linde' });
  const resident = residents[0]!;
  for (let i = 0; i < 3; i++) buildGoal(em, { rng, case: c });
  for (let i = 0; i < 4; i++) buildNote(em, { rng, case: c, author });
  buildZrm(em, { rng, case: c, resident, version: ZrmVersion.ZRM_2015, kind: ZrmKind.FOLLOW_UP });
  buildConsent(em, { rng, resident, recipient: gp, recordedBy: author });
  buildConsent(em, { rng, resident, recipient: gp, recordedBy: author, revokedAt: new Date() });
  buildReferral(em, { rng, from: gp, resident, case: c, household: c.household });
  await em.flush();
}

afterAll(async () => {
  await db?.end();
  await hub?.stop();
});

describe('the baselines of npm run bench', () => {
  it.each(ALL_SCENARIOS)('%s: the baseline returns the API’s answer', async (scenario) => {
    const plan = plans[scenario];
    const api = await hub.gql(opOf(scenario), plan.variables, plan.token);
    expect(api.errors).toBeUndefined();
    const baseline = BASELINE_SQL[scenario]!;
    const { rows } = await db.query({ name: `baseline_${scenario}`, text: baseline.sql, values: baseline.params(plan.baseline) });
    expect(rows).toHaveLength(1);
    expect(rows[0].body).toEqual({ data: api.data });
  });

  it('the scenarios are not trivially equal: lists and nested objects are filled', async () => {
    const plan = plans.teamCases;
    const api = await hub.gql(opOf('teamCases'), plan.variables, plan.token);
    const edges = api.data!.cases.edges as { node: { household: { members: unknown[] }; latestZrm: unknown; coordinator: unknown } }[];
    expect(edges).toHaveLength(50);
    expect(edges.some((e) => e.node.latestZrm)).toBe(true);
    expect(edges.some((e) => e.node.coordinator)).toBe(true);
    expect(edges.every((e) => e.node.household.members.length > 0)).toBe(true);
    const detail = (await hub.gql(opOf('caseDetail'), plans.caseDetail.variables, plans.caseDetail.token)).data!.case;
    for (const list of ['goals', 'zrmAssessments', 'careAllocations', 'consents']) expect(detail[list].length, list).toBeGreaterThan(0);
    expect(detail.notes.edges.length).toBeGreaterThan(1);
    expect(detail.referral).not.toBeNull();
    const candidates = (await hub.gql(opOf('volunteerCandidates'), plans.volunteerCandidates.variables, plans.volunteerCandidates.token)).data!;
    expect(candidates.volunteerCandidates.length).toBeGreaterThan(0);
    const report = (await hub.gql(opOf('quarterReport'), plans.quarterReport.variables, plans.quarterReport.token)).data!.quarterReport;
    expect(report.perTeam.length).toBeGreaterThan(1);
    expect(report.zrm.length).toBeGreaterThan(0);
  });
});

describe("CaseDetail's compliant floor (bench/floor.ts)", () => {
  const floorOptions = () => optionsFor(hub.config.JWT_SECRET, hub.config.JWT_ISSUER);

  it('answers what the API answers and writes the same READ rows', async () => {
    const plan = plans.caseDetail;
    const api = await hub.gql(opOf('caseDetail'), plan.variables, plan.token);
    expect(api.errors).toBeUndefined();
    const { rows: [last] } = await db.query(`select request_id from access_log where object_type = 'Case' and object_id = $1 order by id desc limit 1`, [plan.variables.id]);
    const apiRows = await auditRowsOf(db, last.request_id);
    const floor = await caseDetailFloor(db, floorOptions(), `Bearer ${plan.token}`, plan.variables as { id: string }, 'floor-test-request');
    expect(floor).toEqual({ status: 200, body: { data: api.data } });
    expect(await auditRowsOf(db, 'floor-test-request')).toEqual(apiRows);
    // Every kind of object the page shows is among them (the detail case was given one of each).
    expect(new Set(apiRows.map((r) => r.split('|')[5]))).toEqual(new Set(['Case', 'Household', 'Resident', 'ZrmAssessment', 'Consent', 'Referral', 'CaseNote']));
  });

  it('with the principal remembered: the same answer and READ rows, and no principal statement after the first request', async () => {
    const plan = plans.caseDetail;
    const remembered = new Map();
    const options = { ...floorOptions(), remembered };
    const first = await caseDetailFloor(db, options, `Bearer ${plan.token}`, plan.variables as { id: string }, 'floor-remembered-1');
    expect(remembered.size).toBe(1);
    // The second request takes the remembered principal: one statement (the read with its READ rows), not two.
    const statements: string[] = [];
    const counting = { query: (config: { name?: string }) => (statements.push(config.name ?? ''), db.query(config as pg.QueryConfig)) } as unknown as pg.ClientBase;
    const second = await caseDetailFloor(counting, options, `Bearer ${plan.token}`, plan.variables as { id: string }, 'floor-remembered-2');
    expect(statements).toEqual(['floor_caseDetail']);
    const plain = await caseDetailFloor(db, floorOptions(), `Bearer ${plan.token}`, plan.variables as { id: string }, 'floor-remembered-0');
    expect(first).toEqual(plain);
    expect(second).toEqual(plain);
    const rows = await auditRowsOf(db, 'floor-remembered-0');
    expect(rows.length).toBeGreaterThan(0);
    expect(await auditRowsOf(db, 'floor-remembered-1')).toEqual(rows);
    expect(await auditRowsOf(db, 'floor-remembered-2')).toEqual(rows);
  });

  it("refuses a bad token and shows no case outside the viewer's teams", async () => {
    const plan = plans.caseDetail;
    expect((await caseDetailFloor(db, floorOptions(), 'Bearer not-a-token', plan.variables as { id: string })).status).toBe(401);
    const other = await db.query(
      `select s.id from staff s where s.role = 'TEAM_LEAD' and not exists (
         select 1 from staff_team st join "case" c on c.team_id = st.team_id where st.staff_id = s.id and c.id = $1) limit 1`,
      [plan.variables.id],
    );
    expect(other.rows).toHaveLength(1);
    const answer = await caseDetailFloor(db, floorOptions(), `Bearer ${await hub.tokenFor(other.rows[0].id)}`, plan.variables as { id: string }, 'floor-test-other');
    expect(answer).toEqual({ status: 200, body: { data: { case: null } } });
    expect(await auditRowsOf(db, 'floor-test-other')).toEqual([]);
  });
});
