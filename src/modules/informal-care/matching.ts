import type { Context } from '../../context.js';
import { isUuid, notFound, requireViewer } from '../../permissions/scope.js';
import { BadInputError } from '../common/errors.js';
import { MatchStatus } from '../common/enums.js';
import { distanceKm, knownAreas } from './geo.js';
import { skillLabel } from './vocabulary.js';
import type { AvailabilitySlot, Volunteer } from './volunteer.entity.js';
import type { VolunteerCandidate } from './informal-care.inputs.js';

/**
 * Ranking volunteers for an informal-care request. The score is a sum of explainable parts,
 * each with the reason a person reads next to it (only when that part scored):
 *
 *   needs ↔ skills   40 × (needs the volunteer has a skill for / all needs)   "helps for shopping, company"
 *   language         20 when they share a language of the request              "speaks Arabic"
 *   availability     15 × (request slots the volunteer is free / all slots)     "free Tuesday mornings"
 *   distance         15 × (1 − km / 5), 0 from 5 km on                          "1.2 km" / "same postcode area"
 *   load             10 × (1 − live matches / capacity)                         "no current matches" / "1 of 2 matches in use"
 *   continuity       20 when already in an ACTIVE match with the same household "already helps this household"
 *
 * Ties (equal score to one decimal) go to the least-loaded volunteer, then the lowest id,
 * so equal input always gives the same order.
 */
export const WEIGHTS = { needs: 40, language: 20, availability: 15, distance: 15, load: 10, continuity: 20 } as const;
/** From this distance on the distance part scores nothing. */
export const DISTANCE_ZERO_KM = 5;
export const VOG_VALID_MONTHS = 36;
export const MAX_CANDIDATES = 50;
/** Extra rows the SQL pre-ranking hands over beyond `first`, for the exact in-memory ranking. */
const SQL_WINDOW_MARGIN = 40;

export const LIVE_STATUSES: readonly MatchStatus[] = [MatchStatus.PROPOSED, MatchStatus.ACCEPTED, MatchStatus.ACTIVE];

export interface MatchRequest {
  needs: readonly string[];
  languages: readonly string[];
  availability: readonly AvailabilitySlot[];
  postcode4: string;
}

export interface CandidateInput {
  id: string;
  postcode: string;
  skills: readonly string[];
  languages: readonly string[];
  availability: readonly AvailabilitySlot[];
  maxMatches: number;
  /** Matches PROPOSED, ACCEPTED or ACTIVE now. */
  live: number;
  /** Has an ACTIVE match with the request's household. */
  helpsHousehold: boolean;
}

export interface Scored<T extends CandidateInput = CandidateInput> {
  candidate: T;
  score: number;
  reasons: string[];
  distanceKm: number | null;
}

const DAY_LABEL: Record<string, string> = {
  MONDAY: 'Monday', TUESDAY: 'Tuesday', WEDNESDAY: 'Wednesday', THURSDAY: 'Thursday', FRIDAY: 'Friday', SATURDAY: 'Saturday', SUNDAY: 'Sunday',
};
const PART_LABEL: Record<string, string> = { MORNING: 'mornings', AFTERNOON: 'afternoons', EVENING: 'evenings' };
const DAY_ORDER = Object.keys(DAY_LABEL);
const PART_ORDER = Object.keys(PART_LABEL);

export function slotLabel(s: AvailabilitySlot): string {
  return `${DAY_LABEL[s.day]} ${PART_LABEL[s.part]}`;
}

const slotKey = (s: AvailabilitySlot) => `${s.day}:${s.part}`;
const slotOrder = (a: AvailabilitySlot, b: AvailabilitySlot) =>
  DAY_ORDER.indexOf(a.day) - DAY_ORDER.indexOf(b.day) || PART_ORDER.indexOf(a.part) - PART_ORDER.indexOf(b.part);

const round1 = (x: number) => Math.round(x * 10) / 10;

/** The request, prepared once for scoring many candidates. */
interface Prepared {
  needs: string[];
  languages: string[];
  wanted: AvailabilitySlot[];
  postcode4: string;
  /** Distance per volunteer postcode area (a city has few; computed once each). */
  km: Map<string, number | null>;
}

function prepare(request: MatchRequest): Prepared {
  return {
    needs: [...new Set(request.needs)],
    languages: [...new Set(request.languages)],
    wanted: [...new Map(request.availability.map((s) => [slotKey(s), s])).values()].sort(slotOrder),
    postcode4: request.postcode4,
    km: new Map(),
  };
}

