import { Arg, Ctx, Field, FieldResolver, ID, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { ReferralStatus, Role } from '../common/enums.js';
import type { Context } from '../../context.js';
import { makeConnection } from '../common/connection.js';
import { Organisation } from '../organisation/organisation.entity.js';
import { Household } from '../household/household.entity.js';
import { Team } from '../team/team.entity.js';
import { Case } from '../case/case.entity.js';
import { Arrears, ContactAttempt, Referral, ReferralSubject } from './referral.entity.js';
import { ReferralFilter, SubmitReferralInput, TriageReferralInput } from './referral.inputs.js';
import * as referrals from './referral.service.js';
import { statusForCorporation } from './referral-status.js';

@ObjectType({ description: 'Who a GP can reach about a referral (with consent).' })
export class ContactPerson {
  @Field(() => String)
  name!: string;

  @Field(() => String, { nullable: true })
  phone?: string | null;
}

export const { Connection: ReferralConnection, Edge: ReferralEdge } = makeConnection(Referral, 'Referral');

@Resolver(() => Referral)
export class ReferralResolver {
  @Query(() => ReferralConnection, {
    description: 'Team: referrals routed to your teams. Partner app: the referrals your organisation sent. Newest first.',
  })
  referrals(
    @Ctx() ctx: Context,
    @Arg('filter', () => ReferralFilter, { nullable: true }) filter?: ReferralFilter,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ) {
    return referrals.listReferrals(ctx, filter, first, after);
  }

  @Query(() => Referral, { nullable: true, description: 'One referral you may see (null with NOT_FOUND otherwise).' })
  referral(@Arg('id', () => ID) id: string, @Ctx() ctx: Context) {
    return referrals.referralById(ctx, id);
  }

  @Mutation(() => Referral, { description: 'Partner app: withdraw a referral your organisation sent.' })
  cancelReferral(
    @Arg('id', () => ID) id: string,
    @Ctx() ctx: Context,
    @Arg('reason', () => String, { nullable: true }) reason?: string,
  ) {
    return referrals.cancelReferral(ctx, id, reason);
  }

  @Mutation(() => Referral, {
    description:
      'Partner app: submit a GP referral (GP practices) or an arrears signal (housing corporations). Idempotent per externalId; a changed payload under the same externalId is a CONFLICT.',
  })
  submitReferral(@Arg('input', () => SubmitReferralInput) input: SubmitReferralInput, @Ctx() ctx: Context) {
    return referrals.submitReferral(ctx, input);
  }

  @FieldResolver(() => ReferralStatus, { description: 'Housing corporations see the status folded: never why.' })
  status(@Root() r: Referral, @Ctx() ctx: Context) {
    return ctx.viewer?.role === Role.PARTNER_CORPORATION ? statusForCorporation(r.status) : r.status;
  }

  /** The entity's updatedAt field (described there); the row's own date is for staff only. */
  @FieldResolver(() => Date)
  updatedAt(@Root() r: Referral, @Ctx() ctx: Context): Date {
    return ctx.viewer?.kind === 'partner' ? r.statusShownAt : r.updatedAt;
  }

  @FieldResolver(() => ContactPerson, {
    nullable: true,
    description: "GP practice only: the coordinator, while the resident's GP_TANDEM consent for your practice is active.",
  })
  async contactPerson(@Root() r: Referral, @Ctx() ctx: Context): Promise<ContactPerson | null> {
    const row = await ctx.loaders.contactPersonOfReferral.load(r.id);
    return row ? { name: row.name, phone: row.phone } : null;
  }

  @Mutation(() => Referral, { description: 'Move a referral on, link it to a household/case, log a contact attempt.' })
  triageReferral(@Arg('input', () => TriageReferralInput) input: TriageReferralInput, @Ctx() ctx: Context) {
    return referrals.triageReferral(ctx, input);
  }

  @FieldResolver(() => Organisation, { description: 'The sending organisation.' })
  from(@Root() r: Referral, @Ctx() ctx: Context) {
    return ctx.loaders.organisation.get(r.from.id);
  }

  @FieldResolver(() => Team)
  team(@Root() r: Referral, @Ctx() ctx: Context) {
    return ctx.loaders.team.get(r.team.id);
  }

  @FieldResolver(() => ReferralSubject)
  subject(@Root() r: Referral): ReferralSubject {
    return {
      givenName: r.subjectGivenName,
      familyName: r.subjectFamilyName,
      birthDate: r.subjectBirthDate,
      postcode: r.subjectPostcode,
      houseNumber: r.subjectHouseNumber,
    };
  }

  @FieldResolver(() => Arrears, { nullable: true })
  arrears(@Root() r: Referral): Arrears | null {
    if (r.arrearsAmount === null || r.arrearsAmount === undefined || !r.arrearsSince) return null;
    return { amount: Number(r.arrearsAmount), since: r.arrearsSince, months: r.arrearsMonths ?? null };
  }

  @FieldResolver(() => Household, { nullable: true })
  household(@Root() r: Referral, @Ctx() ctx: Context) {
    return r.household ? ctx.loaders.household.get(r.household.id) : null;
  }

  @FieldResolver(() => Case, { nullable: true })
  case(@Root() r: Referral, @Ctx() ctx: Context) {
    return r.case ? ctx.loaders.case.get(r.case.id) : null;
  }

  @FieldResolver(() => [ContactAttempt])
  contactAttempts(@Root() r: Referral, @Ctx() ctx: Context) {
    return ctx.loaders.contactAttemptsOfReferral.get(r.id);
  }
}
