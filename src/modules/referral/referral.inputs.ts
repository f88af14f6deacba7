import { Field, ID, InputType } from 'type-graphql';
import { ValidateNested } from 'class-validator';
import { ContactKind, ReferralKind, ReferralStatus } from '../common/enums.js';

@InputType()
export class ContactAttemptInput {
  @Field(() => ContactKind)
  kind!: ContactKind;

  @Field(() => Date)
  at!: Date;

  @Field(() => Boolean)
  reached!: boolean;
}

@InputType()
export class TriageReferralInput {
  @Field(() => ID)
  referralId!: string;

  @Field(() => ID, { nullable: true, description: 'Link the referral to a household of your team.' })
  householdId?: string | null;

  @Field(() => ID, { nullable: true, description: 'Link the referral to a case of that household.' })
  caseId?: string | null;

  @Field(() => ReferralStatus)
  status!: ReferralStatus;

  @Field(() => ContactAttemptInput, { nullable: true })
  @ValidateNested()
  contactAttempt?: ContactAttemptInput | null;
}

@InputType()
export class ReferralFilter {
  @Field(() => ID, { nullable: true })
  teamId?: string | null;

  @Field(() => [ReferralStatus], { nullable: true })
  status?: ReferralStatus[] | null;

  @Field(() => ReferralKind, { nullable: true })
  kind?: ReferralKind | null;
}
