/**
 * Small-cell protection across the analyst's answers (src/modules/report/cell-protection.ts):
 * no sum an answer shows gives a hidden count back by one subtraction — within the city-wide
 * answer (city total − the shown teams), within a single-team answer (a team's started cases −
 * its shown sources, …), and across them (a single-team answer hides what the city-wide one
 * hides). The lead's own answers are not touched.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../helpers/app.js';
import { buildHousehold, buildStaff, buildTeam } from '../../seeds/factories.js';
import { Rng } from '../../seeds/random.js';
import { Case } from '../../src/modules/case/case.entity.js';
import { ZrmAssessment } from '../../src/modules/case/zrm-assessment.entity.js';
import { Feedback } from '../../src/modules/feedback/feedback.entity.js';
import { CareAllocation } from '../../src/modules/case/care-allocation.entity.js';
import { ZRM_DOMAINS } from '../../src/modules/case/zrm-domains.js';
import { CaseStatus, ClosureReason, ReferralSource, Role, ZrmKind, ZrmVersion } from '../../src/modules/common/enums.js';
import { protectedCells, type Constraint } from '../../src/modules/report/cell-protection.js';
import { assembleReport, loadFiguresPerTeam, loadReportFigures } from '../../src/modules/report/quarter-report.js';
import type { Team } from '../../src/modules/team/team.entity.js';
import type { Staff } from '../../src/modules/staff/staff.entity.js';

const QUERY = `query($period: String!, $teamId: ID) {
  quarterReport(period: $period, teamId: $teamId) {
    suppressed
    caseCounts { withoutStartDate startedInPeriod runningInPeriod closedInPeriod }
    perTeam { team { id } started running closed }
    referralSources { source count share }
    closureReasons { reason count share }
    zrm { version assessments domains { domain distribution { score count share } } }
    feedback { complaints resolvedComplaints pendingComplaints unfoundedComplaints compliments }
    careAllocations { investigations pgb zin }
  }
}`;

let hub: TestHub;
let teams: Team[];
let analyst: Staff;
let lead: Staff;

const day = (d: string) => new Date(`${d}T10:00:00Z`);

beforeAll(async () => {
  hub = await startTestHub();
  const em = hub.em();
  const rng = new Rng(11);
  teams = [1, 2, 3].map((i) => buildTeam(em, { code: `prot-${i}`, postcodes: [`39${30 + i}`] }));
  analyst = buildStaff(em, { role: Role.ANALYST });
  lead = buildStaff(em, { role: Role.TEAM_LEAD, teams: [teams[0]!] });
  // Started in 2015-Q2 per team: 7 (5 self, 2 GP), 2 (self), 6 (GP); some closed, some assessed.
  const plan: [Team, ReferralSource, number, boolean][] = [
    [teams[0]!, ReferralSource.SELF, 5, true],
    [teams[0]!, ReferralSource.GP, 2, false],
    [teams[1]!, ReferralSource.SELF, 2, true],
    [teams[2]!, ReferralSource.GP, 6, false],
  ];
  let i = 0;
  for (const [team, source, n, close] of plan) {
    for (let k = 0; k < n; k++, i++) {
      const { household } = buildHousehold(em, { rng, team });
      const closed = close && k < 3;
      const c = em.create(Case, {
        household, team, reason: 'test', referralSource: source,
        registeredAt: day('2015-04-01'), firstContactAt: day('2015-04-03'), startedAt: day(`2015-04-${String(5 + (i % 20)).padStart(2, '0')}`),
        closedAt: closed ? day('2015-06-20') : null, closureReason: closed ? (k === 0 ? ClosureReason.EXTERNAL : ClosureReason.AS_PLANNED) : null,
        status: closed ? CaseStatus.CLOSED : CaseStatus.ACTIVE,
      } as never);
      if (k % 2 === 0) {
        em.create(ZrmAssessment, {
          case: c, version: ZrmVersion.ZRM_2017, kind: ZrmKind.BASELINE, assessedAt: day('2015-05-01'),
          scores: ZRM_DOMAINS[ZrmVersion.ZRM_2017].map((domain, d) => ({ domain, score: 1 + ((d + k) % 5) })),
        } as never);
      }
      if (k === 1) em.create(CareAllocation, { case: c, provision: 'hulp', form: i % 2 ? 'PGB' : 'ZIN', decision: 'GRANTED', investigationStartedAt: '2015-05-02' } as never);
    }
    em.create(Feedback, { team, kind: 'COMPLAINT', status: n > 4 ? 'RESOLVED' : 'OPEN', receivedAt: day('2015-05-10'), summary: 'x' } as never);
  }
  await em.flush();
});

afterAll(async () => {
  await hub?.stop();
});

async function report(teamId?: string, who: Staff = analyst) {
  const res = await hub.gql(QUERY, { period: '2015-Q2', teamId }, await hub.tokenFor(who));
  expect(res.errors).toBeUndefined();
  return res.data!.quarterReport;
}

/** A shown sum over cells: 0 or ≥ 2 unknowns (null cells, or a null total), never exactly one. */
function expectNoSingleUnknown(label: string, cells: (number | null)[], total: number | null) {
  const unknown = cells.filter((c) => c === null).length + (total === null ? 1 : 0);
  expect(unknown, `${label}: cells ${JSON.stringify(cells)}, total ${total}`).not.toBe(1);
}

