/**
 * Review probes for informal care (ambassadors, volunteers, matches, check-ins).
 * Every probe asserts the SAFE behaviour; a failing probe is a finding. All data is fake.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type GqlResponse, type TestHub } from '../helpers/app.js';
import {
  buildCase,
  buildHousehold,
  buildInformalCareRequest,
  buildOrganisation,
  buildStaff,
  buildTeam,
  buildVolunteer,
  buildVolunteerMatch,
} from '../../seeds/factories.js';
import { CaseStatus, InformalCareRequestStatus, MatchStatus, OrganisationKind, Role } from '../../src/modules/common/enums.js';
import { encodeCursor } from '../../src/modules/common/connection.js';
import type { Team } from '../../src/modules/team/team.entity.js';
import type { Staff } from '../../src/modules/staff/staff.entity.js';
import type { Organisation } from '../../src/modules/organisation/organisation.entity.js';

const DAY = 86_400_000;
const VALID_VOG = new Date(Date.now() - 200 * DAY).toISOString().slice(0, 10);

let hub: TestHub;
let teamA: Team, teamB: Team;
let orgX: Organisation, orgY: Organisation;
let workerA: Staff, leadA: Staff, workerB: Staff, ambA: Staff, ambB: Staff;
const T: Record<string, string> = {};

const code = (res: GqlResponse) => res.errors?.[0]?.extensions?.code;
const msg = (res: GqlResponse) => res.errors?.[0]?.message;

async function q<R = Record<string, unknown>>(sqlText: string, params: unknown[] = []): Promise<R[]> {
  return hub.em().getConnection().execute<R[]>(sqlText, params);
}

const MY = '{ myMatches { id status task resident { givenName } area { postcode4 neighbourhood } contactPhone } }';
const ACTIVATE = 'mutation($id: ID!) { activateMatch(id: $id) { id status } }';
const END = 'mutation($id: ID!) { endMatch(id: $id) { id status } }';
const PROPOSE = 'mutation($r: ID!, $v: ID!) { proposeMatch(requestId: $r, volunteerId: $v) { id status } }';
const LIST = '{ informalCareRequests(first: 100) { totalCount edges { cursor node { id status resident { givenName } area { postcode4 } } } pageInfo { hasNextPage endCursor } } }';
const LIST_OPEN = '{ informalCareRequests(filter: { status: [OPEN] }, first: 100) { totalCount edges { node { id resident { givenName } } } } }';
const CANDIDATES = 'query($r: ID!) { volunteerCandidates(requestId: $r, first: 50) { score reasons distanceKm volunteer { id givenName activeMatches } } }';
const DUE = '{ dueCheckIns { dueAt match { id volunteer { id givenName } resident { givenName } } } }';
const ERASE = 'mutation($id: ID!) { eraseResident(residentId: $id) { residentId outcome } }';
const CLOSE = 'mutation($i: CloseCaseInput!) { closeCase(input: $i) { id status } }';

let n = 0;
/** One household with one resident (unique fake name and phone), an ACTIVE case, an OPEN request, a volunteer and a match. */
async function scenario(o: {
  team?: Team;
  org?: Organisation;
  status?: MatchStatus;
  volunteer?: { id: string };
  proposedBy?: Staff;
} = {}) {
  n++;
  const em = hub.em();
  const team = o.team ?? teamA;
  const area = team.postcodes[0]!;
  const given = `Fakegiven${n}x`;
  const family = `Fakefamily${n}x`;
  const phone = `06-9${String(n).padStart(7, '0')}`;
  const street = `Nepstraat${n}x`;
  const h = buildHousehold(em, {
    team, postcode: `${area}Z${String.fromCharCode(65 + (n % 26))}`, street, houseNumber: `${100 + n}Q`,
    members: [{ givenName: given, familyName: family, phone, languages: ['Dutch'] }],
  });
  const c = buildCase(em, { household: h.household, status: CaseStatus.ACTIVE, coordinator: team === teamA ? workerA : workerB });
  const request = buildInformalCareRequest(em, {
    case: c, requestedBy: team === teamA ? workerA : workerB, resident: h.head, status: InformalCareRequestStatus.OPEN,
    needs: ['company'], note: `SECRET-NOTE-${n}`, createdAt: new Date(Date.now() - 20 * DAY),
  });
  const volunteer = o.volunteer
    ? await em.findOneOrFail('Volunteer', o.volunteer.id)
    : buildVolunteer(em, {
        organisation: o.org ?? orgX, givenName: `Volgiven${n}x`, familyName: `Volfamily${n}x`, postcode: `${area}VV`,
        skills: ['company'], languages: ['Dutch'], vogIssuedAt: VALID_VOG, maxMatches: 5, active: true,
      });
  const status = o.status ?? MatchStatus.ACCEPTED;
  const match = buildVolunteerMatch(em, {
    request, volunteer: volunteer as never, status,
    proposedAt: new Date(Date.now() - 10 * DAY), respondedAt: status === MatchStatus.PROPOSED ? null : new Date(Date.now() - 9 * DAY),
    startedAt: status === MatchStatus.ACTIVE ? new Date(Date.now() - 8 * DAY) : null,
    proposedBy: o.proposedBy ?? ambA,
  });
  await em.flush();
  const vtoken = await hub.tokenFor((volunteer as { id: string }).id);
  return { h, resident: h.head, c, request, volunteer: volunteer as { id: string }, match, vtoken, given, family, phone, street, note: `SECRET-NOTE-${n}` };
}

