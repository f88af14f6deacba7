/** The demo seed: complete, consistent, idempotent and deterministic. */
import type { EntityManager } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { DEMO_ADMIN_EMAIL, DEMO_ANALYST_EMAIL, DEMO_FLEX_EMAIL, demoEmails, loadTeamsReference, seedDemo } from '../../seeds/demo.js';
import { buildCase, buildHousehold, buildTeam, buildZrm, ZRM_DOMAINS } from '../../seeds/factories.js';
import { Rng } from '../../seeds/random.js';
import { CaseStatus, Role, ZrmVersion } from '../../src/modules/common/enums.js';
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
            (select count(*) from zrm_assessment) as zrm, (select count(*) from referral) as referral`,
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
         (select max(birth_date)::timestamptz from resident)) as at`,
    );
    expect(new Date(latest!.at).getTime()).toBeLessThan(NOW.getTime());
    const misplaced = await rows(
      em,
      `select h.id from household h join team t on t.id = h.team_id where h.postcode !~ '^[0-9]{4}[A-Z]{2}$' or not (left(h.postcode, 4) = any(t.postcodes))`,
    );
    expect(misplaced).toEqual([]);
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
    await fork.flush();
  });
});