/** The score, and — when asked — the reasons; both from the same parts, so they always agree. */
function evaluate<T extends CandidateInput>(p: Prepared, v: T, withReasons: boolean): Scored<T> {
  const reasons: string[] = [];
  let score = 0;

  const covered = p.needs.filter((n) => v.skills.includes(n));
  if (p.needs.length > 0 && covered.length > 0) {
    score += (WEIGHTS.needs * covered.length) / p.needs.length;
    if (withReasons) reasons.push(`helps for ${covered.map(skillLabel).join(', ')}`);
  }

  const shared = p.languages.filter((l) => v.languages.includes(l));
  if (shared.length > 0) {
    score += WEIGHTS.language;
    if (withReasons) reasons.push(`speaks ${shared.join(', ')}`);
  }

  if (p.wanted.length > 0) {
    const overlap = p.wanted.filter((w) => v.availability.some((s) => s.day === w.day && s.part === w.part));
    if (overlap.length > 0) {
      score += (WEIGHTS.availability * overlap.length) / p.wanted.length;
      if (withReasons) reasons.push(`free ${overlap.map(slotLabel).join(', ')}`);
    }
  }

  const area = v.postcode.slice(0, 4);
  let km = p.km.get(area);
  if (km === undefined) {
    km = distanceKm(p.postcode4, area);
    p.km.set(area, km);
  }
  if (km !== null) {
    const part = WEIGHTS.distance * Math.max(0, 1 - km / DISTANCE_ZERO_KM);
    score += part;
    if (withReasons) {
      if (km === 0) reasons.push('same postcode area');
      else if (part > 0) reasons.push(`${round1(km).toFixed(1)} km`);
    }
  }

  const capacity = Math.max(1, v.maxMatches);
  score += WEIGHTS.load * Math.max(0, 1 - v.live / capacity);
  if (withReasons) reasons.push(v.live === 0 ? 'no current matches' : `${v.live} of ${v.maxMatches} matches in use`);

  if (v.helpsHousehold) {
    score += WEIGHTS.continuity;
    if (withReasons) reasons.push('already helps this household');
  }

  return { candidate: v, score: round1(score), reasons, distanceKm: km === null ? null : round1(km) };
}

export function scoreCandidate<T extends CandidateInput>(request: MatchRequest, v: T): Scored<T> {
  return evaluate(prepare(request), v, true);
}

/** Best first; equal scores → least loaded, then lowest id. */
export function compareScored(a: Scored, b: Scored): number {
  return b.score - a.score || a.candidate.live - b.candidate.live || (a.candidate.id < b.candidate.id ? -1 : a.candidate.id > b.candidate.id ? 1 : 0);
}

/** Scores every candidate, keeps the best `first`, and words the reasons for those only. */
export function rankCandidates<T extends CandidateInput>(request: MatchRequest, candidates: readonly T[], first: number): Scored<T>[] {
  const p = prepare(request);
  const top = candidates.map((c) => evaluate(p, c, false)).sort(compareScored).slice(0, first);
  return top.map((s) => evaluate(p, s.candidate, true));
}

/** The first calendar day on which a VOG issued then is still valid (three years back). */
export function vogValidFrom(now = new Date()): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - VOG_VALID_MONTHS, now.getUTCDate()));
  return d.toISOString().slice(0, 10);
}

interface RequestRow {
  id: string;
  needs: string[];
  languages: string[];
  availability: AvailabilitySlot[];
  postcode4: string;
  household_id: string;
}

/** As the candidate query returns it: arrays and JSON as text, which pg hands over several times faster than parsed arrays. */
interface CandidateRow {
  id: string;
  given_name: string;
  postcode: string;
  skills: string;
  languages: string;
  availability: string;
  max_matches: number;
  vog_issued_at: string | null;
  live: number;
  helps_household: boolean;
}

const splitList = (text: string): string[] => (text ? text.split('\u001f') : []);

/**
 * Ambassador: volunteers of their organisation for a request of their team, ranked. Two SQL
 * statements however many volunteers there are: the request, then every eligible volunteer
 * (active, not paused, VOG valid, below capacity, no live match for this request) with their
 * live-match count and continuity flag. Scoring happens in memory.
 */