/** A match made ACTIVE the way the API does it (records the INFORMAL_CARE consent). */
async function activeScenario(o: Parameters<typeof scenario>[0] = {}) {
  const s = await scenario({ ...o, status: MatchStatus.ACCEPTED });
  const res = await hub.gql(ACTIVATE, { id: s.match.id }, T.workerA);
  expect(res.errors, res.raw).toBeUndefined();
  return s;
}

async function myMatch(token: string, id: string) {
  const res = await hub.gql(MY, {}, token);
  const m = (res.data?.myMatches as { id: string; contactPhone: string | null }[] | undefined)?.find((x) => x.id === id);
  return { res, m };
}

async function activeConsents(residentId: string): Promise<number> {
  const [r] = await q<{ n: string }>(`select count(*) n from consent where resident_id = ? and purpose = 'INFORMAL_CARE' and revoked_at is null`, [residentId]);
  return Number(r!.n);
}

beforeAll(async () => {
  hub = await startTestHub();
  const em = hub.em();
  teamA = buildTeam(em, { postcodes: ['3581'] });
  teamB = buildTeam(em, { postcodes: ['3582'] });
  orgX = buildOrganisation(em, { kind: OrganisationKind.INFORMAL_CARE });
  orgY = buildOrganisation(em, { kind: OrganisationKind.INFORMAL_CARE });
  workerA = buildStaff(em, { role: Role.TEAM_WORKER, teams: [teamA] });
  leadA = buildStaff(em, { role: Role.TEAM_LEAD, teams: [teamA] });
  workerB = buildStaff(em, { role: Role.TEAM_WORKER, teams: [teamB] });
  ambA = buildStaff(em, { role: Role.AMBASSADOR, teams: [teamA], organisation: orgX });
  ambB = buildStaff(em, { role: Role.AMBASSADOR, teams: [teamB], organisation: orgX });
  await em.flush();
  for (const [k, p] of Object.entries({ workerA, leadA, workerB, ambA, ambB })) T[k] = await hub.tokenFor(p);
});

afterAll(async () => {
  await hub?.stop();
});

