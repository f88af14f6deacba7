import type { EntityManager } from '@mikro-orm/postgresql';
import { LockMode, type EntityClass } from '@mikro-orm/core';
import type { Context } from '../../context.js';
import { inTransaction } from '../../db/transaction.js';
import { assertTeamInScope, isUuid, notFound, requireViewer, scope, scopedTeamIds } from '../../permissions/scope.js';
import { AccessAction, CareDecision, CaseStatus, OrganisationKind, ReferralStatus, Role, ZrmKind } from '../common/enums.js';
import { BadInputError, ConflictError } from '../common/errors.js';
import * as v from '../common/validation.js';
import type { ConnectionShape } from '../common/connection.js';
import { pageSize, toConnection } from '../common/connection.js';
import { decodeTimeCursor } from '../common/pagination.js';
import { leanJsonObject, leanRows, leanSelect, omittedProps } from '../../db/lean.js';
import type { OperationFields } from '../common/selection.js';
import { sql } from '../../db/sql.js';
import { caseWithSelection } from './case-detail.js';
import { Household } from '../household/household.entity.js';
import { Resident } from '../household/resident.entity.js';
import { Staff } from '../staff/staff.entity.js';
import { Organisation } from '../organisation/organisation.entity.js';
import { Referral } from '../referral/referral.entity.js';
import { refuseIfFinal } from '../referral/referral.service.js';
import { REFERRAL_STATUS_CHANGED } from '../referral/referral-intake.js';
import { moveReferralStatus } from '../referral/referral-status.js';
import { writeOutbox } from '../../jobs/outbox.js';
import { endInformalCareOfCase } from '../informal-care/informal-care.service.js';
import { Case } from './case.entity.js';
import { Goal } from './goal.entity.js';
import { CaseNote } from './case-note.entity.js';
import { ZrmAssessment } from './zrm-assessment.entity.js';
import { CareAllocation } from './care-allocation.entity.js';
import { ZRM_DOMAINS } from './zrm-domains.js';
import type {
  AddCaseNoteInput,
  AddGoalInput,
  CaseFilter,
  CloseCaseInput,
  OpenCaseInput,
  RecordCareAllocationInput,
  RecordZrmAssessmentInput,
  StartCaseInput,
} from './case.inputs.js';

/** The case lifecycle: which status may follow which (CLOSED is reachable from every open status). */
const NEXT: Record<CaseStatus, readonly CaseStatus[]> = {
  [CaseStatus.REGISTERED]: [CaseStatus.INTAKE, CaseStatus.CLOSED],
  [CaseStatus.INTAKE]: [CaseStatus.ACTIVE, CaseStatus.CLOSED],
  [CaseStatus.ACTIVE]: [CaseStatus.CLOSED],
  [CaseStatus.CLOSED]: [],
};

function assertTransition(c: Case, to: CaseStatus) {
  if (!NEXT[c.status].includes(to)) {
    const hint: Record<CaseStatus, string> = {
      [CaseStatus.REGISTERED]: 'a registered case first needs its first contact (recordFirstContact)',
      [CaseStatus.INTAKE]: 'an intake case can start or close',
      [CaseStatus.ACTIVE]: 'an active case can only close',
      [CaseStatus.CLOSED]: 'a closed case cannot change any more',
    };
    throw new ConflictError(`Cannot move a case from ${c.status} to ${to}: ${hint[c.status]}.`);
  }
}

function assertVersion(c: Case, expected: number | null | undefined) {
  if (expected !== null && expected !== undefined && expected !== c.version) {
    throw new ConflictError(
      `The case was changed in the meantime (version ${c.version}, you had ${expected}); reload it and try again.`,
    );
  }
}

/**
 * Loads a case inside the viewer's teams, within the mutation's transaction; `lock`: with its
 * row locked until commit, for a check that must not race (none pending yet, say).
 * Out of scope and non-existent answer alike (NOT_FOUND).
 */
export async function caseForUpdate(ctx: Context, em: EntityManager, id: string, lock = false): Promise<Case> {
  if (!isUuid(id)) throw notFound(ctx, 'Case', id);
  const c = await em.findOne(Case, { $and: [{ id }, scope(ctx).cases()] }, lock ? { lockMode: LockMode.PESSIMISTIC_WRITE } : {});
  if (!c) throw notFound(ctx, 'Case', id);
  return c;
}

