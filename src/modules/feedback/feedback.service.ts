import type { EntityManager } from '@mikro-orm/postgresql';
import { Field, ID, InputType } from 'type-graphql';
import { LockMode } from '@mikro-orm/core';
import { MaxLength } from 'class-validator';
import type { Context } from '../../context.js';
import { inTransaction } from '../../db/transaction.js';
import { assertTeamInScope, isUuid, notFound, requireViewer, scopedTeamIds } from '../../permissions/scope.js';
import { AccessAction, CaseStatus, FeedbackKind, FeedbackStatus, WorkerChangeStatus } from '../common/enums.js';
import { BadInputError, ConflictError } from '../common/errors.js';
import * as v from '../common/validation.js';
import { Team } from '../team/team.entity.js';
import { Case } from '../case/case.entity.js';
import { caseForUpdate } from '../case/case.service.js';
import { Staff } from '../staff/staff.entity.js';
import { Feedback } from './feedback.entity.js';
import { WorkerChangeRequest } from './worker-change-request.entity.js';

@InputType()
export class RegisterFeedbackInput {
  @Field(() => ID)
  teamId!: string;

  @Field(() => ID, { nullable: true })
  caseId?: string | null;

  @Field(() => FeedbackKind)
  kind!: FeedbackKind;

  @Field(() => Date)
  receivedAt!: Date;

  @Field(() => String)
  @MaxLength(4000)
  summary!: string;
}

@InputType()
export class RequestWorkerChangeInput {
  @Field(() => ID)
  caseId!: string;

  @Field(() => String)
  @MaxLength(2000)
  reason!: string;

  @Field(() => ID, { nullable: true, description: 'Another team, if the resident asks for one.' })
  toTeamId?: string | null;
}

export async function registerFeedback(ctx: Context, input: RegisterFeedbackInput): Promise<Feedback> {
  const summary = v.text('summary', input.summary, { max: 4000 });
  const receivedAt = v.notInFuture('receivedAt', input.receivedAt);
  if (!isUuid(input.teamId)) throw new BadInputError('teamId', 'is not a valid id');
  assertTeamInScope(ctx, input.teamId);
  return inTransaction(ctx.em, async (em) => {
    let c: Case | null = null;
    if (input.caseId) {
      if (!isUuid(input.caseId)) throw notFound(ctx, 'Case', input.caseId);
      c = await em.findOne(Case, { id: input.caseId, team: input.teamId });
      if (!c) throw notFound(ctx, 'Case', input.caseId);
    }
    const feedback = em.create(Feedback, {
      team: em.getReference(Team, input.teamId),
      case: c,
      kind: input.kind,
      receivedAt,
      summary,
      status: FeedbackStatus.OPEN,
    });
    ctx.audit.writeInTransaction(em, AccessAction.CREATE, 'Feedback', feedback.id, c?.household.id ?? null);
    return feedback;
  });
}

const FEEDBACK_NEXT: Record<FeedbackStatus, readonly FeedbackStatus[]> = {
  [FeedbackStatus.OPEN]: [FeedbackStatus.RESOLVED, FeedbackStatus.UNFOUNDED, FeedbackStatus.ESCALATED],
  [FeedbackStatus.ESCALATED]: [FeedbackStatus.RESOLVED, FeedbackStatus.UNFOUNDED],
  [FeedbackStatus.RESOLVED]: [],
  [FeedbackStatus.UNFOUNDED]: [],
};

/** The household of a case, for an audit row (a plain read: the row itself is locked already). */
async function householdOfCase(em: EntityManager, caseId: string | null): Promise<string | null> {
  if (!caseId) return null;
  const [row] = await em.execute<{ household_id: string }[]>('select household_id from "case" where id = ?', [caseId]);
  return row?.household_id ?? null;
}