describe('protectedCells', () => {
  const column = (cells: string[]): Constraint => ({ cells, total: null });

  it('hides the smallest other non-zero cell next to a lone small one, and a zero one only when nothing else is left', () => {
    const values = new Map([['a', 2], ['b', 9], ['c', 6], ['d', 0]]);
    expect([...protectedCells(values, [column(['a', 'b', 'c', 'd'])])].sort()).toEqual(['a', 'c']);
    const zeros = new Map([['a', 3], ['b', 0], ['c', 0]]);
    expect(protectedCells(zeros, [column(['a', 'b', 'c'])]).size).toBe(2);
    // Only the total hidden: a cell goes with it, or the cells would add up to it.
    const row = new Map([['t', 3], ['x', 0], ['y', 0], ['z', 0]]);
    expect(protectedCells(row, [{ cells: ['x', 'y', 'z'], total: 't' }]).size).toBe(2);
  });

  it('leaves no constraint with exactly one unknown, on random tables with shown row and column sums', () => {
    const rng = new Rng(3);
    for (let round = 0; round < 200; round++) {
      const rows = rng.int(2, 6);
      const cols = rng.int(2, 6);
      const values = new Map<string, number>();
      for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) values.set(`${r}:${c}`, rng.chance(0.3) ? 0 : rng.int(1, 12));
      for (let r = 0; r < rows; r++) values.set(`${r}:total`, [...Array(cols).keys()].reduce((a, c) => a + values.get(`${r}:${c}`)!, 0));
      const constraints: Constraint[] = [
        ...[...Array(cols).keys()].map((c) => column([...Array(rows).keys()].map((r) => `${r}:${c}`))),
        ...[...Array(rows).keys()].map((r) => ({ cells: [...Array(cols).keys()].map((c) => `${r}:${c}`), total: `${r}:total` })),
        column([...Array(rows).keys()].map((r) => `${r}:total`)),
      ];
      const hidden = protectedCells(values, constraints);
      for (const [k, n] of values) if (n >= 1 && n <= 4) expect(hidden.has(k)).toBe(true);
      for (const c of constraints) {
        const unknown = c.cells.filter((k) => hidden.has(k)).length + (c.total && hidden.has(c.total) ? 1 : 0);
        expect(unknown).not.toBe(1);
      }
    }
  });
});