// ---------------------------------------------------------------------------------------------
describe('IC-A: the phone after the case, the match or the resident changed', () => {
  it('IC1: an ACTIVE match on a case that is then CLOSED no longer gives the volunteer the phone', async () => {
    const s = await activeScenario();
    expect((await myMatch(s.vtoken, s.match.id)).m?.contactPhone).toBe(s.phone);
    const close = await hub.gql(CLOSE, { i: { caseId: s.c.id, closedAt: new Date(Date.now() - 60_000).toISOString(), reason: 'AS_PLANNED' } }, T.workerA);
    expect(close.errors, close.raw).toBeUndefined();
    const { res, m } = await myMatch(s.vtoken, s.match.id);
    // README "Informal care on a closed case": "... so no volunteer gets a closed case's resident's phone."
    expect.soft(m?.contactPhone ?? null, 'phone after the case closed').toBeNull();
    expect.soft(res.raw).not.toContain(s.phone);
    const [row] = await q<{ status: string }>('select status from volunteer_match where id = ?', [s.match.id]);
    expect.soft(row!.status, 'match status after the case closed').not.toBe('ACTIVE');
  });

  it('IC2: after the case closed, the ambassador no longer lists its request as OPEN (nothing to match any more)', async () => {
    const s = await scenario({ status: MatchStatus.PROPOSED });
    await hub.gql(END, { id: s.match.id }, T.workerA);
    const close = await hub.gql(CLOSE, { i: { caseId: s.c.id, closedAt: new Date(Date.now() - 60_000).toISOString(), reason: 'AS_PLANNED' } }, T.workerA);
    expect(close.errors, close.raw).toBeUndefined();
    const res = await hub.gql(LIST_OPEN, {}, T.ambA);
    const ids = (res.data?.informalCareRequests.edges as { node: { id: string } }[]).map((e) => e.node.id);
    expect(ids).not.toContain(s.request.id);
    expect(res.raw).not.toContain(s.given);
  });

  it('IC3: anonymising the resident removes phone and given name from the volunteer\'s and the ambassador\'s views', async () => {
    const s = await activeScenario();
    const er = await hub.gql(ERASE, { id: s.resident.id }, T.leadA);
    expect(er.data?.eraseResident.outcome, er.raw).toBe('ANONYMISED');
    const { res, m } = await myMatch(s.vtoken, s.match.id);
    expect(m?.contactPhone ?? null).toBeNull();
    for (const secret of [s.phone, s.given, s.family]) expect(res.raw).not.toContain(secret);
    const amb = await hub.gql(LIST, {}, T.ambA);
    expect(amb.raw).not.toContain(s.given);
    const due = await hub.gql(DUE, {}, T.ambA);
    expect(due.raw).not.toContain(s.given);
  });

  it('IC4: an ACCEPTED match of an anonymised resident cannot be activated, and nothing changes', async () => {
    const s = await scenario({ status: MatchStatus.ACCEPTED });
    await hub.gql(ERASE, { id: s.resident.id }, T.leadA);
    const res = await hub.gql(ACTIVATE, { id: s.match.id }, T.ambA);
    expect(code(res)).toBe('CONFLICT');
    const [m] = await q<{ status: string }>('select status from volunteer_match where id = ?', [s.match.id]);
    expect(m!.status).toBe('ACCEPTED');
    const [r] = await q<{ status: string }>('select status from informal_care_request where id = ?', [s.request.id]);
    expect(r!.status).toBe('OPEN');
    expect(await activeConsents(s.resident.id)).toBe(0);
  });

  it('IC5: a CLOSED request (its last ACTIVE match ended) is not reopened by activating a left-over ACCEPTED match', async () => {
    const s = await scenario({ status: MatchStatus.ACCEPTED });
    const em = hub.em();
    const v2 = buildVolunteer(em, { organisation: await em.findOneOrFail('Organisation', orgX.id) as Organisation, givenName: `Volsecond${n}x`, postcode: '3581VW', skills: ['company'], vogIssuedAt: VALID_VOG, maxMatches: 5 });
    const request = await em.findOneOrFail('InformalCareRequest', s.request.id);
    const m2 = buildVolunteerMatch(em, { request: request as never, volunteer: v2, status: MatchStatus.ACCEPTED, proposedAt: new Date(Date.now() - 10 * DAY), respondedAt: new Date(Date.now() - 9 * DAY) });
    await em.flush();
    expect((await hub.gql(ACTIVATE, { id: s.match.id }, T.workerA)).errors).toBeUndefined();
    expect((await hub.gql(END, { id: s.match.id }, T.workerA)).errors).toBeUndefined();
    const [before] = await q<{ status: string }>('select status from informal_care_request where id = ?', [s.request.id]);
    expect(before!.status).toBe('CLOSED');
    const res = await hub.gql(ACTIVATE, { id: m2.id }, T.workerA);
    // README: the request goes OPEN → MATCHED → CLOSED; "Any other step is CONFLICT".
    expect.soft(code(res), res.raw).toBe('CONFLICT');
    const [after] = await q<{ status: string }>('select status from informal_care_request where id = ?', [s.request.id]);
    expect.soft(after!.status, 'request status').toBe('CLOSED');
    const v2token = await hub.tokenFor(v2.id);
    expect((await myMatch(v2token, m2.id)).m?.contactPhone ?? null).toBeNull();
  });
});

