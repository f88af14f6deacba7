/**
 * The demo seed: the 18 social teams and the flex team of data/teams.json, their staff,
 * partner organisations and ~150 households with cases in every state of the lifecycle.
 *
 * Deterministic: all randomness comes from seeded generators (one stream per team, so
 * a change in one team does not shift another), and all dates are relative to the start
 * of the current UTC day (or `opts.now`), so they always lie in the past.
 * Idempotent: when `admin@voordeur.test` exists nothing is written; reference data
 * (teams, organisations, staff) is found by code/email before it is created.
 * Atomic: everything is written in one transaction, guarded by an advisory lock so two
 * processes starting at once do not both seed.
 */
import { readFileSync } from 'node:fs';
import type { EntityManager } from '@mikro-orm/postgresql';
import { CaseStatus, ConsentPurpose, OrganisationKind, ReferralKind, ReferralSource, ReferralStatus, Role, TeamKind, ZrmKind, ZrmVersion } from '../src/modules/common/enums.js';
import { Team } from '../src/modules/team/team.entity.js';
import { Organisation } from '../src/modules/organisation/organisation.entity.js';
import { Staff } from '../src/modules/staff/staff.entity.js';
import type { Case } from '../src/modules/case/case.entity.js';
import type { Resident } from '../src/modules/household/resident.entity.js';
import {
  buildCareAllocation,
  buildCase,
  buildConsent,
  buildFeedback,
  buildGoal,
  buildHousehold,
  buildNote,
  buildOrganisation,
  buildReferral,
  buildStaff,
  buildTeam,
  buildWorkerChangeRequest,
  buildZrm,
  caseWindow,
  defaultBsnKey,
  mobilePhone,
  slugify,
  staffName,
  ZRM_DOMAINS,
} from './factories.js';
import { addDays, DAY_MS, daysBetween, Rng } from './random.js';

export const DEMO_ADMIN_EMAIL = 'admin@voordeur.test';
export const DEMO_ANALYST_EMAIL = 'analyst@voordeur.test';
export const DEMO_FLEX_EMAIL = 'flex1@voordeur.test';
export const DEMO_HOUSEHOLDS_PER_TEAM = 8;
const SEED = 20150401;
const LOCK_KEY = 'voordeur:demo-seed';

export interface TeamReference {
  code: string;
  name: string;
  district: string | null;
  postcodes: string[];
}

export interface TeamsReference {
  teams: TeamReference[];
  flexTeam: TeamReference;
  informalCareOrganisations: string[];
}

/** data/teams.json: the 18 social teams, the flex team and the informal-care organisations. */
export function loadTeamsReference(): TeamsReference {
  return JSON.parse(readFileSync(new URL('../data/teams.json', import.meta.url), 'utf8')) as TeamsReference;
}

export const demoEmails = {
  lead: (teamCode: string) => `lead.${teamCode}@voordeur.test`,
  worker: (teamCode: string, n: 1 | 2) => `worker${n}.${teamCode}@voordeur.test`,
};

interface OrgSpec {
  code: string;
  name: string;
  kind: OrganisationKind;
  agbCode?: string;
}

function organisationSpecs(ref: TeamsReference): OrgSpec[] {
  return [
    ...ref.informalCareOrganisations.map((name) => ({ code: slugify(name), name, kind: OrganisationKind.INFORMAL_CARE })),
    { code: 'gemeente-utrecht', name: 'Gemeente Utrecht', kind: OrganisationKind.MUNICIPALITY },
    { code: 'gp-de-linde', name: 'Huisartsenpraktijk De Linde', kind: OrganisationKind.GP_PRACTICE, agbCode: '01051234' },
    { code: 'gp-overvecht', name: 'Gezondheidscentrum Overvecht', kind: OrganisationKind.GP_PRACTICE, agbCode: '01057788' },
    { code: 'gp-lombok', name: 'Huisartsenpraktijk Lombok', kind: OrganisationKind.GP_PRACTICE, agbCode: '01053390' },
    { code: 'corp-mitros', name: 'Mitros', kind: OrganisationKind.HOUSING_CORPORATION },
    { code: 'corp-portaal', name: 'Portaal', kind: OrganisationKind.HOUSING_CORPORATION },
    { code: 'care-altrecht', name: 'Altrecht GGZ', kind: OrganisationKind.CARE_PROVIDER },
    { code: 'care-careyn', name: 'Careyn Thuiszorg', kind: OrganisationKind.CARE_PROVIDER },
  ];
}

