import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';
import { ArrayMaxSize, MaxLength } from 'class-validator';
import { CheckInGoing, DayPart, Weekday } from '../common/enums.js';
import { DateScalar } from '../common/scalars.js';
import { Volunteer } from './volunteer.entity.js';
import { VolunteerMatch } from './informal-care.entity.js';

@InputType({ description: 'A weekly availability slot: day × part of day.' })
export class AvailabilitySlotInput {
  @Field(() => Weekday)
  day!: Weekday;

  @Field(() => DayPart)
  part!: DayPart;
}

@InputType()
export class RegisterVolunteerInput {
  @Field(() => ID, { description: 'An INFORMAL_CARE organisation; an ambassador may only register for their own.' })
  organisationId!: string;

  @Field(() => String)
  @MaxLength(100)
  givenName!: string;

  @Field(() => String)
  @MaxLength(100)
  familyName!: string;

  @Field(() => String, { description: "The volunteer's login." })
  @MaxLength(254)
  email!: string;

  @Field(() => String, { nullable: true })
  @MaxLength(32)
  phone?: string | null;

  @Field(() => String, { description: 'Accepted as 1234AB or 1234 AB; stored as 1234AB.' })
  @MaxLength(10)
  postcode!: string;

  @Field(() => [String], { description: 'Skills and interests, from informalCareVocabulary.skills.' })
  @ArrayMaxSize(20)
  skills!: string[];

  @Field(() => [String], { description: 'From informalCareVocabulary.languages.' })
  @ArrayMaxSize(20)
  languages!: string[];

  @Field(() => [AvailabilitySlotInput])
  @ArrayMaxSize(21)
  availability!: AvailabilitySlotInput[];

  @Field(() => Int, { description: 'Most matches at the same time (1–10).' })
  maxMatches!: number;

  @Field(() => DateScalar, { nullable: true, description: 'Issue date of the VOG; not in the future.' })
  vogIssuedAt?: string | null;
}

@InputType()
export class RequestInformalCareInput {
  @Field(() => ID)
  caseId!: string;

  @Field(() => ID, { nullable: true, description: "The household member the request is for (a member of the case's household)." })
  residentId?: string | null;

  @Field(() => [String], { description: 'From informalCareVocabulary.skills; at least one.' })
  @ArrayMaxSize(15)
  needs!: string[];

  @Field(() => [String], { nullable: true, description: "From informalCareVocabulary.languages; default the resident's languages." })
  @ArrayMaxSize(12)
  languages?: string[] | null;

  @Field(() => [AvailabilitySlotInput], { nullable: true })
  @ArrayMaxSize(21)
  availability?: AvailabilitySlotInput[] | null;

  @Field(() => String, { nullable: true, description: 'For the team only; never shown to ambassadors or volunteers.' })
  @MaxLength(2000)
  note?: string | null;
}

@InputType()
export class RecordCaseDiscussionInput {
  @Field(() => ID)
  caseId!: string;

  @Field(() => Date, { description: 'Not in the future.' })
  discussedAt!: Date;

  @Field(() => Boolean)
  informalCarePossible!: boolean;

  @Field(() => String, { nullable: true })
  @MaxLength(2000)
  note?: string | null;
}

@InputType()
export class RecordMatchCheckInInput {
  @Field(() => ID)
  matchId!: string;

  @Field(() => Date, { description: 'Not in the future, not before the match started.' })
  at!: Date;

  @Field(() => CheckInGoing)
  going!: CheckInGoing;

  @Field(() => String, { nullable: true })
  @MaxLength(2000)
  note?: string | null;
}

@ObjectType({ description: 'The controlled vocabulary of informal care: needs/skills and languages.' })
export class InformalCareVocabulary {
  @Field(() => [String], { description: 'Skills of volunteers and needs of requests (slugs).' })
  skills!: string[];

  @Field(() => [String], { description: 'Languages, by English name.' })
  languages!: string[];
}

@ObjectType({ description: 'A volunteer ranked for a request, with the reasons of the score.' })
export class VolunteerCandidate {
  @Field(() => Float, { description: 'Higher is better; see README "Informal care" for the parts.' })
  score!: number;

  @Field(() => [String], { description: 'Why this volunteer fits, in words ("speaks Arabic", "1.2 km", …).' })
  reasons!: string[];

  @Field(() => Float, { nullable: true, description: "Between the centroids of the volunteer's and the resident's postcode areas; null when unknown." })
  distanceKm?: number | null;

  @Field(() => Volunteer)
  volunteer!: Volunteer;
}

@ObjectType({ description: 'An ACTIVE match whose check-in is due (or overdue).' })
export class DueCheckIn {
  @Field(() => VolunteerMatch)
  match!: VolunteerMatch;

  @Field(() => Date, { description: 'One month after the start for the first check-in, then three months after the last one.' })
  dueAt!: Date;
}
