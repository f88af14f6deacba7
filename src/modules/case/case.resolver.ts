import { Arg, Ctx, FieldResolver, ID, Info, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { operationFields, selectedArguments, selectedPaths } from '../common/selection.js';
import type { Context } from '../../context.js';
import { fieldResolverReads } from '../../db/lean.js';
import { makeConnection, pageSize, toConnection } from '../common/connection.js';
import { decodeTimeCursor } from '../common/pagination.js';
import { Household } from '../household/household.entity.js';
import { Team } from '../team/team.entity.js';
import { Staff } from '../staff/staff.entity.js';
import { Consent } from '../consent/consent.entity.js';
import { Referral } from '../referral/referral.entity.js';
import { Case } from './case.entity.js';
import { Goal } from './goal.entity.js';
import { CaseNote } from './case-note.entity.js';
import { ZrmAssessment } from './zrm-assessment.entity.js';
import { CareAllocation } from './care-allocation.entity.js';
import {
  AddCaseNoteInput,
  AddGoalInput,
  CaseFilter,
  CloseCaseInput,
  OpenCaseInput,
  RecordCareAllocationInput,
  RecordZrmAssessmentInput,
  StartCaseInput,
} from './case.inputs.js';
import * as cases from './case.service.js';
import type { NotesPage } from '../../loaders.js';

export const { Connection: CaseConnection, Edge: CaseEdge } = makeConnection(Case, 'Case');
export const { Connection: CaseNoteConnection, Edge: CaseNoteEdge } = makeConnection(CaseNote, 'CaseNote');

@Resolver(() => Case)
export class CaseResolver {
  @Query(() => Case, { nullable: true, description: 'A case of one of your teams (null with NOT_FOUND otherwise).' })
  case(@Arg('id', () => ID) id: string, @Ctx() ctx: Context, @Info() info?: GraphQLResolveInfo) {
    return cases.caseById(ctx, id, info ? { selected: selectedPaths(info), notesArgs: selectedArguments(info, 'notes'), fields: operationFields(info) } : undefined);
  }

  @Query(() => CaseConnection, { description: "Your teams' cases, newest registration first." })
  cases(
    @Ctx() ctx: Context,
    @Arg('filter', () => CaseFilter, { nullable: true }) filter?: CaseFilter,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
    @Info() info?: GraphQLResolveInfo,
  ) {
    return cases.listCases(ctx, filter, first, after, info ? selectedPaths(info) : undefined, info ? operationFields(info) : undefined);
  }

  @Mutation(() => Case, { description: 'Open a case for a household (one open case per household).' })
  openCase(@Arg('input', () => OpenCaseInput) input: OpenCaseInput, @Ctx() ctx: Context) {
    return cases.openCase(ctx, input);
  }

  @Mutation(() => Case, { description: 'REGISTERED → INTAKE: the first contact (kennismakingsgesprek) took place.' })
  recordFirstContact(
    @Arg('caseId', () => ID) caseId: string,
    @Arg('at', () => Date) at: Date,
    @Ctx() ctx: Context,
    @Arg('expectedVersion', () => Int, { nullable: true }) expectedVersion?: number,
  ) {
    return cases.recordFirstContact(ctx, caseId, at, expectedVersion);
  }

  @Mutation(() => Case, { description: 'INTAKE → ACTIVE with a coordinator.' })
  startCase(@Arg('input', () => StartCaseInput) input: StartCaseInput, @Ctx() ctx: Context) {
    return cases.startCase(ctx, input);
  }

  @Mutation(() => Case, { description: 'Close an open case; one closed before it started keeps no start date.' })
  closeCase(@Arg('input', () => CloseCaseInput) input: CloseCaseInput, @Ctx() ctx: Context) {
    return cases.closeCase(ctx, input);
  }

  @Mutation(() => Case, { description: 'TEAM_LEAD: hand an open case to another coordinator of the team.' })
  reassignCoordinator(
    @Arg('caseId', () => ID) caseId: string,
    @Arg('coordinatorId', () => ID) coordinatorId: string,
    @Ctx() ctx: Context,
    @Arg('expectedVersion', () => Int, { nullable: true }) expectedVersion?: number,
  ) {
    return cases.reassignCoordinator(ctx, caseId, coordinatorId, expectedVersion);
  }

  @Mutation(() => Goal)
  addGoal(@Arg('input', () => AddGoalInput) input: AddGoalInput, @Ctx() ctx: Context) {
    return cases.addGoal(ctx, input);
  }

  @Mutation(() => CaseNote)
  addCaseNote(@Arg('input', () => AddCaseNoteInput) input: AddCaseNoteInput, @Ctx() ctx: Context) {
    return cases.addCaseNote(ctx, input);
  }

  @Mutation(() => ZrmAssessment)
  recordZrmAssessment(@Arg('input', () => RecordZrmAssessmentInput) input: RecordZrmAssessmentInput, @Ctx() ctx: Context) {
    return cases.recordZrmAssessment(ctx, input);
  }

  @Mutation(() => CareAllocation)
  recordCareAllocation(@Arg('input', () => RecordCareAllocationInput) input: RecordCareAllocationInput, @Ctx() ctx: Context) {
    return cases.recordCareAllocation(ctx, input);
  }

  @FieldResolver(() => Household)
  household(@Root() c: Case, @Ctx() ctx: Context) {
    return ctx.loaders.household.get(c.household.id);
  }

  @FieldResolver(() => Team)
  team(@Root() c: Case, @Ctx() ctx: Context) {
    return ctx.loaders.team.get(c.team.id);
  }

  @FieldResolver(() => Staff, { nullable: true })
  coordinator(@Root() c: Case, @Ctx() ctx: Context) {
    return c.coordinator ? ctx.loaders.staff.get(c.coordinator.id) : null;
  }

  @FieldResolver(() => Int, { nullable: true, description: 'Days from registration to first contact (target: 5).' })
  daysToFirstContact(@Root() c: Case) {
    return c.firstContactAt ? Math.round(cases.daysBetween(c.registeredAt, c.firstContactAt)) : null;
  }

  @FieldResolver(() => [Goal])
  goals(@Root() c: Case, @Ctx() ctx: Context) {
    return ctx.loaders.goalsOfCase.get(c.id);
  }

  @FieldResolver(() => CaseNoteConnection, { description: 'Notes, newest first.' })
  notes(
    @Root() c: Case,
    @Ctx() ctx: Context,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ) {
    const limit = pageSize(first);
    // Checked here: the notes loader puts the cursor into its SQL as it is.
    let cursor: [string, string] | null = null;
    if (after) {
      const [at, id] = decodeTimeCursor(after);
      cursor = [at.toISOString(), id];
    }
    const connection = (page: NotesPage) => toConnection(page.rows, limit, page.totalCount, (n) => n.createdAt, !!after);
    const page = ctx.loaders.notesOfCase(limit, cursor).get(c.id);
    return page instanceof Promise ? page.then(connection) : connection(page);
  }

  @FieldResolver(() => [ZrmAssessment], { description: 'ZRM assessments, newest first.' })
  zrmAssessments(@Root() c: Case, @Ctx() ctx: Context) {
    return ctx.loaders.zrmOfCase.get(c.id);
  }

  @FieldResolver(() => ZrmAssessment, { nullable: true })
  latestZrm(@Root() c: Case, @Ctx() ctx: Context) {
    return ctx.loaders.latestZrmOfCase.get(c.id);
  }

  @FieldResolver(() => [CareAllocation])
  careAllocations(@Root() c: Case, @Ctx() ctx: Context) {
    return ctx.loaders.careAllocationsOfCase.get(c.id);
  }

  @FieldResolver(() => [Consent], { description: "Consents of the household's residents." })
  consents(@Root() c: Case, @Ctx() ctx: Context) {
    return ctx.loaders.consentsOfHousehold.get(c.household.id);
  }

  @FieldResolver(() => Referral, { nullable: true, description: 'The referral this case answers, if any.' })
  referral(@Root() c: Case, @Ctx() ctx: Context) {
    return ctx.loaders.referralOfCase.get(c.id);
  }
}

@Resolver(() => CaseNote)
export class CaseNoteResolver {
  @FieldResolver(() => Staff)
  author(@Root() n: CaseNote, @Ctx() ctx: Context) {
    return ctx.loaders.staff.get(n.author.id);
  }
}

// What the resolvers read of a case and of a note beyond ids and relations (omittedProps). Code
// reads these objects only through their GraphQL types: their reads may leave columns out.
fieldResolverReads(Case, {
  household: [],
  team: [],
  coordinator: [],
  daysToFirstContact: ['registeredAt', 'firstContactAt'],
  goals: [],
  notes: [],
  zrmAssessments: [],
  latestZrm: [],
  careAllocations: [],
  consents: [],
  referral: [],
});
fieldResolverReads(CaseNote, { author: [] });
// No resolvers of their own: only their fields read them.
fieldResolverReads(ZrmAssessment, {});
fieldResolverReads(Goal, {});
fieldResolverReads(CareAllocation, {});
