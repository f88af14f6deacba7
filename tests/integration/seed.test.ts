/** The demo seed: complete, consistent, idempotent and deterministic. */
import type { EntityManager } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import {
  ambassadorOrganisationCode,
  DEMO_ADMIN_EMAIL,
  DEMO_ANALYST_EMAIL,
  DEMO_FLEX_EMAIL,
  DEMO_FLEX_TEAM,
  DEMO_VOLUNTEERS,
  demoEmails,
  informalCareOrganisationCodes,
  loadTeamsReference,
  seedDemo,
} from '../../seeds/demo.js';
import {
  buildCase,
  buildHousehold,
  buildInformalCareRequest,
  buildMatchCheckIn,
  buildOrganisation,
  buildStaff,
  buildTeam,
  buildVolunteer,
  buildVolunteerMatch,
  buildZrm,
  ZRM_DOMAINS,
} from '../../seeds/factories.js';
import { Rng } from '../../seeds/random.js';
import { CaseStatus, MatchStatus, OrganisationKind, Role, ZrmVersion } from '../../src/modules/common/enums.js';
import { LANGUAGES, SKILLS } from '../../src/modules/informal-care/vocabulary.js';
import { Staff } from '../../src/modules/staff/staff.entity.js';

const BSN_KEY = 'seed-test-bsn-key-0123456789abcdef0123456789abcdef';
const NOW = new Date('2026-06-15T00:00:00Z');

async function rows<T>(em: EntityManager, sql: string, params: unknown[] = []): Promise<T[]> {
  return em.getConnection().execute<T[]>(sql, params);
}

async function counts(em: EntityManager): Promise<Record<string, number>> {
  const [r] = await rows<Record<string, string>>(
    em,
    `select (select count(*) from team) as team, (select count(*) from staff) as staff,
            (select count(*) from organisation) as organisation, (select count(*) from household) as household,
            (select count(*) from resident) as resident, (select count(*) from "case") as "case",
            (select count(*) from zrm_assessment) as zrm, (select count(*) from referral) as referral,
            (select count(*) from consent) as consent, (select count(*) from volunteer) as volunteer,
            (select count(*) from informal_care_request) as informal_care_request, (select count(*) from case_discussion) as case_discussion,
            (select count(*) from volunteer_match) as volunteer_match, (select count(*) from match_check_in) as match_check_in,
            (select count(*) from flex_assignment) as flex_assignment`,
  );
  return Object.fromEntries(Object.entries(r!).map(([k, v]) => [k, Number(v)]));
}

