/**
 * The demo seed: the 18 social teams and the flex team of data/teams.json, their staff,
 * partner organisations and ~150 households with cases in every state of the lifecycle;
 * informal care (an ambassador per team, 50 volunteers, requests, case discussions and
 * matches in every state) and a flex worker's assignment.
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
import {
  CaseStatus,
  ConsentPurpose,
  InformalCareRequestStatus,
  MatchStatus,
  OrganisationKind,
  ReferralKind,
  ReferralSource,
  ReferralStatus,
  Role,
  TeamKind,
  ZrmKind,
  ZrmVersion,
} from '../src/modules/common/enums.js';
import { Team } from '../src/modules/team/team.entity.js';
import { Organisation } from '../src/modules/organisation/organisation.entity.js';
import { Staff } from '../src/modules/staff/staff.entity.js';
import type { Case } from '../src/modules/case/case.entity.js';
import type { Resident } from '../src/modules/household/resident.entity.js';
import type { Referral } from '../src/modules/referral/referral.entity.js';
import { Volunteer } from '../src/modules/informal-care/volunteer.entity.js';
import type { InformalCareRequest, VolunteerMatch } from '../src/modules/informal-care/informal-care.entity.js';
import {
  addMonthsDate,
  buildCareAllocation,
  buildCase,
  buildCaseDiscussion,
  buildConsent,
  buildFeedback,
  buildFlexAssignment,
  buildGoal,
  buildHousehold,
  buildInformalCareRequest,
  buildMatchCheckIn,
  buildNote,
  buildOrganisation,
  buildReferral,
  buildStaff,
  buildTeam,
  buildVolunteer,
  buildVolunteerMatch,
  buildWorkerChangeRequest,
  buildZrm,
  caseWindow,
  defaultBsnKey,
  mobilePhone,
  slugify,
  staffName,
  ZRM_DOMAINS,
} from './factories.js';
import { addDays, DAY_MS, daysBetween, Rng, toDateString } from './random.js';

export const DEMO_ADMIN_EMAIL = 'admin@voordeur.test';
export const DEMO_ANALYST_EMAIL = 'analyst@voordeur.test';
export const DEMO_FLEX_EMAIL = 'flex1@voordeur.test';
export const DEMO_HOUSEHOLDS_PER_TEAM = 8;
export const DEMO_VOLUNTEERS = 50;
/** The flex worker's demo assignment: one ACTIVE case of this team. */
export const DEMO_FLEX_TEAM = 'overvecht-noord';
/** Volunteers that paused (inactive) and whose VOG is older than three years. */
const INACTIVE_VOLUNTEERS = new Set([9, 27, 44]);
const EXPIRED_VOG_VOLUNTEERS = new Set([16, 32, 48]);
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
  ambassador: (teamCode: string) => `ambassador.${teamCode}@voordeur.test`,
  volunteer: (n: number) => `volunteer${n}@voordeur.test`,
};

/** Codes of the informal-care organisations, in data/teams.json order. */
export function informalCareOrganisationCodes(ref: TeamsReference = loadTeamsReference()): string[] {
  return ref.informalCareOrganisations.map(slugify);
}

/** The informal-care organisation of a social team's ambassador: round-robin over the organisations. */
export function ambassadorOrganisationCode(teamIndex: number, ref: TeamsReference = loadTeamsReference()): string {
  const codes = informalCareOrganisationCodes(ref);
  return codes[teamIndex % codes.length]!;
}

/** The organisation of demo volunteer `n` (1-based): round-robin, volunteer1 with the first. */
export function volunteerOrganisationCode(n: number, ref: TeamsReference = loadTeamsReference()): string {
  const codes = informalCareOrganisationCodes(ref);
  return codes[(n - 1) % codes.length]!;
}

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

export interface Principals {
  teams: Map<string, Team>;
  orgs: Map<string, Organisation>;
  /** Staff by email. */
  staff: Map<string, Staff>;
  teamStaff: Map<string, { lead: Staff; workers: [Staff, Staff] }>;
  /** The ambassador of each social team, by team code. */
  ambassadors: Map<string, Staff>;
}

