import { LockMode } from '@mikro-orm/core';
import { Arg, Ctx, Field, ID, InputType, Mutation, Resolver } from 'type-graphql';
import type { Context } from '../../context.js';
import { inTransaction } from '../../db/transaction.js';
import { isUuid, notFound, requireViewer } from '../../permissions/scope.js';
import { today } from '../../permissions/viewer.js';
import { AccessAction, CaseStatus, Role } from '../common/enums.js';
import { BadInputError, ConflictError } from '../common/errors.js';
import { DateScalar, isValidDateString } from '../common/scalars.js';
import { Case } from '../case/case.entity.js';
import { Staff } from '../staff/staff.entity.js';
import { FlexAssignment } from './flex-assignment.entity.js';

@InputType()
export class AssignFlexWorkerInput {
  @Field(() => ID)
  staffId!: string;

  @Field(() => ID)
  caseId!: string;

  @Field(() => DateScalar, { description: 'Last day of access (inclusive); today or later.' })
  until!: string;
}

/**
 * TEAM_LEAD of the case's team, or ADMIN: give a flex worker access to one case until a
 * date. Assigning the same worker again moves the end date (a date in the past ends it).
 * ADMIN may assign any case by id without seeing its content.
 */
export async function assignFlexWorker(ctx: Context, input: AssignFlexWorkerInput): Promise<FlexAssignment> {
  const viewer = requireViewer(ctx);
  if (!isValidDateString(input.until)) throw new BadInputError('until', 'must be a date YYYY-MM-DD');
  return inTransaction(ctx.em, async (em) => {
    if (!isUuid(input.caseId)) throw notFound(ctx, 'Case', input.caseId);
    // The case row is locked so that two assignments at once cannot both find none existing.
    // A lead's own teams are in the query itself: another team's row is neither read nor
    // locked (waiting on its lock would tell the lead it exists); it answers like a missing case.
    const where = viewer.role === Role.TEAM_LEAD ? { id: input.caseId, team: { $in: [...viewer.teamIds] } } : { id: input.caseId };
    const c = await em.findOne(Case, where, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!c) throw notFound(ctx, 'Case', input.caseId);
    if (c.status === CaseStatus.CLOSED) throw new ConflictError('The case is closed: no flex worker can be assigned.');
    if (!isUuid(input.staffId)) throw new BadInputError('staffId', 'is not a valid id');
    const staff = await em.findOne(Staff, { id: input.staffId, active: true });
    if (!staff || staff.role !== Role.FLEX_WORKER) throw new BadInputError('staffId', 'must be an active FLEX_WORKER');
    const existing = await em.findOne(FlexAssignment, { staff, case: c });
    if (!existing && input.until < today()) throw new BadInputError('until', 'must be today or later');
    const assignment = existing ?? em.create(FlexAssignment, { staff, case: c, until: input.until, assignedBy: em.getReference(Staff, viewer.id) });
    assignment.until = input.until;
    assignment.assignedBy = em.getReference(Staff, viewer.id);
    ctx.audit.writeInTransaction(em, existing ? AccessAction.UPDATE : AccessAction.CREATE, 'FlexAssignment', assignment.id, c.household.id, {
      until: input.until,
    });
    return assignment;
  });
}

@Resolver(() => FlexAssignment)
export class FlexAssignmentResolver {
  @Mutation(() => FlexAssignment, { description: 'TEAM_LEAD of the case\'s team or ADMIN: give a flex worker access to a case until a date.' })
  assignFlexWorker(@Arg('input', () => AssignFlexWorkerInput) input: AssignFlexWorkerInput, @Ctx() ctx: Context) {
    return assignFlexWorker(ctx, input);
  }
}
