import { Entity, Enum, Index, ManyToOne, Property, Unique, type Rel } from '@mikro-orm/core';
import { Field, Int, ObjectType } from 'type-graphql';
import { BaseEntity } from '../common/base.entity.js';
import { DayPart, Weekday } from '../common/enums.js';
import { DateScalar } from '../common/scalars.js';
import { Organisation } from '../organisation/organisation.entity.js';

@ObjectType({ description: 'A weekly availability slot: day × part of day.' })
export class AvailabilitySlot {
  @Field(() => Weekday)
  day!: Weekday;

  @Field(() => DayPart)
  part!: DayPart;
}

/**
 * A volunteer of an informal-care organisation. The email is unique per organisation, not
 * city-wide: a city-wide check would tell an ambassador who volunteers for another organisation.
 */
@ObjectType({ description: 'A volunteer (vrijwilliger) of an informal-care organisation.' })
@Entity({ tableName: 'volunteer' })
@Index({ properties: ['organisation', 'active'] })
@Unique({ name: 'volunteer_organisation_email_unique', properties: ['organisation', 'email'] })
export class Volunteer extends BaseEntity<'active' | 'paused' | 'skills' | 'languages' | 'availability' | 'maxMatches'> {
  @ManyToOne({ entity: () => Organisation })
  organisation!: Rel<Organisation>;

  @Field(() => String)
  @Property({ type: 'string', length: 100 })
  givenName!: string;

  @Property({ type: 'string', length: 100 })
  familyName!: string;

  @Property({ type: 'string', length: 254 })
  email!: string;

  @Property({ type: 'string', length: 32, nullable: true })
  phone?: string | null;

  @Property({ type: 'string', length: 6 })
  postcode!: string;

  @Field(() => [String])
  @Property({ type: 'string[]', default: '{}' })
  skills: string[] = [];

  @Field(() => [String])
  @Property({ type: 'string[]', default: '{}' })
  languages: string[] = [];

  @Field(() => [AvailabilitySlot])
  @Property({ type: 'json', default: '[]' })
  availability: AvailabilitySlot[] = [];

  @Field(() => Int, { description: 'Most matches at the same time.' })
  @Property({ type: 'smallint', default: 2 })
  maxMatches: number = 2;

  @Field(() => DateScalar, { nullable: true, description: 'Issue date of the VOG (certificate of conduct).' })
  @Property({ type: 'date', nullable: true })
  vogIssuedAt?: string | null;

  /** False when the volunteer stopped (set by the organisation); an inactive volunteer cannot log in. */
  @Field(() => Boolean)
  @Property({ type: 'boolean', default: true })
  active: boolean = true;

  /** The volunteer paused themselves (setVolunteerPaused): no new proposals until they resume. */
  @Field(() => Boolean, { description: 'Paused by the volunteer: no new proposals until resumed.' })
  @Property({ type: 'boolean', default: false })
  paused: boolean = false;
}
