/**
 * quarterReport (issue 7): the definitions of DESIGN.md §4 on a small hand-built data set
 * where every figure is computed by hand below; small-cell suppression; period validation;
 * role denials; and the fast path (rollups kept by triggers) equal to the raw-data path after
 * a random sequence of changes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntityManager } from '@mikro-orm/postgresql';
import { startTestHub, type TestHub } from '../helpers/app.js';
import { buildHousehold, buildOrganisation, buildStaff, buildTeam } from '../../seeds/factories.js';
import { Rng } from '../../seeds/random.js';
import { Case } from '../../src/modules/case/case.entity.js';
import { ZrmAssessment } from '../../src/modules/case/zrm-assessment.entity.js';
import { CareAllocation } from '../../src/modules/case/care-allocation.entity.js';
import { Feedback } from '../../src/modules/feedback/feedback.entity.js';
import { CaseDiscussion, InformalCareRequest, VolunteerMatch } from '../../src/modules/informal-care/informal-care.entity.js';
import { Volunteer } from '../../src/modules/informal-care/volunteer.entity.js';
import type { Team } from '../../src/modules/team/team.entity.js';
import type { Staff } from '../../src/modules/staff/staff.entity.js';
import { CaseStatus, ClosureReason, OrganisationKind, ReferralSource, Role, ZrmDomain, ZrmKind, ZrmVersion } from '../../src/modules/common/enums.js';
import { ZRM_DOMAINS } from '../../src/modules/case/zrm-domains.js';
import { assembleReport, loadFiguresPerTeam, loadReportFigures } from '../../src/modules/report/quarter-report.js';

const QUERY = /* GraphQL */ `
  query QuarterReport($period: String!, $teamId: ID) {
    quarterReport(period: $period, teamId: $teamId) {
      period
      suppressed
      caseCounts { withoutStartDate startedInPeriod runningInPeriod closedInPeriod }
      perTeam { team { code name } started running closed }
      referralSources { source count share }
      selfReferralShare
      closureReasons { reason count share }
      zrm { version assessments domains { domain distribution { score count share } } }
      averageDaysToFirstContact
      averageClientRating
      selfReliantAfterClosureShare
      feedback { complaints resolvedComplaints pendingComplaints unfoundedComplaints compliments }
      careAllocations { investigations pgb zin pgbProvisionallyGrantedShare }
      informalCare { ambassadors casesDiscussed informalCarePossible possibleShare activeVolunteers activeMatches }
    }
  }
`;

const day = (iso: string) => new Date(`${iso}T10:00:00Z`);

let hub: TestHub;
let t1: Team, t2: Team;
const who: Record<string, Staff> = {};
let partnerId: string;
let volunteerId: string;

