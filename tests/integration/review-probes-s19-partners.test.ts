/**
 * Adversarial review probes (s19): what VOLUNTEER, AMBASSADOR, PARTNER_GP and
 * PARTNER_CORPORATION can learn — hidden state changes seen through dates and idempotent
 * answers, consent and match-state transitions, and every root field those roles may not use.
 * Every probe asserts the SAFE behaviour; a failing probe is a finding. All data is obviously fake.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestHub, type GqlResponse, type TestHub } from '../helpers/app.js';
import {
  buildCase,
  buildConsent,
  buildHousehold,
  buildInformalCareRequest,
  buildOrganisation,
  buildStaff,
  buildTeam,
  buildVolunteer,
  buildVolunteerMatch,
} from '../../seeds/factories.js';
import { CaseStatus, ConsentPurpose, InformalCareRequestStatus, MatchStatus, OrganisationKind, Role } from '../../src/modules/common/enums.js';
import { makeBsn } from '../../src/modules/household/bsn.js';
import { logger } from '../../src/logger.js';
import type { Team } from '../../src/modules/team/team.entity.js';
import type { Staff } from '../../src/modules/staff/staff.entity.js';
import type { Organisation } from '../../src/modules/organisation/organisation.entity.js';
import type { Resident } from '../../src/modules/household/resident.entity.js';

for (const level of ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const) vi.spyOn(logger, level).mockImplementation((() => undefined) as never);

const DAY = 86_400_000;
const VALID_VOG = new Date(Date.now() - 200 * DAY).toISOString().slice(0, 10);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let hub: TestHub;
let teamA: Team, teamB: Team;
let orgX: Organisation, gp: Organisation, corp: Organisation;
let workerA: Staff, leadA: Staff, workerB: Staff, ambA: Staff, ambB: Staff;
const T: Record<string, string> = {};

const code = (res: GqlResponse) => res.errors?.[0]?.extensions?.code;

async function q<R = Record<string, unknown>>(text: string, params: unknown[] = []): Promise<R[]> {
  return hub.em().getConnection().execute<R[]>(text, params);
}

/** Status messages in the outbox for this referral (each becomes a push to the sender's system). */
async function statusMessages(referralId: string): Promise<number> {
  const [row] = await q<{ n: string }>(`select count(*) as n from outbox where topic = 'referral.status-changed' and payload->>'referralId' = ?`, [referralId]);
  return Number(row!.n);
}

const SUBMIT = 'mutation($i: SubmitReferralInput!) { submitReferral(input: $i) { id externalId kind status receivedAt updatedAt } }';
const PARTNER_VIEW = 'query($id: ID!) { referral(id: $id) { id externalId kind status receivedAt updatedAt } }';
const PARTNER_LIST = '{ referrals(first: 100) { totalCount edges { node { id status receivedAt updatedAt } } } }';
const GP_CONTACT = 'query($id: ID!) { referral(id: $id) { id status contactPerson { name phone } } }';
const TRIAGE = 'mutation($i: TriageReferralInput!) { triageReferral(input: $i) { id status } }';
const OPEN_CASE = 'mutation($i: OpenCaseInput!) { openCase(input: $i) { id } }';
const ERASE = 'mutation($id: ID!) { eraseResident(residentId: $id) { residentId outcome } }';
const MY = '{ myMatches { id status task resident { givenName } area { postcode4 } contactPhone } }';
const ACTIVATE = 'mutation($id: ID!) { activateMatch(id: $id) { id status } }';

let seq = 0;
function gpInput(subject: Record<string, unknown>, externalId = `SR-S19-${randomUUID().slice(0, 8)}`) {
  return { externalId, kind: 'GP_REFERRAL', consentObtained: true, reason: 'Nepreden voor een proef (s19).', subject };
}
function corpInput(subject: Record<string, unknown>, externalId = `VS-S19-${randomUUID().slice(0, 8)}`) {
  return { externalId, kind: 'ARREARS_SIGNAL', consentObtained: false, arrears: { amount: 321.5, since: '2025-01-01', months: 3 }, subject };
}
function fakeSubject(extra: Record<string, unknown> = {}) {
  seq++;
  return {
    givenName: `Proefnaam${seq}s`, familyName: `Nepfamilie${seq}s`, birthDate: '1961-06-0' + ((seq % 9) + 1),
    postcode: `3961${String.fromCharCode(65 + (seq % 26))}Q`, houseNumber: String(500 + seq), ...extra,
  };
}
async function submitAs(token: string, input: Record<string, unknown>) {
  const res = await hub.gql(SUBMIT, { i: input }, token);
  expect(res.errors, res.raw).toBeUndefined();
  return res.data!.submitReferral as { id: string; status: string; updatedAt: string };
}
async function partnerView(token: string, id: string) {
  const one = await hub.gql(PARTNER_VIEW, { id }, token);
  expect(one.errors, one.raw).toBeUndefined();
  const list = await hub.gql(PARTNER_LIST, {}, token);
  expect(list.errors, list.raw).toBeUndefined();
  const inList = (list.data!.referrals.edges as { node: { id: string } }[]).find((e) => e.node.id === id)?.node;
  return { one: one.data!.referral, inList };
}
async function triage(input: Record<string, unknown>, token = T.workerA!) {
  const res = await hub.gql(TRIAGE, { i: input }, token);
  expect(res.errors, res.raw).toBeUndefined();
  return res;
}

