import type { Context } from '../../context.js';
import type { EntityClass } from '@mikro-orm/core';
import { leanJsonObject, leanRows, leanSelect, omittedProps } from '../../db/lean.js';
import type { OperationFields } from '../common/selection.js';
import { sql } from '../../db/sql.js';
import { scope } from '../../permissions/scope.js';
import type { AuditedType } from '../audit/audit-trail.js';
import { pageSize } from '../common/connection.js';
import { Team } from '../team/team.entity.js';
import { Household } from '../household/household.entity.js';
import { Resident } from '../household/resident.entity.js';
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

/**
 * One nested part of the statement: optionally the CTEs of the rows it reads (`name as (sql)`) and
 * the audit READs of those rows (a select of object_type, object_id, household_id over CTEs);
 * then a select-list column, its parameters, what it primes, and which READs it wrote.
 */
interface Part {
  ctes?: { name: string; sql: string; params: readonly unknown[] }[];
  audit?: string;
  column: string;
  params: readonly unknown[];
  prime(value: unknown, c: Case): void;
  /** The objects of `value` whose READ the statement wrote. */
  audited?(value: unknown): [AuditedType, string[]][];
}

/**
 * A case with everything its selection reads, in ONE statement (was: the case, then a dozen
 * loaders on two more levels: household, members, team, coordinator, goals, notes and their
 * authors, assessments, allocations, consents and their recipients, the referral and its
 * sender). Each nested part is a subquery (over a CTE where its rows are audited) with the same
 * scope filter, order and shape as the loader it stands in for; the loaders are primed with the
 * results, so the field resolvers answer from them unchanged. The statement also writes the READ
 * rows the loaders would have recorded (one per case, household, member, assessment, consent,
 * referral and note of the page) in a data-modifying CTE, committed with the read itself;
 * priming the loaders records none. What
 * is not selected is not read; fields under @skip/@include and notes after a cursor are left to
 * their resolvers.
 *
 * `selected`: from `selectedPaths(info)`; `notesArgs`: the arguments of each selected `notes`.
 * Returns null when the case does not exist or is out of scope.
 */