// ---------------------------------------------------------------------------------------------
describe('IC-B: the volunteer changes (deactivated, moved, VOG expired, paused)', () => {
  it('IC6: a deactivated volunteer loses every view at once (UNAUTHENTICATED, no phone in the body)', async () => {
    const s = await activeScenario();
    await q('update volunteer set active = false where id = ?', [s.volunteer.id]);
    const res = await hub.gql(MY, {}, s.vtoken);
    expect(code(res)).toBe('UNAUTHENTICATED');
    expect(res.raw).not.toContain(s.phone);
    expect(res.raw).not.toContain(s.given);
  });

  it('IC7: an ACCEPTED match of a volunteer deactivated since is not activated (no consent, request stays OPEN)', async () => {
    const s = await scenario({ status: MatchStatus.ACCEPTED });
    await q('update volunteer set active = false where id = ?', [s.volunteer.id]);
    const res = await hub.gql(ACTIVATE, { id: s.match.id }, T.workerA);
    expect.soft(code(res), res.raw).toBe('CONFLICT');
    expect.soft(await activeConsents(s.resident.id), 'INFORMAL_CARE consents').toBe(0);
    const [r] = await q<{ status: string }>('select status from informal_care_request where id = ?', [s.request.id]);
    expect.soft(r!.status, 'request status').toBe('OPEN');
    // Reactivated later (e.g. by mistake or after a review), the volunteer would hold the phone at once.
    await q('update volunteer set active = true where id = ?', [s.volunteer.id]);
    expect.soft((await myMatch(s.vtoken, s.match.id)).m?.contactPhone ?? null, 'phone after reactivation').toBeNull();
  });

  it('IC8: an ACCEPTED match of a volunteer whose VOG has expired since is not activated (a VOG older than 3 years blocks new matches)', async () => {
    const s = await scenario({ status: MatchStatus.ACCEPTED });
    await q(`update volunteer set vog_issued_at = (now() - interval '4 years')::date where id = ?`, [s.volunteer.id]);
    const res = await hub.gql(ACTIVATE, { id: s.match.id }, T.workerA);
    expect.soft(['BAD_USER_INPUT', 'CONFLICT'], res.raw).toContain(code(res));
    expect.soft(await activeConsents(s.resident.id), 'INFORMAL_CARE consents').toBe(0);
    expect.soft((await myMatch(s.vtoken, s.match.id)).m?.contactPhone ?? null, 'phone to the volunteer with an expired VOG').toBeNull();
  });

  it("IC8b: the team's ambassador starts a match of their own organisation's volunteer, not another organisation's (FORBIDDEN, no consent)", async () => {
    const own = await scenario({ org: orgX, status: MatchStatus.ACCEPTED });
    const allowed = await hub.gql(ACTIVATE, { id: own.match.id }, T.ambA);
    expect(allowed.errors, allowed.raw).toBeUndefined();
    expect(await activeConsents(own.resident.id)).toBe(1);
    const other = await scenario({ org: orgY, status: MatchStatus.ACCEPTED });
    const denied = await hub.gql(ACTIVATE, { id: other.match.id }, T.ambA);
    expect(code(denied), denied.raw).toBe('FORBIDDEN');
    expect(await activeConsents(other.resident.id)).toBe(0);
    const [m] = await q<{ status: string }>('select status from volunteer_match where id = ?', [other.match.id]);
    expect(m!.status).toBe('ACCEPTED');
  });

  it('IC9: a volunteer moved to another organisation loses the phone (the consent is for the old organisation)', async () => {
    const s = await activeScenario();
    expect((await myMatch(s.vtoken, s.match.id)).m?.contactPhone).toBe(s.phone);
    await q('update volunteer set organisation_id = ? where id = ?', [orgY.id, s.volunteer.id]);
    const { res, m } = await myMatch(s.vtoken, s.match.id);
    expect(m?.contactPhone ?? null).toBeNull();
    expect(res.raw).not.toContain(s.phone);
    // And the old organisation's ambassador no longer sees who the volunteer is.
    const due = await hub.gql(`mutation($id: ID!) { endMatch(id: $id) { id volunteer { id givenName } } }`, { id: s.match.id }, T.ambA);
    expect(due.data?.endMatch?.volunteer ?? null).toBeNull();
    expect(due.raw).not.toContain(`Volgiven`);
  });

  it('IC10: a volunteer cannot activate, end or check in on its own match, nor list candidates or check-ins', async () => {
    const s = await scenario({ status: MatchStatus.ACCEPTED });
    for (const [qq, v] of [
      [ACTIVATE, { id: s.match.id }],
      [END, { id: s.match.id }],
      [`mutation($id: ID!) { recordMatchCheckIn(input: { matchId: $id, at: "${new Date(Date.now() - 60_000).toISOString()}", going: GOOD }) { id } }`, { id: s.match.id }],
      [CANDIDATES, { r: s.request.id }],
      [DUE, {}],
      [PROPOSE, { r: s.request.id, v: s.volunteer.id }],
      [`query($id: ID!) { accessReport(residentId: $id) { entries { at } } }`, { id: s.resident.id }],
    ] as [string, Record<string, unknown>][]) {
      const res = await hub.gql(qq, v, s.vtoken);
      expect(code(res), qq.slice(0, 40)).toBe('FORBIDDEN');
      expect(res.raw).not.toContain(s.phone);
      expect(res.raw).not.toContain(s.family);
    }
    expect(await activeConsents(s.resident.id)).toBe(0);
    const [m] = await q<{ status: string }>('select status from volunteer_match where id = ?', [s.match.id]);
    expect(m!.status).toBe('ACCEPTED');
  });

  it('IC11: a volunteer sees none of another volunteer\'s matches of the same request or household', async () => {
    const s = await activeScenario();
    const em = hub.em();
    const other = buildVolunteer(em, { organisation: await em.findOneOrFail('Organisation', orgX.id) as Organisation, givenName: `Volother${n}x`, postcode: '3581VX', skills: ['company'], vogIssuedAt: VALID_VOG, maxMatches: 5 });
    await em.flush();
    const res = await hub.gql(MY, {}, await hub.tokenFor(other.id));
    expect(res.data?.myMatches).toEqual([]);
    expect(res.raw).not.toContain(s.given);
    expect(res.raw).not.toContain(s.phone);
  });
});

