import { Field, Float, ID, InputType, Int } from 'type-graphql';
import { ValidateNested } from 'class-validator';
import { ContactKind, ReferralKind, ReferralStatus, Urgency } from '../common/enums.js';
import { DateScalar } from '../common/scalars.js';

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

@InputType({ description: 'The person a referral is about. Never echoed back to the partner.' })
export class ReferralSubjectInput {
  @Field(() => String)
  givenName!: string;

  @Field(() => String)
  familyName!: string;

  @Field(() => DateScalar, { nullable: true, description: 'Required for GP referrals.' })
  birthDate?: string | null;

  @Field(() => String, { description: '1234AB or 1234 AB.' })
  postcode!: string;

  @Field(() => String)
  houseNumber!: string;

  @Field(() => String, { nullable: true, description: 'Optional; validated with the elfproef and stored only encrypted.' })
  bsn?: string | null;

  @Field(() => String, { nullable: true })
  phone?: string | null;
}

@InputType({ description: 'Rent arrears of an arrears signal (vroegsignalering).' })
export class ArrearsInput {
  @Field(() => Float, { description: 'Amount in euros.' })
  amount!: number;

  @Field(() => DateScalar)
  since!: string;

  @Field(() => Int, { nullable: true })
  months?: number | null;
}

@InputType({
  description:
    'A referral from a partner app. Idempotent per (organisation, externalId): resending the same payload returns the same referral; a different payload under the same externalId is a CONFLICT.',
})
export class SubmitReferralInput {
  @Field(() => String, { description: "The sender's own id (letters, digits, . _ - : /; at most 100)." })
  externalId!: string;

  @Field(() => ReferralKind, { description: 'GP practices send GP_REFERRAL, housing corporations ARREARS_SIGNAL.' })
  kind!: ReferralKind;

  @Field(() => ReferralSubjectInput)
  @ValidateNested()
  subject!: ReferralSubjectInput;

  @Field(() => String, { nullable: true, description: 'Required for GP referrals.' })
  reason?: string | null;

  @Field(() => Urgency, { nullable: true, description: 'GP referrals only; default ROUTINE.' })
  urgency?: Urgency | null;

  @Field(() => ArrearsInput, { nullable: true, description: 'Required for arrears signals.' })
  @ValidateNested()
  arrears?: ArrearsInput | null;

  @Field(() => Boolean, { description: "The partner obtained the resident's consent to refer (required for GP referrals)." })
  consentObtained!: boolean;
}
