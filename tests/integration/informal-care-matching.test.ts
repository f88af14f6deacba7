/**
 * volunteerCandidates: ranking on a hand-built set, every exclusion rule (also refused by
 * proposeMatch), reasons that are true for their candidate, no contact details in the answer,
 * and a constant number of SQL statements however many volunteers there are.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../helpers/app.js';
import { countSql } from '../helpers/sql-count.js';
import {
  buildCase,
  buildHousehold,
  buildInformalCareRequest,
  buildOrganisation,
  buildStaff,
  buildTeam,
  buildVolunteer,
  buildVolunteerMatch,
  type VolunteerOverrides,
} from '../../seeds/factories.js';
import { CaseStatus, DayPart, MatchStatus, OrganisationKind, Role, Weekday } from '../../src/modules/common/enums.js';
import { distanceKm } from '../../src/modules/informal-care/geo.js';
import { slotLabel } from '../../src/modules/informal-care/matching.js';
import type { Volunteer } from '../../src/modules/informal-care/volunteer.entity.js';
import type { InformalCareRequest } from '../../src/modules/informal-care/informal-care.entity.js';
import type { Organisation } from '../../src/modules/organisation/organisation.entity.js';
import type { Staff } from '../../src/modules/staff/staff.entity.js';

const CANDIDATES = /* GraphQL */ `
  query C($requestId: ID!, $first: Int) {
    volunteerCandidates(requestId: $requestId, first: $first) {
      score reasons distanceKm volunteer { id givenName skills languages activeMatches }
    }
  }`;
const PROPOSE = 'mutation P($r: ID!, $v: ID!) { proposeMatch(requestId: $r, volunteerId: $v) { id status task } }';

interface Candidate {
  score: number;
  reasons: string[];
  distanceKm: number | null;
  volunteer: { id: string; givenName: string; skills: string[]; languages: string[]; activeMatches: number };
}

let hub: TestHub;
let careOrg: Organisation;
let ambassador: Staff;
let otherAmbassador: Staff;
let request: InformalCareRequest;
let householdId: string;
const v: Record<string, Volunteer> = {};
const tokens: Record<string, string> = {};

const VALID_VOG = new Date(Date.now() - 365 * 86400000).toISOString().slice(0, 10);
const OLD_VOG = (() => {
  const d = new Date();
  d.setUTCFullYear(d.getUTCFullYear() - 3);
  d.setUTCDate(d.getUTCDate() - 2);
  return d.toISOString().slice(0, 10);
})();
const TUE_MORNING = { day: Weekday.TUESDAY, part: DayPart.MORNING };
const THU_AFTERNOON = { day: Weekday.THURSDAY, part: DayPart.AFTERNOON };
const SAT_EVENING = { day: Weekday.SATURDAY, part: DayPart.EVENING };