// ---------------------------------------------------------------------------------------------
describe('IC-C: the ambassador changes (moved team, moved organisation, two teams)', () => {
  it('IC12: an ambassador removed from the team loses requests, check-ins, proposals and activations on the next request', async () => {
    const em = hub.em();
    const amb = buildStaff(em, { role: Role.AMBASSADOR, teams: [await em.findOneOrFail('Team', teamA.id) as Team], organisation: await em.findOneOrFail('Organisation', orgX.id) as Organisation });
    await em.flush();
    const tok = await hub.tokenFor(amb);
    const s = await activeScenario();
    const s2 = await scenario({ status: MatchStatus.ACCEPTED });
    expect((await hub.gql(LIST, {}, tok)).data?.informalCareRequests.totalCount).toBeGreaterThan(0);
    await q('delete from staff_team where staff_id = ?', [amb.id]);
    const list = await hub.gql(LIST, {}, tok);
    expect(list.errors, list.raw).toBeUndefined();
    expect(list.data?.informalCareRequests.totalCount).toBe(0);
    expect(list.raw).not.toContain(s.given);
    const due = await hub.gql(DUE, {}, tok);
    expect(due.data?.dueCheckIns ?? []).toEqual([]);
    expect(code(await hub.gql(CANDIDATES, { r: s2.request.id }, tok))).toBe('NOT_FOUND');
    expect(code(await hub.gql(ACTIVATE, { id: s2.match.id }, tok))).toBe('NOT_FOUND');
    expect(code(await hub.gql(END, { id: s.match.id }, tok))).toBe('NOT_FOUND');
    expect(await activeConsents(s2.resident.id)).toBe(0);
  });

  it('IC13: an ambassador moved to another organisation sees none of the old organisation\'s volunteers and cannot propose them', async () => {
    const em = hub.em();
    const amb = buildStaff(em, { role: Role.AMBASSADOR, teams: [await em.findOneOrFail('Team', teamA.id) as Team], organisation: await em.findOneOrFail('Organisation', orgX.id) as Organisation });
    await em.flush();
    const tok = await hub.tokenFor(amb);
    const s = await scenario({ status: MatchStatus.PROPOSED });
    await hub.gql(END, { id: s.match.id }, T.workerA); // withdraw: the request is OPEN and the volunteer free
    const vols = async () => (await hub.gql('{ volunteers(first: 100) { totalCount edges { node { id givenName } } } }', {}, tok));
    expect((await vols()).raw).toContain(s.volunteer.id);
    await q('update staff set organisation_id = ? where id = ?', [orgY.id, amb.id]);
    const after = await vols();
    expect(after.raw).not.toContain(s.volunteer.id);
    const cand = await hub.gql(CANDIDATES, { r: s.request.id }, tok);
    expect(cand.raw).not.toContain(s.volunteer.id);
    const prop = await hub.gql(PROPOSE, { r: s.request.id, v: s.volunteer.id }, tok);
    expect(code(prop)).toBe('NOT_FOUND');
  });

  it('IC14: an ambassador of two teams sees both; the ambassador of one team only sees none of the other (list, totalCount, cursor)', async () => {
    const em = hub.em();
    const amb2 = buildStaff(em, {
      role: Role.AMBASSADOR,
      teams: [await em.findOneOrFail('Team', teamA.id) as Team, await em.findOneOrFail('Team', teamB.id) as Team],
      organisation: await em.findOneOrFail('Organisation', orgX.id) as Organisation,
    });
    await em.flush();
    const sA = await scenario({ status: MatchStatus.PROPOSED });
    const sB = await scenario({ team: teamB, status: MatchStatus.PROPOSED, proposedBy: ambB });
    const both = await hub.gql(LIST, {}, await hub.tokenFor(amb2));
    expect(both.raw).toContain(sA.request.id);
    expect(both.raw).toContain(sB.request.id);
    const onlyA = await hub.gql(LIST, {}, T.ambA);
    expect(onlyA.raw).not.toContain(sB.request.id);
    expect(onlyA.raw).not.toContain(sB.given);
    const [{ n: countA }] = await q<{ n: string }>('select count(*) n from informal_care_request where team_id = ?', [teamA.id]) as [{ n: string }];
    expect(onlyA.data?.informalCareRequests.totalCount).toBe(Number(countA));
    // A cursor made of team B's request gives no row of team B either.
    const after = encodeCursor(new Date(sB.request.createdAt.getTime() + 1), sB.request.id);
    const paged = await hub.gql(`query($a: String) { informalCareRequests(first: 100, after: $a) { totalCount edges { node { id } } } }`, { a: after }, T.ambA);
    expect(paged.raw).not.toContain(sB.request.id);
    expect(paged.data?.informalCareRequests.totalCount).toBe(Number(countA));
  });
});