beforeAll(async () => {
  hub = await startTestHub();
  const em = hub.em();
  teamA = buildTeam(em, { postcodes: ['3961'] });
  teamB = buildTeam(em, { postcodes: ['3962'] });
  orgX = buildOrganisation(em, { kind: OrganisationKind.INFORMAL_CARE });
  gp = buildOrganisation(em, { kind: OrganisationKind.GP_PRACTICE });
  corp = buildOrganisation(em, { kind: OrganisationKind.HOUSING_CORPORATION });
  workerA = buildStaff(em, { role: Role.TEAM_WORKER, teams: [teamA], name: 'Wendel Proefwerker', phone: '06-19191901' });
  leadA = buildStaff(em, { role: Role.TEAM_LEAD, teams: [teamA], name: 'Lotte Proefleider' });
  workerB = buildStaff(em, { role: Role.TEAM_WORKER, teams: [teamB], name: 'Bas Proefbee' });
  ambA = buildStaff(em, { role: Role.AMBASSADOR, teams: [teamA], organisation: orgX });
  ambB = buildStaff(em, { role: Role.AMBASSADOR, teams: [teamB], organisation: orgX });
  await em.flush();
  for (const [k, p] of Object.entries({ workerA, leadA, workerB, ambA, ambB, gp, corp })) T[k] = await hub.tokenFor(p);
});

afterAll(async () => {
  await hub?.stop();
});