beforeAll(async () => {
  hub = await startTestHub();
  const em = hub.em();
  const team = buildTeam(em, { postcodes: ['3562'] });
  const otherTeam = buildTeam(em, { postcodes: ['3563'] });
  careOrg = buildOrganisation(em, { kind: OrganisationKind.INFORMAL_CARE });
  const otherOrg = buildOrganisation(em, { kind: OrganisationKind.INFORMAL_CARE });
  ambassador = buildStaff(em, { role: Role.AMBASSADOR, teams: [team], organisation: careOrg });
  otherAmbassador = buildStaff(em, { role: Role.AMBASSADOR, teams: [otherTeam], organisation: careOrg });
  const worker = buildStaff(em, { role: Role.TEAM_WORKER, teams: [team] });
  const h = buildHousehold(em, { team, postcode: '3562AB', members: 1 });
  householdId = h.household.id;
  const c = buildCase(em, { household: h.household, status: CaseStatus.ACTIVE, coordinator: worker });
  request = buildInformalCareRequest(em, {
    case: c, requestedBy: worker, resident: h.head, needs: ['shopping', 'company'], languages: ['Arabic'],
    availability: [TUE_MORNING, THU_AFTERNOON], note: 'SECRET-NOTE',
  });
  const earlier = buildInformalCareRequest(em, { case: c, requestedBy: worker, needs: ['walking'], languages: ['Dutch'], availability: [] });
  const elsewhere = buildInformalCareRequest(em, { case: c, requestedBy: worker, needs: ['reading'], languages: ['Dutch'], availability: [] });

  const base = (o: Partial<VolunteerOverrides> & { givenName: string }): Volunteer =>
    buildVolunteer(em, {
      organisation: careOrg, familyName: `Family-${o.givenName}`, phone: '06-55501234', postcode: '3562BB', skills: ['shopping', 'company'],
      languages: ['Arabic', 'Dutch'], availability: [TUE_MORNING, THU_AFTERNOON], maxMatches: 2, vogIssuedAt: VALID_VOG, active: true, ...o,
    });
  // Ranked: best ≫ continuity-helper ≈ near ≫ partial ≫ far.
  v.best = base({ givenName: 'Best' });
  v.partial = base({ givenName: 'Partial', skills: ['shopping', 'gardening'], languages: ['Dutch'], availability: [TUE_MORNING, SAT_EVENING], postcode: '3563AA' });
  v.far = base({ givenName: 'Far', skills: ['reading'], languages: ['Polish'], availability: [SAT_EVENING], postcode: '3453AA' });
  v.helper = base({ givenName: 'Helper', skills: ['walking'], languages: ['Dutch'], availability: [], maxMatches: 3 });
  v.declinedBefore = base({ givenName: 'Declined', skills: ['company'], languages: ['Turkish'], postcode: '3563AB' });
  // Excluded, each otherwise ideal.
  v.oldVog = base({ givenName: 'OldVog', vogIssuedAt: OLD_VOG });
  v.noVog = base({ givenName: 'NoVog', vogIssuedAt: null });
  v.inactive = base({ givenName: 'Inactive', active: false });
  v.paused = base({ givenName: 'Paused' });
  v.full = base({ givenName: 'Full', maxMatches: 1 });
  v.proposed = base({ givenName: 'Proposed' });
  v.otherOrg = base({ givenName: 'OtherOrg', organisation: otherOrg });
  await em.flush();
  buildVolunteerMatch(em, { request: earlier, volunteer: v.helper, status: MatchStatus.ACTIVE, startedAt: new Date(Date.now() - 20 * 86400000) });
  buildVolunteerMatch(em, { request: elsewhere, volunteer: v.full, status: MatchStatus.ACCEPTED });
  buildVolunteerMatch(em, { request, volunteer: v.proposed, status: MatchStatus.PROPOSED });
  buildVolunteerMatch(em, { request, volunteer: v.declinedBefore, status: MatchStatus.DECLINED });
  await em.flush();

  tokens.ambassador = await hub.tokenFor(ambassador);
  tokens.otherAmbassador = await hub.tokenFor(otherAmbassador);
  tokens.worker = await hub.tokenFor(worker);
  tokens.paused = await hub.tokenFor(v.paused);
  const paused = await hub.gql('mutation { setVolunteerPaused(paused: true) { id paused } }', {}, tokens.paused);
  expect(paused.data?.setVolunteerPaused).toEqual({ id: v.paused.id, paused: true });
});

afterAll(async () => {
  await hub?.stop();
});

async function candidates(first = 50, token = tokens.ambassador): Promise<{ list: Candidate[]; raw: string }> {
  const res = await hub.gql<{ volunteerCandidates: Candidate[] }>(CANDIDATES, { requestId: request.id, first }, token);
  expect(res.errors).toBeUndefined();
  return { list: res.data!.volunteerCandidates, raw: res.raw };
}

