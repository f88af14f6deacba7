import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Viewer } from './permissions/viewer.js';
import type { AuditTrail } from './modules/audit/audit-trail.js';
import { NO_ID, scopeOf } from './permissions/scope.js';
import { Team } from './modules/team/team.entity.js';
import { Staff } from './modules/staff/staff.entity.js';
import { Organisation } from './modules/organisation/organisation.entity.js';
import { Household } from './modules/household/household.entity.js';
import { Resident } from './modules/household/resident.entity.js';
import { Case } from './modules/case/case.entity.js';
import { Goal } from './modules/case/goal.entity.js';
import { CaseNote } from './modules/case/case-note.entity.js';
import { ZrmAssessment } from './modules/case/zrm-assessment.entity.js';
import { CareAllocation } from './modules/case/care-allocation.entity.js';
import { Consent, activeConsentSql } from './modules/consent/consent.entity.js';
import { Referral, ContactAttempt } from './modules/referral/referral.entity.js';
import { Disclosure } from './modules/audit/access-log.entity.js';
import { Volunteer } from './modules/informal-care/volunteer.entity.js';
import { InformalCareRequest } from './modules/informal-care/informal-care.entity.js';
import { ConsentPurpose, Role } from './modules/common/enums.js';
import { leanFind, leanRows } from './db/lean.js';
import { sql } from './db/sql.js';

/**
 * A DataLoader that also answers synchronously what it already holds (primed, or loaded earlier
 * in the request): `get` returns the value itself where `load` would return a promise, so
 * graphql-js completes a primed object in the same tick instead of a promise and a microtask per
 * field (the look-ahead reads prime a whole page; TeamCases resolves ~150 nested objects).
 */
export class Loader<K, V> extends DataLoader<K, V> {
  private readonly known = new Map<K, V>();

  constructor(batch: DataLoader.BatchLoadFn<K, V>, options?: DataLoader.Options<K, V>) {
    super(async (keys) => {
      const values = await batch(keys);
      keys.forEach((key, i) => {
        const value = values[i];
        if (!(value instanceof Error) && !this.known.has(key)) this.known.set(key, value as V);
      });
      return values;
    }, options);
  }

  override prime(key: K, value: V | PromiseLike<V> | Error): this {
    if (!(value instanceof Error) && !(value instanceof Promise) && !this.known.has(key)) this.known.set(key, value as V);
    return super.prime(key, value);
  }

  override clear(key: K): this {
    this.known.delete(key);
    return super.clear(key);
  }

  override clearAll(): this {
    this.known.clear();
    return super.clearAll();
  }

  /** The value when it is already known, else `load(key)`. */
  get(key: K): V | Promise<V> {
    return this.known.has(key) ? this.known.get(key)! : this.load(key);
  }
}

function byId<T extends { id: string }>(ids: readonly string[], rows: T[]): (T | null)[] {
  const map = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => map.get(id) ?? null);
}

function groupBy<T>(ids: readonly string[], rows: T[], key: (row: T) => string): T[][] {
  const map = new Map<string, T[]>(ids.map((id) => [id, []]));
  for (const row of rows) map.get(key(row))?.push(row);
  return ids.map((id) => map.get(id) ?? []);
}

export interface ContactPersonRow {
  referral_id: string;
  resident_id: string;
  household_id: string | null;
  name: string;
  phone: string | null;
}

export interface NotesPage {
  rows: CaseNote[];
  totalCount: number;
}

/**
 * Per-request DataLoaders (never shared between requests). Every loader of case-file
 * data filters by the viewer's teams in SQL, so a nested path cannot reach another
 * team's rows even if a parent object were somehow out of scope. Loaders also record
 * the audit READ of what they return.
 */