export async function caseWithSelection(
  ctx: Context,
  id: string,
  selected: Set<string>,
  notesArgs: Record<string, unknown>[],
  /** What the whole operation selects (`operationFields(info)`): the columns it never shows stay out. */
  fields?: OperationFields,
): Promise<Case | null> {
  const { em, loaders, audit } = ctx;
  const s = scope(ctx);
  const has = (path: string) => selected.has(path);
  // The notes page's keyset cursor is made of createdAt (and id): read even when no field shows it.
  const omitted = (entity: EntityClass<object>) => (fields ? omittedProps(em, entity, fields, entity === CaseNote ? ['createdAt'] : []) : undefined);
  const json = (entity: EntityClass<object>, alias: string, extra?: Record<string, string>) =>
    leanJsonObject(em, entity, alias, extra, omitted(entity));
  const lean = <T extends object>(entity: EntityClass<T>, rows: Json[]) => leanRows(em, entity, rows, omitted(entity as EntityClass<object>));
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
    // Household and members in one column, shaped as `primeHousehold` takes them (as in listCases).
    const householdSql = s.householdSql('h');
    const residentSql = s.residentSql('r');
    const withMembers = has('household.members');
    const members = `coalesce((select json_agg(${json(Resident, 'r')} order by r.birth_date asc, r.id asc) from mem r), '[]'::json)`;
    parts.push({
      ctes: [
        { name: 'hh', sql: `select h.* from household h where h.id = (select household_id from c) and ${householdSql.sql}`, params: householdSql.params },
        ...(withMembers
          ? [{ name: 'mem', sql: `select r.* from resident r where r.household_id in (select id from hh) and ${residentSql.sql}`, params: residentSql.params }]
          : []),
      ],
      audit: `select 'Household', h.id::text, h.id from hh h${withMembers ? ` union all select 'Resident', r.id::text, r.household_id from mem r` : ''}`,
      column: `(select ${json(Household, 'h', withMembers ? { __members: members } : {})} from hh h)`,
      params: [],
      prime: (value, c) => loaders.primeHousehold(c.household.id, (value as Json | null) ?? null, { household: omitted(Household), resident: omitted(Resident) }),
      audited: (value) => {
        const h = value as Json | null;
        if (!h) return [];
        return [['Household', [h.id as string]], ['Resident', ((h.__members ?? []) as Json[]).map((r) => r.id as string)]];
      },
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
      ctes: [{ name: 'zrm', sql: `select z.* from zrm_assessment z where z.case_id = (select id from c)`, params: [] }],
      audit: `select 'ZrmAssessment', z.id::text, (select household_id from c) from zrm z`,
      column: `coalesce((select json_agg(${json(ZrmAssessment, 'z')} order by z.assessed_at desc, z.id desc) from zrm z), '[]'::json)`,
      params: [],
      prime: (value, c) => loaders.zrmOfCase.prime(c.id, lean(ZrmAssessment, value as Json[])),
      audited: (value) => [['ZrmAssessment', (value as Json[]).map((z) => z.id as string)]],
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
      ctes: [{
        name: 'con',
        sql: `select k.* from consent k join resident r on r.id = k.resident_id where r.household_id = (select household_id from c) and ${residentSql.sql}`,
        params: residentSql.params,
      }],
      audit: `select 'Consent', k.id::text, (select household_id from c) from con k`,
      column: `coalesce((select json_agg(${json(Consent, 'k', withRecipient ? { __recipient: organisationJson('k.recipient_id') } : {})}
          order by k.granted_at desc, k.id asc) from con k), '[]'::json)`,
      params: [],
      audited: (value) => [['Consent', (value as Json[]).map((k) => k.id as string)]],
      prime: (value, c) => {
        const list = value as Json[];
        if (withRecipient) list.forEach((k) => primeOrganisation(k.__recipient));
        loaders.consentsOfHousehold.prime(c.household.id, lean(Consent, list));
      },
    });
  }
  if (has('referral')) {
    const referralSql = s.referralSql('f');
    const withFrom = has('referral.from');
    parts.push({
      ctes: [{
        name: 'ref',
        sql: `select f.* from referral f where f.case_id = (select id from c) and ${referralSql.sql} order by f.received_at asc, f.id asc limit 1`,
        params: referralSql.params,
      }],
      audit: `select 'Referral', f.id::text, f.household_id from ref f`,
      column: `(select ${json(Referral, 'f', withFrom ? { __from: organisationJson('f.from_id') } : {})} from ref f)`,
      params: [],
      audited: (value) => (value ? [['Referral', [(value as Json).id as string]]] : []),
      prime: (value, c) => {
        if (withFrom && value) primeOrganisation((value as Json).__from);
        loaders.referralOfCase.prime(c.id, value ? lean(Referral, [value as Json])[0]! : null);
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
      // One more than the page (hasNextPage), of which the page's own notes are audited.
      ctes: [{ name: 'notes', sql: `select n.* from case_note n where n.case_id = (select id from c) order by n.created_at desc, n.id desc limit ?`, params: [first + 1] }],
      audit: `select 'CaseNote', n.id::text, (select household_id from c) from (select id from notes order by created_at desc, id desc limit ${first}) n`,
      column: `json_build_object('total', (select count(*) from case_note n where n.case_id = c.id),
        'rows', coalesce((select json_agg(${json(CaseNote, 'n', withAuthor ? { __author: staffJson('n.author_id') } : {})}
          order by n.created_at desc, n.id desc) from notes n), '[]'::json))`,
      params: [],
      audited: (value) => [['CaseNote', (value as { rows: Json[] }).rows.slice(0, first).map((n) => n.id as string)]],
      prime: (value, c) => {
        const page = value as { total: number; rows: Json[] };
        if (withAuthor) page.rows.forEach((n) => primeStaff(n.__author));
        loaders.notesOfCase(first, null).prime(c.id, { rows: lean(CaseNote, page.rows), totalCount: Number(page.total) });
      },
    });
  }

  const caseSql = s.caseSql('c');
  const ctes = parts.flatMap((p) => p.ctes ?? []);
  const audited = [`select 'Case' as object_type, c.id::text as object_id, c.household_id from c`, ...parts.flatMap((p) => (p.audit ? [p.audit] : []))];
  // The statement writes the audit READs of what it returns (withReadInsert): they commit with the read.
  const row = await audit.withReadInsert(audited.join(' union all '), async (insert) => {
    const [found] = await sql<Json>(
      em,
      `with c as (select ${leanSelect(em, Case, 'c', omitted(Case))} from "case" c where c.id = ? and ${caseSql.sql})
       ${ctes.map((t) => `, ${t.name} as (${t.sql})`).join('')}
       , audit as (${insert.sql} returning 1)
       select c.*${parts.map((p, i) => `, ${p.column} as part_${i}`).join('')} from c`,
      [id, ...caseSql.params, ...ctes.flatMap((t) => t.params), ...insert.params, ...parts.flatMap((p) => p.params)],
    );
    if (found) {
      audit.recordedReads('Case', [found.id as string]);
      parts.forEach((p, i) => {
        for (const [type, ids] of p.audited?.(found[`part_${i}`]) ?? []) audit.recordedReads(type, ids);
      });
    }
    return found;
  });
  if (!row) return null;
  const c = lean(Case, [row])[0]!;
  loaders.case.prime(c.id, c);
  parts.forEach((p, i) => p.prime(row[`part_${i}`], c));
  return c;
}
