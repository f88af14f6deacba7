/**
 * The utrecht-2015q2 scenario (base size) reproduces data/utrecht-2015-q2.json through
 * quarterReport; cases added through the API afterwards move every affected figure by exactly
 * the right amount (and the rollups stay equal to the raw data).
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../helpers/app.js';
import { seedScenario } from '../../seeds/scenario.js';
import { DEMO_ANALYST_EMAIL, demoEmails, loadTeamsReference } from '../../seeds/demo.js';
import { loadReportFigures } from '../../src/modules/report/quarter-report.js';
import { ZRM_DOMAINS } from '../../src/modules/case/zrm-domains.js';

const target = JSON.parse(readFileSync(new URL('../../data/utrecht-2015-q2.json', import.meta.url), 'utf8'));

const QUERY = /* GraphQL */ `
  query QuarterReport($period: String!, $teamId: ID) {
    quarterReport(period: $period, teamId: $teamId) {
      period suppressed
      caseCounts { withoutStartDate startedInPeriod runningInPeriod closedInPeriod }
      perTeam { team { code } started running closed }
      referralSources { source count share }
      selfReferralShare
      closureReasons { reason count share }
      zrm { version assessments domains { domain distribution { score count share } } }
      averageDaysToFirstContact averageClientRating selfReliantAfterClosureShare
      feedback { complaints resolvedComplaints pendingComplaints unfoundedComplaints compliments }
      careAllocations { investigations pgb zin pgbProvisionallyGrantedShare }
      informalCare { ambassadors casesDiscussed informalCarePossible possibleShare activeVolunteers activeMatches }
    }
  }
`;

let hub: TestHub;
let analystToken: string;
const ref = loadTeamsReference();
const team = ref.teams[0]!;

async function idOf(email: string): Promise<string> {
  const rows = await hub.em().getConnection().execute<{ id: string }[]>('select id from staff where email = ?', [email]);
  return rows[0]!.id;
}

async function cityReport() {
  const res = await hub.gql(QUERY, { period: '2015-Q2' }, analystToken);
  expect(res.errors).toBeUndefined();
  return res.data!.quarterReport;
}

beforeAll(async () => {
  hub = await startTestHub();
  const result = await seedScenario(hub.em());
  expect(result).toEqual({ created: true, cases: 10_000 });
  analystToken = await hub.tokenFor(await idOf(DEMO_ANALYST_EMAIL));
}, 120_000);

afterAll(async () => {
  await hub?.stop();
});

