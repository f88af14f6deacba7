import type { Context } from '../../context.js';
import { leanJsonObject, leanRows } from '../../db/lean.js';
import { sql } from '../../db/sql.js';
import { scope } from '../../permissions/scope.js';
import { pageSize } from '../common/connection.js';
import { Team } from '../team/team.entity.js';
import { Staff } from '../staff/staff.entity.js';
import { Organisation } from '../organisation/organisation.entity.js';
import { Consent } from '../consent/consent.entity.js';
import { Referral } from '../referral/referral.entity.js';
import { Case } from './case.entity.js';
import { Goal } from './goal.entity.js';
import { CaseNote } from './case-note.entity.js';
import { ZrmAssessment } from './zrm-assessment.entity.js';
import { CareAllocation } from './care-allocation.entity.js';

type Json = Record<string, unknown>;

function validPageSize(first: unknown): number {
  try {
    return pageSize(first as number | null | undefined);
  } catch {
    return -1;
  }
}

/** One nested part of the statement: a select-list column, its parameters, and what it primes. */
interface Part {
  column: string;
  params: readonly unknown[];
  prime(value: unknown, c: Case): void;
}

/**
 * A case with everything its selection reads, in ONE statement (was: the case, then a dozen
 * loaders on two more levels: household, members, team, coordinator, goals, notes and their
 * authors, assessments, allocations, consents and their recipients, the referral and its
 * sender). Each nested part is a subquery with the same scope filter, order and shape as the
 * loader it stands in for; the loaders are primed with the results and the same audit READs are
 * recorded, so the field resolvers answer from them unchanged. What is not selected is not read;
 * fields under @skip/@include and notes after a cursor are left to their resolvers.
 *
 * `selected`: from `selectedPaths(info)`; `notesArgs`: the arguments of each selected `notes`.
 * Returns null when the case does not exist or is out of scope.
 */