/** The GP practice that refers most in a district. */
function gpCodeFor(district: string | null): string {
  if (district === 'Overvecht' || district === 'Noordoost' || district === 'Noordwest') return 'gp-overvecht';
  if (district === 'West' || district === 'Zuidwest' || district === 'Leidsche Rijn' || district === 'Vleuten-De Meern') return 'gp-lombok';
  return 'gp-de-linde';
}

function startOfUtcDay(d: Date): Date {
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
}

function latestOf(...dates: Array<Date | null | undefined>): Date {
  return new Date(Math.max(...dates.filter((d): d is Date => d != null).map((d) => d.getTime())));
}

export interface SeedDemoOptions {
  /** Key for BSN encryption and hashing (config BSN_KEY); defaults to the development key. */
  bsnKey?: string;
  /** Reference moment for relative dates; default the start of the current UTC day. */
  now?: Date;
}

export async function seedDemo(em: EntityManager, opts: SeedDemoOptions = {}): Promise<{ created: boolean }> {
  const bsnKey = opts.bsnKey ?? defaultBsnKey();
  const now = opts.now ?? startOfUtcDay(new Date());
  const ref = loadTeamsReference();

  return em.transactional(async (tem) => {
    // Two processes seeding the same empty database: the second waits, then finds the marker.
    await tem.execute(`select pg_advisory_xact_lock(hashtext('${LOCK_KEY}'))`);
    if ((await tem.count(Staff, { email: DEMO_ADMIN_EMAIL })) > 0) return { created: false };

    // ---- reference data: find by code/email, create what is missing -------------------
    const allTeamRefs = [...ref.teams, ref.flexTeam];
    const teams = new Map((await tem.find(Team, { code: { $in: allTeamRefs.map((t) => t.code) } })).map((t) => [t.code, t]));
    for (const t of ref.teams) {
      if (!teams.has(t.code)) {
        teams.set(t.code, buildTeam(tem, { code: t.code, name: t.name, district: t.district, postcodes: t.postcodes, kind: TeamKind.SOCIAL, isFlex: false }));
      }
    }
    if (!teams.has(ref.flexTeam.code)) {
      const f = ref.flexTeam;
      teams.set(f.code, buildTeam(tem, { code: f.code, name: f.name, district: f.district, postcodes: [], kind: TeamKind.SOCIAL, isFlex: true }));
    }

    const specs = organisationSpecs(ref);
    const orgs = new Map((await tem.find(Organisation, { code: { $in: specs.map((s) => s.code) } })).map((o) => [o.code, o]));
    for (const s of specs) {
      if (!orgs.has(s.code)) orgs.set(s.code, buildOrganisation(tem, { code: s.code, name: s.name, kind: s.kind, agbCode: s.agbCode ?? null }));
    }
    const org = (code: string) => orgs.get(code)!;
    const gps = specs.filter((s) => s.kind === OrganisationKind.GP_PRACTICE).map((s) => org(s.code));
    const corps = specs.filter((s) => s.kind === OrganisationKind.HOUSING_CORPORATION).map((s) => org(s.code));
    const careProviders = specs.filter((s) => s.kind === OrganisationKind.CARE_PROVIDER).map((s) => org(s.code));

    const staffRng = new Rng(`${SEED}:staff`);
    const usedNames = new Set<string>();
    const uniqueStaffName = () => {
      for (let i = 0; i < 50; i++) {
        const n = staffName(staffRng);
        if (!usedNames.has(n)) return usedNames.add(n), n;
      }
      return staffName(staffRng);
    };
    const staffEmails: string[] = [DEMO_ADMIN_EMAIL, DEMO_ANALYST_EMAIL, DEMO_FLEX_EMAIL];
    for (const t of ref.teams) staffEmails.push(demoEmails.lead(t.code), demoEmails.worker(t.code, 1), demoEmails.worker(t.code, 2));
    const existingStaff = new Map((await tem.find(Staff, { email: { $in: staffEmails } })).map((s) => [s.email, s]));
    const staff = (email: string, role: Role, teamList: Team[], organisation: Organisation | null = null): Staff => {
      const name = uniqueStaffName(); // drawn even when the row exists, so names stay stable
      const phone = mobilePhone(staffRng);
      const found = existingStaff.get(email);
      if (found) return found;
      const s = buildStaff(tem, { email, name, phone, role, teams: teamList, organisation });
      existingStaff.set(email, s);
      return s;
    };

    staff(DEMO_ADMIN_EMAIL, Role.ADMIN, []);
    staff(DEMO_ANALYST_EMAIL, Role.ANALYST, [], org('gemeente-utrecht'));
    staff(DEMO_FLEX_EMAIL, Role.FLEX_WORKER, [teams.get(ref.flexTeam.code)!]);
    const teamStaff = new Map<string, { lead: Staff; workers: [Staff, Staff] }>();
    for (const t of ref.teams) {
      const team = teams.get(t.code)!;
      teamStaff.set(t.code, {
        lead: staff(demoEmails.lead(t.code), Role.TEAM_LEAD, [team]),
        workers: [staff(demoEmails.worker(t.code, 1), Role.TEAM_WORKER, [team]), staff(demoEmails.worker(t.code, 2), Role.TEAM_WORKER, [team])],
      });
    }

    // ---- households, cases and everything hanging off them ----------------------------
    const horizon = addDays(now, -548); // 18 months back
    let gpSeq = 0;
    let corpSeq = 0;
    let workerChangeDone = false;

    ref.teams.forEach((t, teamIndex) => {
      const team = teams.get(t.code)!;
      const rng = new Rng(`${SEED}:team:${t.code}`);
      const { lead, workers } = teamStaff.get(t.code)!;
      const members = [lead, ...workers];
      const pickCoordinator = () => rng.weighted<Staff>([[workers[0], 40], [workers[1], 40], [lead, 20]]);
      const common = { rng, now };
      const current: Array<{ c: Case; head: Resident }> = [];
      const heads: Resident[] = [];

      for (let i = 0; i < DEMO_HOUSEHOLDS_PER_TEAM; i++) {
        // The first four households of every team cover the four states; the rest are drawn.
        const status =
          i < 4
            ? [CaseStatus.REGISTERED, CaseStatus.INTAKE, CaseStatus.ACTIVE, CaseStatus.CLOSED][i]!
            : rng.weighted([[CaseStatus.REGISTERED, 12], [CaseStatus.INTAKE, 13], [CaseStatus.ACTIVE, 40], [CaseStatus.CLOSED, 35]]);
        const { household, head } = buildHousehold(tem, { ...common, team, bsnKey });
        heads.push(head);
        const coordinator = status === CaseStatus.REGISTERED && rng.chance(0.6) ? null : pickCoordinator();
        const c = buildCase(tem, { ...common, household, status, coordinator });
        const cases = [c];

        // Some households came before: an earlier episode, closed before this one began.
        const room = daysBetween(horizon, c.registeredAt);
        if (room > 120 && rng.chance(0.2)) {
          const registeredAt = rng.officeTimeBetween(horizon, addDays(c.registeredAt, -100));
          cases.push(buildCase(tem, { ...common, household, status: CaseStatus.CLOSED, registeredAt, latest: addDays(c.registeredAt, -1), coordinator: pickCoordinator() }));
        }
        household.createdAt = new Date(Math.min(...cases.map((x) => x.registeredAt.getTime())) - rng.int(1, 30) * 60_000);
        household.updatedAt = household.createdAt;
        current.push({ c, head });

        for (const x of cases) {
          const authors = () => (x.coordinator && rng.chance(0.7) ? x.coordinator : rng.pick(members));
          if (x.startedAt) {
            for (const domain of rng.sample(ZRM_DOMAINS[ZrmVersion.ZRM_2017], rng.int(1, 3))) {
              buildGoal(tem, { ...common, case: x, domain });
            }
            for (let n = rng.int(1, 4); n > 0; n--) buildNote(tem, { ...common, case: x, author: authors() });
            const baseline = buildZrm(tem, { ...common, case: x, resident: head, version: ZrmVersion.ZRM_2017, kind: ZrmKind.BASELINE });
            const { from, to } = caseWindow(x, now);
            let last = baseline;
            if ((to.getTime() - from.getTime()) / DAY_MS >= 60 && rng.chance(0.5)) {
              last = buildZrm(tem, { ...common, case: x, resident: head, version: ZrmVersion.ZRM_2017, kind: ZrmKind.FOLLOW_UP, previous: baseline });
            }
            if (x.status === CaseStatus.CLOSED) {
              buildZrm(tem, { ...common, case: x, resident: head, version: ZrmVersion.ZRM_2017, kind: ZrmKind.CLOSING, previous: last });
            }
            if (rng.chance(0.22)) {
              const provider = rng.chance(0.7) ? rng.pick(careProviders) : null;
              buildCareAllocation(tem, { ...common, case: x, provider });
            }
          } else if (x.firstContactAt && rng.chance(0.6)) {
            buildNote(tem, { ...common, case: x, author: authors() });
          }
        }
      }

      // GP referrals that led to an open case: TRIAGED while in intake, IN_CARE once started.
      const gp = org(gpCodeFor(t.district));
      const referable = current.filter(({ c }) => c.status === CaseStatus.INTAKE || c.status === CaseStatus.ACTIVE);
      const viaGp = [...referable.filter(({ c }) => c.referralSource === ReferralSource.GP), ...referable.filter(({ c }) => c.referralSource !== ReferralSource.GP)];
      for (const { c, head } of viaGp.slice(0, rng.int(1, 2))) {
        c.referralSource = ReferralSource.GP;
        const receivedAt = rng.officeHours(addDays(c.registeredAt, -rng.int(1, 3)));
        gpSeq++;
        buildReferral(tem, {
          ...common,
          from: gp,
          kind: ReferralKind.GP_REFERRAL,
          externalId: `SR-${receivedAt.getUTCFullYear()}-${String(1000 + gpSeq)}`,
          resident: head,
          household: c.household,
          case: c,
          status: c.status === CaseStatus.ACTIVE ? ReferralStatus.IN_CARE : ReferralStatus.TRIAGED,
          receivedAt,
          consentObtained: true,
          bsnKey,
        });
        // GP–worker tandem: the resident agreed the practice may know who the coordinator is.
        buildConsent(tem, {
          ...common,
          resident: head,
          recipient: gp,
          recordedBy: c.coordinator ?? workers[0],
          purpose: ConsentPurpose.GP_TANDEM,
          grantedAt: latestOf(c.firstContactAt, c.registeredAt),
        });
      }

      // A few more consents, one of them later revoked.
      const other = rng.pick(heads.filter((h) => !viaGp.slice(0, 2).some(({ head }) => head === h)));
      const grantedAt = rng.officeTimeBetween(addDays(now, -300), addDays(now, -20));
      buildConsent(tem, {
        ...common,
        resident: other,
        recipient: rng.pick(gps),
        recordedBy: workers[1],
        purpose: ConsentPurpose.GP_TANDEM,
        grantedAt,
        revokedAt: teamIndex % 6 === 0 ? rng.officeTimeBetween(addDays(grantedAt, 1), addDays(now, -1)) : null,
      });

      // Arrears signals from the corporations, not yet matched to a household.
      for (let n = rng.int(1, 2); n > 0; n--) {
        const corp = rng.pick(corps);
        corpSeq++;
        buildReferral(tem, {
          ...common,
          from: corp,
          kind: ReferralKind.ARREARS_SIGNAL,
          externalId: `VS-${corp.code === 'corp-mitros' ? 'MIT' : 'PRT'}-${String(20000 + corpSeq)}`,
          team,
          status: ReferralStatus.RECEIVED,
          receivedAt: rng.officeHours(addDays(now, -rng.int(1, 20))),
          consentObtained: rng.chance(0.3),
          bsnKey,
        });
      }

      // Feedback for every other team; a closed case is the natural subject.
      if (teamIndex % 2 === 0) {
        const closed = current.find(({ c }) => c.status === CaseStatus.CLOSED)?.c ?? null;
        const after = closed?.closedAt ? rng.officeHours(addDays(closed.closedAt, rng.int(1, 14))) : undefined;
        const receivedAt = after && after.getTime() < now.getTime() - DAY_MS ? after : undefined;
        buildFeedback(tem, { ...common, team, case: closed, receivedAt });
        if (teamIndex % 4 === 0) buildFeedback(tem, { ...common, team });
      }

      // One resident asked for another worker (keuzevrijheid).
      const active = current.find(({ c }) => c.status === CaseStatus.ACTIVE && c.coordinator)?.c;
      if (!workerChangeDone && active) {
        buildWorkerChangeRequest(tem, { ...common, case: active, requestedBy: active.coordinator! });
        workerChangeDone = true;
      }
    });

    await tem.flush();
    return { created: true };
  });
}