function assertOpen(c: Case, what: string) {
  if (c.status === CaseStatus.CLOSED) throw new ConflictError(`The case is closed: cannot ${what}.`);
}

/** `look`: the selection, for a one-statement read of everything it asks for (case-detail.ts). */
export async function caseById(
  ctx: Context,
  id: string,
  look?: { selected: Set<string>; notesArgs: Record<string, unknown>[]; fields?: OperationFields },
): Promise<Case> {
  if (!isUuid(id)) throw notFound(ctx, 'Case', id);
  const c = look ? await caseWithSelection(ctx, id, look.selected, look.notesArgs, look.fields) : await ctx.loaders.case.load(id);
  if (!c) throw notFound(ctx, 'Case', id);
  return c;
}

export async function listCases(
  ctx: Context,
  filter: CaseFilter | null | undefined,
  first: number | null | undefined,
  after: string | null | undefined,
  /** The selection (from `selectedPaths(info)`), for the look-ahead prefetch; none: no prefetch. */
  selected?: Set<string>,
  /** What the whole operation selects (`operationFields(info)`): the page leaves out the columns it never shows. */
  fields?: OperationFields,
): Promise<ConnectionShape<Case>> {
  // One hand-written statement for the page and the total (was: a query-builder page ∥ a count on a
  // forked connection), with the same filters as `scope(ctx).cases()` & co. and the same keyset
  // as keysetPage: newest registration first, (registeredAt, id) below the cursor.
  const caseSql = scope(ctx).caseSql('c');
  const where = [caseSql.sql];
  const params: unknown[] = [...caseSql.params];
  if (filter?.teamId) {
    assertTeamInScope(ctx, filter.teamId, 'filter.teamId');
    where.push('c.team_id = ?');
    params.push(filter.teamId);
  }
  if (filter?.status?.length) {
    where.push('c.status = any(?::text[])');
    params.push([...filter.status]);
  }
  if (filter?.householdId) {
    if (!isUuid(filter.householdId)) throw new BadInputError('filter.householdId', 'is not a valid id');
    where.push('c.household_id = ?');
    params.push(filter.householdId);
  }
  const limit = pageSize(first);
  let cursorSql = '';
  const cursorParams: unknown[] = [];
  if (after) {
    const [atDate, id] = decodeTimeCursor(after);
    cursorSql = 'and (c.registered_at < ?::timestamptz or (c.registered_at = ?::timestamptz and c.id < ?))';
    cursorParams.push(atDate.toISOString(), atDate.toISOString(), id);
  }
  const whereSql = where.join(' and ');
  // What the selection will read of each case comes in the same statement (look-ahead), through
  // the same scope filters, shapes and order as the `staff`, `latestZrmOfCase`, `household` and
  // `membersOfHousehold` loaders, which are primed with it. Fields under @skip/@include are left
  // to their resolvers (selectedPaths). The statement also writes the page's audit READs (one row
  // per case, household, member and assessment it returns) in a data-modifying CTE: they commit
  // with the read, and no separate insert is needed.
  const has = (field: string) => !!selected?.has(`edges.node.${field}`);
  const withCoordinator = has('coordinator');
  const withZrm = has('latestZrm');
  const withHousehold = has('household');
  const withMembers = has('household.members');
  const s = scope(ctx);
  const householdSql = s.householdSql('h');
  const residentSql = s.residentSql('r');
  const audited = [`select 'Case' as object_type, e.id::text as object_id, e.household_id from edges e`];
  if (withHousehold) audited.push(`select 'Household', h.id::text, h.id from hh h`);
  if (withMembers) audited.push(`select 'Resident', r.id::text, r.household_id from mem r`);
  if (withZrm) audited.push(`select 'ZrmAssessment', z.id::text, e.household_id from zrm z join edges e on e.id = z.case_id`);
  // Columns no part of the operation shows stay in the database (omittedProps); the keyset's
  // registeredAt is always read. Without `fields` (a caller outside GraphQL) every column comes.
  const omitted = (entity: EntityClass<object>) => (fields ? omittedProps(ctx.em, entity, fields, entity === Case ? ['registeredAt'] : []) : undefined);
  const json = (entity: EntityClass<object>, alias: string, extra?: Record<string, string>) =>
    leanJsonObject(ctx.em, entity, alias, extra, omitted(entity));
  // What the statement wrote READs for (the trail must not write them again when a loader reads
  // one of these objects later in the request; priming the loaders below records no READs).
  const recordReads = (rows: Record<string, unknown>[]) => {
    const edges = rows.filter((r) => r.id !== null).slice(0, limit);
    ctx.audit.recordedReads('Case', edges.map((r) => r.id as string));
    const households = edges.map((r) => r.household_json as Record<string, unknown> | null | undefined).filter((h) => !!h);
    ctx.audit.recordedReads('Household', households.map((h) => h.id as string));
    ctx.audit.recordedReads('Resident', households.flatMap((h) => ((h.__members ?? []) as { id: string }[]).map((m) => m.id)));
    ctx.audit.recordedReads('ZrmAssessment', edges.flatMap((r) => (r.zrm_json ? [(r.zrm_json as { id: string }).id] : [])));
  };
  // `members` and `households` are MATERIALIZED: computed once. Inlined (PostgreSQL inlines a CTE
  // used once), a planner without statistics — right after a bulk load, before ANALYZE — put the
  // JSON aggregation inside a nested loop and ran it once per page row (8 s for a page of 100).
  const raw = await ctx.audit.withReadInsert(audited.join(' union all '), async (audit) => {
    const rows = await sql<Record<string, unknown>>(
      ctx.em,
      `with page as (
         select ${leanSelect(ctx.em, Case, 'c', omitted(Case))} from "case" c where ${whereSql} ${cursorSql} order by c.registered_at desc, c.id desc limit ?
       ),
       edges as (select * from page order by registered_at desc, id desc limit ?)
       ${withHousehold ? `, hh as (select h.* from household h where h.id in (select household_id from edges) and ${householdSql.sql})` : ''}
       ${withMembers ? `, mem as (select r.* from resident r where r.household_id in (select id from hh) and ${residentSql.sql})` : ''}
       ${withZrm ? `, zrm as (select distinct on (z.case_id) z.* from zrm_assessment z where z.case_id in (select id from edges)
           order by z.case_id, z.assessed_at desc, z.id desc)` : ''}
       , audit as (${audit.sql} returning 1)
       ${withMembers ? `, members as materialized (select r.household_id, json_agg(${json(Resident, 'r')} order by r.birth_date asc, r.id asc) as list
           from mem r group by r.household_id)` : ''}
       ${withHousehold ? `, households as materialized (select h.id, ${json(Household, 'h', withMembers ? { __members: `coalesce(m.list, '[]'::json)` } : {})} as j
           from hh h ${withMembers ? 'left join members m on m.household_id = h.id' : ''})` : ''}
       select p.*, t.total as page_total
         ${withCoordinator ? `, case when s.id is null then null
             when row_number() over (partition by s.id order by p.registered_at desc, p.id desc) > 1 then null
             else ${json(Staff, 's')} end as coordinator_json` : ''}
         ${withZrm ? `, case when z.id is null then null else ${json(ZrmAssessment, 'z')} end as zrm_json` : ''}
         ${withHousehold ? ', hj.j as household_json' : ''}
       from (select count(*) as total from "case" c where ${whereSql}) t
       left join page p on true
       ${withCoordinator ? 'left join staff s on s.id = p.coordinator_id' : ''}
       ${withZrm ? 'left join zrm z on z.case_id = p.id' : ''}
       ${withHousehold ? 'left join households hj on hj.id = p.household_id' : ''}
       order by p.registered_at desc, p.id desc`,
      [
        ...params,
        ...cursorParams,
        limit + 1,
        limit,
        ...(withHousehold ? householdSql.params : []),
        ...(withMembers ? residentSql.params : []),
        ...audit.params,
        ...params,
      ],
    );
    recordReads(rows);
    return rows;
  });
  const pageRaw = raw.filter((r) => r.id !== null);
  const rows = leanRows(ctx.em, Case, pageRaw, omitted(Case));
  const page = toConnection(rows, limit, Number(raw[0]?.page_total ?? 0), (c) => c.registeredAt, !!after);
  const edges = pageRaw.slice(0, page.edges.length);
  for (const [i, { node }] of page.edges.entries()) {
    ctx.loaders.case.prime(node.id, node);
    const r = edges[i]!;
    // Each coordinator comes once, on the first of its cases in page order (a page of 50 has a
    // handful): the rest of its cases find it primed by then.
    const coordinator = r.coordinator_json as Record<string, unknown> | null;
    if (coordinator) ctx.loaders.staff.prime(coordinator.id as string, leanRows(ctx.em, Staff, [coordinator], omitted(Staff))[0]!);
    if (withZrm) {
      const z = r.zrm_json as Record<string, unknown> | null;
      ctx.loaders.latestZrmOfCase.prime(node.id, z ? leanRows(ctx.em, ZrmAssessment, [z], omitted(ZrmAssessment))[0]! : null);
    }
    if (withHousehold) ctx.loaders.primeHousehold(node.household.id, r.household_json as Record<string, unknown> | null, { household: omitted(Household), resident: omitted(Resident) });
  }
  return page;
}