describe('volunteerCandidates', () => {
  it('ranks the obvious order and is deterministic', async () => {
    const { list } = await candidates();
    const names = list.map((c) => c.volunteer.givenName);
    expect(names[0]).toBe('Best');
    expect(names.indexOf('Partial')).toBeLessThan(names.indexOf('Far'));
    expect(names.at(-1)).toBe('Far');
    expect(list[0]!.score).toBe(100);
    for (let i = 1; i < list.length; i++) expect(list[i - 1]!.score).toBeGreaterThanOrEqual(list[i]!.score);
    expect((await candidates()).list).toEqual(list);
    expect((await candidates(2)).list.map((c) => c.volunteer.givenName)).toEqual(names.slice(0, 2));
  });

  it('leaves out old or missing VOG, inactive, paused, full, other organisation and already proposed', async () => {
    const ids = new Set((await candidates()).list.map((c) => c.volunteer.id));
    for (const key of ['oldVog', 'noVog', 'inactive', 'paused', 'full', 'otherOrg', 'proposed']) expect(ids.has(v[key]!.id), key).toBe(false);
    for (const key of ['best', 'partial', 'far', 'helper', 'declinedBefore']) expect(ids.has(v[key]!.id), key).toBe(true);
  });

  it('gives reasons that are true for each candidate, and no contact details', async () => {
    const { list, raw } = await candidates();
    const byId = new Map(Object.values(v).map((x) => [x.id, x]));
    const slots = (x: { availability: { day: string; part: string }[] }) => new Set(x.availability.map((s) => slotLabel(s as never)));
    for (const c of list) {
      const vol = byId.get(c.volunteer.id)!;
      const km = distanceKm(request.postcode4, vol.postcode.slice(0, 4));
      expect(c.distanceKm).toBe(km === null ? null : Math.round(km * 10) / 10);
      expect(c.volunteer.skills).toEqual(vol.skills);
      for (const reason of c.reasons) {
        let m: RegExpExecArray | null;
        if ((m = /^helps for (.+)$/.exec(reason))) {
          for (const label of m[1]!.split(', ')) {
            const skill = label.replace(/ /g, '-');
            expect(vol.skills, reason).toContain(skill);
            expect(request.needs, reason).toContain(skill);
          }
        } else if ((m = /^speaks (.+)$/.exec(reason))) {
          for (const l of m[1]!.split(', ')) {
            expect(vol.languages, reason).toContain(l);
            expect(request.languages, reason).toContain(l);
          }
        } else if ((m = /^free (.+)$/.exec(reason))) {
          for (const s of m[1]!.split(', ')) {
            expect(slots(vol).has(s), `${vol.givenName}: ${reason}`).toBe(true);
            expect(slots(request).has(s), reason).toBe(true);
          }
        } else if ((m = /^(\d+\.\d) km$/.exec(reason))) {
          expect(Number(m[1])).toBe(c.distanceKm);
          expect(c.distanceKm!).toBeLessThan(5);
        } else if (reason === 'same postcode area') {
          expect(vol.postcode.slice(0, 4)).toBe(request.postcode4);
        } else if (reason === 'no current matches') {
          expect(c.volunteer.activeMatches).toBe(0);
        } else if ((m = /^(\d+) of (\d+) matches in use$/.exec(reason))) {
          expect(Number(m[1])).toBe(c.volunteer.activeMatches);
          expect(Number(m[2])).toBe(vol.maxMatches);
        } else if (reason === 'already helps this household') {
          const [row] = await hub.em().getConnection().execute(
            `select count(*)::int as n from volunteer_match m join informal_care_request r on r.id = m.request_id join "case" c on c.id = r.case_id
             where m.volunteer_id = ? and m.status = 'ACTIVE' and c.household_id = ?`,
            [vol.id, householdId],
          );
          expect(row.n).toBeGreaterThan(0);
        } else {
          throw new Error(`unexpected reason "${reason}"`);
        }
      }
    }
    const best = list.find((c) => c.volunteer.id === v.best!.id)!;
    expect(best.reasons).toEqual(['helps for shopping, company', 'speaks Arabic', 'free Tuesday mornings, Thursday afternoons', 'same postcode area', 'no current matches']);
    const helper = list.find((c) => c.volunteer.id === v.helper!.id)!;
    expect(helper.reasons).toContain('already helps this household');
    expect(helper.reasons).toContain('1 of 3 matches in use');
    expect(list.find((c) => c.volunteer.id === v.far!.id)!.reasons).toEqual(['no current matches']);
    for (const x of Object.values(v)) {
      expect(raw).not.toContain(x.familyName);
      expect(raw).not.toContain(x.email);
      expect(raw).not.toContain(x.postcode);
    }
    expect(raw).not.toContain('06-55501234');
    expect(raw).not.toContain('SECRET-NOTE');
  });

  it('proposeMatch refuses each excluded volunteer, saying why', async () => {
    const propose = (id: string) => hub.gql(PROPOSE, { r: request.id, v: id }, tokens.ambassador);
    const expectations: Array<[string, string, RegExp]> = [
      ['oldVog', 'BAD_USER_INPUT', /VOG is older than three years/],
      ['noVog', 'BAD_USER_INPUT', /no VOG/],
      ['inactive', 'CONFLICT', /no longer active/],
      ['paused', 'CONFLICT', /paused/],
      ['full', 'CONFLICT', /at capacity/],
      ['proposed', 'CONFLICT', /already has a live proposal/],
      ['otherOrg', 'NOT_FOUND', /Volunteer not found/],
    ];
    for (const [key, code, message] of expectations) {
      const res = await propose(v[key]!.id);
      expect(res.errors?.[0]?.extensions?.code, key).toBe(code);
      expect(res.errors?.[0]?.message, key).toMatch(message);
      expect(res.raw).not.toContain(v[key]!.familyName);
    }
    const ok = await propose(v.best!.id);
    expect(ok.data?.proposeMatch).toMatchObject({ status: 'PROPOSED', task: 'Wekelijks samen boodschappen doen; Eens per week op de koffie en een praatje' });
    // Now proposed: no longer a candidate, and a second proposal conflicts.
    expect((await candidates()).list.some((c) => c.volunteer.id === v.best!.id)).toBe(false);
    expect((await propose(v.best!.id)).errors?.[0]?.extensions?.code).toBe('CONFLICT');
    // Resuming makes the paused volunteer a candidate again.
    await hub.gql('mutation { setVolunteerPaused(paused: false) { id } }', {}, tokens.paused);
    expect((await candidates()).list.some((c) => c.volunteer.id === v.paused!.id)).toBe(true);
  });

  it("another team's ambassador, a worker and a bad id get nothing", async () => {
    const other = await hub.gql(CANDIDATES, { requestId: request.id }, tokens.otherAmbassador);
    expect(other.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(other.data?.volunteerCandidates ?? null).toBeNull();
    expect(other.raw).not.toContain('Best');
    const worker = await hub.gql(CANDIDATES, { requestId: request.id }, tokens.worker);
    expect(worker.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    const bad = await hub.gql(CANDIDATES, { requestId: 'nope' }, tokens.ambassador);
    expect(bad.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    const tooMany = await hub.gql(CANDIDATES, { requestId: request.id, first: 500 }, tokens.ambassador);
    expect(tooMany.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });
});

describe('volunteerCandidates SQL statements', () => {
  it('are the same for 10 and for 200 volunteers', async () => {
    const em = hub.em();
    const team = buildTeam(em, { postcodes: ['3511'] });
    const org = buildOrganisation(em, { kind: OrganisationKind.INFORMAL_CARE });
    const amb = buildStaff(em, { role: Role.AMBASSADOR, teams: [team], organisation: org });
    const worker = buildStaff(em, { role: Role.TEAM_WORKER, teams: [team] });
    const h = buildHousehold(em, { team, postcode: '3511AA', members: 1 });
    const c = buildCase(em, { household: h.household, status: CaseStatus.ACTIVE, coordinator: worker });
    const req = buildInformalCareRequest(em, { case: c, requestedBy: worker, needs: ['shopping'], languages: ['Dutch'] });
    const add = async (n: number) => {
      for (let i = 0; i < n; i++) buildVolunteer(em, { organisation: org, areas: ['3511', '3512', '3513'], vogIssuedAt: VALID_VOG, maxMatches: 3 });
      await em.flush();
    };
    await add(10);
    const token = await hub.tokenFor(amb);
    const counter = countSql(hub.db.orm);
    try {
      const measure = async () => {
        counter.reset();
        const res = await hub.gql<{ volunteerCandidates: Candidate[] }>(CANDIDATES, { requestId: req.id, first: 50 }, token);
        expect(res.errors).toBeUndefined();
        return { statements: counter.count, returned: res.data!.volunteerCandidates.length };
      };
      const ten = await measure();
      expect(ten.returned).toBe(10);
      await add(190);
      const twoHundred = await measure();
      expect(twoHundred.returned).toBe(50);
      expect(twoHundred.statements).toBe(ten.statements);
      // Viewer (staff + teams + organisation), request, candidates, audit flush.
      expect(ten.statements).toBeGreaterThanOrEqual(3);
      expect(ten.statements).toBeLessThanOrEqual(6);
      expect(counter.statements.filter((q) => /from volunteer v cross join req/.test(q))).toHaveLength(1);
    } finally {
      counter.stop();
    }
  });
});