beforeAll(async () => {
  hub = await startTestHub();
  const em = hub.em();
  const rng = new Rng('quarter-report-test');
  t1 = buildTeam(em, { code: 'qr-one', name: 'Team One', postcodes: ['3511'] });
  t2 = buildTeam(em, { code: 'qr-two', name: 'Team Two', postcodes: ['3512'] });
  const ic1 = buildOrganisation(em, { kind: OrganisationKind.INFORMAL_CARE });
  const ic2 = buildOrganisation(em, { kind: OrganisationKind.INFORMAL_CARE });
  const gp = buildOrganisation(em, { kind: OrganisationKind.GP_PRACTICE, agbCode: '01050000' });
  who.lead1 = buildStaff(em, { role: Role.TEAM_LEAD, teams: [t1] });
  who.lead2 = buildStaff(em, { role: Role.TEAM_LEAD, teams: [t2] });
  who.worker = buildStaff(em, { role: Role.TEAM_WORKER, teams: [t1] });
  who.amb1 = buildStaff(em, { role: Role.AMBASSADOR, teams: [t1], organisation: ic1 });
  who.amb2 = buildStaff(em, { role: Role.AMBASSADOR, teams: [t2], organisation: ic2 });
  who.analyst = buildStaff(em, { role: Role.ANALYST });
  who.admin = buildStaff(em, { role: Role.ADMIN });
  const v = (org: typeof ic1, active: boolean, n: number) =>
    em.create(Volunteer, { organisation: org, givenName: 'V', familyName: 'W', email: `qr-v${n}@voordeur.test`, postcode: '3511AA', active } as never);
  const v1 = v(ic1, true, 1);
  v(ic2, true, 2);
  v(ic1, false, 3);

  const mk = (team: Team, src: ReferralSource, reg: string, fc: string | null, st: string | null, cl: string | null, extra: Partial<Case> = {}) => {
    const { household } = buildHousehold(em, { rng, team });
    return em.create(Case, {
      household, team, reason: 'test', referralSource: src, registeredAt: day(reg),
      firstContactAt: fc ? day(fc) : null, startedAt: st ? day(st) : null, closedAt: cl ? day(cl) : null,
      status: cl ? CaseStatus.CLOSED : st ? CaseStatus.ACTIVE : fc ? CaseStatus.INTAKE : CaseStatus.REGISTERED, ...extra,
    } as never);
  };
  const c1 = mk(t1, ReferralSource.SELF, '2015-03-20', '2015-03-25', '2015-04-10', null);
  const c2 = mk(t1, ReferralSource.GP, '2015-04-01', '2015-04-05', '2015-04-15', '2015-06-10', { closureReason: ClosureReason.AS_PLANNED, clientRating: 8, selfReliantAfter: true });
  const c3 = mk(t1, ReferralSource.SELF, '2015-01-10', '2015-01-20', '2015-02-01', '2015-05-05', { closureReason: ClosureReason.EXTERNAL, clientRating: 6, selfReliantAfter: false });
  mk(t1, ReferralSource.SELF, '2015-05-01', '2015-05-11', null, null); // c4: without start date
  mk(t1, ReferralSource.OTHER, '2014-10-01', '2014-10-05', '2014-11-01', '2015-03-15', { closureReason: ClosureReason.AS_PLANNED, clientRating: 10 }); // c5: before
  mk(t1, ReferralSource.POLICE, '2015-06-20', null, null, '2015-06-25', { closureReason: ClosureReason.EARLY_BY_AGREEMENT }); // c6: closed before it started
  mk(t1, ReferralSource.SELF, '2015-07-02', null, null, null); // c7: after
  const d1 = mk(t2, ReferralSource.HOUSING_CORPORATION, '2015-04-02', '2015-04-03', '2015-04-20', null);
  mk(t2, ReferralSource.SELF, '2015-06-01', null, null, null); // d2: without start date

  const zrm = (c: Case, version: ZrmVersion, at: string, score: (d: ZrmDomain) => number) =>
    em.create(ZrmAssessment, { case: c, version, kind: ZrmKind.BASELINE, assessedAt: day(at), scores: ZRM_DOMAINS[version].map((domain) => ({ domain, score: score(domain) })) } as never);
  zrm(c2, ZrmVersion.ZRM_2015, '2015-04-15', (d) => (d === ZrmDomain.INCOME ? 1 : 3));
  zrm(c1, ZrmVersion.ZRM_2015, '2015-05-01', () => 4);
  zrm(d1, ZrmVersion.ZRM_2017, '2015-05-02', () => 2);
  zrm(c3, ZrmVersion.ZRM_2015, '2015-03-01', () => 5); // outside

  const fb = (team: Team, kind: string, status: string, at: string) =>
    em.create(Feedback, { team, kind, status, receivedAt: day(at), summary: 'x' } as never);
  fb(t1, 'COMPLAINT', 'RESOLVED', '2015-04-02');
  fb(t1, 'COMPLAINT', 'OPEN', '2015-05-02');
  fb(t1, 'COMPLAINT', 'ESCALATED', '2015-05-03');
  fb(t1, 'COMPLAINT', 'UNFOUNDED', '2015-06-02');
  fb(t1, 'COMPLIMENT', 'RESOLVED', '2015-06-03');
  fb(t2, 'COMPLIMENT', 'OPEN', '2015-06-04');
  fb(t1, 'COMPLAINT', 'OPEN', '2015-03-01'); // outside

  const care = (c: Case, form: string, decision: string, at: string) =>
    em.create(CareAllocation, { case: c, provision: 'hulp', form, decision, investigationStartedAt: at } as never);
  care(c2, 'PGB', 'PROVISIONALLY_GRANTED', '2015-04-20');
  care(c1, 'PGB', 'GRANTED', '2015-05-02');
  care(d1, 'ZIN', 'PENDING', '2015-06-01');
  care(c3, 'ZIN', 'GRANTED', '2015-03-01'); // outside

  em.create(CaseDiscussion, { case: c1, team: t1, ambassador: who.amb1, discussedAt: day('2015-04-11'), informalCarePossible: true } as never);
  em.create(CaseDiscussion, { case: c2, team: t1, ambassador: who.amb1, discussedAt: day('2015-04-16'), informalCarePossible: false } as never);
  em.create(CaseDiscussion, { case: d1, team: t2, ambassador: who.amb2, discussedAt: day('2015-05-16'), informalCarePossible: true } as never);

  const request = (c: Case, team: Team) =>
    em.create(InformalCareRequest, { case: c, team, needs: ['shopping'], postcode4: '3511', requestedBy: who.worker } as never);
  const match = (c: Case, team: Team, started: string, ended: string | null) =>
    em.create(VolunteerMatch, { request: request(c, team), volunteer: v1, team, status: ended ? 'ENDED' : 'ACTIVE', task: 't', proposedAt: day(started), startedAt: day(started), endedAt: ended ? day(ended) : null } as never);
  match(c1, t1, '2015-03-01', null);
  match(d1, t2, '2015-01-01', '2015-03-20'); // ended before the quarter
  match(c2, t1, '2015-05-01', '2015-05-20');
  await em.flush();
  partnerId = gp.id;
  volunteerId = v1.id;
});