export async function openCase(ctx: Context, input: OpenCaseInput): Promise<Case> {
  requireViewer(ctx);
  const reason = v.text('reason', input.reason, { max: 2000 });
  const registeredAt = v.notInFuture('registeredAt', input.registeredAt ?? new Date());
  return inTransaction(ctx.em, async (em) => {
    if (!isUuid(input.householdId)) throw notFound(ctx, 'Household', input.householdId);
    const household = await em.findOne(
      Household,
      { id: input.householdId, team: { $in: scopedTeamIds(ctx) } },
      // Serialises concurrent openCase calls for one household before the unique index has to.
      { lockMode: LockMode.PESSIMISTIC_WRITE },
    );
    if (!household) throw notFound(ctx, 'Household', input.householdId);
    const open = await em.count(Case, { household, status: { $ne: CaseStatus.CLOSED } });
    if (open > 0) {
      throw new ConflictError('This household already has an open case: one household, one plan. Close it before opening another.');
    }
    const c = em.create(Case, {
      household,
      team: household.team,
      reason,
      referralSource: input.referralSource,
      registeredAt,
      status: CaseStatus.REGISTERED,
    });
    if (input.referralId) {
      if (!isUuid(input.referralId)) throw notFound(ctx, 'Referral', input.referralId);
      const referral = await em.findOne(Referral, { id: input.referralId, team: { $in: scopedTeamIds(ctx) } });
      if (!referral) throw notFound(ctx, 'Referral', input.referralId);
      if (referral.case) throw new ConflictError('This referral is already linked to a case.');
      refuseIfFinal(referral);
      if (referral.household && referral.household.id !== household.id) {
        throw new BadInputError('referralId', 'the referral is linked to another household');
      }
      referral.case = c;
      referral.household = household;
      // With its case: the team that opened it handles it (triageReferral does the same).
      referral.team = household.team;
      // Like every status change the sender sees, the sender's system hears of it (DESIGN.md 5);
      // a corporation sees TRIAGED as RECEIVED, so neither its date nor its system hears of this.
      if (referral.status === ReferralStatus.RECEIVED && moveReferralStatus(referral, ReferralStatus.TRIAGED)) {
        writeOutbox(em, REFERRAL_STATUS_CHANGED, { referralId: referral.id });
      }
      ctx.audit.writeInTransaction(em, AccessAction.UPDATE, 'Referral', referral.id, household.id, { linkedCase: c.id });
    }
    ctx.audit.writeInTransaction(em, AccessAction.CREATE, 'Case', c.id, household.id);
    return c;
  });
}

