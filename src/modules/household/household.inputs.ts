import { Field, ID, InputType } from 'type-graphql';
import { ArrayMaxSize, ArrayMinSize, MaxLength, ValidateNested } from 'class-validator';
import { HouseholdRelation } from '../common/enums.js';
import { DateScalar } from '../common/scalars.js';

@InputType()
export class AddressInput {
  @Field(() => String)
  @MaxLength(200)
  street!: string;

  @Field(() => String)
  @MaxLength(16)
  houseNumber!: string;

  @Field(() => String, { nullable: true })
  @MaxLength(16)
  houseNumberAddition?: string | null;

  @Field(() => String, { description: 'Accepted as 1234AB or 1234 AB; stored as 1234AB.' })
  @MaxLength(10)
  postcode!: string;

  @Field(() => String)
  @MaxLength(100)
  city!: string;
}

@InputType()
export class HouseholdMemberInput {
  @Field(() => String)
  @MaxLength(100)
  givenName!: string;

  @Field(() => String)
  @MaxLength(100)
  familyName!: string;

  @Field(() => DateScalar)
  birthDate!: string;

  @Field(() => String, { nullable: true, description: 'Validated with the elfproef, stored encrypted, never returned.' })
  @MaxLength(12)
  bsn?: string | null;

  @Field(() => String, { nullable: true })
  @MaxLength(32)
  phone?: string | null;

  @Field(() => [String], { nullable: true })
  @ArrayMaxSize(20)
  languages?: string[] | null;

  @Field(() => HouseholdRelation)
  relation!: HouseholdRelation;
}

@InputType()
export class RegisterHouseholdInput {
  @Field(() => ID, { nullable: true, description: 'Overrides the team derived from the postcode.' })
  teamId?: string | null;

  @Field(() => AddressInput)
  @ValidateNested()
  address!: AddressInput;

  @Field(() => [HouseholdMemberInput])
  @ArrayMinSize(1)
  @ArrayMaxSize(20)
  @ValidateNested({ each: true })
  members!: HouseholdMemberInput[];
}
