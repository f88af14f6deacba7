import { Entity, Enum, Index, ManyToOne, Property, type Rel } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { BaseEntity } from '../common/base.entity.js';
import { HouseholdRelation } from '../common/enums.js';
import { DateScalar } from '../common/scalars.js';
import { Household } from './household.entity.js';
import { Team } from '../team/team.entity.js';

@ObjectType({ description: 'A member of a household (bewoner).' })
@Entity({ tableName: 'resident' })
export class Resident extends BaseEntity<'languages'> {
  @ManyToOne({ entity: () => Household })
  household!: Rel<Household>;

  /** Copy of the household's team, so every scoped query filters on one column. */
  @Index()
  @ManyToOne({ entity: () => Team })
  team!: Rel<Team>;

  @Field(() => String)
  @Property({ type: 'string', length: 100 })
  givenName!: string;

  @Field(() => String)
  @Property({ type: 'string', length: 100 })
  familyName!: string;

  @Field(() => DateScalar)
  @Property({ type: 'date' })
  birthDate!: string;

  /** AES-256-GCM ciphertext of the BSN; never gets a @Field. */
  @Property({ type: 'text', nullable: true, lazy: true, hidden: true })
  bsnEncrypted?: string | null;

  /** HMAC of the BSN, to find a resident by BSN without decrypting. */
  @Index()
  @Property({ type: 'string', length: 64, nullable: true, hidden: true })
  bsnHash?: string | null;

  /** Shown through ResidentResolver.bsnLast4: only to the own team. */
  @Property({ type: 'string', length: 4, nullable: true })
  bsnLast4?: string | null;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 32, nullable: true })
  phone?: string | null;

  @Field(() => [String])
  @Property({ type: 'string[]', default: '{}' })
  languages: string[] = [];

  @Field(() => HouseholdRelation)
  @Enum({ items: () => HouseholdRelation })
  relation!: HouseholdRelation;

  /** Set when an erasure request anonymised this resident because the case must be kept (Wmo). */
  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  anonymisedAt?: Date | null;
}
