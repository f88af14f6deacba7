import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Viewer } from './permissions/viewer.js';
import type { AuditTrail } from './modules/audit/audit-trail.js';
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
import { Consent } from './modules/consent/consent.entity.js';
import { Referral, ContactAttempt } from './modules/referral/referral.entity.js';

function byId<T extends { id: string }>(ids: readonly string[], rows: T[]): (T | null)[] {
  const map = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => map.get(id) ?? null);
}

function groupBy<T>(ids: readonly string[], rows: T[], key: (row: T) => string): T[][] {
  const map = new Map<string, T[]>(ids.map((id) => [id, []]));
  for (const row of rows) map.get(key(row))?.push(row);
  return ids.map((id) => map.get(id) ?? []);
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
  const teams = () => [...(viewer?.teamIds ?? [])];
  const opts = { cache: true } as const;

  const noteLoaders = new Map<string, DataLoader<string, NotesPage>>();

  return {
    team: new DataLoader<string, Team | null>(async (ids) => byId(ids, await em.find(Team, { id: { $in: [...ids] } })), opts),

    organisation: new DataLoader<string, Organisation | null>(
      async (ids) => byId(ids, await em.find(Organisation, { id: { $in: [...ids] } })),
      opts,
    ),

    staff: new DataLoader<string, Staff | null>(async (ids) => byId(ids, await em.find(Staff, { id: { $in: [...ids] } })), opts),

    teamsOfStaff: new DataLoader<string, Team[]>(async (ids) => {
      const rows = await em
        .getConnection()
        .execute<{ staff_id: string; team_id: string }[]>(
          'select staff_id, team_id from staff_team where staff_id in (?)',
          [[...ids]],
        );
      const teamRows = await em.find(Team, { id: { $in: [...new Set(rows.map((r) => r.team_id))] } }, { orderBy: { code: 'asc' } });
      const teamMap = new Map(teamRows.map((t) => [t.id, t]));
      return groupBy(ids, rows, (r) => r.staff_id).map((list) =>
        list.map((r) => teamMap.get(r.team_id)).filter((t): t is Team => !!t),
      );
    }, opts),

    household: new DataLoader<string, Household | null>(async (ids) => {
      const rows = await em.find(Household, { id: { $in: [...ids] }, team: { $in: teams() } });
      for (const h of rows) audit.read('Household', h.id, h.id);
      return byId(ids, rows);
    }, opts),

    membersOfHousehold: new DataLoader<string, Resident[]>(async (ids) => {
      const rows = await em.find(
        Resident,
        { household: { $in: [...ids] }, team: { $in: teams() } },
        { orderBy: { birthDate: 'asc', id: 'asc' } },
      );
      for (const r of rows) audit.read('Resident', r.id, r.household.id);
      return groupBy(ids, rows, (r) => r.household.id);
    }, opts),

    case: new DataLoader<string, Case | null>(async (ids) => {
      const rows = await em.find(Case, { id: { $in: [...ids] }, team: { $in: teams() } });
      for (const c of rows) audit.read('Case', c.id, c.household.id);
      return byId(ids, rows);
    }, opts),

    casesOfHousehold: new DataLoader<string, Case[]>(async (ids) => {
      const rows = await em.find(
        Case,
        { household: { $in: [...ids] }, team: { $in: teams() } },
        { orderBy: { registeredAt: 'desc', id: 'desc' } },
      );
      for (const c of rows) audit.read('Case', c.id, c.household.id);
      return groupBy(ids, rows, (c) => c.household.id);
    }, opts),

    goalsOfCase: new DataLoader<string, Goal[]>(async (ids) => {
      const rows = await em.find(
        Goal,
        { case: { id: { $in: [...ids] }, team: { $in: teams() } } },
        { orderBy: { createdAt: 'asc', id: 'asc' }, populate: [] },
      );
      return groupBy(ids, rows, (g) => g.case.id);
    }, opts),

    zrmOfCase: new DataLoader<string, ZrmAssessment[]>(async (ids) => {
      const rows = await em.find(
        ZrmAssessment,
        { case: { id: { $in: [...ids] }, team: { $in: teams() } } },
        { orderBy: { assessedAt: 'desc', id: 'desc' }, populate: ['case'] },
      );
      for (const z of rows) audit.read('ZrmAssessment', z.id, z.case.household.id);
      return groupBy(ids, rows, (z) => z.case.id);
    }, opts),

    /** Only the newest assessment per case: DISTINCT ON in SQL, not a filter in memory. */
    latestZrmOfCase: new DataLoader<string, ZrmAssessment | null>(async (ids) => {
      if (teams().length === 0) return ids.map(() => null);
      const rows = await em
        .getConnection()
        .execute<{ id: string; household_id: string }[]>(
          `select distinct on (z.case_id) z.id, c.household_id from zrm_assessment z join "case" c on c.id = z.case_id
           where z.case_id in (?) and c.team_id in (?) order by z.case_id, z.assessed_at desc, z.id desc`,
          [[...ids], teams()],
        );
      const list = rows.length ? await em.find(ZrmAssessment, { id: { $in: rows.map((r) => r.id) } }) : [];
      for (const r of rows) audit.read('ZrmAssessment', r.id, r.household_id);
      const map = new Map(list.map((z) => [z.case.id, z]));
      return ids.map((id) => map.get(id) ?? null);
    }, opts),

    careAllocationsOfCase: new DataLoader<string, CareAllocation[]>(async (ids) => {
      const rows = await em.find(
        CareAllocation,
        { case: { id: { $in: [...ids] }, team: { $in: teams() } } },
        { orderBy: { investigationStartedAt: 'asc', id: 'asc' } },
      );
      return groupBy(ids, rows, (a) => a.case.id);
    }, opts),

    consentsOfHousehold: new DataLoader<string, Consent[]>(async (ids) => {
      const rows = await em.find(
        Consent,
        { resident: { household: { $in: [...ids] } }, team: { $in: teams() } },
        { orderBy: { grantedAt: 'desc', id: 'asc' }, populate: ['resident'] },
      );
      for (const c of rows) audit.read('Consent', c.id, c.resident.household.id);
      return groupBy(ids, rows, (c) => c.resident.household.id);
    }, opts),

    referralOfCase: new DataLoader<string, Referral | null>(async (ids) => {
      const rows = await em.find(
        Referral,
        { case: { $in: [...ids] }, team: { $in: teams() } },
        { orderBy: { receivedAt: 'asc', id: 'asc' } },
      );
      const map = new Map<string, Referral>();
      for (const r of rows) if (r.case && !map.has(r.case.id)) map.set(r.case.id, r);
      for (const r of map.values()) audit.read('Referral', r.id, r.household?.id ?? null);
      return ids.map((id) => map.get(id) ?? null);
    }, opts),

    contactAttemptsOfReferral: new DataLoader<string, ContactAttempt[]>(async (ids) => {
      const rows = await em.find(
        ContactAttempt,
        { referral: { id: { $in: [...ids] }, team: { $in: teams() } } },
        { orderBy: { at: 'asc', id: 'asc' } },
      );
      return groupBy(ids, rows, (a) => a.referral.id);
    }, opts),

    /**
     * Notes come in pages, newest first: one loader per (first, after), each batching
     * every case asked for in one windowed query.
     */
    notesOfCase(first: number, after: [string | number, string] | null): DataLoader<string, NotesPage> {
      const key = `${first}:${after ? after.join('|') : ''}`;
      let loader = noteLoaders.get(key);
      if (!loader) {
        loader = new DataLoader<string, NotesPage>(async (ids) => {
          if (teams().length === 0) return ids.map(() => ({ rows: [], totalCount: 0 }));
          const afterSql = after ? 'and (n.created_at, n.id) < (?::timestamptz, ?::uuid)' : '';
          const params: unknown[] = [[...ids], teams(), ...(after ? [String(after[0]), after[1]] : []), first + 1];
          const ranked = await em.getConnection().execute<{ id: string; case_id: string; household_id: string; total: string }[]>(
            `select id, case_id, household_id, total from (
               select n.id, n.case_id, c.household_id,
                      (select count(*) from case_note x where x.case_id = n.case_id) as total,
                      row_number() over (partition by n.case_id order by n.created_at desc, n.id desc) as rn
               from case_note n join "case" c on c.id = n.case_id
               where n.case_id in (?) and c.team_id in (?) ${afterSql}) t
             where rn <= ?`,
            params,
          );
          const notes = ranked.length ? await em.find(CaseNote, { id: { $in: ranked.map((r) => r.id) } }) : [];
          const noteMap = new Map(notes.map((n) => [n.id, n]));
          const totals = new Map(ranked.map((r) => [r.case_id, Number(r.total)]));
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