export async function recordFirstContact(ctx: Context, caseId: string, at: Date, expectedVersion?: number | null): Promise<Case> {
  v.notInFuture('at', at);
  return inTransaction(ctx.em, async (em) => {
    const c = await caseForUpdate(ctx, em, caseId);
    assertVersion(c, expectedVersion);
    assertTransition(c, CaseStatus.INTAKE);
    v.notBefore('at', at, c.registeredAt, 'the registration');
    c.firstContactAt = at;
    c.status = CaseStatus.INTAKE;
    ctx.audit.writeInTransaction(em, AccessAction.UPDATE, 'Case', c.id, c.household.id, { changed: ['status', 'firstContactAt'] });
    return c;
  });
}

async function coordinatorFor(em: EntityManager, c: Case, coordinatorId: string, field: string): Promise<Staff> {
  if (!isUuid(coordinatorId)) throw new BadInputError(field, 'is not a valid id');
  const staff = await em.findOne(Staff, { id: coordinatorId, active: true, teams: c.team.id });
  if (!staff || ![Role.TEAM_WORKER, Role.TEAM_LEAD].includes(staff.role)) {
    throw new BadInputError(field, "must be a worker or lead of the case's team");
  }
  return staff;
}

export async function startCase(ctx: Context, input: StartCaseInput): Promise<Case> {
  v.notInFuture('startedAt', input.startedAt);
  return inTransaction(ctx.em, async (em) => {
    const c = await caseForUpdate(ctx, em, input.caseId);
    assertVersion(c, input.expectedVersion);
    assertTransition(c, CaseStatus.ACTIVE);
    v.notBefore('startedAt', input.startedAt, c.firstContactAt ?? c.registeredAt, 'the first contact');
    c.coordinator = await coordinatorFor(em, c, input.coordinatorId, 'coordinatorId');
    c.startedAt = input.startedAt;
    c.status = CaseStatus.ACTIVE;
    ctx.audit.writeInTransaction(em, AccessAction.UPDATE, 'Case', c.id, c.household.id, {
      changed: ['status', 'startedAt', 'coordinator'],
    });
    return c;
  });
}