describe('every team\'s figures (the pattern\'s input)', () => {
  it('the grouped fast query gives each team exactly its own report, as the raw path does', async () => {
    const em = hub.em();
    for (const q of ['2015-04-01', '2015-01-01']) {
      const [fast, raw] = await Promise.all([loadFiguresPerTeam(em, q, 'fast'), loadFiguresPerTeam(hub.em(), q, 'raw')]);
      expect([...fast.teams.keys()].sort()).toEqual([...raw.teams.keys()].sort());
      for (const team of fast.teams.keys()) {
        const opts = { period: q, teamIds: [team], suppressTeams: false, suppressAll: false };
        const alone = assembleReport(await loadReportFigures(em, q, [team], 'fast'), opts);
        expect(assembleReport(fast.teams.get(team)!, opts), `${q} ${team} fast`).toEqual(alone);
        expect(assembleReport(raw.teams.get(team)!, opts), `${q} ${team} raw`).toEqual(alone);
      }
      const cityOpts = { period: q, teamIds: [...fast.teams.keys()].sort(), suppressTeams: false, suppressAll: false };
      expect(assembleReport(fast.city, cityOpts), `${q} city`).toEqual(assembleReport(await loadReportFigures(em, q, null, 'fast'), cityOpts));
    }
  });
});

describe('the cached per-team answers', () => {
  it('a repeated answer is the cached one; after a change the figures are read again, never stale', async () => {
    const q = '2015-04-01';
    const first = await loadFiguresPerTeam(hub.em(), q, 'fast');
    expect(await loadFiguresPerTeam(hub.em(), q, 'fast')).toBe(first);
    const em = hub.em();
    const team = teams[0]!;
    const before = Number(first.teams.get(team.id)!.sources.find((x) => x.k === ReferralSource.GP)?.n ?? 0);
    const { household } = buildHousehold(em, { rng: new Rng(99), team });
    const c = em.create(Case, {
      household, team, status: CaseStatus.ACTIVE, referralSource: ReferralSource.GP, reason: 'cache probe',
      registeredAt: day('2015-04-02'), firstContactAt: day('2015-04-03'), startedAt: day('2015-04-10'), coordinator: lead,
    });
    await em.flush();
    const after = await loadFiguresPerTeam(hub.em(), q, 'fast');
    expect(after).not.toBe(first);
    expect(Number(after.teams.get(team.id)!.sources.find((x) => x.k === ReferralSource.GP)?.n ?? 0)).toBe(before + 1);
    const raw = await loadFiguresPerTeam(hub.em(), q, 'raw');
    const opts = { period: '2015-Q2', teamIds: [team.id], suppressTeams: false, suppressAll: false };
    expect(assembleReport(after.teams.get(team.id)!, opts)).toEqual(assembleReport(raw.teams.get(team.id)!, opts));
    // Put the data back as the other tests expect it.
    await hub.em().nativeDelete(Case, { id: c.id });
    expect(Number((await loadFiguresPerTeam(hub.em(), q, 'fast')).teams.get(team.id)!.sources.find((x) => x.k === ReferralSource.GP)?.n ?? 0)).toBe(before);
  });
});