afterAll(async () => {
  await hub?.stop();
});

async function report(staff: Staff | string, period = '2015-Q2', teamId?: string) {
  return hub.gql(QUERY, { period, teamId }, await hub.tokenFor(staff));
}

const third = 0.3333;

describe('quarterReport: definitions (hand-computed)', () => {
  it('city-wide for the analyst, teams suppressed below five', async () => {
    const res = await report(who.analyst);
    expect(res.errors).toBeUndefined();
    const r = res.data!.quarterReport;
    // withoutStartDate: c4, d2; started: c1, c2, d1; running: c1, c2, c3, d1; closed: c2, c3, c6.
    expect(r.caseCounts).toEqual({ withoutStartDate: 2, startedInPeriod: 3, runningInPeriod: 4, closedInPeriod: 3 });
    const source = (s: string) => r.referralSources.find((x: any) => x.source === s);
    expect(source('SELF')).toEqual({ source: 'SELF', count: 1, share: third });
    expect(source('GP')).toEqual({ source: 'GP', count: 1, share: third });
    expect(source('HOUSING_CORPORATION')).toEqual({ source: 'HOUSING_CORPORATION', count: 1, share: third });
    expect(source('POLICE')).toEqual({ source: 'POLICE', count: 0, share: 0 });
    expect(r.selfReferralShare).toBe(third);
    const reason = (s: string) => r.closureReasons.find((x: any) => x.reason === s);
    expect(reason('AS_PLANNED').count).toBe(1);
    expect(reason('EXTERNAL').count).toBe(1);
    expect(reason('EARLY_BY_AGREEMENT')).toEqual({ reason: 'EARLY_BY_AGREEMENT', count: 1, share: third });
    expect(reason('ENDED_BY_TEAM').count).toBe(0);
    // First contacts in the quarter: c2 (4 days), c4 (10), d1 (1) → 5.
    expect(r.averageDaysToFirstContact).toBe(5);
    // Closed in the quarter with a rating: c2 (8), c3 (6); self-reliant recorded: c2 yes, c3 no.
    expect(r.averageClientRating).toBe(7);
    expect(r.selfReliantAfterClosureShare).toBe(0.5);
    expect(r.zrm.map((z: any) => [z.version, z.assessments])).toEqual([['ZRM_2015', 2], ['ZRM_2017', 1]]);
    const income = r.zrm[0].domains.find((d: any) => d.domain === 'INCOME').distribution;
    expect(income).toEqual([
      { score: 1, count: 1, share: 0.5 },
      { score: 2, count: 0, share: 0 },
      { score: 3, count: 0, share: 0 },
      { score: 4, count: 1, share: 0.5 },
      { score: 5, count: 0, share: 0 },
    ]);
    expect(r.zrm[0].domains.find((d: any) => d.domain === 'HOUSING').distribution.map((x: any) => x.count)).toEqual([0, 0, 1, 1, 0]);
    expect(r.zrm[1].domains).toHaveLength(13);
    expect(r.feedback).toEqual({ complaints: 4, resolvedComplaints: 1, pendingComplaints: 2, unfoundedComplaints: 1, compliments: 2 });
    expect(r.careAllocations).toEqual({ investigations: 3, pgb: 2, zin: 1, pgbProvisionallyGrantedShare: 0.5 });
    expect(r.informalCare).toEqual({ ambassadors: 2, casesDiscussed: 3, informalCarePossible: 2, possibleShare: 0.6667, activeVolunteers: 2, activeMatches: 2 });
    // Per team: T1 started 2, running 3, closed 3; T2 started 1, running 1, closed 0 — all 1..4 → null.
    const one = r.perTeam.find((t: any) => t.team.code === 'qr-one');
    const two = r.perTeam.find((t: any) => t.team.code === 'qr-two');
    expect(one).toEqual({ team: { code: 'qr-one', name: 'Team One' }, started: null, running: null, closed: null });
    // T2's closed 0 is hidden too: the city's 3 closed minus a shown 0 would give T1's 3 back
    // (complementary suppression, cell-protection.ts).
    expect(two).toEqual({ team: { code: 'qr-two', name: 'Team Two' }, started: null, running: null, closed: null });
    expect(r.suppressed).toBe(true);
  });

  it('own teams for a team lead, unsuppressed', async () => {
    const res = await report(who.lead1);
    expect(res.errors).toBeUndefined();
    const r = res.data!.quarterReport;
    expect(r.suppressed).toBe(false);
    expect(r.caseCounts).toEqual({ withoutStartDate: 1, startedInPeriod: 2, runningInPeriod: 3, closedInPeriod: 3 });
    expect(r.perTeam).toEqual([{ team: { code: 'qr-one', name: 'Team One' }, started: 2, running: 3, closed: 3 }]);
    // c2 (4 days), c4 (10) → 7
    expect(r.averageDaysToFirstContact).toBe(7);
    expect(r.feedback).toEqual({ complaints: 4, resolvedComplaints: 1, pendingComplaints: 2, unfoundedComplaints: 1, compliments: 1 });
    expect(r.careAllocations).toEqual({ investigations: 2, pgb: 2, zin: 0, pgbProvisionallyGrantedShare: 0.5 });
    expect(r.informalCare).toEqual({ ambassadors: 1, casesDiscussed: 2, informalCarePossible: 1, possibleShare: 0.5, activeVolunteers: 1, activeMatches: 2 });
    expect(r.zrm.map((z: any) => [z.version, z.assessments])).toEqual([['ZRM_2015', 2]]);
    const same = await report(who.lead1, '2015-Q2', t1.id);
    expect(same.data).toEqual(res.data);
  });

  it('an analyst asking for one team gets every small count suppressed', async () => {
    const res = await report(who.analyst, '2015-Q2', t1.id);
    expect(res.errors).toBeUndefined();
    const r = res.data!.quarterReport;
    expect(r.suppressed).toBe(true);
    expect(r.caseCounts).toEqual({ withoutStartDate: null, startedInPeriod: null, runningInPeriod: null, closedInPeriod: null });
    expect(r.selfReferralShare).toBeNull();
    expect(r.averageClientRating).toBeNull();
    // T1's ZIN 0 is hidden as well: the city's ZIN (1, T2's) minus it would give T2's back.
    expect(r.careAllocations).toEqual({ investigations: null, pgb: null, zin: null, pgbProvisionallyGrantedShare: null });
    expect(r.referralSources.find((x: any) => x.source === 'POLICE')).toEqual({ source: 'POLICE', count: 0, share: null });
  });

  it('another quarter counts other rows (2015-Q1)', async () => {
    const r = (await report(who.lead1, '2015-Q1')).data!.quarterReport;
    // Q1 for team one: started c3; running c3, c5 (closed 2015-03-15 ≥ Jan 1); closed c5; registered by end, not started: c1.
    expect(r.caseCounts).toEqual({ withoutStartDate: 1, startedInPeriod: 1, runningInPeriod: 2, closedInPeriod: 1 });
  });
});