/** TEAM_LEAD: hand the case to another coordinator of the same team. */
export async function reassignCoordinator(
  ctx: Context,
  caseId: string,
  coordinatorId: string,
  expectedVersion?: number | null,
): Promise<Case> {
  return inTransaction(ctx.em, async (em) => {
    const c = await caseForUpdate(ctx, em, caseId);
    assertVersion(c, expectedVersion);
    assertOpen(c, 'reassign its coordinator');
    c.coordinator = await coordinatorFor(em, c, coordinatorId, 'coordinatorId');
    ctx.audit.writeInTransaction(em, AccessAction.UPDATE, 'Case', c.id, c.household.id, { changed: ['coordinator'] });
    return c;
  });
}

export async function closeCase(ctx: Context, input: CloseCaseInput): Promise<Case> {
  v.notInFuture('closedAt', input.closedAt);
  if (input.clientRating !== null && input.clientRating !== undefined) v.intInRange('clientRating', input.clientRating, 1, 10);
  return inTransaction(ctx.em, async (em) => {
    // Locked: informal care on the case is ended below, and a proposal or request being made at
    // the same moment (which reads the case FOR SHARE) must come before that or see it closed.
    const c = await caseForUpdate(ctx, em, input.caseId, true);
    assertVersion(c, input.expectedVersion);
    assertTransition(c, CaseStatus.CLOSED);
    v.notBefore('closedAt', input.closedAt, c.startedAt ?? c.firstContactAt ?? c.registeredAt, 'the last step of the case');
    // A case closed before it started keeps startedAt empty (the report counts those).
    c.status = CaseStatus.CLOSED;
    c.closedAt = input.closedAt;
    c.closureReason = input.reason;
    c.clientRating = input.clientRating ?? null;
    c.selfReliantAfter = input.selfReliantAfter ?? null;
    ctx.audit.writeInTransaction(em, AccessAction.UPDATE, 'Case', c.id, c.household.id, {
      changed: ['status', 'closedAt', 'closureReason', 'clientRating', 'selfReliantAfter'],
    });
    await endInformalCareOfCase(ctx, em, c.id, c.household.id, input.closedAt);
    return c;
  });
}

export async function addGoal(ctx: Context, input: AddGoalInput): Promise<Goal> {
  const description = v.text('description', input.description, { max: 2000 });
  if (input.targetDate && !/^\d{4}-\d{2}-\d{2}$/.test(input.targetDate)) throw new BadInputError('targetDate', 'must be YYYY-MM-DD');
  return inTransaction(ctx.em, async (em) => {
    const c = await caseForUpdate(ctx, em, input.caseId);
    assertOpen(c, 'add a goal');
    const goal = em.create(Goal, { case: c, description, domain: input.domain ?? null, targetDate: input.targetDate ?? null });
    ctx.audit.writeInTransaction(em, AccessAction.CREATE, 'Goal', goal.id, c.household.id);
    return goal;
  });
}

export async function addCaseNote(ctx: Context, input: AddCaseNoteInput): Promise<CaseNote> {
  const viewer = requireViewer(ctx);
  const body = v.text('body', input.body, { max: 10000 });
  return inTransaction(ctx.em, async (em) => {
    const c = await caseForUpdate(ctx, em, input.caseId);
    assertOpen(c, 'add a note');
    const note = em.create(CaseNote, { case: c, author: em.getReference(Staff, viewer.id), body });
    ctx.audit.writeInTransaction(em, AccessAction.CREATE, 'CaseNote', note.id, c.household.id);
    return note;
  });
}