// ---------------------------------------------------------------------------------------------
describe('S19-CORP: a housing corporation sees its signals folded — dates must not unfold them', () => {
  it('CP1 a signal the team DECLINED and then CLOSED looks the same to the corporation before and after (no trace it was DECLINED first)', async () => {
    const s = await submitAs(T.corp!, corpInput(fakeSubject()));
    await triage({ referralId: s.id, status: 'DECLINED' });
    const before = await partnerView(T.corp!, s.id);
    expect(before.one.status).toBe('CLOSED');
    const pushesBefore = await statusMessages(s.id);
    await sleep(30);
    await triage({ referralId: s.id, status: 'CLOSED' });
    const after = await partnerView(T.corp!, s.id);
    // Nor does the corporation's own system hear a second CLOSED (the status push, DESIGN.md 5).
    expect(await statusMessages(s.id), 'an outbox message for a step the corporation sees as no change').toBe(pushesBefore);
    // A genuine CLOSED is final: a CLOSED signal whose updatedAt still moves can only have been DECLINED.
    expect(after.one, 'referral(id) view changed on DECLINED -> CLOSED').toEqual(before.one);
    expect(after.inList, 'referrals list view changed on DECLINED -> CLOSED').toEqual(before.inList);
  });

  it('CP2 taking a signal in (RECEIVED -> TRIAGED by triage, or by openCase) does not change what the corporation sees', async () => {
    const s1 = await submitAs(T.corp!, corpInput(fakeSubject()));
    const before1 = await partnerView(T.corp!, s1.id);
    const pushes1 = await statusMessages(s1.id);
    await sleep(30);
    await triage({ referralId: s1.id, status: 'TRIAGED' });
    const after1 = await partnerView(T.corp!, s1.id);
    expect(await statusMessages(s1.id), 'an outbox message for RECEIVED -> TRIAGED, which the corporation sees as RECEIVED').toBe(pushes1);
    expect(after1.one.status).toBe('RECEIVED');
    expect(after1.one, 'triage RECEIVED -> TRIAGED visible through updatedAt').toEqual(before1.one);

    const em = hub.em();
    const h = buildHousehold(em, { team: teamA, postcode: '3961ZZ', members: [{ givenName: 'Opnamenaam', familyName: 'Nepopname', bsn: null }] });
    await em.flush();
    const s2 = await submitAs(T.corp!, corpInput(fakeSubject()));
    const before2 = await partnerView(T.corp!, s2.id);
    const pushes2 = await statusMessages(s2.id);
    await sleep(30);
    const opened = await hub.gql(OPEN_CASE, { i: { householdId: h.household.id, reason: 'Nepreden (proef).', referralSource: 'HOUSING_CORPORATION', referralId: s2.id } }, T.workerA);
    expect(opened.errors, opened.raw).toBeUndefined();
    const after2 = await partnerView(T.corp!, s2.id);
    expect(after2.one.status).toBe('RECEIVED');
    expect(after2.one, 'openCase (RECEIVED -> TRIAGED, case linked) visible through updatedAt').toEqual(before2.one);
    expect(await statusMessages(s2.id), 'an outbox message for openCase\'s RECEIVED -> TRIAGED').toBe(pushes2);
  });

  it('CP3 aliases, fragments and variables neither unfold the status nor reach the signal\'s content', async () => {
    const subj = fakeSubject();
    const s = await submitAs(T.corp!, corpInput(subj));
    await triage({ referralId: s.id, status: 'DECLINED' });
    const res = await hub.gql(
      `query($id: ID!, $f: Int) {
         a: referral(id: $id) { s1: status ...F }
         b: referrals(first: $f) { edges { node { id s2: status ... on Referral { status } } } }
       }
       fragment F on Referral { status reason urgency consentObtained arrears { amount } subject { givenName familyName } from { id } team { id } household { id } case { id } contactAttempts { id } contactPerson { name phone } }`,
      { id: s.id, f: 50 },
      T.corp,
    );
    const a = res.data?.a as Record<string, unknown> | null;
    if (a) {
      expect(a.s1).toBe('CLOSED');
      expect(a.status).toBe('CLOSED');
    }
    const node = (res.data?.b?.edges as { node: Record<string, unknown> }[] | undefined)?.find((e) => e.node.id === s.id)?.node;
    expect(node).toMatchObject({ s2: 'CLOSED', status: 'CLOSED' });
    expect(res.raw).not.toContain('DECLINED');
    expect(res.raw).not.toContain(subj.givenName);
    expect(res.raw).not.toContain(subj.familyName);
    expect(res.raw).not.toContain('321.5');
    expect(res.raw).not.toContain(teamA.id);
    expect((res.errors ?? []).every((e) => e.extensions?.code === 'FORBIDDEN'), res.raw).toBe(true);
  });

  it('CP4 cancelling a TRIAGED signal answers exactly like cancelling a RECEIVED one', async () => {
    const r1 = await submitAs(T.corp!, corpInput(fakeSubject()));
    const r2 = await submitAs(T.corp!, corpInput(fakeSubject()));
    await triage({ referralId: r2.id, status: 'TRIAGED' });
    const C = 'mutation($id: ID!) { cancelReferral(id: $id, reason: "Nep (proef).") { id status receivedAt updatedAt } }';
    const c1 = await hub.gql(C, { id: r1.id }, T.corp);
    const c2 = await hub.gql(C, { id: r2.id }, T.corp);
    const shape = (res: GqlResponse) => ({ errors: res.errors?.map((e) => [e.extensions?.code, e.message]), status: res.data?.cancelReferral?.status });
    expect(shape(c2)).toEqual(shape(c1));
    expect(c1.data?.cancelReferral?.status).toBe('CLOSED');
  });
});

