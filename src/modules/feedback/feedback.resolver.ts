import { Arg, Ctx, FieldResolver, ID, Mutation, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context.js';
import { FeedbackStatus } from '../common/enums.js';
import { Team } from '../team/team.entity.js';
import { Feedback } from './feedback.entity.js';
import { WorkerChangeRequest } from './worker-change-request.entity.js';
import {
  RegisterFeedbackInput,
  RequestWorkerChangeInput,
  decideWorkerChange,
  registerFeedback,
  requestWorkerChange,
  resolveFeedback,
} from './feedback.service.js';

@Resolver(() => Feedback)
export class FeedbackResolver {
  @Mutation(() => Feedback, { description: 'Register a complaint, compliment or suggestion for one of your teams.' })
  registerFeedback(@Arg('input', () => RegisterFeedbackInput) input: RegisterFeedbackInput, @Ctx() ctx: Context) {
    return registerFeedback(ctx, input);
  }

  @Mutation(() => Feedback, { description: 'TEAM_LEAD: resolve, reject as unfounded, or escalate feedback.' })
  resolveFeedback(
    @Arg('id', () => ID) id: string,
    @Arg('status', () => FeedbackStatus) status: FeedbackStatus,
    @Ctx() ctx: Context,
    @Arg('resolution', () => String, { nullable: true }) resolution?: string,
  ) {
    return resolveFeedback(ctx, id, status, resolution);
  }

  @FieldResolver(() => Team)
  team(@Root() f: Feedback, @Ctx() ctx: Context) {
    return ctx.loaders.team.get(f.team.id);
  }
}

@Resolver(() => WorkerChangeRequest)
export class WorkerChangeResolver {
  @Mutation(() => WorkerChangeRequest, { description: "Record a resident's request for another worker or team." })
  requestWorkerChange(@Arg('input', () => RequestWorkerChangeInput) input: RequestWorkerChangeInput, @Ctx() ctx: Context) {
    return requestWorkerChange(ctx, input);
  }

  @Mutation(() => WorkerChangeRequest, { description: 'TEAM_LEAD: grant or refuse a worker-change request.' })
  decideWorkerChange(@Arg('id', () => ID) id: string, @Arg('grant', () => Boolean) grant: boolean, @Ctx() ctx: Context) {
    return decideWorkerChange(ctx, id, grant);
  }

  @FieldResolver(() => Team, { nullable: true })
  toTeam(@Root() w: WorkerChangeRequest, @Ctx() ctx: Context) {
    return w.toTeam ? ctx.loaders.team.get(w.toTeam.id) : null;
  }
}
