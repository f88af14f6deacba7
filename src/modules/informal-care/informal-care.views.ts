import { Field, InputType, ObjectType } from 'type-graphql';
import { InformalCareRequestStatus } from '../common/enums.js';

/** Where a resident lives, no finer than the postcode area: the ambassador's and volunteer's view. */
@ObjectType({ description: 'A postcode area (first four digits) and the neighbourhood it lies in.' })
export class PostcodeArea {
  @Field(() => String)
  postcode4!: string;

  @Field(() => String, { nullable: true })
  neighbourhood?: string | null;
}

/** A resident as an ambassador or volunteer may know them: the given name only. */
@ObjectType({ description: 'A resident, pseudonymised: given name only.' })
export class PseudonymousResident {
  @Field(() => String)
  givenName!: string;
}

@InputType()
export class InformalCareRequestFilter {
  @Field(() => [InformalCareRequestStatus], { nullable: true })
  status?: InformalCareRequestStatus[] | null;
}