/**
 * The demo principals without any household: the teams, the organisations and the staff
 * (admin, analyst, flex worker, per social team a lead, two workers and an ambassador).
 * Finds what exists by code/email and creates (persists, does not flush) the rest.
 * Used by the demo seed and by the utrecht-2015q2 scenario (seeds/scenario.ts).
 */
export async function seedPrincipals(tem: EntityManager, ref: TeamsReference = loadTeamsReference()): Promise<Principals> {
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
  for (const t of ref.teams) {
    staffEmails.push(demoEmails.lead(t.code), demoEmails.worker(t.code, 1), demoEmails.worker(t.code, 2), demoEmails.ambassador(t.code));
  }
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

  // ---- informal care: an ambassador per social team, 50 volunteers ---------------------
  const ambassadors = new Map<string, Staff>();
  ref.teams.forEach((t, teamIndex) => {
    ambassadors.set(t.code, staff(demoEmails.ambassador(t.code), Role.AMBASSADOR, [teams.get(t.code)!], org(ambassadorOrganisationCode(teamIndex, ref))));
  });

  return { teams, orgs, staff: existingStaff, teamStaff, ambassadors };
}

export async function seedDemo(em: EntityManager, opts: SeedDemoOptions = {}): Promise<{ created: boolean }> {
  const bsnKey = opts.bsnKey ?? defaultBsnKey();
  const now = opts.now ?? startOfUtcDay(new Date());
  const ref = loadTeamsReference();

  return em.transactional(async (tem) => {
    // Two processes seeding the same empty database: the second waits, then finds the marker.
    await tem.execute(`select pg_advisory_xact_lock(hashtext('${LOCK_KEY}'))`);
    if ((await tem.count(Staff, { email: DEMO_ADMIN_EMAIL })) > 0) return { created: false };

    const { teams, orgs, staff: existingStaff, teamStaff, ambassadors } = await seedPrincipals(tem, ref);
    const org = (code: string) => orgs.get(code)!;
    const specs = organisationSpecs(ref);
    const gps = specs.filter((s) => s.kind === OrganisationKind.GP_PRACTICE).map((s) => org(s.code));
    const corps = specs.filter((s) => s.kind === OrganisationKind.HOUSING_CORPORATION).map((s) => org(s.code));
    const careProviders = specs.filter((s) => s.kind === OrganisationKind.CARE_PROVIDER).map((s) => org(s.code));

    const volunteerEmails = Array.from({ length: DEMO_VOLUNTEERS }, (_, i) => demoEmails.volunteer(i + 1));
    const existingVolunteers = new Map((await tem.find(Volunteer, { email: { $in: volunteerEmails } })).map((v) => [v.email, v]));
    const volunteers: Volunteer[] = [];
    const orgCodes = informalCareOrganisationCodes(ref);
    for (let n = 1; n <= DEMO_VOLUNTEERS; n++) {
      const vrng = new Rng(`${SEED}:volunteer:${n}`);
      const orgCode = volunteerOrganisationCode(n, ref);
      // Volunteers live in the areas of the teams their organisation serves.
      const homeTeams = ref.teams.filter((_, i) => ambassadorOrganisationCode(i, ref) === orgCode);
      const home = homeTeams[Math.floor((n - 1) / orgCodes.length) % homeTeams.length]!;
      const found = existingVolunteers.get(demoEmails.volunteer(n));
      if (found) {
        volunteers.push(found);
        continue;
      }
      volunteers.push(
        buildVolunteer(tem, {
          rng: vrng,
          now,
          organisation: org(orgCode),
          email: demoEmails.volunteer(n),
          areas: home.postcodes,
          active: !INACTIVE_VOLUNTEERS.has(n),
          ...(EXPIRED_VOG_VOLUNTEERS.has(n) ? { vogIssuedAt: toDateString(addDays(now, -vrng.int(1130, 1700))) } : {}),
          // volunteer1 is the README's example: a live profile with room for matches.
          ...(n === 1
            ? {
                background: 'moroccan' as const,
                givenName: 'Nadia',
                familyName: 'El Idrissi',
                skills: ['shopping', 'company', 'walking', 'language-practice', 'digital-skills'],
                languages: ['Dutch', 'Arabic', 'Tamazight'],
                maxMatches: 3,
                vogIssuedAt: toDateString(addDays(now, -200)),
              }
            : {}),
        }),
      );
    }
    const volunteer1 = volunteers[0]!;
    const vogValidFrom = addMonthsDate(now, -36);
    const liveMatches = new Map<Volunteer, number>();
    const liveStatuses = new Set([MatchStatus.PROPOSED, MatchStatus.ACCEPTED, MatchStatus.ACTIVE]);
    const eligible = (v: Volunteer) => v.active && !!v.vogIssuedAt && v.vogIssuedAt >= vogValidFrom && (liveMatches.get(v) ?? 0) < v.maxMatches;
    const adultBorn = addMonthsDate(now, -18 * 12);
    const informalCare = { volunteer1Active: false, volunteer1Proposed: false, ended: false, declined: false };

    /** Requests, discussions, matches and check-ins of one social team (its own random stream). */
    const seedInformalCare = (teamIndex: number, team: Team, current: Array<{ c: Case; head: Resident; residents: Resident[] }>) => {
      const t = ref.teams[teamIndex]!;
      const rng = new Rng(`${SEED}:informal-care:${t.code}`);
      const common = { rng, now };
      const ambassador = ambassadors.get(t.code)!;
      const organisation = ambassador.organisation!;
      const { workers } = teamStaff.get(t.code)!;
      const nowMs = now.getTime();
      const at = (lo: number, hi: number) => rng.officeTimeBetween(new Date(lo), new Date(Math.max(lo, hi)));

      // Volunteers of the ambassador's organisation, best fit first (needs, languages, area).
      const choose = (request: InformalCareRequest, exclude: ReadonlySet<Volunteer>): Volunteer | undefined => {
        const scored = volunteers
          .filter((v) => v !== volunteer1 && v.organisation.id === organisation.id && eligible(v) && !exclude.has(v))
          .map((v) => {
            const skills = v.skills.filter((x) => request.needs.includes(x)).length;
            const languages = v.languages.filter((l) => request.languages.includes(l)).length;
            const near = v.postcode.startsWith(request.postcode4) ? 1 : 0;
            return { v, score: skills * 2 + (languages > 0 ? 3 : 0) + languages * 0.5 + near * 2 + rng.next() };
          })
          .sort((a, b) => b.score - a.score);
        return scored[0]?.v;
      };
      const propose = (request: InformalCareRequest, volunteer: Volunteer, status: MatchStatus, extra: { startedAt?: Date; endedAt?: Date } = {}): VolunteerMatch => {
        const match = buildVolunteerMatch(tem, { ...common, request, volunteer, status, proposedBy: ambassador, ...extra });
        if (liveStatuses.has(status)) liveMatches.set(volunteer, (liveMatches.get(volunteer) ?? 0) + 1);
        if (match.startedAt && request.resident) {
          // The resident agreed to share their phone with the volunteer's organisation.
          buildConsent(tem, {
            ...common,
            resident: request.resident,
            recipient: volunteer.organisation,
            recordedBy: request.requestedBy,
            purpose: ConsentPurpose.INFORMAL_CARE,
            grantedAt: at((match.respondedAt ?? match.proposedAt).getTime(), match.startedAt.getTime()),
          });
        }
        return match;
      };

      const active = current.filter(({ c }) => c.status === CaseStatus.ACTIVE).sort((a, b) => a.c.startedAt!.getTime() - b.c.startedAt!.getTime());
      const count = Math.min(active.length, rng.int(1, 3));
      const requested = new Set<Case>();
      for (let k = 0; k < count; k++) {
        const { c, head, residents } = active[k]!;
        requested.add(c);
        const caseFrom = c.startedAt!.getTime();
        const ageDays = (nowMs - caseFrom) / DAY_MS;
        const ownOrganisation = volunteer1.organisation.id === organisation.id;

        // What becomes of this request; volunteer1 gets one ACTIVE and one PROPOSED match.
        let plan: MatchStatus | null;
        let forced: Volunteer | undefined;
        if (ownOrganisation && !informalCare.volunteer1Active && ageDays >= 45) {
          [plan, forced] = [MatchStatus.ACTIVE, volunteer1];
          informalCare.volunteer1Active = true;
        } else if (ownOrganisation && informalCare.volunteer1Active && !informalCare.volunteer1Proposed) {
          [plan, forced] = [MatchStatus.PROPOSED, volunteer1];
          informalCare.volunteer1Proposed = true;
        } else if (k === 0 && !informalCare.ended && ageDays >= 150) {
          plan = MatchStatus.ENDED;
          informalCare.ended = true;
        } else if (k === 0 && !informalCare.declined) {
          plan = MatchStatus.DECLINED;
          informalCare.declined = true;
        } else {
          plan = rng.weighted<MatchStatus | null>([[MatchStatus.ACTIVE, 40], [MatchStatus.PROPOSED, 15], [MatchStatus.ACCEPTED, 12], [null, 33]]);
          if (plan === MatchStatus.ACTIVE && ageDays < 30) plan = MatchStatus.PROPOSED;
        }

        // Started matches began one to five months ago; the request came a few weeks before.
        let startedAt: Date | undefined;
        let endedAt: Date | undefined;
        let createdAt: Date;
        if (plan === MatchStatus.ACTIVE || plan === MatchStatus.ENDED) {
          const back = plan === MatchStatus.ENDED ? rng.int(120, Math.min(240, Math.floor(ageDays) - 20)) : rng.int(30, 150);
          const start = Math.min(nowMs - 20 * DAY_MS, Math.max(caseFrom + 14 * DAY_MS, nowMs - back * DAY_MS));
          startedAt = rng.officeHours(new Date(start));
          if (plan === MatchStatus.ENDED) endedAt = rng.officeHours(addDays(startedAt, rng.int(45, Math.max(46, Math.floor(daysBetween(startedAt, now)) - 10))));
          const hi = startedAt.getTime() - rng.int(12, 30) * DAY_MS;
          createdAt = at(Math.max(caseFrom + DAY_MS, hi - 3 * DAY_MS), hi);
        } else {
          const hi = nowMs - rng.int(5, 40) * DAY_MS;
          createdAt = at(Math.max(Math.min(caseFrom + 2 * 3600_000, nowMs - 2 * 3600_000), hi - 3 * DAY_MS), hi);
        }
        const adults = residents.filter((r) => r.birthDate <= adultBorn);
        const resident = rng.chance(0.75) || adults.length < 2 ? head : rng.pick(adults.filter((r) => r !== head));
        const request = buildInformalCareRequest(tem, {
          ...common,
          case: c,
          resident,
          requestedBy: c.coordinator ?? workers[0],
          status:
            plan === MatchStatus.ACTIVE ? InformalCareRequestStatus.MATCHED : plan === MatchStatus.ENDED ? InformalCareRequestStatus.CLOSED : InformalCareRequestStatus.OPEN,
          ...(forced ? { needs: forced.skills.slice(0, 2) } : {}),
          createdAt,
        });
        if (k === 0) {
          // The ambassador discussed the case with the team before the request was made.
          buildCaseDiscussion(tem, { ...common, case: c, ambassador, informalCarePossible: true, discussedAt: at(Math.max(caseFrom, createdAt.getTime() - 7 * DAY_MS), createdAt.getTime() - 3600_000) });
        }
        if (!plan) continue;

        const volunteer = forced ?? choose(request, new Set());
        if (!volunteer) continue;
        if (plan === MatchStatus.DECLINED) {
          propose(request, volunteer, MatchStatus.DECLINED);
          // ...and the ambassador proposed someone else since.
          const next = choose(request, new Set([volunteer]));
          if (next) propose(request, next, MatchStatus.PROPOSED);
          continue;
        }
        const match = propose(request, volunteer, plan, { ...(startedAt ? { startedAt } : {}), ...(endedAt ? { endedAt } : {}) });
        // The first check-in is due a month after the start.
        if (match.startedAt && daysBetween(match.startedAt, match.endedAt ?? now) >= 32 && (forced || plan === MatchStatus.ENDED || rng.chance(0.6))) {
          buildMatchCheckIn(tem, { ...common, match, recordedBy: ambassador });
        }
      }

      // Every other team also discussed a case where informal care did not fit (yet).
      const others = current.filter(({ c }) => (c.status === CaseStatus.ACTIVE || c.status === CaseStatus.INTAKE) && !requested.has(c));
      if (others.length > 0 && (teamIndex % 2 === 1 || rng.chance(0.3))) {
        buildCaseDiscussion(tem, { ...common, case: rng.pick(others).c, ambassador, informalCarePossible: false });
      }
    };

    // ---- households, cases and everything hanging off them ----------------------------
    const horizon = addDays(now, -548); // 18 months back
    let gpSeq = 0;
    let corpSeq = 0;
    let workerChangeDone = false;
    const gpReferrals: Array<{ referral: Referral; c: Case; head: Resident; gp: Organisation; recordedBy: Staff; rng: Rng }> = [];
    const activeCasesByTeam = new Map<string, Case[]>();

    ref.teams.forEach((t, teamIndex) => {
      const team = teams.get(t.code)!;
      const rng = new Rng(`${SEED}:team:${t.code}`);
      const { lead, workers } = teamStaff.get(t.code)!;
      const members = [lead, ...workers];
      const pickCoordinator = () => rng.weighted<Staff>([[workers[0], 40], [workers[1], 40], [lead, 20]]);
      const common = { rng, now };
      const current: Array<{ c: Case; head: Resident; residents: Resident[] }> = [];
      const heads: Resident[] = [];

      for (let i = 0; i < DEMO_HOUSEHOLDS_PER_TEAM; i++) {
        // The first four households of every team cover the four states; the rest are drawn.
        const status =
          i < 4
            ? [CaseStatus.REGISTERED, CaseStatus.INTAKE, CaseStatus.ACTIVE, CaseStatus.CLOSED][i]!
            : rng.weighted([[CaseStatus.REGISTERED, 12], [CaseStatus.INTAKE, 13], [CaseStatus.ACTIVE, 40], [CaseStatus.CLOSED, 35]]);
        const { household, head, residents } = buildHousehold(tem, { ...common, team, bsnKey });
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
        current.push({ c, head, residents });

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
        const referral = buildReferral(tem, {
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
        // GP–worker tandem: the resident agreed the practice may know who the coordinator is
        // (recorded after all teams, so one referral can be left without that consent).
        gpReferrals.push({ referral, c, head, gp, recordedBy: c.coordinator ?? workers[0], rng });
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

      // Informal care, from a stream of its own so it never shifts the data above.
      activeCasesByTeam.set(t.code, current.filter(({ c }) => c.status === CaseStatus.ACTIVE).map(({ c }) => c));
      seedInformalCare(teamIndex, team, current);
    });

    // GP–worker tandem consents. One referral of gp-de-linde stays without one (preferably one
    // whose case is not both ACTIVE and coordinated), so the partner view shows both sides.
    const withCoordinator = (c: Case) => c.status === CaseStatus.ACTIVE && !!c.coordinator;
    const deLinde = gpReferrals.filter((g) => g.gp.code === 'gp-de-linde');
    const withoutConsent =
      deLinde.find((g) => !withCoordinator(g.c)) ?? (deLinde.filter((g) => withCoordinator(g.c)).length > 1 ? deLinde[deLinde.length - 1] : undefined);
    for (const g of gpReferrals) {
      if (g === withoutConsent) continue;
      buildConsent(tem, {
        rng: g.rng,
        now,
        resident: g.head,
        recipient: g.gp,
        recordedBy: g.recordedBy,
        purpose: ConsentPurpose.GP_TANDEM,
        grantedAt: latestOf(g.c.firstContactAt, g.c.registeredAt),
      });
    }

    // The flex worker helps out on one ACTIVE case of overvecht-noord for three months.
    const flexCase = activeCasesByTeam.get(DEMO_FLEX_TEAM)?.[0];
    if (flexCase) {
      buildFlexAssignment(tem, {
        rng: new Rng(`${SEED}:flex`),
        now,
        staff: existingStaff.get(DEMO_FLEX_EMAIL)!,
        case: flexCase,
        assignedBy: teamStaff.get(DEMO_FLEX_TEAM)!.lead,
        until: addMonthsDate(now, 3),
      });
    }

    await tem.flush();
    return { created: true };
  });
}
