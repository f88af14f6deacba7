/**
 * What `npm run bench` asks: the GraphQL operation of each scenario, and who asks it with which
 * variables, next to the variables of the hand-written baseline (bench/baseline.ts) for the same
 * answer. Shared by the harness and by the test that holds each baseline to the API's answer
 * (tests/integration/bench-baseline.test.ts).
 */
import type pg from 'pg';
import { DEMO_ANALYST_EMAIL, demoEmails, loadTeamsReference } from '../seeds/demo.js';

export const OPS = {
  teamCases: `query TeamCases($teamId: ID!, $status: [CaseStatus!], $first: Int, $after: String) {
  cases(filter: { teamId: $teamId, status: $status }, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id status registeredAt startedAt coordinator { id name }
      household { id address { postcode } members { givenName familyName } }
      latestZrm { assessedAt scores { domain score } } } }
  }
}`,
  caseDetail: `query CaseDetail($id: ID!) {
  case(id: $id) {
    id status registeredAt firstContactAt startedAt closedAt closureReason referralSource
    coordinator { id name }
    team { id code }
    household { id address { street houseNumber postcode city } members { id givenName familyName birthDate bsnLast4 phone } }
    goals { id description domain status }
    notes(first: 20) { totalCount edges { node { id body createdAt author { name } } } }
    zrmAssessments { id assessedAt version kind scores { domain score } }
    careAllocations { id provision form decision }
    consents { id purpose grantedAt revokedAt recipient { id name } }
    referral { id kind externalId status from { id name } }
  }
}`,
  referralStatus: `query ReferralStatus($id: ID!) {
  referral(id: $id) { id externalId status updatedAt contactPerson { name phone } }
}`,
  volunteerCandidates: `query VolunteerCandidates($requestId: ID!, $first: Int) {
  volunteerCandidates(requestId: $requestId, first: $first) {
    score reasons volunteer { id givenName skills languages activeMatches } distanceKm
  }
}`,
  quarterReport: `query QuarterReport($period: String!, $teamId: ID) {
  quarterReport(period: $period, teamId: $teamId) {
    period suppressed
    caseCounts { withoutStartDate startedInPeriod runningInPeriod closedInPeriod }
    perTeam { team { code name } started running closed }
    referralSources { source count share }
    selfReferralShare
    closureReasons { reason count share }
    zrm { version assessments domains { domain distribution { score count share } } }
    averageDaysToFirstContact averageClientRating selfReliantAfterClosureShare
    feedback { complaints resolvedComplaints pendingComplaints unfoundedComplaints compliments }
    careAllocations { investigations pgb zin pgbProvisionallyGrantedShare }
    informalCare { ambassadors casesDiscussed informalCarePossible possibleShare activeVolunteers activeMatches }
  }
}`,
} as const;
export type Scenario = keyof typeof OPS | 'quarterReportLead';
/** The default run; quarterReportLead only on request (--scenario). */
export const SCENARIOS = Object.keys(OPS) as Scenario[];
export const ALL_SCENARIOS: Scenario[] = [...SCENARIOS, 'quarterReportLead'];
export const opOf = (s: Scenario) => OPS[s === 'quarterReportLead' ? 'quarterReport' : s];

export interface ScenarioPlan {
  token: string;
  variables: Record<string, unknown>;
  baseline: Record<string, unknown>;
}

/**
 * The principals and objects of each scenario in a database seeded by the scenario seeder:
 * the first team's lead (TeamCases; CaseDetail on the team's active case with the most care
 * allocations), a GP practice (its newest referral), an ambassador of an open request's team,
 * the analyst (city-wide report) and the lead again (the team's report).
 */
export async function scenarioPlans(db: pg.ClientBase, token: (principalId: string) => Promise<string>): Promise<Record<Scenario, ScenarioPlan>> {
  const one = async <T>(sql: string, params: unknown[] = []) => (await db.query(sql, params)).rows[0] as T;
  const teamCode = loadTeamsReference().teams[0]!.code;
  const team = await one<{ id: string }>('select id from team where code = $1', [teamCode]);
  const lead = await one<{ id: string }>('select id from staff where email = $1', [demoEmails.lead(teamCode)]);
  const analyst = await one<{ id: string }>('select id from staff where email = $1', [DEMO_ANALYST_EMAIL]);
  const detailCase = await one<{ id: string }>(
    `select c.id from "case" c where c.team_id = $1 and c.status = 'ACTIVE' order by (select count(*) from care_allocation a where a.case_id = c.id) desc, c.registered_at desc limit 1`,
    [team.id],
  );
  const referral = await one<{ id: string; from_id: string }>(`select r.id, r.from_id from referral r join organisation o on o.id = r.from_id where o.code = 'gp-de-linde' order by r.received_at desc limit 1`);
  const request = await one<{ id: string; team_id: string }>(`select id, team_id from informal_care_request where status = 'OPEN' order by created_at desc limit 1`);
  const ambassador = await one<{ id: string; organisation_id: string }>(
    `select s.id, s.organisation_id from staff s join staff_team st on st.staff_id = s.id where s.role = 'AMBASSADOR' and st.team_id = $1 limit 1`,
    [request.team_id],
  );

  return {
    teamCases: { token: await token(lead.id), variables: { teamId: team.id, first: 50 }, baseline: { teamId: team.id, first: 50 } },
    caseDetail: { token: await token(lead.id), variables: { id: detailCase.id }, baseline: { id: detailCase.id } },
    referralStatus: { token: await token(referral.from_id), variables: { id: referral.id }, baseline: { id: referral.id, organisationId: referral.from_id } },
    volunteerCandidates: {
      token: await token(ambassador.id),
      variables: { requestId: request.id, first: 10 },
      baseline: { requestId: request.id, first: 10, organisationId: ambassador.organisation_id },
    },
    quarterReport: { token: await token(analyst.id), variables: { period: '2015-Q2' }, baseline: { period: '2015-Q2' } },
    quarterReportLead: { token: await token(lead.id), variables: { period: '2015-Q2' }, baseline: { period: '2015-Q2', teamIds: [team.id] } },
  };
}