// ---------------------------------------------------------------------------------------------
describe('IC-D: candidates, reasons and other paths', () => {
  it('IC15: "already helps this household" counts only an ACTIVE match with this very household, never another household or team', async () => {
    // One volunteer of orgX: ACTIVE in a household of team B (proposed by the team-B ambassador of orgX).
    const sB = await scenario({ team: teamB, status: MatchStatus.ACTIVE, proposedBy: ambB });
    // A fresh request in team A for another household.
    const sA = await scenario({ status: MatchStatus.PROPOSED });
    await hub.gql(END, { id: sA.match.id }, T.workerA);
    const res = await hub.gql(CANDIDATES, { r: sA.request.id }, T.ambA);
    expect(res.errors, res.raw).toBeUndefined();
    const row = (res.data?.volunteerCandidates as { volunteer: { id: string }; reasons: string[] }[]).find((c) => c.volunteer.id === sB.volunteer.id);
    expect(row).toBeDefined();
    expect(row!.reasons).not.toContain('already helps this household');
    expect(res.raw).not.toContain(sB.given);
    expect(res.raw).not.toContain(sB.request.id);
  });

  it('IC16: ambassador views carry no full postcode, house number, street, family name, note or phone (requests, candidates, check-ins, mutations)', async () => {
    const s = await activeScenario();
    const full = s.h.household.postcode;
    const outs: GqlResponse[] = [
      await hub.gql(LIST, {}, T.ambA),
      await hub.gql(CANDIDATES, { r: s.request.id }, T.ambA),
      await hub.gql(DUE, {}, T.ambA),
      await hub.gql(`mutation($id: ID!) { recordMatchCheckIn(input: { matchId: $id, at: "${new Date(Date.now() - 60_000).toISOString()}", going: CONCERN, note: "fake" }) { id at going } }`, { id: s.match.id }, T.ambA),
    ];
    for (const res of outs) {
      for (const secret of [full, s.street, s.family, s.phone, s.note, s.h.household.houseNumber, s.c.id, s.resident.id, s.h.household.id]) {
        expect(res.raw).not.toContain(secret);
      }
    }
  });

  it('IC17: an ambassador cannot get the phone through contactPhone on any path (FORBIDDEN, phone not in body)', async () => {
    const s = await activeScenario();
    const res = await hub.gql(`mutation($id: ID!) { endMatch(id: $id) { id contactPhone } }`, { id: s.match.id }, T.ambA);
    expect(res.raw).not.toContain(s.phone);
    const due = await hub.gql('{ dueCheckIns { match { id contactPhone } } }', {}, T.ambA);
    expect(due.raw).not.toContain(s.phone);
  });

  it('IC18: the access report shows the volunteer\'s read of the phone (role VOLUNTEER, its organisation)', async () => {
    const s = await activeScenario();
    expect((await myMatch(s.vtoken, s.match.id)).m?.contactPhone).toBe(s.phone);
    // audit rows are batched at the end of the request
    await new Promise((r) => setTimeout(r, 200));
    const rep = await hub.gql(`query($id: ID!) { accessReport(residentId: $id) { entries { action objectType actor { name role organisation } } } }`, { id: s.resident.id }, T.workerA);
    expect(rep.errors, rep.raw).toBeUndefined();
    const entries = rep.data!.accessReport.entries as { action: string; objectType: string; actor: { role: string | null; organisation: string | null } }[];
    expect(entries.some((e) => e.action === 'READ' && e.objectType === 'Resident' && e.actor.role === 'VOLUNTEER')).toBe(true);
  });

  it('IC19: registerVolunteer does not tell an ambassador that an email belongs to another organisation\'s volunteer', async () => {
    const em = hub.em();
    const email = `fake.vrijwilliger.${randomUUID().slice(0, 8)}@example.test`;
    buildVolunteer(em, { organisation: await em.findOneOrFail('Organisation', orgY.id) as Organisation, givenName: 'Fakeother', email, vogIssuedAt: VALID_VOG });
    await em.flush();
    const input = (mail: string) => ({ i: { organisationId: orgX.id, givenName: 'Fake', familyName: 'Probe', email: mail, postcode: '3581AA', skills: ['company'], languages: ['Dutch'], availability: [], maxMatches: 1 } });
    const REG = 'mutation($i: RegisterVolunteerInput!) { registerVolunteer(input: $i) { id } }';
    const taken = await hub.gql(REG, input(email), T.ambA);
    // Safe: the other organisation's registration is not disclosed (its volunteers are not this ambassador's).
    expect(code(taken), taken.raw).not.toBe('CONFLICT');
  });

  it('IC20: a team worker of another team and a random id get the same NOT_FOUND for a match (activate/end), with nothing in it', async () => {
    const s = await scenario({ status: MatchStatus.ACCEPTED });
    for (const qq of [ACTIVATE, END]) {
      const f = await hub.gql(qq, { id: s.match.id }, T.workerB);
      const r = await hub.gql(qq, { id: randomUUID() }, T.workerB);
      expect(code(f)).toBe('NOT_FOUND');
      expect(msg(f)).toBe(msg(r));
      expect(f.raw).not.toContain(s.given);
    }
    expect(await activeConsents(s.resident.id)).toBe(0);
  });
});
