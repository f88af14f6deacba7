/**
 * The `utrecht-2015q2` scenario: the demo principals (seedPrincipals) plus raw households,
 * cases (dates across 2014–2015), ZRM_2015 assessments, closures, feedback, care allocations,
 * case discussions, volunteers, informal-care requests, matches and GP referrals, built so
 * that quarterReport(period: "2015-Q2") over the generated rows reproduces
 * data/utrecht-2015-q2.json at the base size (BASE_CASES cases): counts exactly, shares within
 * one percentage point, averages within 0.1. `size` scales every group by size / BASE_CASES
 * with the same distributions (the report's figures then scale with it).
 *
 * Nothing is computed here and stored as a figure: the report computes everything from these
 * rows. Rows go in as multi-row inserts (json_to_recordset, 5,000 per statement) with the
 * report triggers switched off for the transaction, then report_rebuild() builds the rollups.
 * Deterministic (seeded Rng). Idempotent: a database that already has cases is left alone.
 */
import { randomUUID } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { ClosureReason, ReferralSource, ZrmVersion } from '../src/modules/common/enums.js';
import { ZRM_DOMAINS } from '../src/modules/case/zrm-domains.js';
import { Volunteer } from '../src/modules/informal-care/volunteer.entity.js';
import { demoEmails, informalCareOrganisationCodes, loadTeamsReference, seedPrincipals } from './demo.js';
import { NAMES } from './factories.js';
import { Rng } from './random.js';

export const BASE_CASES = 10_000;
export const SCENARIO_PERIOD = '2015-Q2';
const LOCK_KEY = 'voordeur:scenario-seed';

/** Published shares, scores 1..5 (data/utrecht-2015-q2.json). */
const ZRM_SHARES: Record<string, number[]> = {
  ADL: [0.04, 0.18, 0.3, 0.22, 0.27],
  DAYTIME_ACTIVITIES: [0.04, 0.44, 0.32, 0.12, 0.09],
  PHYSICAL_HEALTH: [0.02, 0.16, 0.25, 0.27, 0.31],
  MENTAL_HEALTH: [0.04, 0.37, 0.26, 0.24, 0.09],
  FAMILY_RELATIONS: [0.01, 0.09, 0.28, 0.4, 0.22],
  HOUSING: [0.01, 0.08, 0.15, 0.24, 0.52],
  INCOME: [0.05, 0.15, 0.46, 0.18, 0.16],
  JUSTICE: [0.0, 0.02, 0.04, 0.1, 0.84],
  SOCIAL_PARTICIPATION: [0.05, 0.27, 0.37, 0.21, 0.1],
  SOCIAL_NETWORK: [0.04, 0.15, 0.38, 0.28, 0.14],
  ADDICTION: [0.01, 0.05, 0.07, 0.14, 0.73],
};

/** Group sizes at the base size. */
const BASE = {
  startedInP: 1881, // of which closed in P:
  startedInPClosedInP: 223,
  carriedOver: 3515, // started before P, not closed before P; of which closed in P:
  carriedOverClosedInP: 1000,
  withoutStart: 255,
  history: 2500, // started and closed before P
  later: 1849, // registered after P
  zrmInP: 1721,
  careInP: { pgbProvisional: 74, pgbGranted: 8, zin: 247 },
  discussionsInP: { possible: 338, notPossible: 179 },
  volunteers: 50,
  inactiveVolunteers: 3,
  requests: 200,
};