// ---------------------------------------------------------------------------------------------
describe('S19-GP: a GP practice sees its referrals — hidden team work must not show', () => {
  it('GP1 a team linking a referral to a household without a status change does not change what the GP sees (no "the team found this person")', async () => {
    const em = hub.em();
    const h = buildHousehold(em, { team: teamA, postcode: '3961YY', members: [{ givenName: 'Koppelnaam', familyName: 'Nepkoppel', bsn: null }] });
    await em.flush();
    const r = await submitAs(T.gp!, gpInput(fakeSubject()));
    await triage({ referralId: r.id, status: 'TRIAGED' });
    const before = await partnerView(T.gp!, r.id);
    const pushes = await statusMessages(r.id);
    await sleep(30);
    await triage({ referralId: r.id, status: 'TRIAGED', householdId: h.household.id });
    expect(await statusMessages(r.id), 'a status push for a step that leaves the GP\'s status as it was').toBe(pushes);
    const [row] = await q<{ household_id: string | null }>('select household_id from referral where id = ?', [r.id]);
    expect(row!.household_id, 'the probe bites: the referral is linked').toBe(h.household.id);
    const after = await partnerView(T.gp!, r.id);
    expect(after.one, 'a silent household link shows through updatedAt').toEqual(before.one);
    expect(after.inList).toEqual(before.inList);
  });

  it('GP2 resubmitting the identical payload after the team erased the subject answers as before (same referral, no CONFLICT): no "was a client" oracle, for GP and corporation', async () => {
    const em = hub.em();
    const bsn = makeBsn(19190001);
    const h = buildHousehold(em, {
      team: teamA, postcode: '3961XW', houseNumber: '19', bsnKey: hub.config.BSN_KEY,
      members: [{ givenName: 'Wisnaam', familyName: 'Nepwisser', birthDate: '1959-09-09', bsn, phone: '06-19190001' }],
    });
    buildCase(em, { household: h.household, status: CaseStatus.ACTIVE, coordinator: workerA });
    await em.flush();
    const subject = { givenName: 'Wisnaam', familyName: 'Nepwisser', birthDate: '1959-09-09', postcode: '3961XW', houseNumber: '19', bsn };
    const gIn = gpInput(subject);
    const cIn = corpInput(subject);
    const g = await submitAs(T.gp!, gIn);
    const c = await submitAs(T.corp!, cIn);
    const [m] = await q<{ resident_id: string | null }>('select resident_id from referral where id = ?', [g.id]);
    expect(m!.resident_id, 'precondition: matched by BSN').toBe(h.head.id);
    // Control: an idempotent retry before the erasure.
    const g0 = await hub.gql(SUBMIT, { i: gIn }, T.gp);
    expect(g0.errors, g0.raw).toBeUndefined();
    expect(g0.data!.submitReferral.id).toBe(g.id);

    const viewBefore = { g: await partnerView(T.gp!, g.id), c: await partnerView(T.corp!, c.id) };
    await sleep(30);
    const erased = await hub.gql(ERASE, { id: h.head.id }, T.leadA);
    expect(erased.errors, erased.raw).toBeUndefined();
    // The erasure itself must not show in what the partners read either.
    const viewAfter = { g: await partnerView(T.gp!, g.id), c: await partnerView(T.corp!, c.id) };
    expect.soft(viewAfter, 'partner views changed by the erasure').toEqual(viewBefore);

    const g1 = await hub.gql(SUBMIT, { i: gIn }, T.gp);
    const c1 = await hub.gql(SUBMIT, { i: cIn }, T.corp);
    expect.soft(code(g1), `GP retry after erasure: ${g1.raw}`).toBeUndefined();
    expect.soft(g1.data?.submitReferral?.id).toBe(g.id);
    expect.soft(code(c1), `corporation retry after erasure: ${c1.raw}`).toBeUndefined();
    expect.soft(c1.data?.submitReferral?.id).toBe(c.id);
    // And the retry restores nothing of the erased subject.
    const [n] = await q<{ n: string }>(`select count(*) n from referral where subject_given_name = 'Wisnaam' or subject_family_name = 'Nepwisser'`);
    expect(Number(n!.n)).toBe(0);
  });

  it('GP3 a GP_TANDEM consent of ANOTHER member of the household gives no coordinator on a referral about this member (control: with this member\'s consent it does)', async () => {
    const em = hub.em();
    const bsn1 = makeBsn(19190011);
    const h = buildHousehold(em, {
      team: teamA, postcode: '3961XV', houseNumber: '21', bsnKey: hub.config.BSN_KEY,
      members: [
        { givenName: 'Eerstelidnaam', familyName: 'Neptandem', birthDate: '1960-01-01', bsn: bsn1 },
        { givenName: 'Tweedelidnaam', familyName: 'Neptandem', birthDate: '1962-02-02', bsn: null },
      ],
    });
    buildCase(em, { household: h.household, status: CaseStatus.ACTIVE, coordinator: workerA });
    const other = h.residents[1]! as Resident;
    buildConsent(em, { resident: other, recipient: gp, recordedBy: workerA, purpose: ConsentPurpose.GP_TANDEM, grantedAt: new Date(Date.now() - 5 * DAY) });
    await em.flush();
    const r = await submitAs(T.gp!, gpInput({ givenName: 'Eerstelidnaam', familyName: 'Neptandem', birthDate: '1960-01-01', postcode: '3961XV', houseNumber: '21', bsn: bsn1 }));
    const res = await hub.gql(GP_CONTACT, { id: r.id }, T.gp);
    expect(res.errors, res.raw).toBeUndefined();
    expect(res.data!.referral.contactPerson).toBeNull();
    expect(res.raw).not.toContain('Wendel Proefwerker');
    expect(res.raw).not.toContain('06-19191901');

    const em2 = hub.em();
    buildConsent(em2, { resident: await em2.findOneOrFail('Resident', h.head.id) as Resident, recipient: await em2.findOneOrFail('Organisation', gp.id) as Organisation, recordedBy: await em2.findOneOrFail('Staff', workerA.id) as Staff, purpose: ConsentPurpose.GP_TANDEM, grantedAt: new Date(Date.now() - DAY) });
    await em2.flush();
    const ctl = await hub.gql(GP_CONTACT, { id: r.id }, T.gp);
    expect(ctl.data?.referral?.contactPerson, 'control: own consent gives the coordinator').toEqual({ name: 'Wendel Proefwerker', phone: '06-19191901' });
  });
});

