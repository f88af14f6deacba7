/**
 * Proportional sharing, role by role: flex workers (per case, until an end date), partner
 * apps (own referrals, status only; GP contact person only with consent), ambassadors
 * (pseudonymised requests), volunteers (own matches; phone only when ACTIVE), analysts
 * (aggregates with small cells suppressed), and residents' rights (correction, erasure).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../helpers/app.js';
import { buildCase, buildConsent, buildFlexAssignment, buildHousehold, buildOrganisation, buildReferral, buildStaff, buildTeam } from '../../seeds/factories.js';
import {
  CaseStatus,
  ConsentPurpose,
  InformalCareRequestStatus,
  MatchStatus,
  OrganisationKind,
  ReferralKind,
  ReferralStatus,
  Role,
} from '../../src/modules/common/enums.js';
import { Volunteer } from '../../src/modules/informal-care/volunteer.entity.js';
import { InformalCareRequest, VolunteerMatch } from '../../src/modules/informal-care/informal-care.entity.js';
import { Case } from '../../src/modules/case/case.entity.js';
import { Consent } from '../../src/modules/consent/consent.entity.js';
import { Resident } from '../../src/modules/household/resident.entity.js';
import { Household } from '../../src/modules/household/household.entity.js';
import { Disclosure } from '../../src/modules/audit/access-log.entity.js';
import { FlexAssignment } from '../../src/modules/flex/flex-assignment.entity.js';
import { loadViewer, today } from '../../src/permissions/viewer.js';
import type { Team } from '../../src/modules/team/team.entity.js';
import { Staff } from '../../src/modules/staff/staff.entity.js';
import { Organisation } from '../../src/modules/organisation/organisation.entity.js';
import { Referral } from '../../src/modules/referral/referral.entity.js';
import { hashBsn } from '../../src/modules/household/bsn.js';

let hub: TestHub;
let teamA: Team;
let teamB: Team;
let leadA: Staff;
let workerA: Staff;
let flex: Staff;
let admin: Staff;
let analyst: Staff;
let ambassadorA: Staff;
let ambassadorB: Staff;
let gp: Organisation;
let otherGp: Organisation;
let corp: Organisation;
let careOrg: Organisation;
let caseA: Case;
let caseA2: Case;
let residentA: Resident;
let referralGp: Referral;
let referralOtherGp: Referral;
let referralCorp: Referral;
let volunteer: Volunteer;
let otherVolunteer: Volunteer;
let activeMatch: VolunteerMatch;
let informalCareConsentId: string;
let proposedMatch: VolunteerMatch;
let requestA: InformalCareRequest;
const tokens: Record<string, string> = {};

const DISTINCT = 'Quirijntje';
const DISTINCT_FAMILY = 'Zonneveld-Xylofoon';

beforeAll(async () => {
  hub = await startTestHub();
  const em = hub.em();
  teamA = buildTeam(em, { postcodes: ['3901'] });
  teamB = buildTeam(em, { postcodes: ['3902'] });
  leadA = buildStaff(em, { role: Role.TEAM_LEAD, teams: [teamA] });
  workerA = buildStaff(em, { role: Role.TEAM_WORKER, teams: [teamA] });
  flex = buildStaff(em, { role: Role.FLEX_WORKER, teams: [] });
  admin = buildStaff(em, { role: Role.ADMIN });
  analyst = buildStaff(em, { role: Role.ANALYST });
  careOrg = buildOrganisation(em, { kind: OrganisationKind.INFORMAL_CARE });
  ambassadorA = buildStaff(em, { role: Role.AMBASSADOR, teams: [teamA], organisation: careOrg });
  ambassadorB = buildStaff(em, { role: Role.AMBASSADOR, teams: [teamB], organisation: careOrg });
  gp = buildOrganisation(em, { kind: OrganisationKind.GP_PRACTICE });
  otherGp = buildOrganisation(em, { kind: OrganisationKind.GP_PRACTICE });
  corp = buildOrganisation(em, { kind: OrganisationKind.HOUSING_CORPORATION });

  const hA = buildHousehold(em, {
    team: teamA,
    postcode: '3901AB',
    members: [{ givenName: DISTINCT, familyName: DISTINCT_FAMILY, phone: '06-11112222' }],
  });
  residentA = hA.residents[0]!;
  caseA = buildCase(em, { household: hA.household, status: CaseStatus.ACTIVE, coordinator: workerA });
  const hA2 = buildHousehold(em, { team: teamA, postcode: '3901CD', members: 2 });
  caseA2 = buildCase(em, { household: hA2.household, status: CaseStatus.ACTIVE, coordinator: workerA });
  const hB = buildHousehold(em, { team: teamB, postcode: '3902AB', members: 1 });
  buildCase(em, { household: hB.household, status: CaseStatus.INTAKE });

  referralGp = buildReferral(em, { from: gp, resident: residentA, kind: ReferralKind.GP_REFERRAL, status: ReferralStatus.IN_CARE, case: caseA, reason: 'SECRET-GP-REASON' });
  referralOtherGp = buildReferral(em, { from: otherGp, resident: residentA, kind: ReferralKind.GP_REFERRAL, status: ReferralStatus.RECEIVED, reason: 'OTHER-GP-REASON' });
  referralCorp = buildReferral(em, {
    from: corp,
    resident: residentA,
    kind: ReferralKind.ARREARS_SIGNAL,
    status: ReferralStatus.DECLINED,
    reason: 'SECRET-CORP-REASON',
    arrearsAmount: '1234.00',
    arrearsSince: '2026-01-01',
  });

  volunteer = em.create(Volunteer, {
    organisation: careOrg, givenName: 'Vera', familyName: 'Vrijwilliger', email: `vera.${Date.now()}@example.test`,
    phone: '06-99990000', postcode: '3901ZZ', skills: ['shopping'], languages: ['Dutch'], availability: [], maxMatches: 3,
  });
  otherVolunteer = em.create(Volunteer, {
    organisation: careOrg, givenName: 'Otto', familyName: 'Other', email: `otto.${Date.now()}@example.test`,
    postcode: '3901ZZ', skills: [], languages: [], availability: [], maxMatches: 1,
  });
  requestA = em.create(InformalCareRequest, {
    case: caseA, resident: residentA, team: teamA, needs: ['shopping'], languages: ['Dutch'], availability: [],
    note: 'SECRET-REQUEST-NOTE', postcode4: '3901', requestedBy: workerA, status: InformalCareRequestStatus.OPEN,
  });
  const requestA2 = em.create(InformalCareRequest, {
    case: caseA2, team: teamA, needs: ['company'], postcode4: '3901', requestedBy: workerA,
  });
  activeMatch = em.create(VolunteerMatch, {
    request: requestA, volunteer, team: teamA, status: MatchStatus.ACTIVE, task: 'Boodschappen doen',
    proposedAt: new Date(Date.now() - 40 * 86400000), startedAt: new Date(Date.now() - 30 * 86400000),
  });
  // The resident agreed to the match: their INFORMAL_CARE consent for the volunteer's organisation.
  informalCareConsentId = buildConsent(em, {
    resident: residentA, recipient: careOrg, recordedBy: workerA, purpose: ConsentPurpose.INFORMAL_CARE, grantedAt: new Date(Date.now() - 30 * 86400000),
  }).id;
  proposedMatch = em.create(VolunteerMatch, {
    request: requestA2, volunteer, team: teamA, status: MatchStatus.PROPOSED, task: 'Gezelschap', proposedAt: new Date(),
  });
  em.create(VolunteerMatch, {
    request: requestA2, volunteer: otherVolunteer, team: teamA, status: MatchStatus.ACTIVE, task: 'Wandelen',
    proposedAt: new Date(), startedAt: new Date(),
  });
  await em.flush();

  for (const [name, id] of Object.entries({
    lead: leadA.id, worker: workerA.id, flex: flex.id, admin: admin.id, analyst: analyst.id,
    ambassadorA: ambassadorA.id, ambassadorB: ambassadorB.id, gp: gp.id, otherGp: otherGp.id, corp: corp.id,
    volunteer: volunteer.id, careOrg: careOrg.id,
  })) tokens[name] = await hub.tokenFor(id);
});

afterAll(async () => {
  await hub?.stop();
});

const code = (res: { errors?: { extensions?: { code?: string } }[] }) => res.errors?.[0]?.extensions?.code;

describe('me, for every kind of principal', () => {
  it('knows staff, volunteers and partner apps; an organisation without a client login is no principal', async () => {
    expect((await hub.gql('{ me { role kind } }', {}, tokens.gp)).data?.me).toEqual({ role: 'PARTNER_GP', kind: 'partner' });
    expect((await hub.gql('{ me { role kind } }', {}, tokens.corp)).data?.me).toEqual({ role: 'PARTNER_CORPORATION', kind: 'partner' });
    expect((await hub.gql('{ me { role kind organisation { id } } }', {}, tokens.volunteer)).data?.me).toEqual({
      role: 'VOLUNTEER', kind: 'volunteer', organisation: { id: careOrg.id },
    });
    const informalCareOrg = await hub.gql('{ me { role } }', {}, tokens.careOrg);
    expect(informalCareOrg.status).toBe(401);
  });
});

describe('FLEX_WORKER', () => {
  it("ends an assignment at midnight on the city's calendar (Europe/Amsterdam), winter and summer", async () => {
    const em = hub.em();
    const worker = buildStaff(em, { role: Role.FLEX_WORKER, teams: [] });
    const lead = await em.findOneOrFail(Staff, leadA.id);
    const c = await em.findOneOrFail(Case, caseA2.id);
    buildFlexAssignment(em, { staff: worker, case: c, assignedBy: lead, until: '2026-03-10' });
    await em.flush();
    const sees = async (at: string) => (await loadViewer(hub.em(), worker.id, new Date(at)))!.flexCaseIds.has(caseA2.id);
    expect(await sees('2026-03-10T22:59:00Z')).toBe(true); // 23:59 in Utrecht (CET): the last day
    expect(await sees('2026-03-10T23:01:00Z')).toBe(false); // 00:01 on the 11th in Utrecht, still the 10th in UTC
    await em.nativeUpdate(FlexAssignment, { staff: worker.id }, { until: '2026-07-10' });
    expect(await sees('2026-07-10T21:59:00Z')).toBe(true); // 23:59 CEST
    expect(await sees('2026-07-10T22:01:00Z')).toBe(false);
    expect(today(new Date('2026-12-31T23:30:00Z'))).toBe('2027-01-01');
  });

  it('sees nothing before an assignment, then only the assigned case, and nothing after its end date', async () => {
    const before = await hub.gql('query($id: ID!) { case(id: $id) { id } cases { totalCount } }', { id: caseA.id }, tokens.flex);
    expect(code(before)).toBe('NOT_FOUND');
    expect(before.raw).not.toContain(DISTINCT);

    const denied = await hub.gql(
      'mutation($i: AssignFlexWorkerInput!) { assignFlexWorker(input: $i) { id until } }',
      { i: { staffId: flex.id, caseId: caseA.id, until: '2099-01-01' } },
      tokens.worker,
    );
    expect(code(denied)).toBe('FORBIDDEN');

    const until = new Date(Date.now() + 7 * 86400000).toISOString().slice(0, 10);
    const assigned = await hub.gql(
      'mutation($i: AssignFlexWorkerInput!) { assignFlexWorker(input: $i) { id until } }',
      { i: { staffId: flex.id, caseId: caseA.id, until } },
      tokens.lead,
    );
    expect(assigned.errors).toBeUndefined();
    expect(assigned.data?.assignFlexWorker.until).toBe(until);

    const during = await hub.gql(
      'query($id: ID!, $other: ID!) { case(id: $id) { id household { members { givenName } } } other: case(id: $other) { id } cases { totalCount } }',
      { id: caseA.id, other: caseA2.id },
      tokens.flex,
    );
    expect(during.data?.case.household.members[0].givenName).toBe(DISTINCT);
    expect(during.data?.other).toBeNull();
    expect(during.data?.cases.totalCount).toBe(1);
    const note = await hub.gql(
      'mutation($i: AddCaseNoteInput!) { addCaseNote(input: $i) { id } }',
      { i: { caseId: caseA.id, body: 'Flex was here' } },
      tokens.flex,
    );
    expect(note.errors).toBeUndefined();

    // The admin ends it (a date in the past): from the next request on, the case is gone.
    const ended = await hub.gql(
      'mutation($i: AssignFlexWorkerInput!) { assignFlexWorker(input: $i) { until } }',
      { i: { staffId: flex.id, caseId: caseA.id, until: '2020-01-01' } },
      tokens.admin,
    );
    expect(ended.errors).toBeUndefined();
    const after = await hub.gql('query($id: ID!) { case(id: $id) { id } }', { id: caseA.id }, tokens.flex);
    expect(code(after)).toBe('NOT_FOUND');
    expect(after.raw).not.toContain(DISTINCT);
  });

  it('a lead of another team cannot assign (NOT_FOUND, like a missing case)', async () => {
    const em = hub.em();
    const leadB = buildStaff(em, { role: Role.TEAM_LEAD, teams: [teamB] });
    await em.flush();
    const res = await hub.gql(
      'mutation($i: AssignFlexWorkerInput!) { assignFlexWorker(input: $i) { id } }',
      { i: { staffId: flex.id, caseId: caseA.id, until: '2099-01-01' } },
      await hub.tokenFor(leadB),
    );
    expect(code(res)).toBe('NOT_FOUND');
  });
});

describe('partner apps', () => {
  const MY = `{ referrals(first: 20) { totalCount edges { node { id externalId kind status receivedAt updatedAt contactPerson { name phone } } } } }`;

  it('a GP practice lists only its own referrals, with status and dates, never the content', async () => {
    const res = await hub.gql(MY, {}, tokens.gp);
    expect(res.errors).toBeUndefined();
    expect(res.data?.referrals.totalCount).toBe(1);
    expect(res.data?.referrals.edges[0].node.id).toBe(referralGp.id);
    for (const secret of [DISTINCT, DISTINCT_FAMILY, 'SECRET-GP-REASON', 'OTHER-GP-REASON', referralOtherGp.id, caseA.id]) {
      expect(res.raw).not.toContain(secret);
    }
    const content = await hub.gql(`query($id: ID!) { referral(id: $id) { id reason subject { givenName } household { id } case { id } } }`, { id: referralGp.id }, tokens.gp);
    expect(code(content)).toBe('FORBIDDEN');
    expect(content.raw).not.toContain(DISTINCT);
    expect(content.raw).not.toContain('SECRET-GP-REASON');
  });

  it("another practice's referral id answers NOT_FOUND, exactly like a missing one", async () => {
    const other = await hub.gql('query($id: ID!) { referral(id: $id) { id status } }', { id: referralOtherGp.id }, tokens.gp);
    const missing = await hub.gql('query($id: ID!) { referral(id: $id) { id status } }', { id: '7d4f5f0e-0000-4000-8000-000000000000' }, tokens.gp);
    expect(code(other)).toBe('NOT_FOUND');
    expect(other.errors?.[0]?.message).toBe(missing.errors?.[0]?.message);
    expect(other.raw).not.toContain('RECEIVED');
    const cancel = await hub.gql('mutation($id: ID!) { cancelReferral(id: $id) { id } }', { id: referralOtherGp.id }, tokens.gp);
    expect(code(cancel)).toBe('NOT_FOUND');
  });

  it('contactPerson appears with an active GP_TANDEM consent and disappears on the next request after revocation; each disclosure is logged', async () => {
    const q = 'query($id: ID!) { referral(id: $id) { id contactPerson { name phone } } }';
    expect((await hub.gql(q, { id: referralGp.id }, tokens.gp)).data?.referral.contactPerson).toBeNull();

    const granted = await hub.gql(
      'mutation($i: RecordConsentInput!) { recordConsent(input: $i) { id } }',
      { i: { residentId: residentA.id, recipientId: gp.id, purpose: 'GP_TANDEM' } },
      tokens.worker,
    );
    expect(granted.errors).toBeUndefined();
    const withConsent = await hub.gql(q, { id: referralGp.id }, tokens.gp);
    expect(withConsent.data?.referral.contactPerson).toEqual({ name: workerA.name, phone: workerA.phone ?? null });
    const disclosures = await hub.em().find(Disclosure, { residentId: residentA.id, recipientId: gp.id });
    expect(disclosures.length).toBe(1);
    expect(disclosures[0]!.purpose).toBe('GP_TANDEM');

    // The corporation never gets a contact person, consent or not.
    const corpAsk = await hub.gql('query($id: ID!) { referral(id: $id) { contactPerson { name } } }', { id: referralCorp.id }, tokens.corp);
    expect(code(corpAsk)).toBe('FORBIDDEN');

    const revoked = await hub.gql('mutation($id: ID!) { revokeConsent(id: $id) { revokedAt } }', { id: granted.data!.recordConsent.id }, tokens.worker);
    expect(revoked.errors).toBeUndefined();
    const afterRevoke = await hub.gql(q, { id: referralGp.id }, tokens.gp);
    expect(afterRevoke.data?.referral.contactPerson).toBeNull();
    expect(afterRevoke.raw).not.toContain(workerA.name);

    const report = await hub.gql(
      'query($id: ID!) { accessReport(residentId: $id) { disclosures { purpose recipient { id } what } } }',
      { id: residentA.id },
      tokens.worker,
    );
    expect(report.data?.accessReport.disclosures).toEqual([{ purpose: 'GP_TANDEM', recipient: { id: gp.id }, what: 'coordinator name and phone' }]);
  });

  it("a referral the team links to another household's case no longer reads the first resident's consent", async () => {
    const em = hub.em();
    const resident = await em.findOneOrFail(Resident, residentA.id, { populate: ['household', 'team'] });
    const referral = buildReferral(em, { from: await em.findOneOrFail(Organisation, gp.id), resident, case: await em.findOneOrFail(Case, caseA.id), status: ReferralStatus.RECEIVED });
    await em.flush();
    const granted = await hub.gql(
      'mutation($i: RecordConsentInput!) { recordConsent(input: $i) { id } }',
      { i: { residentId: residentA.id, recipientId: gp.id, purpose: 'GP_TANDEM' } },
      tokens.worker,
    );
    const q = 'query($id: ID!) { referral(id: $id) { id contactPerson { name } } }';
    expect((await hub.gql(q, { id: referral.id }, tokens.gp)).data?.referral.contactPerson).not.toBeNull();
    // The team finds the referral is about someone in another household, and links it there.
    const moved = await hub.gql(
      'mutation($i: TriageReferralInput!) { triageReferral(input: $i) { id status } }',
      { i: { referralId: referral.id, status: 'TRIAGED', householdId: caseA2.household.id, caseId: caseA2.id } },
      tokens.worker,
    );
    expect(moved.errors, JSON.stringify(moved.errors)).toBeUndefined();
    expect((await hub.em().findOneOrFail(Referral, referral.id)).resident).toBeNull();
    expect((await hub.gql(q, { id: referral.id }, tokens.gp)).data?.referral.contactPerson).toBeNull();
    await hub.gql('mutation($id: ID!) { revokeConsent(id: $id) { revokedAt } }', { id: granted.data!.recordConsent.id }, tokens.worker);
  });

  it('a housing corporation sees its signals with the status folded (never why) and cannot reach the amount or reason', async () => {
    const res = await hub.gql('{ referrals { edges { node { id status } } } }', {}, tokens.corp);
    expect(res.data?.referrals.edges).toEqual([{ node: { id: referralCorp.id, status: 'CLOSED' } }]);
    expect(res.raw).not.toContain('DECLINED');
    const deeper = await hub.gql('query($id: ID!) { referral(id: $id) { arrears { amount } reason } }', { id: referralCorp.id }, tokens.corp);
    expect(code(deeper)).toBe('FORBIDDEN');
    expect(deeper.raw).not.toContain('1234');
    expect(deeper.raw).not.toContain('SECRET-CORP-REASON');
  });

  it("a housing corporation's status filter and cancel speak folded statuses only (they would tell DECLINED from CLOSED)", async () => {
    const filtered = (status: string[]) =>
      hub.gql('query($s: [ReferralStatus!]) { referrals(filter: { status: $s }) { edges { node { id status } } } }', { s: status }, tokens.corp);
    // CLOSED selects the declined signal, as it shows; RECEIVED (what TRIAGED shows as) does not.
    expect((await filtered(['CLOSED'])).data?.referrals.edges).toEqual([{ node: { id: referralCorp.id, status: 'CLOSED' } }]);
    expect((await filtered(['RECEIVED', 'IN_CARE'])).data?.referrals.edges).toEqual([]);
    for (const hidden of ['DECLINED', 'TRIAGED', 'CANCELLED']) {
      const res = await filtered([hidden]);
      expect(code(res), hidden).toBe('BAD_USER_INPUT');
      expect(res.data?.referrals ?? null).toBeNull();
    }
    // Teams filter on the real statuses.
    const team = await hub.gql('query($s: [ReferralStatus!]) { referrals(filter: { status: $s }) { edges { node { id } } } }', { s: ['DECLINED'] }, tokens.worker);
    expect(team.data?.referrals.edges.map((e: { node: { id: string } }) => e.node.id)).toContain(referralCorp.id);

    const cancel = await hub.gql('mutation($id: ID!) { cancelReferral(id: $id) { id } }', { id: referralCorp.id }, tokens.corp);
    expect(code(cancel)).toBe('CONFLICT');
    expect(cancel.errors?.[0]?.message).toBe('A referral that is CLOSED can no longer be cancelled.');
    expect(cancel.raw).not.toContain('DECLINED');
  });

  it('partners reach no case file at all', async () => {
    for (const q of ['{ cases { totalCount } }', `{ case(id: "${caseA.id}") { id } }`, `{ household(id: "${caseA.household.id}") { id } }`, '{ caseCounts { suppressed } }']) {
      const res = await hub.gql(q, {}, tokens.gp);
      expect(code(res)).toBe('FORBIDDEN');
      expect(res.raw).not.toContain(DISTINCT);
    }
  });

  it('the sender may cancel its own referral; a cancelled or closed one cannot be cancelled again', async () => {
    const em = hub.em();
    const r = buildReferral(em, { from: gp, resident: residentA, status: ReferralStatus.RECEIVED });
    await em.flush();
    const res = await hub.gql('mutation($id: ID!) { cancelReferral(id: $id, reason: "dubbel") { id status } }', { id: r.id }, tokens.gp);
    expect(res.data?.cancelReferral.status).toBe('CANCELLED');
    const inCare = await hub.gql('mutation($id: ID!) { cancelReferral(id: $id) { id } }', { id: referralGp.id }, tokens.gp);
    expect(code(inCare)).toBe('CONFLICT');
  });
});

describe('AMBASSADOR', () => {
  const OPEN = `{ informalCareRequests(filter: { status: [OPEN] }) { totalCount edges { node { id needs area { postcode4 neighbourhood } resident { givenName } } } } }`;


  it("sees the volunteers of its own organisation only, also behind its team's matches (dueCheckIns)", async () => {
    const em = hub.em();
    const otherOrg = buildOrganisation(em, { kind: OrganisationKind.INFORMAL_CARE });
    const stranger = em.create(Volunteer, {
      organisation: otherOrg, givenName: 'Wigbolda', familyName: 'Vreemdeling', email: `wigbolda.${Date.now()}@example.test`,
      postcode: '3901AB', skills: [], languages: ['Dutch'], availability: [], maxMatches: 2, vogIssuedAt: '2025-01-01',
    });
    const request = em.create(InformalCareRequest, { case: caseA2, team: teamA, needs: ['walking'], postcode4: '3901', requestedBy: workerA.id });
    // A match of the team with another organisation's volunteer (an earlier ambassador's), due for a check-in.
    const match = em.create(VolunteerMatch, {
      request, volunteer: stranger, team: teamA, status: MatchStatus.ACTIVE, task: 'Wandelen',
      proposedAt: new Date(Date.now() - 90 * 86400000), startedAt: new Date(Date.now() - 80 * 86400000),
    });
    await em.flush();
    const due = await hub.gql('{ dueCheckIns { dueAt match { id volunteer { id givenName } } } }', {}, tokens.ambassadorA);
    expect(due.errors).toBeUndefined();
    const row = due.data!.dueCheckIns.find((d: { match: { id: string } }) => d.match.id === match.id);
    expect(row).toBeDefined(); // the match is the team's: the ambassador follows it up
    expect(row.match.volunteer).toBeNull();
    expect(due.raw).not.toContain('Wigbolda');
    expect(due.raw).not.toContain(stranger.id);
    // Their own organisation's volunteers still show.
    const own = due.data!.dueCheckIns.find((d: { match: { id: string } }) => d.match.id === activeMatch.id);
    expect(own?.match.volunteer).toEqual({ id: volunteer.id, givenName: 'Vera' });
  });
  it("sees its team's requests pseudonymised: given name and postcode area, never family name, address, BSN or notes", async () => {
    const res = await hub.gql(OPEN, {}, tokens.ambassadorA);
    expect(res.errors).toBeUndefined();
    const nodes = res.data?.informalCareRequests.edges.map((e: { node: unknown }) => e.node);
    expect(nodes).toContainEqual({ id: requestA.id, needs: ['shopping'], area: { postcode4: '3901', neighbourhood: teamA.name }, resident: { givenName: DISTINCT } });
    for (const secret of [DISTINCT_FAMILY, '3901AB', 'SECRET-REQUEST-NOTE', '06-11112222', caseA.id]) expect(res.raw).not.toContain(secret);
  });

  it("another team's ambassador sees none of them", async () => {
    const res = await hub.gql(OPEN, {}, tokens.ambassadorB);
    expect(res.data?.informalCareRequests.totalCount).toBe(0);
    expect(res.raw).not.toContain(DISTINCT);
  });

  it('reaches no case file: case, cases, household, notes → FORBIDDEN with nothing in the body', async () => {
    for (const q of [`{ case(id: "${caseA.id}") { id notes { totalCount } } }`, '{ cases { totalCount } }', `{ household(id: "${caseA.household.id}") { id } }`]) {
      const res = await hub.gql(q, {}, tokens.ambassadorA);
      expect(code(res)).toBe('FORBIDDEN');
      expect(res.raw).not.toContain(DISTINCT);
    }
  });

  it("lists the volunteers of its own organisation", async () => {
    const res = await hub.gql('{ volunteers { totalCount edges { node { id givenName activeMatches } } } }', {}, tokens.ambassadorA);
    expect(res.errors).toBeUndefined();
    const byId = Object.fromEntries(res.data!.volunteers.edges.map((e: { node: { id: string; activeMatches: number } }) => [e.node.id, e.node.activeMatches]));
    expect(byId[volunteer.id]).toBe(2);
    expect(res.raw).not.toContain('Vrijwilliger');
  });
});

describe('VOLUNTEER', () => {
  it("sees only its own matches; the resident's phone only on the ACTIVE one", async () => {
    const res = await hub.gql('{ myMatches { id status task area { postcode4 } resident { givenName } contactPhone } }', {}, tokens.volunteer);
    expect(res.errors).toBeUndefined();
    const byId = Object.fromEntries(res.data!.myMatches.map((m: { id: string }) => [m.id, m]));
    expect(Object.keys(byId).sort()).toEqual([activeMatch.id, proposedMatch.id].sort());
    expect(byId[activeMatch.id]).toMatchObject({ status: 'ACTIVE', contactPhone: '06-11112222', resident: { givenName: DISTINCT } });
    expect(byId[proposedMatch.id]).toMatchObject({ status: 'PROPOSED', contactPhone: null });
    expect(res.raw).not.toContain('Wandelen'); // the other volunteer's match
    expect(res.raw).not.toContain(DISTINCT_FAMILY);
  });

  it('reaches no case file, no request list and no referral', async () => {
    for (const q of ['{ cases { totalCount } }', '{ informalCareRequests { totalCount } }', '{ referrals { totalCount } }', '{ volunteers { totalCount } }']) {
      const res = await hub.gql(q, {}, tokens.volunteer);
      expect(code(res)).toBe('FORBIDDEN');
    }
  });

  it("loses the resident's phone on the next request after the resident revokes the INFORMAL_CARE consent", async () => {
    const phone = async () =>
      ((await hub.gql('{ myMatches { id contactPhone } }', {}, tokens.volunteer)).data!.myMatches as { id: string; contactPhone: string | null }[]).find(
        (m) => m.id === activeMatch.id,
      )!.contactPhone;
    expect(await phone()).toBe('06-11112222');
    const revoke = await hub.gql('mutation($id: ID!) { revokeConsent(id: $id) { id revokedAt } }', { id: informalCareConsentId }, tokens.worker);
    expect(revoke.errors).toBeUndefined();
    expect(await phone()).toBeNull();
    // A consent for another organisation or another purpose does not bring it back.
    const em = hub.em();
    const other = buildOrganisation(em, { kind: OrganisationKind.INFORMAL_CARE });
    const resident = await em.findOneOrFail(Resident, residentA.id, { populate: ['household', 'team'] });
    buildConsent(em, { resident, recipient: other, recordedBy: await em.findOneOrFail(Staff, workerA.id), purpose: ConsentPurpose.INFORMAL_CARE });
    buildConsent(em, { resident, recipient: await em.findOneOrFail(Organisation, careOrg.id), recordedBy: await em.findOneOrFail(Staff, workerA.id), purpose: ConsentPurpose.OTHER });
    await em.flush();
    expect(await phone()).toBeNull();
  });
});

describe('ANALYST', () => {
  it("gets aggregates only: caseCounts is the city's totals, without teams (per team: quarterReport)", async () => {
    const res = await hub.gql('{ caseCounts { suppressed total { active intake } perTeam { team { code } } } }', {}, tokens.analyst);
    expect(res.errors).toBeUndefined();
    expect(res.data!.caseCounts.perTeam).toEqual([]);
    expect(res.data!.caseCounts.suppressed).toBe(false);
    expect(res.data!.caseCounts.total.active).toBeGreaterThanOrEqual(2); // city level: not suppressed
    const one = await hub.gql('query($t: ID!) { caseCounts(teamId: $t) { total { active } } }', { t: teamA.id }, tokens.analyst);
    expect(code(one)).toBe('FORBIDDEN');
    expect(one.data ?? null).toBeNull();
  });

  it('a team lead gets its own teams unsuppressed, and not another team', async () => {
    const own = await hub.gql('{ caseCounts { perTeam { team { code } counts { active } } } }', {}, tokens.lead);
    expect(own.data!.caseCounts.perTeam).toEqual([{ team: { code: teamA.code }, counts: { active: 2 } }]);
    const other = await hub.gql('query($t: ID!) { caseCounts(teamId: $t) { suppressed } }', { t: teamB.id }, tokens.lead);
    expect(code(other)).toBe('FORBIDDEN');
  });

  it('asking for a case, a household or a resident is refused with nothing in the body', async () => {
    for (const q of [`{ case(id: "${caseA.id}") { id } }`, '{ cases { totalCount } }', `{ accessReport(residentId: "${residentA.id}") { entries { at } } }`]) {
      const res = await hub.gql(q, {}, tokens.analyst);
      expect(code(res)).toBe('FORBIDDEN');
      expect(res.raw).not.toContain(DISTINCT);
    }
  });
});

describe("residents' rights", () => {
  it('a correction is audited with the changed fields’ names, never their old or new values (the log cannot be erased)', async () => {
    const em = hub.em();
    const h = buildHousehold(em, { team: teamA, postcode: '3901EF', members: [{ givenName: 'Janneke', familyName: 'Fout' }] });
    await em.flush();
    const r = h.residents[0]!;
    const res = await hub.gql(
      'mutation($i: CorrectResidentInput!) { correctResident(input: $i) { id familyName } }',
      { i: { residentId: r.id, familyName: 'Goed', bsn: '111222333' } },
      tokens.worker,
    );
    expect(res.errors).toBeUndefined();
    expect(res.data?.correctResident.familyName).toBe('Goed');
    const rows = await hub.em().getConnection().execute<{ detail: any }[]>(
      "select detail from access_log where object_type = 'Resident' and object_id = ? and action = 'UPDATE'",
      [r.id],
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]!.detail).toEqual({ correction: { changed: ['familyName', 'bsn'] } });
    for (const value of ['Fout', 'Goed', '111222333', '2333']) expect(JSON.stringify(rows[0]!.detail)).not.toContain(value);
  });

  it('erasure also anonymises the unmatched referrals that carry the resident’s BSN, in any team (another team’s not in the access report)', async () => {
    const em = hub.em();
    const bsn = '123456782';
    const key = hub.config.BSN_KEY;
    const h = buildHousehold(em, { team: teamA, postcode: '3901NP', members: [{ givenName: 'Onbekoppeld', familyName: 'Verwezen', bsn }], bsnKey: key });
    buildCase(em, { household: h.household, status: CaseStatus.ACTIVE });
    const own = buildReferral(em, { from: gp, team: teamA, subjectGivenName: 'Onbekoppeld', subjectBsn: bsn, bsnKey: key });
    const other = buildReferral(em, { from: gp, team: teamB, subjectGivenName: 'Onbekoppeld', subjectBsn: bsn, bsnKey: key });
    own.subjectBsnHash = other.subjectBsnHash = hashBsn(bsn, key);
    await em.flush();
    const res = await hub.gql('mutation($id: ID!) { eraseResident(residentId: $id) { outcome } }', { id: h.residents[0]!.id }, tokens.lead);
    expect(res.data?.eraseResident.outcome).toBe('ANONYMISED');
    const after = async (id: string) => (await hub.em().findOneOrFail(Referral, id));
    expect((await after(own.id)).subjectGivenName).toBe('Geanonimiseerd');
    expect((await after(own.id)).subjectBsnHash).toBeNull();
    // In another team too (a referral moves with the household it is linked to; the BSN is the
    // person's wherever it is), but audited without the resident's household.
    expect((await after(other.id)).subjectGivenName).toBe('Geanonimiseerd');
    expect((await after(other.id)).subjectBsnHash).toBeNull();
    const rows = await hub.em().getConnection().execute<{ household_id: string | null }[]>(
      `select household_id from access_log where object_type = 'Referral' and object_id = ?`, [other.id]);
    expect(rows.map((r) => r.household_id)).toEqual([null]);
  });

  it('a resident anonymised while the case had to be kept is deleted on a new request once the retention has run out', async () => {
    const em = hub.em();
    const h = buildHousehold(em, { team: teamA, postcode: '3901LM', members: [{ givenName: 'Geanonimiseerd', familyName: 'Geanonimiseerd' }] });
    h.residents[0]!.anonymisedAt = new Date(Date.now() - 10 * 365 * 86400000);
    buildCase(em, { household: h.household, status: CaseStatus.CLOSED, closedAt: new Date(Date.now() - 16 * 365 * 86400000), registeredAt: new Date(Date.now() - 17 * 365 * 86400000) });
    await em.flush();
    const res = await hub.gql('mutation($id: ID!) { eraseResident(residentId: $id) { outcome } }', { id: h.residents[0]!.id }, tokens.lead);
    expect(res.data?.eraseResident.outcome).toBe('DELETED');
    expect(await hub.em().count(Resident, { id: h.residents[0]!.id })).toBe(0);
    expect(await hub.em().count(Case, { household: h.household.id })).toBe(0);
    expect(await hub.em().count(Household, { id: h.household.id })).toBe(0);
  });

  it('erasure anonymises while a case must be kept (Wmo), and deletes when none is', async () => {
    const em = hub.em();
    const kept = buildHousehold(em, { team: teamA, postcode: '3901GH', members: [{ givenName: 'Bewaard', familyName: 'Dossier', phone: '06-12121212' }] });
    buildCase(em, { household: kept.household, status: CaseStatus.CLOSED, closedAt: new Date(Date.now() - 2 * 365 * 86400000), registeredAt: new Date(Date.now() - 3 * 365 * 86400000) });
    const gone = buildHousehold(em, { team: teamA, postcode: '3901JK', members: [{ givenName: 'Weg', familyName: 'Ermee' }] });
    await em.flush();

    const denied = await hub.gql('mutation($id: ID!) { eraseResident(residentId: $id) { outcome } }', { id: kept.residents[0]!.id }, tokens.worker);
    expect(code(denied)).toBe('FORBIDDEN');

    const anonymised = await hub.gql('mutation($id: ID!) { eraseResident(residentId: $id) { outcome reason } }', { id: kept.residents[0]!.id }, tokens.lead);
    expect(anonymised.data?.eraseResident.outcome).toBe('ANONYMISED');
    const after = await hub.em().findOneOrFail(Resident, kept.residents[0]!.id);
    expect(after.givenName).toBe('Geanonimiseerd');
    expect(after.phone).toBeNull();
    expect(after.bsnHash).toBeNull();
    expect(after.anonymisedAt).not.toBeNull();
    const household = await hub.em().findOneOrFail(Household, kept.household.id);
    expect(household.street).toBe('Geanonimiseerd');
    expect(await hub.em().count(Case, { household: kept.household.id })).toBe(1);

    const deleted = await hub.gql('mutation($id: ID!) { eraseResident(residentId: $id) { outcome } }', { id: gone.residents[0]!.id }, tokens.lead);
    expect(deleted.data?.eraseResident.outcome).toBe('DELETED');
    expect(await hub.em().count(Resident, { id: gone.residents[0]!.id })).toBe(0);
    expect(await hub.em().count(Household, { id: gone.household.id })).toBe(0);
    expect(await hub.em().count(Consent, { resident: gone.residents[0]!.id })).toBe(0);
  });
});