describe('quarterReport: input and access', () => {
  it('rejects a malformed period with BAD_USER_INPUT', async () => {
    for (const period of ['2015-Q5', '2015Q2', '2015-q2', '15-Q2', '2015-Q0', '']) {
      const res = await report(who.analyst, period);
      expect(res.errors?.[0]?.extensions?.code, period).toBe('BAD_USER_INPUT');
    }
  });

  it('denies everyone but team leads and analysts', async () => {
    for (const principal of [who.worker, who.amb1, who.admin, partnerId, volunteerId]) {
      const res = await report(principal as Staff);
      expect(res.data?.quarterReport ?? null).toBeNull();
      expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    }
    const anonymous = await hub.gql(QUERY, { period: '2015-Q2' });
    expect(anonymous.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it("denies a lead another team's report", async () => {
    const res = await report(who.lead2, '2015-Q2', t1.id);
    expect(res.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
  });
});

describe('quarterReport: the rollups equal the raw data', () => {
  async function compare(em: EntityManager, label: string) {
    const teams = [t1.id, t2.id];
    for (const q of ['2014-10-01', '2015-01-01', '2015-04-01', '2015-07-01']) {
      for (const scope of [null, [t1.id], [t2.id]]) {
        const opts = { period: q, teamIds: scope ?? teams, suppressTeams: false, suppressAll: false };
        const fast = assembleReport(await loadReportFigures(em, q, scope, 'fast'), opts);
        const raw = assembleReport(await loadReportFigures(em, q, scope, 'raw'), opts);
        expect(fast, `${label} ${q} ${scope}`).toEqual(raw);
      }
      // Every team's figures at once (the analyst's small-cell protection reads them): the same.
      const [fastTeams, rawTeams] = await Promise.all([loadFiguresPerTeam(em, q, 'fast'), loadFiguresPerTeam(em.fork(), q, 'raw')]);
      for (const team of teams) {
        const opts = { period: q, teamIds: [team], suppressTeams: false, suppressAll: false };
        expect(assembleReport(fastTeams.teams.get(team)!, opts), `${label} ${q} ${team} per team`).toEqual(assembleReport(rawTeams.teams.get(team)!, opts));
      }
      // The city as the sum of the teams (the analyst's answer is built from it) = the city's own figures.
      const cityOpts = { period: q, teamIds: teams, suppressTeams: false, suppressAll: false };
      const city = assembleReport(await loadReportFigures(em, q, null, 'raw'), cityOpts);
      expect(assembleReport(fastTeams.city, cityOpts), `${label} ${q} city from teams`).toEqual(city);
      expect(assembleReport(rawTeams.city, cityOpts), `${label} ${q} city from teams, raw`).toEqual(city);
    }
  }

  it('after a random sequence of changes, and after a rebuild', async () => {
    const em = hub.em();
    const conn = em.getConnection();
    const rng = new Rng('rollup-random');
    const dayIn = () => `2014-09-01T10:00:00Z`.replace('2014-09-01', new Date(Date.UTC(2014, 8, 1) + rng.int(0, 420) * 86_400_000).toISOString().slice(0, 10));
    const ids = async (table: string) => (await conn.execute<{ id: string }[]>(`select id from "${table}"`)).map((r) => r.id);
    const teamIds = [t1.id, t2.id];
    for (let i = 0; i < 80; i++) {
      const op = rng.int(0, 9);
      const cases = await ids('case');
      const c = rng.pick(cases);
      if (op === 0) await conn.execute(`update "case" set started_at = ?, closed_at = null where id = ?`, [dayIn(), c]);
      else if (op === 1) await conn.execute(`update "case" set closed_at = greatest(coalesce(started_at, registered_at), ?::timestamptz), closure_reason = ?, client_rating = ?, self_reliant_after = ? where id = ?`, [dayIn(), rng.pick(Object.values(ClosureReason)), rng.int(1, 10), rng.chance(0.5), c]);
      else if (op === 2) await conn.execute(`update "case" set team_id = ? where id = ?`, [rng.pick(teamIds), c]);
      else if (op === 3) await conn.execute(`update "case" set first_contact_at = ?, referral_source = ? where id = ?`, [dayIn(), rng.pick(Object.values(ReferralSource)), c]);
      else if (op === 4) {
        const { household } = buildHousehold(em, { rng, team: rng.pick([t1, t2]) });
        await em.flush();
        await conn.execute(`insert into "case" (id, household_id, team_id, reason, referral_source, registered_at, started_at) values (gen_random_uuid(), ?, ?, 'r', 'SELF', ?, ?)`, [household.id, household.team.id, dayIn(), rng.chance(0.5) ? dayIn() : null]);
      } else if (op === 5) {
        await conn.execute(`insert into zrm_assessment (id, case_id, assessed_at, version, kind, scores) select gen_random_uuid(), ?, ?, 'ZRM_2015', 'FOLLOW_UP', jsonb_agg(jsonb_build_object('domain', d, 'score', 1 + floor(random() * 5)::int)) from unnest(?::text[]) d`, [c, dayIn(), `{${ZRM_DOMAINS.ZRM_2015.join(',')}}`]);
      } else if (op === 6) {
        const z = await ids('zrm_assessment');
        if (z.length && rng.chance(0.5)) await conn.execute(`update zrm_assessment set assessed_at = ? where id = ?`, [dayIn(), rng.pick(z)]);
        else if (z.length) await conn.execute(`delete from zrm_assessment where id = ?`, [rng.pick(z)]);
      } else if (op === 7) {
        const f = await ids('feedback');
        await conn.execute(`update feedback set status = ?, received_at = ? where id = ?`, [rng.pick(['OPEN', 'RESOLVED', 'UNFOUNDED', 'ESCALATED']), dayIn(), rng.pick(f)]);
        if (rng.chance(0.3)) await conn.execute(`delete from feedback where id = ?`, [rng.pick(await ids('feedback'))]);
      } else if (op === 8) {
        await conn.execute(`insert into care_allocation (id, case_id, provision, form, investigation_started_at, decision) values (gen_random_uuid(), ?, 'p', ?, ?::date, ?)`, [c, rng.pick(['PGB', 'ZIN']), dayIn().slice(0, 10), rng.pick(['PENDING', 'PROVISIONALLY_GRANTED', 'GRANTED'])]);
        const a = await ids('care_allocation');
        await conn.execute(`update care_allocation set decision = 'REJECTED', investigation_started_at = ?::date where id = ?`, [dayIn().slice(0, 10), rng.pick(a)]);
      } else {
        const d = await ids('case_discussion');
        await conn.execute(`update case_discussion set informal_care_possible = not informal_care_possible, discussed_at = ? where id = ?`, [dayIn(), rng.pick(d)]);
        const m = await ids('volunteer_match');
        await conn.execute(`update volunteer_match set started_at = ?, ended_at = case when random() < 0.5 then null else ?::timestamptz end where id = ?`, [dayIn(), '2015-08-01T10:00:00Z', rng.pick(m)]);
      }
    }
    await compare(em, 'incremental');
    await conn.execute('select report_rebuild()');
    await compare(em, 'rebuilt');
  });
});
