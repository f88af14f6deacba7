import { Arg, Ctx, FieldResolver, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { Context } from '../../context.js';
import { makeConnection } from '../common/connection.js';
import { Organisation } from '../organisation/organisation.entity.js';
import { Household } from '../household/household.entity.js';
import { Team } from '../team/team.entity.js';
import { Case } from '../case/case.entity.js';
import { Arrears, ContactAttempt, Referral, ReferralSubject } from './referral.entity.js';
import { ReferralFilter, TriageReferralInput } from './referral.inputs.js';
import * as referrals from './referral.service.js';

export const { Connection: ReferralConnection, Edge: ReferralEdge } = makeConnection(Referral, 'Referral');

@Resolver(() => Referral)
export class ReferralResolver {
  @Query(() => ReferralConnection, { description: "Referrals routed to your teams, newest first." })
  referrals(
    @Ctx() ctx: Context,
    @Arg('filter', () => ReferralFilter, { nullable: true }) filter?: ReferralFilter,
    @Arg('first', () => Int, { nullable: true }) first?: number,
    @Arg('after', () => String, { nullable: true }) after?: string,
  ) {
    return referrals.listTeamReferrals(ctx, filter, first, after);
  }

  @Mutation(() => Referral, { description: 'Move a referral on, link it to a household/case, log a contact attempt.' })
  triageReferral(@Arg('input', () => TriageReferralInput) input: TriageReferralInput, @Ctx() ctx: Context) {
    return referrals.triageReferral(ctx, input);
  }

  @FieldResolver(() => Organisation, { description: 'The sending organisation.' })
  from(@Root() r: Referral, @Ctx() ctx: Context) {
    return ctx.loaders.organisation.load(r.from.id);
  }

  @FieldResolver(() => Team)
  team(@Root() r: Referral, @Ctx() ctx: Context) {
    return ctx.loaders.team.load(r.team.id);
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
    return r.household ? ctx.loaders.household.load(r.household.id) : null;
  }

  @FieldResolver(() => Case, { nullable: true })
  case(@Root() r: Referral, @Ctx() ctx: Context) {
    return r.case ? ctx.loaders.case.load(r.case.id) : null;
  }

  @FieldResolver(() => [ContactAttempt])
  contactAttempts(@Root() r: Referral, @Ctx() ctx: Context) {
    return ctx.loaders.contactAttemptsOfReferral.load(r.id);
  }
}