export async function caseWithSelection(
  ctx: Context,
  id: string,
  selected: Set<string>,
  notesArgs: Record<string, unknown>[],
): Promise<Case | null> {
  const { em, loaders, audit } = ctx;
  const s = scope(ctx);
  const has = (path: string) => selected.has(path);
  const json = (entity: Parameters<typeof leanJsonObject>[1], alias: string, extra?: Record<string, string>) =>
    leanJsonObject(em, entity, alias, extra);
  const lean = <T extends object>(entity: new (...args: never[]) => T, rows: Json[]) => leanRows(em, entity, rows);
  const staffJson = (idColumn: string) => `(select ${json(Staff, 's')} from staff s where s.id = ${idColumn})`;
  const organisationJson = (idColumn: string) => `(select ${json(Organisation, 'o')} from organisation o where o.id = ${idColumn})`;
  const primeStaff = (value: unknown) => {
    if (value) loaders.staff.prime((value as Json).id as string, lean(Staff, [value as Json])[0]!);
  };
  const primeOrganisation = (value: unknown) => {
    if (value) loaders.organisation.prime((value as Json).id as string, lean(Organisation, [value as Json])[0]!);
  };
  const parts: Part[] = [];

  if (has('household')) {
    const household = loaders.householdJson('h', has('household.members'));
    const householdSql = s.householdSql('h');
    parts.push({
      column: `(select ${household.sql} from household h where h.id = c.household_id and ${householdSql.sql})`,
      params: [...household.params, ...householdSql.params],
      prime: (value, c) => loaders.primeHousehold(c.household.id, (value as Json | null) ?? null),
    });
  }
  if (has('team')) {
    parts.push({
      column: `(select ${json(Team, 't')} from team t where t.id = c.team_id)`,
      params: [],
      prime: (value, c) => loaders.team.prime(c.team.id, value ? lean(Team, [value as Json])[0]! : null),
    });
  }
  if (has('coordinator')) parts.push({ column: staffJson('c.coordinator_id'), params: [], prime: primeStaff });
  if (has('goals')) {
    parts.push({
      column: `coalesce((select json_agg(${json(Goal, 'g')} order by g.created_at asc, g.id asc) from goal g where g.case_id = c.id), '[]'::json)`,
      params: [],
      prime: (value, c) => loaders.goalsOfCase.prime(c.id, lean(Goal, value as Json[])),
    });
  }
  if (has('zrmAssessments')) {
    parts.push({
      column: `coalesce((select json_agg(${json(ZrmAssessment, 'z')} order by z.assessed_at desc, z.id desc)
        from zrm_assessment z where z.case_id = c.id), '[]'::json)`,
      params: [],
      prime: (value, c) => {
        const rows = lean(ZrmAssessment, value as Json[]);
        for (const z of rows) audit.read('ZrmAssessment', z.id, c.household.id);
        loaders.zrmOfCase.prime(c.id, rows);
      },
    });
  }
  if (has('careAllocations')) {
    parts.push({
      column: `coalesce((select json_agg(${json(CareAllocation, 'a')} order by a.investigation_started_at asc, a.id asc)
        from care_allocation a where a.case_id = c.id), '[]'::json)`,
      params: [],
      prime: (value, c) => loaders.careAllocationsOfCase.prime(c.id, lean(CareAllocation, value as Json[])),
    });
  }
  if (has('consents')) {
    const residentSql = s.residentSql('r');
    const withRecipient = has('consents.recipient');
    parts.push({
      column: `coalesce((select json_agg(${json(Consent, 'k', withRecipient ? { __recipient: organisationJson('k.recipient_id') } : {})}
          order by k.granted_at desc, k.id asc)
        from consent k join resident r on r.id = k.resident_id where r.household_id = c.household_id and ${residentSql.sql}), '[]'::json)`,
      params: residentSql.params,
      prime: (value, c) => {
        const list = value as Json[];
        if (withRecipient) list.forEach((k) => primeOrganisation(k.__recipient));
        const rows = lean(Consent, list);
        for (const k of rows) audit.read('Consent', k.id, c.household.id);
        loaders.consentsOfHousehold.prime(c.household.id, rows);
      },
    });
  }
  if (has('referral')) {
    const referralSql = s.referralSql('f');
    const withFrom = has('referral.from');
    parts.push({
      column: `(select ${json(Referral, 'f', withFrom ? { __from: organisationJson('f.from_id') } : {})} from referral f
        where f.case_id = c.id and ${referralSql.sql} order by f.received_at asc, f.id asc limit 1)`,
      params: referralSql.params,
      prime: (value, c) => {
        if (withFrom && value) primeOrganisation((value as Json).__from);
        const r = value ? lean(Referral, [value as Json])[0]! : null;
        if (r) audit.read('Referral', r.id, r.household?.id ?? null);
        loaders.referralOfCase.prime(c.id, r);
      },
    });
  }
  // The notes page only when every `notes` asks for the same valid first page (no cursor); any
  // other page, and a page size the resolver refuses, is left to the field's resolver.
  const notePages = new Set(notesArgs.map((a) => (a.after == null ? validPageSize(a.first) : -1)));
  if (has('notes') && notePages.size === 1 && !notePages.has(-1)) {
    const first = [...notePages][0]!;
    const withAuthor = has('notes.edges.node.author');
    parts.push({
      column: `json_build_object('total', (select count(*) from case_note n where n.case_id = c.id),
        'rows', coalesce((select json_agg(x.j order by x.created_at desc, x.id desc) from (
          select ${json(CaseNote, 'n', withAuthor ? { __author: staffJson('n.author_id') } : {})} as j, n.created_at, n.id
          from case_note n where n.case_id = c.id order by n.created_at desc, n.id desc limit ?) x), '[]'::json))`,
      params: [first + 1],
      prime: (value, c) => {
        const page = value as { total: number; rows: Json[] };
        if (withAuthor) page.rows.forEach((n) => primeStaff(n.__author));
        const rows = lean(CaseNote, page.rows);
        for (const n of rows.slice(0, first)) audit.read('CaseNote', n.id, c.household.id);
        loaders.notesOfCase(first, null).prime(c.id, { rows, totalCount: Number(page.total) });
      },
    });
  }

  const caseSql = s.caseSql('c');
  const [row] = await sql<Json>(
    em,
    `select c.*${parts.map((p, i) => `, ${p.column} as part_${i}`).join('')}
     from "case" c where c.id = ? and ${caseSql.sql}`,
    [...parts.flatMap((p) => p.params), id, ...caseSql.params],
  );
  if (!row) return null;
  const c = lean(Case, [row])[0]!;
  audit.read('Case', c.id, c.household.id);
  loaders.case.prime(c.id, c);
  parts.forEach((p, i) => p.prime(row[`part_${i}`], c));
  return c;
}