// ---------------------------------------------------------------------------------------------
describe('S19-VOL: a volunteer gets the phone only on an ACTIVE match with consent', () => {
  let n = 0;
  async function matchScenario(o: { status: MatchStatus; members?: number; requestResident?: 'head' | 'none'; volunteerId?: string }) {
    n++;
    const em = hub.em();
    const members = Array.from({ length: o.members ?? 1 }, (_, i) => ({
      givenName: `Vrijnaam${n}m${i}`, familyName: `Nepvrij${n}m${i}`, phone: `06-1919${String(n).padStart(2, '0')}${i}0`, bsn: null, languages: ['Dutch'],
    }));
    const h = buildHousehold(em, { team: teamA, postcode: `3961V${String.fromCharCode(65 + n)}`, members });
    const c = buildCase(em, { household: h.household, status: CaseStatus.ACTIVE, coordinator: workerA });
    const request = buildInformalCareRequest(em, {
      case: c, requestedBy: workerA, resident: o.requestResident === 'none' ? null : h.head, status: InformalCareRequestStatus.OPEN,
      needs: ['company'], note: `GEHEIME-NOTITIE-${n}`, createdAt: new Date(Date.now() - 20 * DAY),
    });
    const volunteer = o.volunteerId
      ? await em.findOneOrFail('Volunteer', o.volunteerId)
      : buildVolunteer(em, { organisation: orgX, givenName: `Hulpnaam${n}`, skills: ['company'], languages: ['Dutch'], vogIssuedAt: VALID_VOG, maxMatches: 5, active: true, postcode: '3961AA' });
    const match = buildVolunteerMatch(em, {
      request, volunteer: volunteer as never, status: o.status, proposedBy: ambA,
      proposedAt: new Date(Date.now() - 10 * DAY),
      respondedAt: o.status === MatchStatus.PROPOSED ? null : new Date(Date.now() - 9 * DAY),
      startedAt: o.status === MatchStatus.ACTIVE ? new Date(Date.now() - 8 * DAY) : null,
    });
    await em.flush();
    const vtoken = await hub.tokenFor((volunteer as { id: string }).id);
    return { h, c, request, match, volunteer: volunteer as { id: string }, vtoken, members };
  }
  async function mine(token: string, id: string) {
    const res = await hub.gql(MY, {}, token);
    expect(res.errors, res.raw).toBeUndefined();
    return { res, m: (res.data!.myMatches as { id: string; status: string; contactPhone: string | null }[]).find((x) => x.id === id) };
  }

  it('VT1 ACTIVE -> ENDED by endMatch (ambassador): the phone is gone on the next request; the match stays without it', async () => {
    const s = await matchScenario({ status: MatchStatus.ACCEPTED });
    const act = await hub.gql(ACTIVATE, { id: s.match.id }, T.ambA);
    expect(act.errors, act.raw).toBeUndefined();
    const on = await mine(s.vtoken, s.match.id);
    expect(on.m?.contactPhone, 'control: phone on ACTIVE').toBe(s.members[0]!.phone);
    const end = await hub.gql('mutation($id: ID!) { endMatch(id: $id) { id status contactPhone } }', { id: s.match.id }, T.ambA);
    expect(end.raw).not.toContain(s.members[0]!.phone);
    const off = await mine(s.vtoken, s.match.id);
    expect(off.m?.status).toBe('ENDED');
    expect(off.m?.contactPhone).toBeNull();
    expect(off.res.raw).not.toContain(s.members[0]!.phone);
  });

  it('VT2 a DECLINED (and a still-PROPOSED) match shows no phone although the organisation holds the resident\'s active INFORMAL_CARE consent through another volunteer\'s ACTIVE match', async () => {
    const s = await matchScenario({ status: MatchStatus.ACCEPTED });
    const act = await hub.gql(ACTIVATE, { id: s.match.id }, T.workerA);
    expect(act.errors, act.raw).toBeUndefined();
    const em = hub.em();
    const v2 = buildVolunteer(em, { organisation: await em.findOneOrFail('Organisation', orgX.id) as Organisation, givenName: 'Tweedehulp', skills: ['company'], languages: ['Dutch'], vogIssuedAt: VALID_VOG, maxMatches: 5, active: true, postcode: '3961AB' });
    const req = await em.findOneOrFail('InformalCareRequest', s.request.id);
    const p1 = buildVolunteerMatch(em, { request: req as never, volunteer: v2, status: MatchStatus.PROPOSED, proposedAt: new Date(Date.now() - DAY), proposedBy: ambA });
    const v3 = buildVolunteer(em, { organisation: await em.findOneOrFail('Organisation', orgX.id) as Organisation, givenName: 'Derdehulp', skills: ['company'], languages: ['Dutch'], vogIssuedAt: VALID_VOG, maxMatches: 5, active: true, postcode: '3961AC' });
    const p2 = buildVolunteerMatch(em, { request: req as never, volunteer: v3, status: MatchStatus.PROPOSED, proposedAt: new Date(Date.now() - DAY), proposedBy: ambA });
    await em.flush();
    const t2 = await hub.tokenFor(v2.id);
    const t3 = await hub.tokenFor(v3.id);
    const phone = s.members[0]!.phone;

    const pending = await mine(t2, p1.id);
    expect(pending.m?.contactPhone ?? null).toBeNull();
    const declined = await hub.gql('mutation($id: ID!) { respondToMatch(id: $id, accept: false) { id status contactPhone } }', { id: p2.id }, t3);
    expect(declined.errors, declined.raw).toBeUndefined();
    expect(declined.data!.respondToMatch).toMatchObject({ status: 'DECLINED', contactPhone: null });
    const accepted = await hub.gql('mutation($id: ID!) { respondToMatch(id: $id, accept: true) { id status contactPhone volunteer { id givenName } } }', { id: p1.id }, t2);
    expect(accepted.data?.respondToMatch?.contactPhone ?? null).toBeNull();
    expect(accepted.raw).not.toContain('Tweedehulp');
    const later = await mine(t3, p2.id);
    expect(later.m?.contactPhone ?? null).toBeNull();
    for (const r of [pending.res, declined, accepted, later.res]) expect(r.raw).not.toContain(phone);
  });

  it('VT3 an ACTIVE match for member 1 shows no phone (of anyone) when only member 2 consented to the organisation (control: member 1\'s consent shows member 1\'s phone)', async () => {
    const s = await matchScenario({ status: MatchStatus.ACTIVE, members: 2 });
    const em = hub.em();
    const m2 = s.h.residents[1]!;
    buildConsent(em, {
      resident: await em.findOneOrFail('Resident', m2.id) as Resident, recipient: await em.findOneOrFail('Organisation', orgX.id) as Organisation,
      recordedBy: await em.findOneOrFail('Staff', workerA.id) as Staff, purpose: ConsentPurpose.INFORMAL_CARE, grantedAt: new Date(Date.now() - 3 * DAY),
    });
    await em.flush();
    const first = await mine(s.vtoken, s.match.id);
    expect(first.m?.status).toBe('ACTIVE');
    expect(first.m?.contactPhone).toBeNull();
    for (const mem of s.members) expect(first.res.raw).not.toContain(mem.phone);

    const em2 = hub.em();
    buildConsent(em2, {
      resident: await em2.findOneOrFail('Resident', s.h.head.id) as Resident, recipient: await em2.findOneOrFail('Organisation', orgX.id) as Organisation,
      recordedBy: await em2.findOneOrFail('Staff', workerA.id) as Staff, purpose: ConsentPurpose.INFORMAL_CARE, grantedAt: new Date(Date.now() - DAY),
    });
    await em2.flush();
    const ctl = await mine(s.vtoken, s.match.id);
    expect(ctl.m?.contactPhone, 'control').toBe(s.members[0]!.phone);
    expect(ctl.res.raw).not.toContain(s.members[1]!.phone);
  });

  it('VT4 a household-level request (no resident) activated through the API gives the volunteer no phone and no name of any member', async () => {
    const s = await matchScenario({ status: MatchStatus.ACCEPTED, members: 2, requestResident: 'none' });
    const act = await hub.gql(ACTIVATE, { id: s.match.id }, T.workerA);
    expect(act.errors, act.raw).toBeUndefined();
    const { res, m } = await mine(s.vtoken, s.match.id);
    expect(m).toMatchObject({ status: 'ACTIVE', contactPhone: null, resident: null });
    for (const mem of s.members) {
      expect(res.raw).not.toContain(mem.phone);
      expect(res.raw).not.toContain(mem.familyName);
    }
  });

  it('VT5 an ACTIVE match whose resident\'s only INFORMAL_CARE consent for the organisation was granted and revoked before the match started gives no phone', async () => {
    const s = await matchScenario({ status: MatchStatus.ACTIVE });
    const em = hub.em();
    buildConsent(em, {
      resident: await em.findOneOrFail('Resident', s.h.head.id) as Resident, recipient: await em.findOneOrFail('Organisation', orgX.id) as Organisation,
      recordedBy: await em.findOneOrFail('Staff', workerA.id) as Staff, purpose: ConsentPurpose.INFORMAL_CARE,
      grantedAt: new Date(Date.now() - 30 * DAY), revokedAt: new Date(Date.now() - 9 * DAY),
    });
    await em.flush();
    const { res, m } = await mine(s.vtoken, s.match.id);
    expect(m?.contactPhone).toBeNull();
    expect(res.raw).not.toContain(s.members[0]!.phone);
  });
});