describe('demo seed', () => {
  let db: TestDatabase;
  let em: EntityManager;
  let first: { created: boolean };
  let second: { created: boolean };
  let before: Record<string, number>;
  let after: Record<string, number>;

  beforeAll(async () => {
    db = await createTestDatabase();
    em = db.orm.em.fork();
    first = await seedDemo(db.orm.em.fork(), { bsnKey: BSN_KEY, now: NOW });
    before = await counts(em);
    second = await seedDemo(db.orm.em.fork(), { bsnKey: BSN_KEY, now: NOW });
    after = await counts(em);
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('is idempotent: the second run changes nothing', () => {
    expect(first).toEqual({ created: true });
    expect(second).toEqual({ created: false });
    expect(after).toEqual(before);
    expect(before.household).toBeGreaterThanOrEqual(140);
  });

  it('creates the 18 social teams and the flex team', async () => {
    const teams = await rows<{ code: string; is_flex: boolean; kind: string; postcodes: string[] }>(em, 'select code, is_flex, kind, postcodes from team');
    expect(teams).toHaveLength(19);
    const ref = loadTeamsReference();
    expect(teams.map((t) => t.code).sort()).toEqual([...ref.teams.map((t) => t.code), ref.flexTeam.code].sort());
    const flex = teams.filter((t) => t.is_flex);
    expect(flex).toHaveLength(1);
    expect(flex[0]!.postcodes).toEqual([]);
    expect(teams.filter((t) => !t.is_flex).every((t) => t.kind === 'SOCIAL' && t.postcodes.length > 0)).toBe(true);
  });

  it('creates the well-known accounts and organisations', async () => {
    const fork = db.orm.em.fork();
    const admin = await fork.findOneOrFail(Staff, { email: DEMO_ADMIN_EMAIL });
    expect(admin.role).toBe(Role.ADMIN);
    const analyst = await fork.findOneOrFail(Staff, { email: DEMO_ANALYST_EMAIL }, { populate: ['organisation'] });
    expect(analyst.role).toBe(Role.ANALYST);
    expect(analyst.organisation?.code).toBe('gemeente-utrecht');
    const flex = await fork.findOneOrFail(Staff, { email: DEMO_FLEX_EMAIL }, { populate: ['teams'] });
    expect(flex.role).toBe(Role.FLEX_WORKER);
    expect(flex.teams.getItems().map((t) => t.code)).toEqual(['flex']);

    const orgs = await rows<{ code: string; kind: string; agb_code: string | null }>(em, 'select code, kind, agb_code from organisation');
    const byCode = new Map(orgs.map((o) => [o.code, o]));
    for (const code of ['al-amal', 'handje-helpen', 'stichting-present', 'u-centraal']) expect(byCode.get(code)?.kind).toBe('INFORMAL_CARE');
    expect(byCode.get('gemeente-utrecht')?.kind).toBe('MUNICIPALITY');
    for (const code of ['gp-de-linde', 'gp-overvecht', 'gp-lombok']) {
      expect(byCode.get(code)?.kind).toBe('GP_PRACTICE');
      expect(byCode.get(code)?.agb_code).toMatch(/^\d{8}$/);
    }
    for (const code of ['corp-mitros', 'corp-portaal']) expect(byCode.get(code)?.kind).toBe('HOUSING_CORPORATION');
    expect(orgs.filter((o) => o.kind === 'CARE_PROVIDER')).toHaveLength(2);
  });

  it('gives every social team a lead and two workers', async () => {
    const members = await rows<{ code: string; email: string; role: string }>(
      em,
      `select t.code, s.email, s.role from team t join staff_team st on st.team_id = t.id join staff s on s.id = st.staff_id where not t.is_flex`,
    );
    for (const t of loadTeamsReference().teams) {
      const mine = members.filter((m) => m.code === t.code);
      expect(mine.filter((m) => m.role === 'TEAM_LEAD').map((m) => m.email)).toEqual([demoEmails.lead(t.code)]);
      expect(mine.filter((m) => m.role === 'TEAM_WORKER').map((m) => m.email).sort()).toEqual([demoEmails.worker(t.code, 1), demoEmails.worker(t.code, 2)]);
    }
  });

  it('has cases in all four states, coherent with their state', async () => {
    const perStatus = await rows<{ status: string; n: string }>(em, 'select status, count(*) as n from "case" group by status');
    expect(perStatus.map((r) => r.status).sort()).toEqual(['ACTIVE', 'CLOSED', 'INTAKE', 'REGISTERED']);
    const incoherent = await rows(
      em,
      `select id, status from "case" where
         (status = 'REGISTERED' and (first_contact_at is not null or started_at is not null or closed_at is not null))
      or (status = 'INTAKE' and (first_contact_at is null or started_at is not null or closed_at is not null))
      or (status = 'ACTIVE' and (started_at is null or closed_at is not null or closure_reason is not null))
      or (status = 'CLOSED' and (closed_at is null or closure_reason is null))
      or (started_at is null and (client_rating is not null or self_reliant_after is not null))
      or first_contact_at < registered_at or started_at < coalesce(first_contact_at, registered_at)
      or closed_at < coalesce(started_at, first_contact_at, registered_at)`,
    );
    expect(incoherent).toEqual([]);
    const [early] = await rows<{ n: string }>(em, `select count(*) as n from "case" where status = 'CLOSED' and started_at is null`);
    expect(Number(early!.n)).toBeGreaterThan(0);
  });

  it('never gives a household two open cases', async () => {
    const doubles = await rows(em, `select household_id from "case" where status <> 'CLOSED' group by household_id having count(*) > 1`);
    expect(doubles).toEqual([]);
  });

  it('gives every ZRM assessment exactly the domains of its version, scored 1–5', async () => {
    const all = await rows<{ version: ZrmVersion; scores: Array<{ domain: string; score: number }> }>(em, 'select version, scores from zrm_assessment');
    expect(all.length).toBeGreaterThan(0);
    for (const a of all) {
      expect(a.scores.map((s) => s.domain)).toEqual([...ZRM_DOMAINS[a.version]]);
      for (const s of a.scores) expect(s.score >= 1 && s.score <= 5 && Number.isInteger(s.score)).toBe(true);
    }
  });

  it('puts every date in the past and every address in its team\'s postcode area', async () => {
    const [latest] = await rows<{ at: Date }>(
      em,
      `select greatest(
         (select max(greatest(registered_at, first_contact_at, started_at, closed_at)) from "case"),
         (select max(created_at) from case_note), (select max(assessed_at) from zrm_assessment),
         (select max(received_at) from referral), (select max(greatest(granted_at, revoked_at)) from consent),
         (select max(greatest(received_at, resolved_at)) from feedback),
         (select max(birth_date)::timestamptz from resident),
         (select max(greatest(created_at, vog_issued_at::timestamptz)) from volunteer),
         (select max(created_at) from informal_care_request), (select max(discussed_at) from case_discussion),
         (select max(greatest(proposed_at, responded_at, started_at, ended_at)) from volunteer_match),
         (select max(at) from match_check_in), (select max(created_at) from flex_assignment)) as at`,
    );
    expect(new Date(latest!.at).getTime()).toBeLessThan(NOW.getTime());
    const misplaced = await rows(
      em,
      `select h.id from household h join team t on t.id = h.team_id where h.postcode !~ '^[0-9]{4}[A-Z]{2}$' or not (left(h.postcode, 4) = any(t.postcodes))`,
    );
    expect(misplaced).toEqual([]);
    const languages = await rows<{ languages: string[] }>(em, 'select distinct unnest(languages) as languages from resident');
    expect(languages.length).toBeGreaterThan(1);
    for (const l of languages) expect(LANGUAGES).toContain(l.languages);
  });

  it('links GP referrals to a household and case and leaves arrears signals unmatched', async () => {
    const refs = await rows<{ kind: string; status: string; household_id: string | null; case_id: string | null; arrears_amount: string | null }>(
      em,
      'select kind, status, household_id, case_id, arrears_amount from referral',
    );
    const gp = refs.filter((r) => r.kind === 'GP_REFERRAL');
    const arrears = refs.filter((r) => r.kind === 'ARREARS_SIGNAL');
    expect(gp.length).toBeGreaterThanOrEqual(18);
    expect(gp.every((r) => r.household_id && r.case_id && ['TRIAGED', 'IN_CARE'].includes(r.status))).toBe(true);
    expect(arrears.length).toBeGreaterThanOrEqual(18);
    expect(arrears.every((r) => !r.household_id && r.status === 'RECEIVED' && /^\d+\.\d{2}$/.test(r.arrears_amount ?? ''))).toBe(true);
  });

  it('gives every social team one ambassador of an informal-care organisation, round-robin', async () => {
    const ambassadors = await rows<{ email: string; role: string; org: string; org_kind: string; teams: string[] }>(
      em,
      `select s.email, s.role, o.code as org, o.kind as org_kind, array_agg(t.code order by t.code) as teams
         from staff s join organisation o on o.id = s.organisation_id join staff_team st on st.staff_id = s.id join team t on t.id = st.team_id
        where s.role = 'AMBASSADOR' group by s.email, s.role, o.code, o.kind`,
    );
    const ref = loadTeamsReference();
    expect(ambassadors).toHaveLength(ref.teams.length);
    ref.teams.forEach((t, i) => {
      const a = ambassadors.find((x) => x.email === demoEmails.ambassador(t.code));
      expect(a, t.code).toBeDefined();
      expect(a!.teams).toEqual([t.code]);
      expect(a!.org).toBe(ambassadorOrganisationCode(i, ref));
      expect(a!.org_kind).toBe(OrganisationKind.INFORMAL_CARE);
    });
    expect(new Set(ambassadors.map((a) => a.org))).toEqual(new Set(informalCareOrganisationCodes(ref)));
  });

  it('creates 50 varied volunteers across the four informal-care organisations', async () => {
    const volunteers = await rows<{
      email: string; org: string; kind: string; postcode: string; skills: string[]; languages: string[];
      availability: Array<{ day: string; part: string }>; max_matches: number; vog_issued_at: string | null; active: boolean;
    }>(
      em,
      `select v.email, o.code as org, o.kind, v.postcode, v.skills, v.languages, v.availability, v.max_matches,
              to_char(v.vog_issued_at, 'YYYY-MM-DD') as vog_issued_at, v.active
         from volunteer v join organisation o on o.id = v.organisation_id`,
    );
    expect(volunteers).toHaveLength(DEMO_VOLUNTEERS);
    expect(volunteers.map((v) => v.email).sort()).toEqual(Array.from({ length: DEMO_VOLUNTEERS }, (_, i) => demoEmails.volunteer(i + 1)).sort());
    const ref = loadTeamsReference();
    const areas = new Set(ref.teams.flatMap((t) => t.postcodes));
    for (const v of volunteers) {
      expect(v.kind).toBe('INFORMAL_CARE');
      expect(v.postcode).toMatch(/^\d{4}[A-Z]{2}$/);
      expect(areas.has(v.postcode.slice(0, 4))).toBe(true);
      expect(v.skills.length).toBeGreaterThan(0);
      for (const x of v.skills) expect(SKILLS).toContain(x);
      expect(v.languages.length).toBeGreaterThan(0);
      for (const l of v.languages) expect(LANGUAGES).toContain(l);
      expect(v.availability.length).toBeGreaterThan(0);
      expect(v.max_matches >= 1 && v.max_matches <= 3).toBe(true);
    }
    const perOrg = new Map<string, number>();
    for (const v of volunteers) perOrg.set(v.org, (perOrg.get(v.org) ?? 0) + 1);
    expect([...perOrg.keys()].sort()).toEqual(informalCareOrganisationCodes(ref).sort());
    expect(Math.min(...perOrg.values())).toBeGreaterThanOrEqual(10);
    const threeYearsAgo = new Date(NOW.getTime() - 3 * 365 * 86_400_000).toISOString().slice(0, 10);
    const recent = volunteers.filter((v) => v.vog_issued_at && v.vog_issued_at >= threeYearsAgo);
    expect(recent.length).toBeGreaterThanOrEqual(40);
    expect(recent.length).toBeLessThan(DEMO_VOLUNTEERS);
    expect(volunteers.filter((v) => !v.active).length).toBeGreaterThan(0);
    expect(volunteers.filter((v) => !v.active).length).toBeLessThanOrEqual(5);
    expect(new Set(volunteers.flatMap((v) => v.languages)).size).toBeGreaterThanOrEqual(6);
    expect(new Set(volunteers.flatMap((v) => v.skills)).size).toBeGreaterThanOrEqual(12);
  });

  it('puts informal-care requests on ACTIVE cases, pseudonymised by postcode area, 1–3 per team', async () => {
    const requests = await rows<{ team: string; case_status: string; case_team: string; postcode4: string; postcode: string; in_household: boolean; needs: string[]; languages: string[] }>(
      em,
      `select t.code as team, c.status as case_status, ct.code as case_team, r.postcode4, h.postcode,
              (res.household_id = h.id) as in_household, r.needs, r.languages
         from informal_care_request r join team t on t.id = r.team_id join "case" c on c.id = r.case_id join team ct on ct.id = c.team_id
         join household h on h.id = c.household_id left join resident res on res.id = r.resident_id`,
    );
    for (const r of requests) {
      expect(r.case_status).toBe('ACTIVE');
      expect(r.case_team).toBe(r.team);
      expect(r.postcode4).toBe(r.postcode.slice(0, 4));
      expect(r.in_household).toBe(true);
      for (const n of r.needs) expect(SKILLS).toContain(n);
      for (const l of r.languages) expect(LANGUAGES).toContain(l);
    }
    for (const t of loadTeamsReference().teams) {
      const n = requests.filter((r) => r.team === t.code).length;
      expect(n >= 1 && n <= 3, t.code).toBe(true);
    }
    const discussions = await rows<{ team: string; possible: boolean; ambassador: string; same_team: boolean }>(
      em,
      `select t.code as team, d.informal_care_possible as possible, s.email as ambassador, (c.team_id = d.team_id) as same_team
         from case_discussion d join team t on t.id = d.team_id join staff s on s.id = d.ambassador_id join "case" c on c.id = d.case_id`,
    );
    for (const d of discussions) {
      expect(d.ambassador).toBe(demoEmails.ambassador(d.team));
      expect(d.same_team).toBe(true);
    }
    for (const t of loadTeamsReference().teams) {
      const n = discussions.filter((d) => d.team === t.code).length;
      expect(n >= 1 && n <= 2, t.code).toBe(true);
    }
    expect(new Set(discussions.map((d) => d.possible))).toEqual(new Set([true, false]));
  });

  it('matches volunteers only within the team ambassador\'s organisation, with coherent dates', async () => {
    const matches = await rows<{
      status: string; request_id: string; volunteer_id: string; volunteer_org: string; ambassador_org: string; same_team: boolean;
      request_created: Date; proposed_at: Date; responded_at: Date | null; started_at: Date | null; ended_at: Date | null;
      active: boolean; vog: string | null; max_matches: number; request_status: string; proposed_by: string | null; team: string;
    }>(
      em,
      `select m.status, m.request_id, m.volunteer_id, v.organisation_id as volunteer_org, a.organisation_id as ambassador_org,
              (m.team_id = r.team_id) as same_team, r.created_at as request_created, m.proposed_at, m.responded_at, m.started_at, m.ended_at,
              v.active, to_char(v.vog_issued_at, 'YYYY-MM-DD') as vog, v.max_matches, r.status as request_status, p.email as proposed_by, t.code as team
         from volunteer_match m join volunteer v on v.id = m.volunteer_id join informal_care_request r on r.id = m.request_id
         join team t on t.id = m.team_id
         join staff_team st on st.team_id = m.team_id join staff a on a.id = st.staff_id and a.role = 'AMBASSADOR'
         left join staff p on p.id = m.proposed_by_id`,
    );
    expect(new Set(matches.map((m) => m.status))).toEqual(new Set(Object.values(MatchStatus)));
    expect(matches.filter((m) => m.status === 'ACTIVE').length).toBeGreaterThanOrEqual(4);
    expect(matches.filter((m) => m.status === 'ENDED')).toHaveLength(1);
    expect(matches.filter((m) => m.status === 'DECLINED')).toHaveLength(1);
    const live = new Set(['PROPOSED', 'ACCEPTED', 'ACTIVE']);
    const threeYearsAgo = new Date(NOW.getTime() - 3 * 365 * 86_400_000).toISOString().slice(0, 10);
    const perPair = new Map<string, number>();
    const perVolunteer = new Map<string, number>();
    const t = (d: Date | null) => (d ? new Date(d).getTime() : null);
    for (const m of matches) {
      expect(m.volunteer_org).toBe(m.ambassador_org);
      expect(m.same_team).toBe(true);
      expect(m.proposed_by).toBe(demoEmails.ambassador(m.team));
      expect(t(m.proposed_at)!).toBeGreaterThanOrEqual(t(m.request_created)!);
      expect(m.responded_at === null).toBe(m.status === 'PROPOSED');
      expect(m.started_at !== null).toBe(m.status === 'ACTIVE' || m.status === 'ENDED');
      expect(m.ended_at !== null).toBe(m.status === 'ENDED');
      if (m.responded_at) expect(t(m.responded_at)!).toBeGreaterThanOrEqual(t(m.proposed_at)!);
      if (m.started_at) expect(t(m.started_at)!).toBeGreaterThanOrEqual(t(m.responded_at)!);
      if (m.ended_at) expect(t(m.ended_at)!).toBeGreaterThanOrEqual(t(m.started_at)!);
      if (m.status === 'ACTIVE') {
        const days = (NOW.getTime() - t(m.started_at)!) / 86_400_000;
        expect(days >= 14 && days <= 160, `started ${days} days ago`).toBe(true);
        expect(m.request_status).toBe('MATCHED');
      }
      if (live.has(m.status)) {
        const pair = `${m.request_id}:${m.volunteer_id}`;
        perPair.set(pair, (perPair.get(pair) ?? 0) + 1);
        perVolunteer.set(m.volunteer_id, (perVolunteer.get(m.volunteer_id) ?? 0) + 1);
        expect(m.active).toBe(true);
        expect(m.vog! >= threeYearsAgo).toBe(true);
        expect(perVolunteer.get(m.volunteer_id)!).toBeLessThanOrEqual(m.max_matches);
      }
    }
    expect([...perPair.values()].every((n) => n === 1)).toBe(true);
    const checkIns = await rows<{ at: Date; started_at: Date; status: string }>(
      em,
      'select c.at, m.started_at, m.status from match_check_in c join volunteer_match m on m.id = c.match_id',
    );
    expect(checkIns.length).toBeGreaterThan(0);
    for (const c of checkIns) {
      expect(['ACTIVE', 'ENDED']).toContain(c.status);
      expect(t(c.at)!).toBeGreaterThanOrEqual(t(c.started_at)!);
    }
  });

  it('gives volunteer1 an ACTIVE and a PROPOSED match', async () => {
    const mine = await rows<{ status: string }>(
      em,
      `select m.status from volunteer_match m join volunteer v on v.id = m.volunteer_id where v.email = ?`,
      [demoEmails.volunteer(1)],
    );
    expect(mine.map((m) => m.status).sort()).toEqual(['ACTIVE', 'PROPOSED']);
  });

  it('assigns flex1 to an ACTIVE case of overvecht-noord for three months', async () => {
    const assignments = await rows<{ until: string; status: string; team: string; assigned_by: string }>(
      em,
      `select to_char(f.until, 'YYYY-MM-DD') as until, c.status, t.code as team, a.email as assigned_by
         from flex_assignment f join staff s on s.id = f.staff_id join "case" c on c.id = f.case_id join team t on t.id = c.team_id
         join staff a on a.id = f.assigned_by_id where s.email = ?`,
      [DEMO_FLEX_EMAIL],
    );
    expect(assignments).toEqual([{ until: '2026-09-15', status: 'ACTIVE', team: DEMO_FLEX_TEAM, assigned_by: demoEmails.lead(DEMO_FLEX_TEAM) }]);
  });

  it('gives gp-de-linde referrals with and without the GP_TANDEM consent of their resident', async () => {
    const refs = await rows<{ case_status: string; has_coordinator: boolean; consent: boolean; resident: string | null; subject: string; given: string }>(
      em,
      `select c.status as case_status, c.coordinator_id is not null as has_coordinator, r.resident_id as resident,
              r.subject_given_name as subject, res.given_name as given,
              exists(select 1 from consent k where k.resident_id = r.resident_id and k.recipient_id = r.from_id
                       and k.purpose = 'GP_TANDEM' and k.revoked_at is null) as consent
         from referral r join organisation o on o.id = r.from_id join "case" c on c.id = r.case_id
         left join resident res on res.id = r.resident_id where o.code = 'gp-de-linde'`,
    );
    expect(refs.every((r) => r.resident !== null && r.subject === r.given)).toBe(true);
    expect(refs.some((r) => r.consent && r.case_status === 'ACTIVE' && r.has_coordinator)).toBe(true);
    expect(refs.some((r) => !r.consent)).toBe(true);
  });

  it('is deterministic: a second database gets the same data', async () => {
    const other = await createTestDatabase();
    try {
      await seedDemo(other.orm.em.fork(), { bsnKey: BSN_KEY, now: NOW });
      const fingerprint = (e: EntityManager) =>
        rows(
          e,
          `select h.street, h.house_number, h.postcode, r.given_name, r.family_name, r.birth_date, r.bsn_last4, c.status, c.registered_at, c.closed_at
             from household h join resident r on r.household_id = h.id left join "case" c on c.household_id = h.id
            order by 1, 2, 3, 4, 5, 6, 9`,
        );
      expect(await fingerprint(other.orm.em.fork())).toEqual(await fingerprint(em));
      const informalCare = (e: EntityManager) =>
        rows(
          e,
          `select v.email, v.given_name, v.family_name, v.postcode, v.skills, v.languages, v.availability, v.max_matches, v.vog_issued_at, v.active,
                  m.status, m.task, m.proposed_at, m.responded_at, m.started_at, m.ended_at, r.needs, r.postcode4, r.created_at
             from volunteer v left join volunteer_match m on m.volunteer_id = v.id left join informal_care_request r on r.id = m.request_id
            order by v.email, m.proposed_at`,
        );
      expect(await informalCare(other.orm.em.fork())).toEqual(await informalCare(em));
      expect(await counts(other.orm.em.fork())).toEqual(before);
    } finally {
      await other.drop();
    }
  });

  it('factories build a coherent case for every status', async () => {
    const fork = db.orm.em.fork();
    const rng = new Rng('factory-test');
    const team = buildTeam(fork, { postcodes: ['3999'] });
    for (const status of Object.values(CaseStatus)) {
      const { household, head } = buildHousehold(fork, { team, rng, bsnKey: BSN_KEY, members: 2 });
      const c = buildCase(fork, { household, status, rng });
      expect(c.status).toBe(status);
      expect(c.team).toBe(team);
      if (status === CaseStatus.REGISTERED) expect(c.firstContactAt).toBeNull();
      if (status === CaseStatus.INTAKE || status === CaseStatus.ACTIVE) expect(c.firstContactAt).toBeInstanceOf(Date);
      if (status === CaseStatus.ACTIVE) expect(c.startedAt).toBeInstanceOf(Date);
      if (status === CaseStatus.CLOSED) expect(c.closedAt!.getTime()).toBeLessThan(Date.now());
      if (c.startedAt) {
        const z = buildZrm(fork, { case: c, version: ZrmVersion.ZRM_2015, resident: head, rng });
        expect(z.scores.map((s) => s.domain)).toEqual([...ZRM_DOMAINS[ZrmVersion.ZRM_2015]]);
      }
    }
    const closedEarly = buildCase(fork, { household: buildHousehold(fork, { team, rng }).household, status: CaseStatus.CLOSED, closedEarly: true, rng });
    expect(closedEarly.startedAt).toBeNull();
    expect(closedEarly.closureReason).not.toBeNull();
    expect(() => buildZrm(fork, { case: closedEarly, version: ZrmVersion.ZRM_2015, scores: { FINANCES: 3 } })).toThrow(/not a domain/);

    // Informal care: a match has the dates of its status.
    const organisation = buildOrganisation(fork, { kind: OrganisationKind.INFORMAL_CARE });
    const worker = buildStaff(fork, { teams: [team], rng });
    const { household, head } = buildHousehold(fork, { team, rng, bsnKey: BSN_KEY });
    const active = buildCase(fork, { household, status: CaseStatus.ACTIVE, rng });
    const request = buildInformalCareRequest(fork, { case: active, resident: head, requestedBy: worker, rng });
    expect(request.postcode4).toBe(household.postcode.slice(0, 4));
    const volunteer = buildVolunteer(fork, { organisation, rng, areas: ['3999'] });
    expect(volunteer.postcode.startsWith('3999')).toBe(true);
    for (const status of Object.values(MatchStatus)) {
      const m = buildVolunteerMatch(fork, { request, volunteer: status === MatchStatus.DECLINED ? volunteer : buildVolunteer(fork, { organisation, rng }), status, rng });
      expect(m.proposedAt.getTime()).toBeGreaterThanOrEqual(request.createdAt.getTime());
      expect(m.respondedAt == null).toBe(status === MatchStatus.PROPOSED);
      expect(m.startedAt != null).toBe(status === MatchStatus.ACTIVE || status === MatchStatus.ENDED);
      expect(m.endedAt != null).toBe(status === MatchStatus.ENDED);
      if (m.startedAt) {
        expect(m.startedAt.getTime()).toBeGreaterThanOrEqual(m.respondedAt!.getTime());
        const c = buildMatchCheckIn(fork, { match: m, recordedBy: worker, rng });
        expect(c.at.getTime()).toBeGreaterThanOrEqual(m.startedAt.getTime());
      }
    }
    await fork.flush();
  });
});