export async function recordZrmAssessment(ctx: Context, input: RecordZrmAssessmentInput): Promise<ZrmAssessment> {
  v.notInFuture('assessedAt', input.assessedAt);
  const domains = ZRM_DOMAINS[input.version];
  const given = new Map<string, number>();
  input.scores.forEach((s, i) => {
    if (!domains.includes(s.domain)) {
      throw new BadInputError(`scores.${i}.domain`, `${s.domain} is not a domain of ${input.version}`);
    }
    if (given.has(s.domain)) throw new BadInputError(`scores.${i}.domain`, `${s.domain} is scored twice`);
    if (!Number.isInteger(s.score) || s.score < 1 || s.score > 5) {
      throw new BadInputError(`scores.${i}.score`, `${s.domain}: must be a whole number from 1 (acute) to 5 (fully self-reliant)`);
    }
    given.set(s.domain, s.score);
  });
  const missing = domains.filter((d) => !given.has(d));
  if (missing.length) {
    throw new BadInputError('scores', `missing a score for ${missing.join(', ')} (${input.version} has ${domains.length} domains)`);
  }
  return inTransaction(ctx.em, async (em) => {
    const c = await caseForUpdate(ctx, em, input.caseId);
    if (c.status === CaseStatus.CLOSED && input.kind !== ZrmKind.CLOSING) {
      throw new ConflictError('The case is closed: only a CLOSING assessment can still be recorded.');
    }
    v.notBefore('assessedAt', input.assessedAt, c.registeredAt, 'the registration');
    let resident: Resident | null = null;
    if (input.residentId) {
      if (!isUuid(input.residentId)) throw new BadInputError('residentId', 'is not a valid id');
      resident = await em.findOne(Resident, { id: input.residentId, household: c.household });
      if (!resident) throw new BadInputError('residentId', 'is not a member of the case\'s household');
    }
    const zrm = em.create(ZrmAssessment, {
      case: c,
      resident,
      assessedAt: input.assessedAt,
      version: input.version,
      kind: input.kind,
      scores: domains.map((domain) => ({ domain, score: given.get(domain)! })),
    });
    ctx.audit.writeInTransaction(em, AccessAction.CREATE, 'ZrmAssessment', zrm.id, c.household.id);
    return zrm;
  });
}

export async function recordCareAllocation(ctx: Context, input: RecordCareAllocationInput): Promise<CareAllocation> {
  const provision = v.text('provision', input.provision, { max: 200 });
  const investigationStartedAt = v.pastDate('investigationStartedAt', input.investigationStartedAt);
  const decision = input.decision ?? CareDecision.PENDING;
  let decidedAt: string | null = null;
  if (input.decidedAt) {
    decidedAt = v.pastDate('decidedAt', input.decidedAt);
    if (decidedAt < investigationStartedAt) throw new BadInputError('decidedAt', 'must not be before investigationStartedAt');
  }
  if (decision === CareDecision.PENDING && decidedAt) throw new BadInputError('decidedAt', 'must be empty while the decision is PENDING');
  return inTransaction(ctx.em, async (em) => {
    const c = await caseForUpdate(ctx, em, input.caseId);
    assertOpen(c, 'record a care allocation');
    let provider: Organisation | null = null;
    if (input.providerId) {
      if (!isUuid(input.providerId)) throw new BadInputError('providerId', 'is not a valid id');
      provider = await em.findOne(Organisation, input.providerId);
      if (!provider) throw new BadInputError('providerId', 'no such organisation');
      if (provider.kind !== OrganisationKind.CARE_PROVIDER) throw new BadInputError('providerId', 'must be a care provider');
    }
    const allocation = em.create(CareAllocation, {
      case: c,
      provision,
      provider,
      form: input.form,
      investigationStartedAt,
      decision,
      decidedAt,
    });
    ctx.audit.writeInTransaction(em, AccessAction.CREATE, 'CareAllocation', allocation.id, c.household.id);
    return allocation;
  });
}

export function daysBetween(from: Date, to: Date): number {
  return Math.round(((to.getTime() - from.getTime()) / 86_400_000) * 10) / 10;
}