export function createLoaders(em: EntityManager, viewer: Viewer | null, audit: AuditTrail) {
  const scope = scopeOf(viewer);
  const opts = { cache: true } as const;

  const caseSql = scope.caseSql('c');
  const residentSql = scope.residentSql('r');
  const disclosed = new Set<string>();
  const noteLoaders = new Map<string, Loader<string, NotesPage>>();
  /** Households already primed (each is read once). */
  const householdCache = new Set<string>();

  return {
    // Read paths load plain objects, not managed entities (src/db/lean.ts): same filters, no hydration.
    team: new Loader<string, Team | null>(async (ids) => byId(ids, await leanFind(em, Team, { id: { $in: [...ids] } })), opts),

    organisation: new Loader<string, Organisation | null>(
      async (ids) => byId(ids, await leanFind(em, Organisation, { id: { $in: [...ids] } })),
      opts,
    ),

    staff: new Loader<string, Staff | null>(async (ids) => byId(ids, await leanFind(em, Staff, { id: { $in: [...ids] } })), opts),

    teamsOfStaff: new Loader<string, Team[]>(async (ids) => {
      const rows = await sql<{ staff_id: string; team_id: string }>(
        em,
        'select staff_id, team_id from staff_team where staff_id = any(?::uuid[])',
        [[...ids]],
      );
      const teamRows = await em.find(Team, { id: { $in: [...new Set(rows.map((r) => r.team_id))] } }, { orderBy: { code: 'asc' } });
      const teamMap = new Map(teamRows.map((t) => [t.id, t]));
      return groupBy(ids, rows, (r) => r.staff_id).map((list) =>
        list.map((r) => teamMap.get(r.team_id)).filter((t): t is Team => !!t),
      );
    }, opts),

    household: new Loader<string, Household | null>(async (ids) => {
      const rows = await leanFind(em, Household, { $and: [{ id: { $in: [...ids] } }, scope.households()] });
      for (const h of rows) audit.read('Household', h.id, h.id);
      return byId(ids, rows);
    }, opts),

    membersOfHousehold: new Loader<string, Resident[]>(async (ids) => {
      const rows = await leanFind(
        em,
        Resident,
        { $and: [{ household: { $in: [...ids] } }, scope.residents()] },
        { orderBy: { birthDate: 'asc', id: 'asc' } },
      );
      for (const r of rows) audit.read('Resident', r.id, r.household.id);
      return groupBy(ids, rows, (r) => r.household.id);
    }, opts),

    /**
     * Primes one household as `household` (and, with `__members`, `membersOfHousehold`) would
     * load it, from the JSON of `leanJsonObject` (null: not visible). For the one-statement reads
     * (listCases, caseWithSelection), which write the READs of what they prime themselves
     * (AuditTrail#withReadInsert); priming records none.
     */
    primeHousehold(
      id: string,
      json: Record<string, unknown> | null,
      /** The properties the read left out (`omittedProps`), if it left any out. */
      omitted: { household?: ReadonlySet<string>; resident?: ReadonlySet<string> } = {},
    ): void {
      if (householdCache.has(id)) return;
      householdCache.add(id);
      if (!json) {
        this.household.prime(id, null);
        return;
      }
      this.household.prime(id, leanRows(em, Household, [json], omitted.household)[0]!);
      const members = json.__members as Record<string, unknown>[] | undefined;
      if (members) this.membersOfHousehold.prime(id, leanRows(em, Resident, members, omitted.resident));
    },

    case: new Loader<string, Case | null>(async (ids) => {
      const rows = await leanFind(em, Case, { $and: [{ id: { $in: [...ids] } }, scope.cases()] });
      for (const c of rows) audit.read('Case', c.id, c.household.id);
      return byId(ids, rows);
    }, opts),

    casesOfHousehold: new Loader<string, Case[]>(async (ids) => {
      const rows = await leanFind(
        em,
        Case,
        { $and: [{ household: { $in: [...ids] } }, scope.cases()] },
        { orderBy: { registeredAt: 'desc', id: 'desc' } },
      );
      for (const c of rows) audit.read('Case', c.id, c.household.id);
      return groupBy(ids, rows, (c) => c.household.id);
    }, opts),

    goalsOfCase: new Loader<string, Goal[]>(async (ids) => {
      const rows = leanRows(em, Goal, await sql<Record<string, unknown>>(
        em,
        `select g.* from goal g join "case" c on c.id = g.case_id where g.case_id = any(?::uuid[]) and ${caseSql.sql} order by g.created_at asc, g.id asc`,
        [[...ids], ...caseSql.params],
      ));
      return groupBy(ids, rows, (g) => g.case.id);
    }, opts),

    zrmOfCase: new Loader<string, ZrmAssessment[]>(async (ids) => {
      const raw = await sql<Record<string, unknown>>(
        em,
        `select z.*, c.household_id as case_household_id from zrm_assessment z join "case" c on c.id = z.case_id
         where z.case_id = any(?::uuid[]) and ${caseSql.sql} order by z.assessed_at desc, z.id desc`,
        [[...ids], ...caseSql.params],
      );
      const rows = leanRows(em, ZrmAssessment, raw);
      rows.forEach((z, i) => audit.read('ZrmAssessment', z.id, raw[i]!.case_household_id as string));
      return groupBy(ids, rows, (z) => z.case.id);
    }, opts),

    /** Only the newest assessment per case: DISTINCT ON in SQL, not a filter in memory. */
    latestZrmOfCase: new Loader<string, ZrmAssessment | null>(async (ids) => {
      const rows = await sql<Record<string, unknown>>(
        em,
        `select distinct on (z.case_id) z.*, c.household_id as case_household_id from zrm_assessment z join "case" c on c.id = z.case_id
         where z.case_id = any(?::uuid[]) and ${caseSql.sql} order by z.case_id, z.assessed_at desc, z.id desc`,
        [[...ids], ...caseSql.params],
      );
      const list = leanRows(em, ZrmAssessment, rows);
      for (const r of rows) audit.read('ZrmAssessment', r.id as string, r.case_household_id as string);
      const map = new Map(list.map((z) => [z.case.id, z]));
      return ids.map((id) => map.get(id) ?? null);
    }, opts),

    careAllocationsOfCase: new Loader<string, CareAllocation[]>(async (ids) => {
      const rows = leanRows(em, CareAllocation, await sql<Record<string, unknown>>(
        em,
        `select a.* from care_allocation a join "case" c on c.id = a.case_id
         where a.case_id = any(?::uuid[]) and ${caseSql.sql} order by a.investigation_started_at asc, a.id asc`,
        [[...ids], ...caseSql.params],
      ));
      return groupBy(ids, rows, (a) => a.case.id);
    }, opts),

    consentsOfHousehold: new Loader<string, Consent[]>(async (ids) => {
      const raw = await sql<Record<string, unknown>>(
        em,
        `select k.*, r.household_id as resident_household_id from consent k join resident r on r.id = k.resident_id
         where r.household_id = any(?::uuid[]) and ${residentSql.sql} order by k.granted_at desc, k.id asc`,
        [[...ids], ...residentSql.params],
      );
      const rows = leanRows(em, Consent, raw);
      const householdOf = new Map(raw.map((r) => [r.id as string, r.resident_household_id as string]));
      for (const c of rows) audit.read('Consent', c.id, householdOf.get(c.id)!);
      return groupBy(ids, rows, (c) => householdOf.get(c.id)!);
    }, opts),

    referralOfCase: new Loader<string, Referral | null>(async (ids) => {
      const rows = await leanFind(
        em,
        Referral,
        { $and: [{ case: { $in: [...ids] } }, scope.referrals()] },
        { orderBy: { receivedAt: 'asc', id: 'asc' } },
      );
      const map = new Map<string, Referral>();
      for (const r of rows) if (r.case && !map.has(r.case.id)) map.set(r.case.id, r);
      for (const r of map.values()) audit.read('Referral', r.id, r.household?.id ?? null);
      return ids.map((id) => map.get(id) ?? null);
    }, opts),

    contactAttemptsOfReferral: new Loader<string, ContactAttempt[]>(async (ids) => {
      const rows = await em.find(
        ContactAttempt,
        { $and: [{ referral: { $in: [...ids] } }, { referral: scope.referrals() }] },
        { orderBy: { at: 'asc', id: 'asc' } },
      );
      return groupBy(ids, rows, (a) => a.referral.id);
    }, opts),

    /** A case's household id, for audit rows of objects hanging off a case. */
    householdIdOfCase: new Loader<string, string | null>(async (ids) => {
      const rows = await sql<{ id: string; household_id: string }>(
        em,
        'select id, household_id from "case" where id = any(?::uuid[])',
        [[...ids]],
      );
      const map = new Map(rows.map((r) => [r.id, r.household_id]));
      return ids.map((id) => map.get(id) ?? null);
    }, opts),

    /**
     * A resident's given name and phone only, for the pseudonymised informal-care views. Callers
     * reach it only through a request or match that was already scoped to the viewer.
     */
    residentContact: new Loader<string, { id: string; given_name: string; phone: string | null; household_id: string } | null>(
      async (ids) => {
        const rows = await sql<{ id: string; given_name: string; phone: string | null; household_id: string }>(
          em,
          'select id, given_name, phone, household_id from resident where id = any(?::uuid[])',
          [[...ids]],
        );
        const map = new Map(rows.map((r) => [r.id, r]));
        return ids.map((id) => map.get(id) ?? null);
      },
      opts,
    ),

    /**
     * Residents (by id) whose INFORMAL_CARE consent for the viewer's organisation is active now:
     * a volunteer gets a resident's phone only with it (checked in this query, so a revocation
     * counts from the next request on).
     */
    informalCareConsent: new Loader<string, boolean>(async (ids) => {
      if (!viewer?.organisationId) return ids.map(() => false);
      const rows = await sql<{ resident_id: string }>(
        em,
        `select distinct k.resident_id from consent k
          where k.resident_id = any(?::uuid[]) and k.recipient_id = ? and k.purpose = ? and ${activeConsentSql('k')}`,
        [[...ids], viewer.organisationId, ConsentPurpose.INFORMAL_CARE],
      );
      const consented = new Set(rows.map((r) => r.resident_id));
      return ids.map((id) => consented.has(id));
    }, opts),

    informalCareRequest: new Loader<string, InformalCareRequest | null>(
      async (ids) => byId(ids, await em.find(InformalCareRequest, { id: { $in: [...ids] } })),
      opts,
    ),

    /**
     * Volunteers behind the matches the viewer may see. An ambassador sees only those of their
     * own organisation: a team's matches can be with another organisation's volunteers (an
     * earlier ambassador's), and DESIGN.md gives an ambassador their organisation's volunteers.
     */
    volunteer: new Loader<string, Volunteer | null>(async (ids) => {
      const own = viewer?.role === Role.AMBASSADOR ? { organisation: viewer.organisationId ?? NO_ID } : {};
      return byId(ids, await em.find(Volunteer, { id: { $in: [...ids] }, ...own }));
    }, opts),

    liveMatchCount: new Loader<string, number>(async (ids) => {
      const rows = await sql<{ volunteer_id: string; n: string }>(
        em,
        `select volunteer_id, count(*) as n from volunteer_match
         where volunteer_id = any(?::uuid[]) and status in ('PROPOSED', 'ACCEPTED', 'ACTIVE') group by volunteer_id`,
        [[...ids]],
      );
      const map = new Map(rows.map((r) => [r.volunteer_id, Number(r.n)]));
      return ids.map((id) => map.get(id) ?? 0);
    }, opts),

    /**
     * The coordinator a GP practice may reach (GP–worker tandem): only for the practice that
     * sent the referral, only while the resident's GP_TANDEM consent for that practice is
     * active (checked in this query, so a revocation counts from the next request on), and
     * every disclosure is written to the resident's disclosure log.
     */
    contactPersonOfReferral: new Loader<string, ContactPersonRow | null>(async (ids) => {
      if (viewer?.kind !== 'partner' || viewer.role !== Role.PARTNER_GP || !viewer.organisationId) return ids.map(() => null);
      const rows = await sql<ContactPersonRow>(
        em,
        `select r.id as referral_id, r.resident_id, r.household_id, s.name, s.phone
         from referral r
         join "case" c on c.id = r.case_id and c.status <> 'CLOSED'
         join staff s on s.id = c.coordinator_id
         where r.id = any(?::uuid[]) and r.from_id = ? and exists (
           select 1 from consent k
           where k.resident_id = r.resident_id and k.recipient_id = r.from_id and k.purpose = ?
             and ${activeConsentSql('k')})`,
        [[...ids], viewer.organisationId, ConsentPurpose.GP_TANDEM],
      );
      const fresh = rows.filter((r) => !disclosed.has(r.referral_id));
      if (fresh.length) {
        fresh.forEach((r) => disclosed.add(r.referral_id));
        await em.fork().insertMany(
          Disclosure,
          fresh.map((r) => ({
            residentId: r.resident_id,
            recipientId: viewer.organisationId!,
            purpose: ConsentPurpose.GP_TANDEM,
            what: 'coordinator name and phone',
          })),
        );
        for (const r of fresh) audit.export('Referral', r.referral_id, r.household_id);
      }
      const map = new Map(rows.map((r) => [r.referral_id, r]));
      return ids.map((id) => map.get(id) ?? null);
    }, opts),

    /**
     * Notes come in pages, newest first: one loader per (first, after), each batching
     * every case asked for in one windowed query.
     */
    notesOfCase(first: number, after: [string | number, string] | null): Loader<string, NotesPage> {
      const key = `${first}:${after ? after.join('|') : ''}`;
      let loader = noteLoaders.get(key);
      if (!loader) {
        loader = new Loader<string, NotesPage>(async (ids) => {
          const afterSql = after ? 'and (n.created_at, n.id) < (?::timestamptz, ?::uuid)' : '';
          const params: unknown[] = [...(after ? [String(after[0]), after[1]] : []), first + 1, [...ids], ...caseSql.params];
          // One row per visible case, with its page of notes joined (none past the last page):
          // the total counts every note of the case, also when the cursor leaves none to show.
          const joined = await sql<({ id: string | null; case_id: string; page_case_id: string; household_id: string; total: string } & Record<string, unknown>)>(
            em,
            `select p.*, c.id as page_case_id, c.household_id,
                    (select count(*) from case_note x where x.case_id = c.id) as total
               from "case" c
               left join lateral (
                 select n.* from case_note n where n.case_id = c.id ${afterSql}
                  order by n.created_at desc, n.id desc limit ?) p on true
              where c.id = any(?::uuid[]) and ${caseSql.sql}`,
            params,
          );
          const ranked = joined.filter((r): r is typeof r & { id: string } => r.id !== null);
          const notes = leanRows(em, CaseNote, ranked);
          const noteMap = new Map(notes.map((n) => [n.id, n]));
          const totals = new Map(joined.map((r) => [r.page_case_id, Number(r.total)]));
          return groupBy(ids, ranked, (r) => r.case_id).map((list, i) => {
            const rows = list
              .map((r) => noteMap.get(r.id))
              .filter((n): n is CaseNote => !!n)
              .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime() || (a.id < b.id ? 1 : -1));
            for (const r of list.slice(0, first)) audit.read('CaseNote', r.id, r.household_id);
            return { rows, totalCount: totals.get(ids[i]!) ?? 0 };
          });
        }, opts);
        noteLoaders.set(key, loader);
      }
      return loader;
    },
  };
}

export type Loaders = ReturnType<typeof createLoaders>;
