import { Arg, Ctx, Field, FieldResolver, ID, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context.js';
import type { Partner } from '../../jobs/queues.js';
import * as service from './integration.service.js';

@ObjectType({ description: 'A failed background job (reasons name no person).' })
export class FailedJob {
  @Field(() => ID, { description: 'Pass to retryFailedJob.' })
  id!: string;

  @Field(() => String)
  jobName!: string;

  @Field(() => String, { nullable: true })
  failedReason?: string | null;

  @Field(() => Int)
  attemptsMade!: number;

  @Field(() => Date, { nullable: true })
  failedAt?: Date | null;
}

@ObjectType({ description: 'Health of one partner integration (huisarts, corporation).' })
export class IntegrationHealth {
  @Field(() => String, { description: '"huisarts" or "corporation".' })
  partner!: Partner;

  @Field(() => Date, { nullable: true, description: 'Last successful poll of the partner system.' })
  lastSyncAt?: Date | null;

  @Field(() => Int, { nullable: true, description: 'Seconds since the last successful poll.' })
  lagSeconds?: number | null;

  @Field(() => String, { nullable: true, description: 'Why the last poll failed (HTTP status or error class), if it did.' })
  lastError?: string | null;

  @Field(() => Int, { description: 'Outbound messages still in the outbox plus jobs waiting, delayed or running.' })
  pendingJobs!: number;

  @Field(() => Int, { nullable: true, description: 'Failed jobs kept for inspection (null while the queue is unreachable).' })
  failedJobs?: number | null;

  @Field(() => Int, { description: 'Partner records parked as malformed or unroutable.' })
  parkedRecords!: number;

  @Field(() => Boolean, { description: 'Whether the job queue (Redis) answered.' })
  queueReachable!: boolean;
}

@Resolver(() => IntegrationHealth)
export class IntegrationResolver {
  @Query(() => [IntegrationHealth], { description: 'Admin: per partner system last sync, lag, pending and failed jobs.' })
  integrations(@Ctx() ctx: Context) {
    return service.integrations(ctx);
  }

  @FieldResolver(() => [FailedJob], { description: 'The most recent failed jobs of this partner.' })
  failures(@Root() row: IntegrationHealth, @Ctx() ctx: Context, @Arg('first', () => Int, { nullable: true, defaultValue: 20 }) first: number) {
    return service.failedJobs(ctx, row.partner, first);
  }

  @Mutation(() => Boolean, { description: 'Admin: put a failed job back in its queue.' })
  retryFailedJob(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return service.retryFailedJob(ctx, id);
  }
}
