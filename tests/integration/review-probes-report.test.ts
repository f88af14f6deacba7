/**
 * Review probes: statistical disclosure through the dashboards (quarterReport, caseCounts).
 * Every probe asserts the SAFE behaviour; a failing probe is a finding.
 *
 * Not repeated here (already in report-protection.test.ts / review-probes-staff.test.ts): one
 * subtraction of shown counts within one quarter's answers (city − teams, a team's total − its
 * categories, city-wide vs single-team answers), shares beside a hidden referral-source or
 * closure-reason count, the lead's own answer, FORBIDDEN for other roles and other teams.
 *
 * What these probe instead: averages and shares that are not cells (client rating, self-reliance,
 * informal care possible, PGB provisionally granted), their complements, the analyst's answers of
 * adjacent quarters together, caseCounts (now) against quarterReport of the current quarter, and
 * the error texts. Each scenario lives in its own quarter (or its own hub), so the patterns of the
 * scenarios do not touch each other. All data is fake.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../helpers/app.js';
import { buildCareAllocation, buildCaseDiscussion, buildHousehold, buildStaff, buildTeam, buildOrganisation } from '../../seeds/factories.js';
import { Rng } from '../../seeds/random.js';
import { Case } from '../../src/modules/case/case.entity.js';
import { CareDecision, CareForm, CaseStatus, ClosureReason, OrganisationKind, ReferralSource, Role } from '../../src/modules/common/enums.js';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Team } from '../../src/modules/team/team.entity.js';
import type { Staff } from '../../src/modules/staff/staff.entity.js';

const REPORT = `query($period: String!, $teamId: ID) {
  quarterReport(period: $period, teamId: $teamId) {
    period suppressed
    caseCounts { withoutStartDate startedInPeriod runningInPeriod closedInPeriod }
    perTeam { team { id code } started running closed }
    referralSources { source count share }
    selfReferralShare
    closureReasons { reason count share }
    averageDaysToFirstContact averageClientRating selfReliantAfterClosureShare
    feedback { complaints resolvedComplaints pendingComplaints unfoundedComplaints compliments }
    careAllocations { investigations pgb zin pgbProvisionallyGrantedShare }
    informalCare { ambassadors casesDiscussed informalCarePossible possibleShare activeVolunteers activeMatches }
  }
}`;
const COUNTS = 'query($t: ID) { caseCounts(teamId: $t) { total { registered intake active closed } perTeam { team { id } counts { registered intake active closed } } suppressed } }';

const day = (d: string) => new Date(`${d}T10:00:00Z`);
const small = (n: number) => n >= 1 && n <= 4;

interface CaseSpec {
  team: Team;
  status: CaseStatus;
  registeredAt: Date;
  firstContactAt?: Date | null;
  startedAt?: Date | null;
  closedAt?: Date | null;
  closureReason?: ClosureReason | null;
  clientRating?: number | null;
  selfReliantAfter?: boolean | null;
  referralSource?: ReferralSource;
}

function mkCase(em: EntityManager, rng: Rng, s: CaseSpec): Case {
  const { household } = buildHousehold(em, { rng, team: s.team });
  return em.create(Case, {
    household, team: s.team, reason: 'review probe (fake)', referralSource: s.referralSource ?? ReferralSource.SELF,
    registeredAt: s.registeredAt, firstContactAt: s.firstContactAt ?? null, startedAt: s.startedAt ?? null,
    closedAt: s.closedAt ?? null, closureReason: s.closureReason ?? null, clientRating: s.clientRating ?? null,
    selfReliantAfter: s.selfReliantAfter ?? null, status: s.status,
  } as never);
}

// ------------------------------------------------------------------------------------------------
// Hub 1: period-bound scenarios, one quarter each.
//   2015-Q2  averages beside a hidden closed count: team A 1 closed case, team B 5.
//   2015-Q3  complements of shares: team D 7 closed (6 self-reliant), 7 discussions (6 possible),
//            6 PGB investigations (5 provisionally granted).
//   2016-Q1/Q2  adjacent quarters: team E 10 started in Q1 (5 closed in Q1), 2 more started in Q2;
//            team F 6 started in Q2.
// ------------------------------------------------------------------------------------------------
describe('quarterReport (analyst): averages, shares and adjacent quarters', () => {
  let hub: TestHub;
  let tA: Team, tB: Team, tD: Team, tE: Team, tF: Team;
  let analyst: Staff, worker: Staff;
  let token: string;

  beforeAll(async () => {
    hub = await startTestHub();
    const em = hub.em();
    const rng = new Rng(4242);
    [tA, tB, tD, tE, tF] = ['a', 'b', 'd', 'e', 'f'].map((k, i) => buildTeam(em, { code: `probe-${k}`, postcodes: [`38${10 + i}`] })) as Team[];
    analyst = buildStaff(em, { role: Role.ANALYST });
    worker = buildStaff(em, { role: Role.TEAM_WORKER, teams: [tA] });
    const careOrg = buildOrganisation(em, { kind: OrganisationKind.INFORMAL_CARE });
    const ambD = buildStaff(em, { role: Role.AMBASSADOR, teams: [tD], organisation: careOrg });

    // 2015-Q2. Team A: one resident's case, closed with rating 3, not self-reliant afterwards.
    mkCase(em, rng, {
      team: tA, status: CaseStatus.CLOSED, registeredAt: day('2015-04-01'), firstContactAt: day('2015-04-03'), startedAt: day('2015-04-10'),
      closedAt: day('2015-06-10'), closureReason: ClosureReason.AS_PLANNED, clientRating: 3, selfReliantAfter: false,
    });
    // Team B: five cases, ratings 7, 7, 7, 7, 8 (average 7.2), all self-reliant afterwards.
    for (const rating of [7, 7, 7, 7, 8]) {
      mkCase(em, rng, {
        team: tB, status: CaseStatus.CLOSED, registeredAt: day('2015-04-01'), firstContactAt: day('2015-04-03'), startedAt: day('2015-04-10'),
        closedAt: day('2015-06-10'), closureReason: ClosureReason.AS_PLANNED, clientRating: rating, selfReliantAfter: true, referralSource: ReferralSource.GP,
      });
    }

    // 2015-Q3. Team D: 7 closed cases (6 self-reliant, 1 not), 7 discussions (6 possible, 1 not),
    // 6 PGB investigations (5 provisionally granted, 1 rejected).
    const dCases: Case[] = [];
    for (let k = 0; k < 7; k++) {
      dCases.push(mkCase(em, rng, {
        team: tD, status: CaseStatus.CLOSED, registeredAt: day('2015-07-01'), firstContactAt: day('2015-07-03'), startedAt: day('2015-07-10'),
        closedAt: day('2015-09-10'), closureReason: ClosureReason.AS_PLANNED, clientRating: 8, selfReliantAfter: k !== 0,
      }));
    }
    dCases.forEach((c, k) => buildCaseDiscussion(em, { rng, case: c, ambassador: ambD, discussedAt: day('2015-08-01'), informalCarePossible: k !== 0 }));
    dCases.slice(0, 6).forEach((c, k) => buildCareAllocation(em, {
      rng, case: c, form: CareForm.PGB, decision: k === 0 ? CareDecision.REJECTED : CareDecision.PROVISIONALLY_GRANTED,
      investigationStartedAt: '2015-08-03', decidedAt: '2015-08-20',
    }));

    // 2016-Q1 / Q2. Team E: 10 started in Q1, 5 of them closed in Q1 (after starting), 2 more in Q2.
    for (let k = 0; k < 10; k++) {
      const closed = k < 5;
      mkCase(em, rng, {
        team: tE, status: closed ? CaseStatus.CLOSED : CaseStatus.ACTIVE, registeredAt: day('2016-01-04'), firstContactAt: day('2016-01-06'),
        startedAt: day('2016-01-11'), closedAt: closed ? day('2016-03-15') : null, closureReason: closed ? ClosureReason.AS_PLANNED : null,
      });
    }
    for (let k = 0; k < 2; k++) {
      mkCase(em, rng, { team: tE, status: CaseStatus.ACTIVE, registeredAt: day('2016-04-04'), firstContactAt: day('2016-04-06'), startedAt: day('2016-04-11') });
    }
    // Team F: 6 started in 2016-Q2 (the complementary cell next to E's 2).
    for (let k = 0; k < 6; k++) {
      mkCase(em, rng, {
        team: tF, status: CaseStatus.ACTIVE, registeredAt: day('2016-04-04'), firstContactAt: day('2016-04-06'), startedAt: day('2016-04-11'),
        referralSource: ReferralSource.GP,
      });
    }
    await em.flush();
    token = await hub.tokenFor(analyst);
  });

  afterAll(async () => {
    await hub?.stop();
  });

  async function report(period: string, teamId?: string) {
    const res = await hub.gql(REPORT, { period, teamId }, token);
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    return res.data!.quarterReport;
  }

  it('(control) 2015-Q2 city-wide: team A\'s 1 closed case is hidden, and team B\'s 5 with it (complementary suppression)', async () => {
    const city = await report('2015-Q2');
    const row = (t: Team) => city.perTeam.find((p: any) => p.team.id === t.id);
    expect(city.caseCounts.closedInPeriod).toBe(6);
    expect(row(tA).closed).toBeNull();
    expect(row(tB).closed).toBeNull();
    const b = await report('2015-Q2', tB.id);
    expect(b.caseCounts.closedInPeriod).toBeNull();
  });

  it('one team: averages and shares over its closed cases are null while its closed count is hidden ("a share beside a hidden count is hidden too")', async () => {
    const b = await report('2015-Q2', tB.id);
    // B's closed count (5) is hidden by the pattern; its average and share over those same cases must not be shown.
    expect(b.caseCounts.closedInPeriod).toBeNull();
    expect({ averageClientRating: b.averageClientRating, selfReliantAfterClosureShare: b.selfReliantAfterClosureShare }).toEqual({
      averageClientRating: null,
      selfReliantAfterClosureShare: null,
    });
  });

  it('city averages plus one team\'s averages do not give back a hidden team\'s count or a single resident\'s rating and self-reliance', async () => {
    const city = await report('2015-Q2');
    const b = await report('2015-Q2', tB.id);
    // The analyst's arithmetic, from shown figures only.
    const cityClosed = city.caseCounts.closedInPeriod as number; // 6, city level
    const shownOthers = city.perTeam.filter((p: any) => p.closed !== null).reduce((a: number, p: any) => a + p.closed, 0); // 0
    const hiddenTogether = cityClosed - shownOthers; // A + B = 6
    let recovered: { nA: number; ratingA: number; selfReliantA: number } | null = null;
    if (b.averageClientRating !== null && city.averageClientRating !== null) {
      // B's average rounded to 2 decimals: which n for B (A has 1..4) makes average × n a whole rating sum?
      const candidates = [1, 2, 3, 4].map((nA) => hiddenTogether - nA).filter((nB) => nB > 0 && Math.abs(b.averageClientRating * nB - Math.round(b.averageClientRating * nB)) < 0.005 * nB);
      if (candidates.length === 1) {
        const nB = candidates[0]!;
        const nA = hiddenTogether - nB;
        const ratingA = Math.round(city.averageClientRating * cityClosed) - Math.round(b.averageClientRating * nB);
        const selfReliantA = Math.round(city.selfReliantAfterClosureShare * cityClosed) - Math.round(b.selfReliantAfterClosureShare * nB);
        recovered = { nA, ratingA, selfReliantA };
      }
    }
    // Unsafe outcome observed: { nA: 1, ratingA: 3, selfReliantA: 0 } — team A's one resident rated 3 and was not self-reliant.
    expect(recovered, `recovered from shown figures: ${JSON.stringify(recovered)}`).toBeNull();
  });

  it('one team: selfReliantAfterClosureShare × closedInPeriod gives no count from 1 to 4 back (the not self-reliant ones)', async () => {
    const d = await report('2015-Q3', tD.id);
    const closed = d.caseCounts.closedInPeriod as number | null;
    const share = d.selfReliantAfterClosureShare as number | null;
    const notSelfReliant = closed !== null && share !== null ? closed - Math.round(share * closed) : null;
    // Observed: closed 7, share 0.8571 → 1 resident of team D not self-reliant after closure.
    expect(notSelfReliant === null || !small(notSelfReliant), `closed ${closed}, share ${share} → ${notSelfReliant} not self-reliant`).toBe(true);
  });

  it('one team: casesDiscussed − informalCarePossible gives no count from 1 to 4 back (the discussions where informal care was not possible)', async () => {
    const d = await report('2015-Q3', tD.id);
    const { casesDiscussed, informalCarePossible, possibleShare } = d.informalCare;
    const notPossible = casesDiscussed !== null && informalCarePossible !== null ? casesDiscussed - informalCarePossible : null;
    // Observed: 7 − 6 = 1 (and possibleShare 0.8571 says the same).
    expect(notPossible === null || !small(notPossible), `discussed ${casesDiscussed}, possible ${informalCarePossible}, share ${possibleShare}`).toBe(true);
  });

  it('one team: pgb × pgbProvisionallyGrantedShare gives no count from 1 to 4 back (the PGBs not provisionally granted)', async () => {
    const d = await report('2015-Q3', tD.id);
    const { pgb, pgbProvisionallyGrantedShare: share } = d.careAllocations;
    const notProvisional = pgb !== null && share !== null ? pgb - Math.round(share * pgb) : null;
    // Observed: pgb 6, share 0.8333 → 1 PGB not provisionally granted (here: the rejected one).
    expect(notProvisional === null || !small(notProvisional), `pgb ${pgb}, share ${share} → ${notProvisional}`).toBe(true);
  });

  it('adjacent quarters: running(Q2) − running(Q1) + closed(Q1) gives no hidden started(Q2) of a team back', async () => {
    const q1 = await report('2016-Q1');
    const q2 = await report('2016-Q2');
    const row = (r: any, t: Team) => r.perTeam.find((p: any) => p.team.id === t.id);
    const e1 = row(q1, tE), e2 = row(q2, tE);
    // (control) the pattern hides E's 2 started cases in Q2.
    expect(e2.started).toBeNull();
    const derived = e2.running !== null && e1.running !== null && e1.closed !== null ? e2.running - e1.running + e1.closed : null;
    // Observed: 7 − 10 + 5 = 2, exactly the hidden count.
    expect(derived === null || !small(derived), `E: running Q1 ${e1.running}, closed Q1 ${e1.closed}, running Q2 ${e2.running} → started Q2 ${derived}`).toBe(true);
  });

  it('adjacent quarters, single-team answers: the same identity does not undo the hidden started count', async () => {
    const e1 = (await report('2016-Q1', tE.id)).caseCounts;
    const e2 = (await report('2016-Q2', tE.id)).caseCounts;
    expect(e2.startedInPeriod).toBeNull();
    const derived = e2.runningInPeriod !== null && e1.runningInPeriod !== null && e1.closedInPeriod !== null ? e2.runningInPeriod - e1.runningInPeriod + e1.closedInPeriod : null;
    expect(derived === null || !small(derived), `E single-team: ${JSON.stringify({ e1, e2 })} → ${derived}`).toBe(true);
  });

  it('errors of quarterReport do not echo their input (period, teamId)', async () => {
    const fakeName = 'Jansje-Testpersoon-123456782';
    const bad = await hub.gql(REPORT, { period: fakeName }, token);
    expect(bad.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(bad.raw).not.toContain('Jansje');
    const badTeam = await hub.gql(REPORT, { period: '2015-Q2', teamId: fakeName }, token);
    expect(badTeam.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(badTeam.raw).not.toContain('Jansje');
    const denied = await hub.gql(REPORT, { period: fakeName, teamId: tA.id }, await hub.tokenFor(worker));
    expect(denied.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(denied.raw).not.toContain('Jansje');
    expect(denied.data?.quarterReport ?? null).toBeNull();
    // The denial's audit row names at most ids, never the other argument values.
    const rows = await hub.em().getConnection().execute<{ detail: unknown; object_id: string | null }[]>(
      `select detail, object_id from access_log where actor_id = ? and action = 'DENIED'`, [worker.id]);
    expect(JSON.stringify(rows)).not.toContain('Jansje');
  });

  it('an analyst\'s report reads write no per-person audit rows (no household or resident ids)', async () => {
    await report('2015-Q2');
    await report('2015-Q2', tA.id);
    const rows = await hub.em().getConnection().execute<{ n: string }[]>(
      `select count(*) n from access_log where actor_id = ? and (household_id is not null or object_type in ('Resident', 'Household', 'Case'))`, [analyst.id]);
    expect(Number(rows[0]!.n)).toBe(0);
  });
});

// ------------------------------------------------------------------------------------------------
// Hub 2: "now". caseCounts (status counts now, analyst pattern of its own) against quarterReport
// of the current quarter (its own pattern), for the same cases.
//   team X: 2 REGISTERED, 6 INTAKE, 3 ACTIVE, 6 CLOSED (all started and closed this quarter)
//   team Y: 5 REGISTERED, 5 ACTIVE (the complementary cells in caseCounts)
// ------------------------------------------------------------------------------------------------
describe('caseCounts (now) against quarterReport of the current quarter (analyst)', () => {
  let hub: TestHub;
  let tX: Team, tY: Team, tZ: Team, tW: Team;
  let token: string;
  let period: string;

  beforeAll(async () => {
    hub = await startTestHub();
    const em = hub.em();
    const rng = new Rng(777);
    tX = buildTeam(em, { code: 'probe-x', postcodes: ['3901'] });
    tY = buildTeam(em, { code: 'probe-y', postcodes: ['3902'] });
    const analyst = buildStaff(em, { role: Role.ANALYST });
    const now = Date.now();
    const ago = (min: number) => new Date(now - min * 60_000);
    // The current quarter on the Amsterdam calendar (the probe assumes the last 3 hours lie in it).
    const local = new Date(new Date(now).toLocaleString('en-US', { timeZone: 'Europe/Amsterdam' }));
    period = `${local.getFullYear()}-Q${Math.floor(local.getMonth() / 3) + 1}`;
    const put = (team: Team, status: CaseStatus, n: number) => {
      for (let k = 0; k < n; k++) {
        mkCase(em, rng, {
          team, status, registeredAt: ago(180),
          firstContactAt: status === CaseStatus.REGISTERED ? null : ago(170),
          startedAt: status === CaseStatus.ACTIVE || status === CaseStatus.CLOSED ? ago(160) : null,
          closedAt: status === CaseStatus.CLOSED ? ago(150) : null,
          closureReason: status === CaseStatus.CLOSED ? ClosureReason.AS_PLANNED : null,
        });
      }
    };
    put(tX, CaseStatus.REGISTERED, 2);
    put(tX, CaseStatus.INTAKE, 6);
    put(tX, CaseStatus.ACTIVE, 3);
    put(tX, CaseStatus.CLOSED, 6);
    put(tY, CaseStatus.REGISTERED, 5);
    put(tY, CaseStatus.ACTIVE, 5);
    // Cumulative figures: team Z closed 10 cases in 2015-Q1 and 2 in 2015-Q2; team W 5 in 2015-Q2
    // (the complementary cell next to Z's 2). Only CLOSED cases, so the patterns above are untouched.
    tZ = buildTeam(em, { code: 'probe-z', postcodes: ['3903'] });
    tW = buildTeam(em, { code: 'probe-w', postcodes: ['3904'] });
    const closedIn = (team: Team, n: number, q1: boolean) => {
      for (let k = 0; k < n; k++) {
        mkCase(em, rng, {
          team, status: CaseStatus.CLOSED, registeredAt: day(q1 ? '2015-01-05' : '2015-04-01'), firstContactAt: day(q1 ? '2015-01-07' : '2015-04-03'),
          startedAt: day(q1 ? '2015-01-12' : '2015-04-10'), closedAt: day(q1 ? '2015-03-20' : '2015-06-10'), closureReason: ClosureReason.AS_PLANNED,
        });
      }
    };
    closedIn(tZ, 10, true);
    closedIn(tZ, 2, false);
    closedIn(tW, 5, false);
    await em.flush();
    token = await hub.tokenFor(analyst);
  });

  afterAll(async () => {
    await hub?.stop();
  });

  async function gql(query: string, variables: Record<string, unknown>) {
    const res = await hub.gql(query, variables, token);
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    return res.data!;
  }

  // Fixed: analysts' caseCounts is the city's totals only (case-counts.ts), so there is no team's
  // count of today to set against the current quarter's report, nor an all-time closed count.
  async function countsRefused(teamId: string) {
    const res = await hub.gql(COUNTS, { t: teamId }, token);
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(res.data ?? null).toBeNull();
  }

  it('(control) caseCounts gives the analyst no team\'s counts: the city\'s totals, and FORBIDDEN for one team', async () => {
    const cc = (await gql(COUNTS, {})).caseCounts;
    expect(cc.perTeam).toEqual([]);
    expect(cc.total).toEqual({ registered: 7, intake: 6, active: 8, closed: 6 + 12 + 5 });
    for (const t of [tX, tY, tZ, tW]) await countsRefused(t.id);
  });

  it('quarterReport(current quarter, teamId X).withoutStartDate − caseCounts intake does not give back X\'s hidden registered count', async () => {
    await countsRefused(tX.id);
    const r = (await gql(REPORT, { period, teamId: tX.id })).quarterReport;
    // Before: 8 − 6 (caseCounts' intake of X) = 2. Now there is no intake of X to subtract.
    expect(r.caseCounts.withoutStartDate).toBe(8);
  });

  it('quarterReport(current quarter) running − closed of team X does not give back X\'s hidden active count', async () => {
    const city = (await gql(REPORT, { period })).quarterReport;
    const row = city.perTeam.find((p: any) => p.team.id === tX.id);
    const derived = row.running !== null && row.closed !== null ? row.running - row.closed : null;
    // Observed before: 9 − 6 = 3. Running minus closed names a group (still open), a cell of its own now.
    expect(derived === null || !small(derived), `${period}: running ${row.running} − closed ${row.closed} → active ${derived}`).toBe(true);
  });

  it('team Y: quarterReport withoutStartDate (current quarter) does not give back Y\'s hidden registered count when Y has no intake', async () => {
    await countsRefused(tY.id);
  });

  it('cumulative: caseCounts closed (now) minus the team\'s shown closedInPeriod of every quarter does not give back a hidden quarter', async () => {
    // Before: caseCounts(teamId Z).closed 12 − the shown quarters' 10 = 2, Z's hidden 2015-Q2.
    await countsRefused(tZ.id);
    const r = (await gql(REPORT, { period: '2015-Q2' })).quarterReport;
    expect(r.perTeam.find((p: any) => p.team.id === tZ.id).closed).toBeNull();
  });
});