// ---------------------------------------------------------------------------------------------
describe('S19-AMB: an ambassador of team A learns nothing of team B', () => {
  it('AM1 team B\'s request and case ids answer exactly like random ids on every ambassador path (candidates, proposal, case discussion)', async () => {
    const em = hub.em();
    const hB = buildHousehold(em, { team: teamB, postcode: '3962AA', members: [{ givenName: 'Beenaam', familyName: 'Nepbee', bsn: null }] });
    const cB = buildCase(em, { household: hB.household, status: CaseStatus.ACTIVE, coordinator: workerB });
    const rB = buildInformalCareRequest(em, { case: cB, requestedBy: workerB, resident: hB.head, status: InformalCareRequestStatus.OPEN, needs: ['company'] });
    const vol = buildVolunteer(em, { organisation: orgX, givenName: 'Ambhulp', skills: ['company'], languages: ['Dutch'], vogIssuedAt: VALID_VOG, maxMatches: 5, active: true, postcode: '3961AD' });
    await em.flush();
    const rnd = randomUUID();
    const ops: [string, (id: string) => Record<string, unknown>][] = [
      ['query($r: ID!) { volunteerCandidates(requestId: $r) { score volunteer { id } } }', (id) => ({ r: id })],
      ['mutation($r: ID!, $v: ID!) { proposeMatch(requestId: $r, volunteerId: $v) { id } }', (id) => ({ r: id, v: vol.id })],
    ];
    for (const [op, vars] of ops) {
      const b = await hub.gql(op, vars(rB.id), T.ambA);
      const r = await hub.gql(op, vars(rnd), T.ambA);
      const shape = (x: GqlResponse) => ({ status: x.status, data: x.data, errors: x.errors?.map((e) => [e.extensions?.code, e.message]) });
      expect(shape(b)).toEqual(shape(r));
      expect(code(b)).toBe('NOT_FOUND');
      expect(b.raw).not.toContain('Beenaam');
    }
    const DISC = 'mutation($i: RecordCaseDiscussionInput!) { recordCaseDiscussion(input: $i) { id informalCarePossible } }';
    const at = new Date(Date.now() - 60_000).toISOString();
    const db = await hub.gql(DISC, { i: { caseId: cB.id, discussedAt: at, informalCarePossible: true } }, T.ambA);
    const dr = await hub.gql(DISC, { i: { caseId: rnd, discussedAt: at, informalCarePossible: true } }, T.ambA);
    expect(code(db)).toBe('NOT_FOUND');
    expect(db.errors?.map((e) => e.message)).toEqual(dr.errors?.map((e) => e.message));
    const [d] = await q<{ n: string }>('select count(*) n from case_discussion where case_id = ?', [cB.id]);
    expect(Number(d!.n)).toBe(0);
    const list = await hub.gql('{ informalCareRequests(first: 100) { totalCount edges { node { id } } } }', {}, T.ambA);
    expect(list.raw).not.toContain(rB.id);
  });

  it('AM2 the ambassador\'s request and match views carry no BSN, address, note, family name or phone, via aliases and fragments too', async () => {
    const em = hub.em();
    const bsn = makeBsn(19190021);
    const h = buildHousehold(em, {
      team: teamA, postcode: '3961TT', street: 'Nepgeheimstraat', houseNumber: '77', bsnKey: hub.config.BSN_KEY,
      members: [{ givenName: 'Ambzichtnaam', familyName: 'Nepzichtbaar', bsn, phone: '06-19190021' }],
    });
    const c = buildCase(em, { household: h.household, status: CaseStatus.ACTIVE, coordinator: workerA, reason: 'GEHEIME-REDEN-AM2' });
    const r = buildInformalCareRequest(em, { case: c, requestedBy: workerA, resident: h.head, status: InformalCareRequestStatus.OPEN, needs: ['company'], note: 'GEHEIME-NOTITIE-AM2' });
    const vol = buildVolunteer(em, { organisation: orgX, givenName: 'Ambzichthulp', familyName: 'Nepvrijwilligerfam', phone: '06-19190022', email: 'nep-am2@example.test', skills: ['company'], languages: ['Dutch'], vogIssuedAt: VALID_VOG, maxMatches: 5, active: true, postcode: '3961AE' });
    buildVolunteerMatch(em, { request: r, volunteer: vol, status: MatchStatus.ACTIVE, proposedAt: new Date(Date.now() - 50 * DAY), respondedAt: new Date(Date.now() - 49 * DAY), startedAt: new Date(Date.now() - 48 * DAY), proposedBy: ambA });
    await em.flush();
    const res = await hub.gql(
      `query($r: ID!) {
        x: informalCareRequests(first: 10) { edges { node { ...R } } }
        y: volunteerCandidates(requestId: $r, first: 10) { reasons volunteer { ...V } }
        z: dueCheckIns { match { ...M } }
        w: volunteers(first: 10) { edges { node { ...V } } }
      }
      fragment R on InformalCareRequest { id needs languages area { postcode4 neighbourhood } resident { givenName } availability { day part } }
      fragment V on Volunteer { id givenName skills languages availability { day part } }
      fragment M on VolunteerMatch { id task area { postcode4 } resident { givenName } volunteer { ...V } }`,
      { r: r.id },
      T.ambA,
    );
    expect(res.errors, res.raw).toBeUndefined();
    expect(res.raw).toContain('Ambzichtnaam');
    for (const secret of ['Nepzichtbaar', 'Nepgeheimstraat', '3961TT', bsn, bsn.slice(-4), '06-19190021', 'GEHEIME-NOTITIE-AM2', 'GEHEIME-REDEN-AM2', 'Nepvrijwilligerfam', '06-19190022', 'nep-am2@example.test']) {
      expect(res.raw, secret).not.toContain(secret);
    }
  });
});