export async function volunteerCandidates(ctx: Context, requestId: string, first?: number | null): Promise<VolunteerCandidate[]> {
  const viewer = requireViewer(ctx);
  const limit = first ?? 10;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_CANDIDATES) {
    throw new BadInputError('first', `must be a whole number from 1 to ${MAX_CANDIDATES}`);
  }
  if (!isUuid(requestId) || viewer.memberTeamIds.size === 0 || !viewer.organisationId) throw notFound(ctx, 'InformalCareRequest', requestId);
  const conn = ctx.em.getConnection();
  const [request] = await conn.execute<RequestRow[]>(
    `select r.id, r.needs, r.languages, r.availability, r.postcode4, c.household_id
     from informal_care_request r join "case" c on c.id = r.case_id
     where r.id = ? and r.team_id in (?)`,
    [requestId, [...viewer.memberTeamIds]],
  );
  if (!request) throw notFound(ctx, 'InformalCareRequest', requestId);
  ctx.audit.read('InformalCareRequest', request.id, request.household_id);

  // The score is computed in SQL too, so only a window of the best rows leaves the database;
  // the exact score and the reasons are then computed in memory for that window. The window
  // is wider than `first` so float rounding between SQL and JS cannot change the result.
  const p = prepare({ needs: request.needs, languages: request.languages, availability: request.availability ?? [], postcode4: request.postcode4 });
  const distancePart: Record<string, number> = {};
  for (const area of knownAreas()) {
    const km = distanceKm(p.postcode4, area);
    if (km !== null) distancePart[area] = WEIGHTS.distance * Math.max(0, 1 - km / DISTANCE_ZERO_KM);
  }
  const SEP = '\u001f';
  // One containment test per need and per wanted slot (a handful), unrolled: no per-row subquery.
  const needsSql = p.needs.length
    ? `${WEIGHTS.needs}::float8 * (${p.needs.map(() => '(v.skills @> array[?]::text[])::int').join(' + ')}) / ${p.needs.length}`
    : '0';
  const slotsSql = p.wanted.length
    ? `${WEIGHTS.availability}::float8 * (${p.wanted.map(() => '(v.availability @> ?::jsonb)::int').join(' + ')}) / ${p.wanted.length}`
    : '0';
  const rows = await conn.execute<CandidateRow[]>(
    `with live as (
       select m.volunteer_id,
              count(*)::int as live,
              bool_or(m.request_id = ?) as here,
              bool_or(m.status = 'ACTIVE' and c.household_id = ?) as helps_household
       from volunteer_match m
       join volunteer mv on mv.id = m.volunteer_id and mv.organisation_id = ?
       join informal_care_request r on r.id = m.request_id
       join "case" c on c.id = r.case_id
       where m.status in ('PROPOSED', 'ACCEPTED', 'ACTIVE')
       group by m.volunteer_id),
     req as (
       select string_to_array(nullif(?, ''), E'\\x1f') as languages,
              ?::jsonb as distance_part),
     ranked as (
       select v.id, coalesce(l.live, 0) as live, coalesce(l.helps_household, false) as helps_household,
              ( ${needsSql}
              + case when v.languages && req.languages then ${WEIGHTS.language}::float8 else 0 end
              + ${slotsSql}
              + coalesce((req.distance_part ->> left(v.postcode, 4))::float8, 0)
              + ${WEIGHTS.load}::float8 * greatest(0, 1 - coalesce(l.live, 0)::float8 / greatest(1, v.max_matches))
              + case when coalesce(l.helps_household, false) then ${WEIGHTS.continuity}::float8 else 0 end ) as sql_score
       from volunteer v cross join req left join live l on l.volunteer_id = v.id
       where v.organisation_id = ? and v.active and not v.paused
         and v.vog_issued_at >= ?::date
         and coalesce(l.live, 0) < v.max_matches
         and not coalesce(l.here, false)
       order by sql_score desc, live asc, v.id asc
       limit ?)
     -- Only the window's rows are projected (arrays and JSON as text: faster to hand over).
     select v.id, v.given_name, v.postcode, array_to_string(v.skills, E'\\x1f') as skills,
            array_to_string(v.languages, E'\\x1f') as languages, v.availability::text as availability, v.max_matches,
            v.vog_issued_at::text as vog_issued_at, r.live, r.helps_household
     from ranked r join volunteer v on v.id = r.id`,
    [
      request.id,
      request.household_id,
      viewer.organisationId,
      p.languages.join(SEP),
      JSON.stringify(distancePart),
      ...p.needs,
      ...p.wanted.map((w) => JSON.stringify([{ day: w.day, part: w.part }])),
      viewer.organisationId,
      vogValidFrom(),
      limit + SQL_WINDOW_MARGIN,
    ],
  );

  const ranked = rankCandidates(
    { needs: request.needs, languages: request.languages, availability: request.availability ?? [], postcode4: request.postcode4 },
    rows.map((r) => ({
      id: r.id,
      givenName: r.given_name,
      postcode: r.postcode,
      skills: splitList(r.skills),
      languages: splitList(r.languages),
      availability: (JSON.parse(r.availability) as AvailabilitySlot[] | null) ?? [],
      maxMatches: Number(r.max_matches),
      vogIssuedAt: r.vog_issued_at,
      live: Number(r.live),
      helpsHousehold: r.helps_household,
    })),
    limit,
  );
  return ranked.map(({ candidate: r, score, reasons, distanceKm }) => {
    ctx.loaders.liveMatchCount.prime(r.id, r.live);
    // Only what the candidate type may show; family name, email, phone and postcode stay behind.
    const volunteer = {
      id: r.id,
      givenName: r.givenName,
      skills: r.skills,
      languages: r.languages,
      availability: r.availability,
      maxMatches: r.maxMatches,
      vogIssuedAt: r.vogIssuedAt,
      active: true,
      paused: false,
    } as unknown as Volunteer;
    return { score, reasons, distanceKm, volunteer };
  });
}
