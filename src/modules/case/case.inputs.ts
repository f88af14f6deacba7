import { Field, ID, InputType, Int } from 'type-graphql';
import { ArrayMaxSize, MaxLength, ValidateNested } from 'class-validator';
import { CareDecision, CareForm, CaseStatus, ClosureReason, ReferralSource, ZrmDomain, ZrmKind, ZrmVersion } from '../common/enums.js';
import { DateScalar } from '../common/scalars.js';

@InputType()
export class OpenCaseInput {
  @Field(() => ID)
  householdId!: string;

  @Field(() => ReferralSource)
  referralSource!: ReferralSource;

  @Field(() => ID, { nullable: true, description: 'The referral this case answers, if any.' })
  referralId?: string | null;

  @Field(() => Date, { nullable: true, description: 'Registration (aanmelding); defaults to now; not in the future.' })
  registeredAt?: Date | null;

  @Field(() => String)
  @MaxLength(2000)
  reason!: string;
}

@InputType()
export class StartCaseInput {
  @Field(() => ID)
  caseId!: string;

  @Field(() => Date)
  startedAt!: Date;

  @Field(() => ID, { description: 'The coordinator: a worker or lead of the case\'s team.' })
  coordinatorId!: string;

  @Field(() => Int, { nullable: true, description: 'Refuse the change (CONFLICT) when the case is no longer at this version.' })
  expectedVersion?: number | null;
}

@InputType()
export class CloseCaseInput {
  @Field(() => ID)
  caseId!: string;

  @Field(() => Date)
  closedAt!: Date;

  @Field(() => ClosureReason)
  reason!: ClosureReason;

  @Field(() => Int, { nullable: true, description: 'Client rating 1–10.' })
  clientRating?: number | null;

  @Field(() => Boolean, { nullable: true })
  selfReliantAfter?: boolean | null;

  @Field(() => Int, { nullable: true })
  expectedVersion?: number | null;
}

@InputType()
export class AddGoalInput {
  @Field(() => ID)
  caseId!: string;

  @Field(() => String)
  @MaxLength(2000)
  description!: string;

  @Field(() => ZrmDomain, { nullable: true })
  domain?: ZrmDomain | null;

  @Field(() => DateScalar, { nullable: true })
  targetDate?: string | null;
}

@InputType()
export class AddCaseNoteInput {
  @Field(() => ID)
  caseId!: string;

  @Field(() => String)
  @MaxLength(10000)
  body!: string;
}

@InputType()
export class ZrmScoreInput {
  @Field(() => ZrmDomain)
  domain!: ZrmDomain;

  @Field(() => Int)
  score!: number;
}

@InputType()
export class RecordZrmAssessmentInput {
  @Field(() => ID)
  caseId!: string;

  @Field(() => ID, { nullable: true })
  residentId?: string | null;

  @Field(() => Date)
  assessedAt!: Date;

  @Field(() => ZrmVersion)
  version!: ZrmVersion;

  @Field(() => ZrmKind)
  kind!: ZrmKind;

  @Field(() => [ZrmScoreInput])
  @ArrayMaxSize(30)
  @ValidateNested({ each: true })
  scores!: ZrmScoreInput[];
}

@InputType()
export class RecordCareAllocationInput {
  @Field(() => ID)
  caseId!: string;

  @Field(() => String)
  @MaxLength(200)
  provision!: string;

  @Field(() => ID, { nullable: true })
  providerId?: string | null;

  @Field(() => CareForm)
  form!: CareForm;

  @Field(() => DateScalar)
  investigationStartedAt!: string;

  @Field(() => CareDecision, { nullable: true })
  decision?: CareDecision | null;

  @Field(() => DateScalar, { nullable: true })
  decidedAt?: string | null;
}

@InputType()
export class CaseFilter {
  @Field(() => ID, { nullable: true, description: 'One of your teams; default: all of them.' })
  teamId?: string | null;

  @Field(() => [CaseStatus], { nullable: true })
  status?: CaseStatus[] | null;

  @Field(() => ID, { nullable: true })
  householdId?: string | null;
}