// ---------------------------------------------------------------------------------------------
describe('S19-ROOT: every root field outside a role\'s own is FORBIDDEN with no data', () => {
  const ROOTS: [string, string, Record<string, unknown>, Role[]][] = [
    ['informalCareRequests', '{ informalCareRequests(first: 5) { totalCount edges { node { id } } } }', {}, [Role.AMBASSADOR]],
    ['volunteers', '{ volunteers(first: 5) { totalCount edges { node { id } } } }', {}, [Role.AMBASSADOR]],
    ['dueCheckIns', '{ dueCheckIns { dueAt } }', {}, [Role.AMBASSADOR]],
    ['myVolunteerProfile', '{ myVolunteerProfile { id } }', {}, [Role.VOLUNTEER]],
    ['myMatches', '{ myMatches { id } }', {}, [Role.VOLUNTEER]],
    ['referrals', '{ referrals(first: 5) { totalCount edges { node { id } } } }', {}, [Role.PARTNER_GP, Role.PARTNER_CORPORATION]],
    ['organisations', '{ organisations { id name } }', {}, []],
    ['staffMembers', '{ staffMembers { id name } }', {}, []],
    ['cases', '{ cases(first: 5) { totalCount edges { node { id } } } }', {}, []],
    ['caseCounts', '{ caseCounts { suppressed } }', {}, []],
    ['quarterReport', '{ quarterReport(period: "2025-Q1") { period } }', {}, []],
    ['integrations', '{ integrations { partner } }', {}, []],
  ];
  const who = (): [Role, string][] => [
    [Role.VOLUNTEER, T.vol!], [Role.AMBASSADOR, T.ambA!], [Role.PARTNER_GP, T.gp!], [Role.PARTNER_CORPORATION, T.corp!],
  ];

  beforeAll(async () => {
    const em = hub.em();
    const v = buildVolunteer(em, { organisation: orgX, givenName: 'Rondhulp', skills: ['company'], languages: ['Dutch'], vogIssuedAt: VALID_VOG, maxMatches: 2, active: true, postcode: '3961AF' });
    await em.flush();
    T.vol = await hub.tokenFor(v.id);
  });

  it('R1 list and aggregate roots', async () => {
    for (const [role, token] of who()) {
      for (const [field, op, vars, allowed] of ROOTS) {
        if (allowed.includes(role)) continue;
        const res = await hub.gql(op, vars, token);
        expect(code(res), `${role} ${field}: ${res.raw}`).toBe('FORBIDDEN');
        expect(res.data?.[field] ?? null, `${role} ${field}`).toBeNull();
      }
    }
  });

  it('R2 by-id roots with a real id of team A (case, household, teamMembers, accessReport) are FORBIDDEN for these roles, never data', async () => {
    const em = hub.em();
    const h = buildHousehold(em, { team: teamA, postcode: '3961RR', members: [{ givenName: 'Wortelnaam', familyName: 'Nepwortel', bsn: null }] });
    const c = buildCase(em, { household: h.household, status: CaseStatus.ACTIVE, coordinator: workerA });
    await em.flush();
    const ops: [string, string, Record<string, unknown>, Role[]][] = [
      ['case', 'query($id: ID!) { case(id: $id) { id reason } }', { id: c.id }, []],
      ['household', 'query($id: ID!) { household(id: $id) { id members { givenName } } }', { id: h.household.id }, []],
      ['teamMembers', 'query($t: ID!) { teamMembers(teamId: $t) { id name } }', { t: teamA.id }, []],
      ['accessReport', 'query($id: ID!) { accessReport(residentId: $id) { resident { id } } }', { id: h.head.id }, []],
    ];
    for (const [role, token] of who()) {
      for (const [field, op, vars] of ops) {
        const res = await hub.gql(op, vars, token);
        expect(code(res), `${role} ${field}: ${res.raw}`).toBe('FORBIDDEN');
        expect(res.data?.[field] ?? null).toBeNull();
        expect(res.raw).not.toContain('Wortelnaam');
        expect(res.raw).not.toContain('Nepwortel');
      }
    }
  });
});