describe('utrecht-2015q2 scenario', () => {
  it('reproduces the published 2015-Q2 figures', async () => {
    const r = await cityReport();
    expect(r.caseCounts).toEqual(target.caseCounts);
    expect(Math.abs(r.selfReferralShare - target.selfReferralShare)).toBeLessThanOrEqual(0.01);
    for (const [reason, share] of Object.entries(target.closureReasons as Record<string, number>)) {
      expect(Math.abs(r.closureReasons.find((c: any) => c.reason === reason).share - share), reason).toBeLessThanOrEqual(0.01);
    }
    const zrm = r.zrm.find((z: any) => z.version === target.zrm.version);
    expect(zrm.assessments).toBe(target.zrm.assessments);
    for (const [domain, shares] of Object.entries(target.zrm.sharesByScore1to5 as Record<string, number[]>)) {
      const got = zrm.domains.find((d: any) => d.domain === domain).distribution.map((x: any) => x.share);
      shares.forEach((s, i) => expect(Math.abs(got[i] - s), `${domain} ${i + 1}`).toBeLessThanOrEqual(0.01));
    }
    expect(Math.abs(r.averageDaysToFirstContact - target.averageDaysToFirstContact)).toBeLessThanOrEqual(0.1);
    expect(Math.abs(r.averageClientRating - target.averageClientRating)).toBeLessThanOrEqual(0.1);
    const { reports: _reports, ...feedback } = target.feedback;
    expect(r.feedback).toEqual(feedback);
    expect(r.careAllocations.investigations).toBe(target.careAllocations.investigations);
    expect(Math.abs(r.careAllocations.pgb / r.careAllocations.investigations - target.careAllocations.pgbShare)).toBeLessThanOrEqual(0.01);
    expect(Math.abs(r.careAllocations.zin / r.careAllocations.investigations - target.careAllocations.zinShare)).toBeLessThanOrEqual(0.01);
    expect(Math.abs(r.careAllocations.pgbProvisionallyGrantedShare - target.careAllocations.pgbProvisionallyGrantedShare)).toBeLessThanOrEqual(0.01);
    expect(r.informalCare).toMatchObject({
      ambassadors: target.informalCare.ambassadors,
      casesDiscussed: target.informalCare.casesDiscussed,
      informalCarePossible: target.informalCare.informalCarePossible,
      activeVolunteers: target.informalCare.volunteers,
    });
    expect(Math.abs(r.informalCare.possibleShare - target.informalCare.possibleShare)).toBeLessThanOrEqual(0.01);
    expect(r.perTeam.length).toBe(ref.teams.length + 1);
    expect(r.perTeam.reduce((a: number, t: any) => a + t.started, 0)).toBe(target.caseCounts.startedInPeriod);
  });

  it('a case added through the API moves every affected figure by exactly one', async () => {
    const em = hub.em();
    const teamId = (await em.getConnection().execute<{ id: string }[]>('select id from team where code = ?', [team.code]))[0]!.id;
    const leadId = await idOf(demoEmails.lead(team.code));
    const lead = await hub.tokenFor(leadId);
    const before = await cityReport();
    const rawBefore = await loadReportFigures(em, '2015-04-01', null, 'raw');

    const gql = async (query: string, variables: Record<string, unknown>) => {
      const res = await hub.gql(query, variables, lead);
      expect(res.errors, query).toBeUndefined();
      return res.data!;
    };
    const hh = await gql(`mutation($input: RegisterHouseholdInput!) { registerHousehold(input: $input) { id } }`, {
      input: {
        teamId,
        address: { street: 'Teststraat', houseNumber: '7', postcode: `${team.postcodes[0]}ZZ`, city: 'Utrecht' },
        members: [{ givenName: 'Test', familyName: 'Persoon', birthDate: '1970-01-01', relation: 'HEAD' }],
      },
    });
    const opened = await gql(`mutation($input: OpenCaseInput!) { openCase(input: $input) { id } }`, {
      input: { householdId: hh.registerHousehold.id, referralSource: 'SELF', registeredAt: '2015-04-10T10:00:00Z', reason: 'test' },
    });
    const caseId = opened.openCase.id;
    await gql(`mutation($id: ID!, $at: DateTime!) { recordFirstContact(caseId: $id, at: $at) { id } }`, { id: caseId, at: '2015-04-14T10:00:00Z' });
    await gql(`mutation($input: StartCaseInput!) { startCase(input: $input) { id } }`, { input: { caseId, startedAt: '2015-04-20T10:00:00Z', coordinatorId: leadId } });
    await gql(`mutation($input: RecordZrmAssessmentInput!) { recordZrmAssessment(input: $input) { id } }`, {
      input: { caseId, assessedAt: '2015-05-01T10:00:00Z', version: 'ZRM_2015', kind: 'BASELINE', scores: ZRM_DOMAINS.ZRM_2015.map((domain) => ({ domain, score: 3 })) },
    });
    await gql(`mutation($input: RecordCareAllocationInput!) { recordCareAllocation(input: $input) { id } }`, {
      input: { caseId, provision: 'begeleiding', form: 'PGB', investigationStartedAt: '2015-05-02', decision: 'PROVISIONALLY_GRANTED' },
    });
    await gql(`mutation($input: RegisterFeedbackInput!) { registerFeedback(input: $input) { id } }`, {
      input: { teamId, caseId, kind: 'COMPLAINT', receivedAt: '2015-05-03T10:00:00Z', summary: 'test' },
    });
    await gql(`mutation($input: CloseCaseInput!) { closeCase(input: $input) { id } }`, {
      input: { caseId, closedAt: '2015-06-01T10:00:00Z', reason: 'ENDED_BY_CLIENT', clientRating: 10, selfReliantAfter: true },
    });

    const after = await cityReport();
    const rawAfter = await loadReportFigures(em, '2015-04-01', null, 'raw');
    const cc = before.caseCounts;
    expect(after.caseCounts).toEqual({ withoutStartDate: cc.withoutStartDate, startedInPeriod: cc.startedInPeriod + 1, runningInPeriod: cc.runningInPeriod + 1, closedInPeriod: cc.closedInPeriod + 1 });
    const teamBefore = before.perTeam.find((t: any) => t.team.code === team.code);
    expect(after.perTeam.find((t: any) => t.team.code === team.code)).toEqual({ ...teamBefore, started: teamBefore.started + 1, running: teamBefore.running + 1, closed: teamBefore.closed + 1 });
    const count = (r: any, list: string, key: string, value: string) => r[list].find((x: any) => x[key] === value).count;
    expect(count(after, 'referralSources', 'source', 'SELF')).toBe(count(before, 'referralSources', 'source', 'SELF') + 1);
    expect(count(after, 'referralSources', 'source', 'GP')).toBe(count(before, 'referralSources', 'source', 'GP'));
    expect(count(after, 'closureReasons', 'reason', 'ENDED_BY_CLIENT')).toBe(count(before, 'closureReasons', 'reason', 'ENDED_BY_CLIENT') + 1);
    expect(count(after, 'closureReasons', 'reason', 'AS_PLANNED')).toBe(count(before, 'closureReasons', 'reason', 'AS_PLANNED'));
    const zb = before.zrm.find((z: any) => z.version === 'ZRM_2015');
    const za = after.zrm.find((z: any) => z.version === 'ZRM_2015');
    expect(za.assessments).toBe(zb.assessments + 1);
    za.domains.forEach((d: any, i: number) =>
      d.distribution.forEach((x: any, s: number) => expect(x.count).toBe(zb.domains[i].distribution[s].count + (x.score === 3 ? 1 : 0))),
    );
    expect(after.feedback).toEqual({ ...before.feedback, complaints: before.feedback.complaints + 1, pendingComplaints: before.feedback.pendingComplaints + 1 });
    expect(after.careAllocations).toMatchObject({ investigations: before.careAllocations.investigations + 1, pgb: before.careAllocations.pgb + 1, zin: before.careAllocations.zin });
    // Averages: one more first contact (4 days) and one more closure (rating 10, self-reliant).
    expect(Number(rawAfter.contact.n)).toBe(Number(rawBefore.contact.n) + 1);
    expect(Number(rawAfter.contact.d)).toBe(Number(rawBefore.contact.d) + 4);
    const sum = (f: typeof rawBefore, k: 'rs' | 'rn' | 'sr' | 'srn') => f.closure.reduce((a, c) => a + Number(c[k]), 0);
    expect(sum(rawAfter, 'rs')).toBe(sum(rawBefore, 'rs') + 10);
    expect(sum(rawAfter, 'rn')).toBe(sum(rawBefore, 'rn') + 1);
    expect(sum(rawAfter, 'sr')).toBe(sum(rawBefore, 'sr') + 1);
    expect(after.averageDaysToFirstContact).toBe(Math.round(((Number(rawBefore.contact.d) + 4) / (Number(rawBefore.contact.n) + 1)) * 100) / 100);
    expect(after.averageClientRating).toBe(Math.round(((sum(rawBefore, 'rs') + 10) / (sum(rawBefore, 'rn') + 1)) * 100) / 100);
    expect(after.informalCare).toEqual(before.informalCare);
    // The fast path (what the API answered) equals the raw data.
    expect(await loadReportFigures(em, '2015-04-01', null, 'fast').then((f) => f.contact)).toEqual(rawAfter.contact);
  });
});