const SOURCES_STARTED: Array<[ReferralSource, number]> = [
  [ReferralSource.SELF, 1072],
  [ReferralSource.GP, 300],
  [ReferralSource.HOUSING_CORPORATION, 150],
  [ReferralSource.CARE_PROVIDER, 120],
  [ReferralSource.SCHOOL, 80],
  [ReferralSource.POLICE, 60],
  [ReferralSource.MUNICIPALITY, 59],
  [ReferralSource.OTHER, 40],
];
const CLOSURES: Array<[ClosureReason, number]> = [
  [ClosureReason.AS_PLANNED, 709],
  [ClosureReason.EARLY_BY_AGREEMENT, 196],
  [ClosureReason.ENDED_BY_TEAM, 122],
  [ClosureReason.ENDED_BY_CLIENT, 110],
  [ClosureReason.EXTERNAL, 86],
];
/** Ten ratings averaging 7.7; days to first contact averaging 6.5 (2015-Q2) and 9.7 (2015-Q1). */
const RATINGS = [8, 8, 7, 9, 8, 7, 6, 8, 9, 7];
const DAYS_Q2 = [3, 5, 6, 7, 8, 10];
const DAYS_Q1 = [8, 9, 10, 11, 9, 10, 12, 8, 10, 10];

/** `total` split by weights with exact integer counts (largest remainder). */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const raw = weights.map((w) => (total * w) / sum);
  const out = raw.map(Math.floor);
  let left = total - out.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => [r - Math.floor(r), i] as const).sort((a, b) => b[0] - a[0]);
  for (const [, i] of order) {
    if (left-- <= 0) break;
    out[i]!++;
  }
  return out;
}

/** A list with each label repeated its count, shuffled. */
function labels<T>(rng: Rng, entries: Array<[T, number]>): T[] {
  return rng.shuffle(entries.flatMap(([v, n]) => Array.from({ length: n }, () => v)));
}

// ---- dates: noon in Amsterdam (10:00 UTC in summer, 11:00 in winter: same local date) -----------
const DAY = 86_400_000;
const d0 = Date.UTC(2014, 0, 1);
const dayOf = (y: number, m: number, d: number) => Math.round((Date.UTC(y, m - 1, d) - d0) / DAY);
const P_START = dayOf(2015, 4, 1);
const P_END = dayOf(2015, 6, 30);
const Q1_START = dayOf(2015, 1, 1);
const at = (day: number, minute = 0) => new Date(d0 + day * DAY + 10 * 3600_000 + minute * 60_000).toISOString();
const dateOnly = (day: number) => new Date(d0 + day * DAY).toISOString().slice(0, 10);
const mod = (a: number, n: number) => ((a % n) + n) % n;
const quarterOfDay = (day: number) => (day >= P_START && day <= P_END ? 'P' : day >= Q1_START && day < P_START ? 'Q1' : 'other');

export interface ScenarioOptions {
  /** Number of cases (default BASE_CASES). */
  size?: number;
}

interface Row {
  [k: string]: unknown;
}

async function insert(em: EntityManager, table: string, columns: string, rows: Row[]): Promise<void> {
  const names = columns
    .split(',')
    .map((c) => c.trim().split(/\s+/)[0]!)
    .map((c) => `"${c}"`)
    .join(', ');
  for (let i = 0; i < rows.length; i += 5000) {
    const batch = JSON.stringify(rows.slice(i, i + 5000));
    await em.execute(`insert into "${table}" (${names}) select ${names} from json_to_recordset(?::json) as x(${columns})`, [batch]);
  }
}

