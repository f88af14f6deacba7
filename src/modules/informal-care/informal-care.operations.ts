import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../../context.js';
import { CaseDiscussion, InformalCareRequest, MatchCheckIn, VolunteerMatch } from './informal-care.entity.js';
import { Volunteer } from './volunteer.entity.js';
import {
  DueCheckIn,
  InformalCareVocabulary,
  RecordCaseDiscussionInput,
  RecordMatchCheckInInput,
  RegisterVolunteerInput,
  RequestInformalCareInput,
  VolunteerCandidate,
} from './informal-care.inputs.js';
import { LANGUAGES, SKILLS } from './vocabulary.js';
import { volunteerCandidates } from './matching.js';
import { dueCheckIns } from './check-ins.js';
import * as service from './informal-care.service.js';

/** Informal care's operations (issue 6): thin; the rules live in informal-care.service.ts, matching.ts, check-ins.ts. */
@Resolver()
export class InformalCareOperationsResolver {
  @Query(() => InformalCareVocabulary, { description: 'The controlled vocabulary: skills/needs and languages.' })
  informalCareVocabulary(): InformalCareVocabulary {
    return { skills: [...SKILLS], languages: [...LANGUAGES] };
  }

  @Query(() => [VolunteerCandidate], {
    description: "Ambassador: eligible volunteers of your organisation for a request of your team, best first, with the score's reasons.",
  })
  volunteerCandidates(
    @Ctx() ctx: Context,
    @Arg('requestId', () => ID) requestId: string,
    @Arg('first', () => Int, { nullable: true, description: 'How many (1–50, default 10).' }) first?: number | null,
  ) {
    return volunteerCandidates(ctx, requestId, first);
  }

  @Query(() => [DueCheckIn], { description: 'Ambassador: ACTIVE matches of your team whose check-in is due or overdue.' })
  dueCheckIns(@Ctx() ctx: Context) {
    return dueCheckIns(ctx);
  }

  @Mutation(() => Volunteer, { description: 'Ambassador (own organisation) or ADMIN: register a volunteer.' })
  registerVolunteer(@Ctx() ctx: Context, @Arg('input', () => RegisterVolunteerInput) input: RegisterVolunteerInput) {
    return service.registerVolunteer(ctx, input);
  }

  @Mutation(() => Volunteer, { description: 'Volunteer: pause (no new proposals) or resume.' })
  setVolunteerPaused(@Ctx() ctx: Context, @Arg('paused', () => Boolean) paused: boolean) {
    return service.setVolunteerPaused(ctx, paused);
  }

  @Mutation(() => InformalCareRequest, { description: 'Team worker: ask for a volunteer for a resident of a case.' })
  requestInformalCare(@Ctx() ctx: Context, @Arg('input', () => RequestInformalCareInput) input: RequestInformalCareInput) {
    return service.requestInformalCare(ctx, input);
  }

  @Mutation(() => CaseDiscussion, { description: "Ambassador: record a case discussion (casusbespreking) of your team's case." })
  recordCaseDiscussion(@Ctx() ctx: Context, @Arg('input', () => RecordCaseDiscussionInput) input: RecordCaseDiscussionInput) {
    return service.recordCaseDiscussion(ctx, input);
  }

  @Mutation(() => VolunteerMatch, { description: 'Ambassador: propose a volunteer of your organisation for a request of your team.' })
  proposeMatch(
    @Ctx() ctx: Context,
    @Arg('requestId', () => ID) requestId: string,
    @Arg('volunteerId', () => ID) volunteerId: string,
    @Arg('task', () => String, { nullable: true, description: 'What the volunteer is asked to do; default from the needs.' }) task?: string | null,
  ) {
    return service.proposeMatch(ctx, requestId, volunteerId, task);
  }

  @Mutation(() => VolunteerMatch, { description: 'Volunteer: accept or decline a proposal.' })
  respondToMatch(@Ctx() ctx: Context, @Arg('id', () => ID) id: string, @Arg('accept', () => Boolean) accept: boolean) {
    return service.respondToMatch(ctx, id, accept);
  }

  @Mutation(() => VolunteerMatch, { description: 'Team worker or ambassador: the resident agreed; the accepted match starts.' })
  activateMatch(
    @Ctx() ctx: Context,
    @Arg('id', () => ID) id: string,
    @Arg('startedAt', () => Date, { nullable: true, description: 'Default now; not in the future.' }) startedAt?: Date | null,
  ) {
    return service.activateMatch(ctx, id, startedAt);
  }

  @Mutation(() => VolunteerMatch, { description: 'Team worker or ambassador: end a match, or withdraw a proposal.' })
  endMatch(
    @Ctx() ctx: Context,
    @Arg('id', () => ID) id: string,
    @Arg('reason', () => String, { nullable: true }) reason?: string | null,
  ) {
    return service.endMatch(ctx, id, reason);
  }

  @Mutation(() => MatchCheckIn, { description: 'Ambassador: record how an ACTIVE match is going.' })
  recordMatchCheckIn(@Ctx() ctx: Context, @Arg('input', () => RecordMatchCheckInInput) input: RecordMatchCheckInInput) {
    return service.recordMatchCheckIn(ctx, input);
  }
}