/** TEAM_LEAD: handle a complaint (or close a compliment/suggestion). */
export async function resolveFeedback(
  ctx: Context,
  id: string,
  status: FeedbackStatus,
  resolution: string | null | undefined,
): Promise<Feedback> {
  const text = v.optionalText('resolution', resolution, 4000);
  if (status === FeedbackStatus.OPEN) throw new BadInputError('status', 'must be RESOLVED, UNFOUNDED or ESCALATED');
  return inTransaction(ctx.em, async (em) => {
    if (!isUuid(id)) throw notFound(ctx, 'Feedback', id);
    // Locked: two leads deciding at once must not both be told their decision stands.
    const feedback = await em.findOne(Feedback, { id, team: { $in: scopedTeamIds(ctx) } }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!feedback) throw notFound(ctx, 'Feedback', id);
    if (!FEEDBACK_NEXT[feedback.status].includes(status)) {
      throw new ConflictError(`Cannot move feedback from ${feedback.status} to ${status}.`);
    }
    feedback.status = status;
    feedback.resolution = text ?? feedback.resolution ?? null;
    if (status !== FeedbackStatus.ESCALATED) feedback.resolvedAt = new Date();
    // Under the case's household, as its CREATE row: the resident's access report shows who decided.
    ctx.audit.writeInTransaction(em, AccessAction.UPDATE, 'Feedback', feedback.id, await householdOfCase(em, feedback.case?.id ?? null), {
      changed: ['status', 'resolution', 'resolvedAt'],
    });
    return feedback;
  });
}

export async function requestWorkerChange(ctx: Context, input: RequestWorkerChangeInput): Promise<WorkerChangeRequest> {
  const viewer = requireViewer(ctx);
  const reason = v.text('reason', input.reason, { max: 2000 });
  return inTransaction(ctx.em, async (em) => {
    // The case row is locked so that two requests at once cannot both find none pending.
    const c = await caseForUpdate(ctx, em, input.caseId, true);
    if (c.status === CaseStatus.CLOSED) throw new ConflictError('The case is closed: no worker change can be requested.');
    let toTeam: Team | null = null;
    if (input.toTeamId) {
      if (!isUuid(input.toTeamId)) throw new BadInputError('toTeamId', 'is not a valid id');
      toTeam = await em.findOne(Team, input.toTeamId);
      if (!toTeam) throw new BadInputError('toTeamId', 'no such team');
    }
    const pending = await em.count(WorkerChangeRequest, { case: c, status: WorkerChangeStatus.REQUESTED });
    if (pending) throw new ConflictError('A worker change for this case is already waiting for a decision.');
    const request = em.create(WorkerChangeRequest, {
      case: c,
      team: c.team,
      toTeam,
      reason,
      requestedAt: new Date(),
      requestedBy: em.getReference(Staff, viewer.id),
      status: WorkerChangeStatus.REQUESTED,
    });
    ctx.audit.writeInTransaction(em, AccessAction.CREATE, 'WorkerChangeRequest', request.id, c.household.id);
    return request;
  });
}

/** TEAM_LEAD: grant or refuse a worker-change request of their team. */
export async function decideWorkerChange(ctx: Context, id: string, grant: boolean): Promise<WorkerChangeRequest> {
  const viewer = requireViewer(ctx);
  return inTransaction(ctx.em, async (em) => {
    if (!isUuid(id)) throw notFound(ctx, 'WorkerChangeRequest', id);
    const request = await em.findOne(WorkerChangeRequest, { id, team: { $in: scopedTeamIds(ctx) } }, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!request) throw notFound(ctx, 'WorkerChangeRequest', id);
    if (request.status !== WorkerChangeStatus.REQUESTED) throw new ConflictError('This request has already been decided.');
    request.status = grant ? WorkerChangeStatus.GRANTED : WorkerChangeStatus.REFUSED;
    request.decidedAt = new Date();
    request.decidedBy = em.getReference(Staff, viewer.id);
    ctx.audit.writeInTransaction(em, AccessAction.UPDATE, 'WorkerChangeRequest', request.id, await householdOfCase(em, request.case.id), {
      changed: ['status', 'decidedAt', 'decidedBy'],
    });
    return request;
  });
}