describe("the analyst's answers", () => {
  it('city-wide: no team column gives a hidden count back as the city total minus the shown teams', async () => {
    const city = await report();
    expect(city.suppressed).toBe(true);
    const cc = city.caseCounts;
    expectNoSingleUnknown('started', city.perTeam.map((t: any) => t.started), cc.startedInPeriod);
    expectNoSingleUnknown('running', city.perTeam.map((t: any) => t.running), cc.runningInPeriod);
    expectNoSingleUnknown('closed', city.perTeam.map((t: any) => t.closed), cc.closedInPeriod);
    // Team 2's 2 started cases are hidden, and not alone.
    const started = Object.fromEntries(city.perTeam.map((t: any) => [t.team.id, t.started]));
    expect(started[teams[1]!.id]).toBeNull();
    expect(Object.values(started).filter((v) => v === null).length).toBeGreaterThanOrEqual(2);
  });

  it('one team: no category list gives a hidden count back as its shown total minus the shown categories', async () => {
    for (const team of teams) {
      const r = await report(team.id);
      const cc = r.caseCounts;
      expectNoSingleUnknown(`${team.code} sources`, r.referralSources.map((s: any) => s.count), cc.startedInPeriod);
      expectNoSingleUnknown(`${team.code} closures`, r.closureReasons.map((s: any) => s.count), cc.closedInPeriod);
      for (const z of r.zrm) {
        for (const d of z.domains) expectNoSingleUnknown(`${team.code} ${d.domain}`, d.distribution.map((x: any) => x.count), z.assessments);
      }
      const f = r.feedback;
      expectNoSingleUnknown(`${team.code} complaints`, [f.resolvedComplaints, f.pendingComplaints, f.unfoundedComplaints], f.complaints);
      const a = r.careAllocations;
      expectNoSingleUnknown(`${team.code} care`, [a.pgb, a.zin], a.investigations);
      // A share shown beside a hidden count would give it back (share × total).
      for (const s of r.referralSources) if (s.count === null) expect(s.share).toBeNull();
      for (const s of r.closureReasons) if (s.count === null) expect(s.share).toBeNull();
    }
  });

  it('across answers: the single-team answers hide what the city-wide one hides, so the city minus the teams gives nothing back', async () => {
    const city = await report();
    const single = await Promise.all(teams.map((t) => report(t.id)));
    teams.forEach((team, i) => {
      const row = city.perTeam.find((t: any) => t.team.id === team.id);
      const one = single[i]!;
      expect([one.caseCounts.startedInPeriod === null, one.caseCounts.runningInPeriod === null, one.caseCounts.closedInPeriod === null], team.code).toEqual([
        row.started === null,
        row.running === null,
        row.closed === null,
      ]);
    });
    // Each city-level category against the same category in every single-team answer.
    const categories = (r: any): Record<string, number | null> => ({
      ...Object.fromEntries(r.referralSources.map((s: any) => [`src:${s.source}`, s.count])),
      ...Object.fromEntries(r.closureReasons.map((s: any) => [`cr:${s.reason}`, s.count])),
      ...Object.fromEntries(r.zrm.flatMap((z: any) => z.domains.flatMap((d: any) => d.distribution.map((x: any) => [`${z.version}:${d.domain}:${x.score}`, x.count])))),
      withoutStartDate: r.caseCounts.withoutStartDate,
      complaints: r.feedback.complaints, resolved: r.feedback.resolvedComplaints, pending: r.feedback.pendingComplaints,
      pgb: r.careAllocations.pgb, zin: r.careAllocations.zin, investigations: r.careAllocations.investigations,
    });
    const cityCats = categories(city);
    const teamCats = single.map(categories);
    for (const key of Object.keys(cityCats)) {
      expect(cityCats[key], `city ${key}`).not.toBeNull();
      expectNoSingleUnknown(`across teams ${key}`, teamCats.map((c) => (key in c ? c[key]! : 0)), cityCats[key]!);
    }
  });

  it("caseCounts gives analysts the city's totals only: no team's count to subtract, and one team's is FORBIDDEN", async () => {
    const Q = 'query($t: ID) { caseCounts(teamId: $t) { total { registered intake active closed } perTeam { team { id } } suppressed } }';
    const token = await hub.tokenFor(analyst);
    const city = await hub.gql(Q, {}, token);
    expect(city.errors).toBeUndefined();
    expect(city.data!.caseCounts.perTeam).toEqual([]);
    for (const team of teams) {
      const one = await hub.gql(Q, { t: team.id }, token);
      expect(one.errors?.[0]?.extensions?.code, team.code).toBe('FORBIDDEN');
    }
  });

  it("a lead's own answer is not touched", async () => {
    const r = await report(undefined, lead);
    expect(r.suppressed).toBe(false);
    expect(r.caseCounts.startedInPeriod).toBe(7);
    expect(r.referralSources.find((s: any) => s.source === 'GP').count).toBe(2);
  });
});