export async function seedScenario(em: EntityManager, opts: ScenarioOptions = {}): Promise<{ created: boolean; cases: number }> {
  const size = opts.size ?? BASE_CASES;
  const f = size / BASE_CASES;
  const scale = (n: number) => Math.round(n * f);
  const ref = loadTeamsReference();
  const rng = new Rng('utrecht-2015q2');

  return em.transactional(async (tem) => {
    await tem.execute(`select pg_advisory_xact_lock(hashtext('${LOCK_KEY}'))`);
    const [{ n: existing }] = await tem.execute<{ n: string }[]>('select count(*) n from "case"');
    if (Number(existing) > 0) return { created: false, cases: Number(existing) };
    await tem.execute(`set local voordeur.report_rollup = 'off'`);

    const principals = await seedPrincipals(tem, ref);
    const orgCodes = informalCareOrganisationCodes(ref);
    const volunteerCount = scale(BASE.volunteers);
    const inactiveCount = scale(BASE.inactiveVolunteers);
    for (let n = 1; n <= volunteerCount + inactiveCount; n++) {
      const vr = rng.fork(`volunteer:${n}`);
      const names = NAMES.dutch;
      tem.create(Volunteer, {
        organisation: principals.orgs.get(orgCodes[(n - 1) % orgCodes.length]!)!,
        givenName: vr.pick(vr.chance(0.5) ? names.female : names.male),
        familyName: vr.pick(names.family),
        email: demoEmails.volunteer(n),
        postcode: `${vr.pick(ref.teams).postcodes[0] ?? '3500'}${vr.chars(2)}`,
        skills: vr.sample(['shopping', 'company', 'walking', 'language-practice', 'digital-skills', 'administration', 'transport', 'odd-jobs'], vr.int(2, 4)),
        languages: vr.chance(0.3) ? ['Dutch', vr.pick(['Arabic', 'Turkish', 'English', 'Berber'])] : ['Dutch'],
        availability: [],
        maxMatches: 3,
        vogIssuedAt: dateOnly(dayOf(2015, 1, 1) + vr.int(0, 300)).replace(/^2015/, '2025'),
        active: n <= volunteerCount,
      } as never);
    }
    await tem.flush();

    const socialTeams = ref.teams.map((t) => ({ ref: t, team: principals.teams.get(t.code)!, staff: principals.teamStaff.get(t.code)!, ambassador: principals.ambassadors.get(t.code)! }));
    const volunteerRows = await tem.execute<{ id: string; organisation_id: string }[]>('select id, organisation_id from volunteer where active order by email');

    // ---- cases ------------------------------------------------------------------------------
    type C = { id: string; h: string; r: string; team: (typeof socialTeams)[number]; reg: number; fc: number | null; st: number | null; cl: number | null; reason: ClosureReason | null; src: ReferralSource; group: string };
    const cases: C[] = [];
    let teamCursor = 0;
    const newCase = (group: string, src: ReferralSource, st: number | null, cl: number | null, reg?: number, fc?: number | null): C => {
      const team = socialTeams[teamCursor++ % socialTeams.length]!;
      const c: C = { id: randomUUID(), h: randomUUID(), r: randomUUID(), team, reg: reg ?? 0, fc: fc ?? null, st, cl, reason: null, src, group };
      cases.push(c);
      return c;
    };
    const otherSource = () => rng.weighted<ReferralSource>(SOURCES_STARTED.map(([s, w]) => [s, w] as const));

    const startedInP = scale(BASE.startedInP);
    const srcP = labels(rng, apportion(startedInP, SOURCES_STARTED.map(([, n]) => n)).map((n, i) => [SOURCES_STARTED[i]![0], n] as [ReferralSource, number]));
    const aClosed = scale(BASE.startedInPClosedInP);
    for (let i = 0; i < startedInP; i++) {
      const st = rng.int(P_START, P_END);
      const closedInP = i < aClosed;
      const cl = closedInP ? Math.min(P_END, st + rng.int(5, 60)) : rng.chance(0.5) ? null : dayOf(2015, 7, 1) + rng.int(0, 360);
      newCase('A', srcP[i]!, st, cl);
    }
    const bClosed = scale(BASE.carriedOverClosedInP);
    for (let i = 0, n = scale(BASE.carriedOver); i < n; i++) {
      const st = rng.int(dayOf(2014, 7, 1), P_START - 1);
      const cl = i < bClosed ? rng.int(P_START, P_END) : rng.chance(0.6) ? null : dayOf(2015, 7, 1) + rng.int(0, 180);
      newCase('B', otherSource(), st, cl);
    }
    for (let i = 0, n = scale(BASE.history); i < n; i++) {
      const st = rng.int(dayOf(2014, 1, 20), dayOf(2015, 2, 15));
      newCase('E', otherSource(), st, Math.min(P_START - 1, st + rng.int(20, 300)));
    }
    for (let i = 0, n = scale(BASE.withoutStart); i < n; i++) {
      const reg = rng.int(dayOf(2015, 5, 20), P_END);
      const later = rng.chance(0.5);
      const st = later ? dayOf(2015, 7, 1) + rng.int(10, 60) : null;
      const c = newCase('D', otherSource(), st, null, reg, null);
      c.fc = later ? st! - rng.int(1, 5) : null;
    }
    for (let i = 0, n = scale(BASE.later); i < n; i++) {
      const st = rng.chance(0.8) ? dayOf(2015, 7, 15) + rng.int(0, 160) : null;
      const c = newCase('F', otherSource(), st, st !== null && rng.chance(0.3) ? st + rng.int(20, 120) : null);
      if (st === null) c.reg = dayOf(2015, 7, 5) + rng.int(0, 170);
    }

    // First contact and registration: first contact some days before the start; registration
    // `d` days before the first contact, d from a cycle per quarter of the first contact.
    const cycles: Record<string, number> = { P: 0, Q1: 0, other: 0 };
    for (const c of cases) {
      if (c.st !== null && c.fc === null) c.fc = Math.max(c.st - rng.int(1, 10), c.group === 'F' ? dayOf(2015, 7, 2) : 0);
      if (c.group === 'A' && c.fc! < P_START && rng.chance(0.5)) c.fc = c.st; // first contact on the day of the start
      if (c.fc !== null) {
        const q = quarterOfDay(c.fc);
        const k = cycles[q]!++;
        const d = q === 'P' ? DAYS_Q2[k % DAYS_Q2.length]! : q === 'Q1' ? DAYS_Q1[k % DAYS_Q1.length]! : 4 + (k % 9);
        c.reg = c.fc - d;
        if (c.group === 'F' && c.reg <= P_END) c.reg = P_END + 1; // registered after the quarter
      } else if (c.reg === 0) {
        c.reg = c.st ?? P_END + 1;
      }
    }
    // Cases without start date registered in the quarter must keep reg ≤ end.
    for (const c of cases) if (c.group === 'D' && c.reg > P_END) c.reg = P_END;

    // Closures: reasons with exact counts for the quarter; ratings and self-reliance by cycle.
    const closedInP = cases.filter((c) => c.cl !== null && c.cl >= P_START && c.cl <= P_END);
    const reasonsP = labels(rng, apportion(closedInP.length, CLOSURES.map(([, n]) => n)).map((n, i) => [CLOSURES[i]![0], n] as [ClosureReason, number]));
    closedInP.forEach((c, i) => (c.reason = reasonsP[i]!));
    for (const c of cases) if (c.cl !== null && !c.reason) c.reason = rng.weighted(CLOSURES.map(([r, w]) => [r, w] as const));

    let closedSeq = 0;
    const caseRows: Row[] = [];
    const householdRows: Row[] = [];
    const residentRows: Row[] = [];
    const names = NAMES.dutch;
    for (const c of cases) {
      const t = c.team;
      const closed = c.cl !== null;
      const k = closed ? closedSeq++ : 0;
      const postcode = `${t.ref.postcodes[mod(c.reg, t.ref.postcodes.length)] ?? '3500'}${String.fromCharCode(65 + mod(c.reg, 26))}${String.fromCharCode(65 + (k % 26))}`;
      householdRows.push({ id: c.h, created_at: at(c.reg, -5), updated_at: at(c.reg, -5), team_id: t.team.id, street: 'Dorpsstraat', house_number: String(1 + (caseRows.length % 200)), postcode, city: 'Utrecht' });
      residentRows.push({
        id: c.r, created_at: at(c.reg, -5), updated_at: at(c.reg, -5), household_id: c.h, team_id: t.team.id,
        given_name: rng.pick(names.female), family_name: rng.pick(names.family), birth_date: dateOnly(-rng.int(20 * 365, 80 * 365)), languages: '{Dutch}', relation: 'HEAD',
      });
      const coordinator = c.st !== null ? (mod(c.reg, 3) === 0 ? t.staff.lead : t.staff.workers[mod(c.reg, 2)]!).id : null;
      caseRows.push({
        id: c.id, created_at: at(c.reg), updated_at: at(c.cl ?? c.st ?? c.reg), household_id: c.h, team_id: t.team.id,
        status: closed ? 'CLOSED' : c.st !== null ? 'ACTIVE' : c.fc !== null ? 'INTAKE' : 'REGISTERED',
        reason: 'Vraag bij aanmelding', referral_source: c.src, registered_at: at(c.reg), first_contact_at: c.fc === null ? null : at(c.fc, 30),
        started_at: c.st === null ? null : at(c.st, 60), closed_at: closed ? at(c.cl!, 90) : null, closure_reason: closed ? c.reason : null,
        client_rating: closed ? RATINGS[k % RATINGS.length] : null, self_reliant_after: closed ? [true, true, false, true, false][k % 5] : null,
        coordinator_id: coordinator, version: 1,
      });
    }
    await insert(tem, 'household', 'id uuid, created_at timestamptz, updated_at timestamptz, team_id uuid, street text, house_number text, postcode text, city text', householdRows);
    await insert(tem, 'resident', 'id uuid, created_at timestamptz, updated_at timestamptz, household_id uuid, team_id uuid, given_name text, family_name text, birth_date date, languages text[], relation text', residentRows);
    await insert(
      tem,
      'case',
      'id uuid, created_at timestamptz, updated_at timestamptz, household_id uuid, team_id uuid, status text, reason text, referral_source text, registered_at timestamptz, first_contact_at timestamptz, started_at timestamptz, closed_at timestamptz, closure_reason text, client_rating smallint, self_reliant_after boolean, coordinator_id uuid, version int',
      caseRows,
    );

    // ---- ZRM: BASELINE (ZRM_2015) at the start of started cases; the published distribution for
    // the quarter's assessments, random scores elsewhere. ------------------------------------
    const domains = ZRM_DOMAINS[ZrmVersion.ZRM_2015];
    const zrmInP = scale(BASE.zrmInP);
    const inP = cases.filter((c) => c.group === 'A').slice(0, zrmInP);
    const perDomain = new Map(domains.map((d) => [d, labels(rng, apportion(inP.length, ZRM_SHARES[d]!).map((n, i) => [i + 1, n] as [number, number]))]));
    const zrmRows: Row[] = [];
    const zrm = (c: C, day: number, kind: string, score: (d: string, i: number) => number, i: number) =>
      zrmRows.push({ id: randomUUID(), created_at: at(day, 120), updated_at: at(day, 120), case_id: c.id, resident_id: c.r, assessed_at: at(day, 120), version: 'ZRM_2015', kind, scores: domains.map((d) => ({ domain: d, score: score(d, i) })) });
    inP.forEach((c, i) => zrm(c, c.st!, 'BASELINE', (d, j) => perDomain.get(d as never)![j]!, i));
    const randomScore = () => rng.int(1, 5);
    for (const c of cases) {
      if (c.st === null || (c.st >= P_START && c.st <= P_END) || c.st > P_END) continue; // quarter handled above; later ones stay out
      zrm(c, c.st, 'BASELINE', randomScore, 0);
      if (c.cl !== null && c.cl < P_START) zrm(c, c.cl, 'CLOSING', randomScore, 0);
    }
    await insert(tem, 'zrm_assessment', 'id uuid, created_at timestamptz, updated_at timestamptz, case_id uuid, resident_id uuid, assessed_at timestamptz, version text, kind text, scores jsonb', zrmRows);

    // ---- care allocations, feedback, discussions: on cases running in the quarter ------------
    const running = cases.filter((c) => c.group === 'B' && (c.cl === null || c.cl > P_END));
    let runCursor = 0;
    const nextRunning = () => running[runCursor++ % running.length]!;
    const careRows: Row[] = [];
    const care = (form: string, decision: string, day: number) => {
      const c = nextRunning();
      careRows.push({ id: randomUUID(), created_at: at(day), updated_at: at(day), case_id: c.id, provision: form === 'PGB' ? 'huishoudelijke hulp' : 'begeleiding', form, investigation_started_at: dateOnly(day), decision, decided_at: decision === 'PENDING' ? null : dateOnly(day + 14) });
    };
    for (let i = 0; i < scale(BASE.careInP.pgbProvisional); i++) care('PGB', 'PROVISIONALLY_GRANTED', rng.int(P_START, P_END));
    for (let i = 0; i < scale(BASE.careInP.pgbGranted); i++) care('PGB', 'GRANTED', rng.int(P_START, P_END));
    for (let i = 0; i < scale(BASE.careInP.zin); i++) care('ZIN', rng.weighted([['GRANTED', 6], ['PENDING', 3], ['REJECTED', 1]] as const), rng.int(P_START, P_END));
    for (let i = 0; i < scale(300); i++) care(rng.chance(0.3) ? 'PGB' : 'ZIN', 'GRANTED', rng.int(dayOf(2014, 9, 1), P_START - 1));
    await insert(tem, 'care_allocation', 'id uuid, created_at timestamptz, updated_at timestamptz, case_id uuid, provision text, form text, investigation_started_at date, decision text, decided_at date', careRows);

    const feedbackRows: Row[] = [];
    const feedback = (kind: string, status: string, day: number) => {
      const c = nextRunning();
      feedbackRows.push({ id: randomUUID(), created_at: at(day), updated_at: at(day), team_id: c.team.team.id, case_id: c.id, kind, status, received_at: at(day, 45), summary: kind === 'COMPLIMENT' ? 'Tevreden over de hulp' : 'Over de bereikbaarheid', resolved_at: status === 'OPEN' ? null : at(day + 10) });
    };
    const fbP: Array<[string, string, number]> = [['COMPLAINT', 'RESOLVED', 6], ['COMPLAINT', 'OPEN', 1], ['COMPLAINT', 'UNFOUNDED', 1], ['COMPLIMENT', 'RESOLVED', 2], ['SUGGESTION', 'OPEN', 2]];
    for (const [kind, status, n] of fbP) for (let i = 0; i < scale(n); i++) feedback(kind, status, rng.int(P_START, P_END));
    for (let i = 0; i < scale(10); i++) feedback(rng.pick(['COMPLAINT', 'COMPLIMENT']), 'RESOLVED', rng.int(dayOf(2014, 6, 1), P_START - 1));
    await insert(tem, 'feedback', 'id uuid, created_at timestamptz, updated_at timestamptz, team_id uuid, case_id uuid, kind text, status text, received_at timestamptz, summary text, resolved_at timestamptz', feedbackRows);

    const discussionRows: Row[] = [];
    const discuss = (possible: boolean, day: number) => {
      const c = nextRunning();
      discussionRows.push({ id: randomUUID(), created_at: at(day), updated_at: at(day), case_id: c.id, team_id: c.team.team.id, ambassador_id: c.team.ambassador.id, discussed_at: at(day, 15), informal_care_possible: possible });
    };
    for (let i = 0; i < scale(BASE.discussionsInP.possible); i++) discuss(true, rng.int(P_START, P_END));
    for (let i = 0; i < scale(BASE.discussionsInP.notPossible); i++) discuss(false, rng.int(P_START, P_END));
    for (let i = 0; i < scale(300); i++) discuss(rng.chance(0.6), rng.int(dayOf(2014, 9, 1), P_START - 1));
    await insert(tem, 'case_discussion', 'id uuid, created_at timestamptz, updated_at timestamptz, case_id uuid, team_id uuid, ambassador_id uuid, discussed_at timestamptz, informal_care_possible boolean', discussionRows);

    // ---- informal-care requests and matches (open requests for the candidates benchmark) --------
    const requestRows: Row[] = [];
    const matchRows: Row[] = [];
    for (let i = 0, n = scale(BASE.requests); i < n; i++) {
      const c = running[(i * 7) % running.length]!;
      const open = i % 5 < 3;
      const created = rng.int(Q1_START, P_END);
      const id = randomUUID();
      requestRows.push({
        id, created_at: at(created), updated_at: at(created), case_id: c.id, resident_id: c.r, team_id: c.team.team.id, status: open ? 'OPEN' : 'MATCHED',
        needs: `{${rng.sample(['shopping', 'company', 'walking', 'language-practice', 'digital-skills'], 2).join(',')}}`, languages: '{Dutch}', availability: [],
        postcode4: (c.team.ref.postcodes[0] ?? '3500').slice(0, 4), requested_by_id: c.team.staff.workers[0].id,
      });
      if (!open) {
        const v = volunteerRows[i % volunteerRows.length]!;
        const started = created + rng.int(3, 20);
        const ended = i % 5 === 4 ? started + rng.int(30, 200) : null;
        matchRows.push({
          id: randomUUID(), created_at: at(created + 1), updated_at: at(started), request_id: id, volunteer_id: v.id, team_id: c.team.team.id, status: ended ? 'ENDED' : 'ACTIVE',
          task: 'Samen boodschappen doen', proposed_at: at(created + 1), responded_at: at(created + 2), started_at: at(started), ended_at: ended ? at(ended) : null, proposed_by_id: c.team.ambassador.id, version: 1,
        });
      }
    }
    await insert(tem, 'informal_care_request', 'id uuid, created_at timestamptz, updated_at timestamptz, case_id uuid, resident_id uuid, team_id uuid, status text, needs text[], languages text[], availability jsonb, postcode4 text, requested_by_id uuid', requestRows);
    await insert(tem, 'volunteer_match', 'id uuid, created_at timestamptz, updated_at timestamptz, request_id uuid, volunteer_id uuid, team_id uuid, status text, task text, proposed_at timestamptz, responded_at timestamptz, started_at timestamptz, ended_at timestamptz, proposed_by_id uuid, version int', matchRows);

    // ---- GP referrals behind a third of the GP-referred cases (partner status benchmark) ---------
    const gps = ['gp-de-linde', 'gp-overvecht', 'gp-lombok'].map((code) => principals.orgs.get(code)!);
    const referralRows: Row[] = [];
    cases
      .filter((c) => c.src === ReferralSource.GP && c.st !== null)
      .forEach((c, i) => {
        if (i % 3 !== 0) return;
        const gp = gps[i % gps.length]!;
        const received = c.reg - 1;
        referralRows.push({
          id: randomUUID(), created_at: at(received), updated_at: at(c.cl ?? c.st!), status_shown_at: at(c.cl ?? c.st!), kind: 'GP_REFERRAL', external_id: `SR-${1_000_000 + i}`, from_id: gp.id, team_id: c.team.team.id,
          status: c.cl !== null ? 'CLOSED' : 'IN_CARE', received_at: at(received), subject_given_name: 'Onbekend', subject_family_name: 'Onbekend', subject_postcode: '3500AA',
          subject_house_number: '1', consent_obtained: true, household_id: c.h, case_id: c.id, version: 1,
        });
      });
    await insert(tem, 'referral', 'id uuid, created_at timestamptz, updated_at timestamptz, status_shown_at timestamptz, kind text, external_id text, from_id uuid, team_id uuid, status text, received_at timestamptz, subject_given_name text, subject_family_name text, subject_postcode text, subject_house_number text, consent_obtained boolean, household_id uuid, case_id uuid, version int', referralRows);

    await tem.execute('select report_rebuild()');
    return { created: true, cases: cases.length };
  });
}
