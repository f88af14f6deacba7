import { Entity, Index, ManyToOne, Property, type Rel } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { BaseEntity } from '../common/base.entity.js';
import { Team } from '../team/team.entity.js';

@ObjectType({ description: 'A postal address in the city.' })
export class Address {
  @Field(() => String)
  street!: string;

  @Field(() => String, { description: 'House number as a string, e.g. "12" or "12-3".' })
  houseNumber!: string;

  @Field(() => String, { nullable: true })
  houseNumberAddition?: string | null;

  @Field(() => String, { description: 'Normalised postcode, e.g. "3562AB".' })
  postcode!: string;

  @Field(() => String)
  city!: string;
}

@ObjectType({ description: 'A household (huishouden): one address, its members, one plan at a time.' })
@Entity({ tableName: 'household' })
@Index({ properties: ['team', 'createdAt'] })
export class Household extends BaseEntity {
  @ManyToOne({ entity: () => Team })
  team!: Rel<Team>;

  @Property({ type: 'string', length: 200 })
  street!: string;

  @Property({ type: 'string', length: 16 })
  houseNumber!: string;

  @Property({ type: 'string', length: 16, nullable: true })
  houseNumberAddition?: string | null;

  @Index()
  @Property({ type: 'string', length: 6 })
  postcode!: string;

  @Property({ type: 'string', length: 100 })
  city!: string;

  /** Set when a resident's erasure request anonymised this household (Wmo retention). */
  @Property({ type: 'datetime', nullable: true })
  anonymisedAt?: Date | null;
}
