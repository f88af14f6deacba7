import { Entity, Enum, Index, ManyToOne, Property, type Rel } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { BaseEntity } from '../common/base.entity.js';
import { ConsentPurpose } from '../common/enums.js';
import { Resident } from '../household/resident.entity.js';
import { Organisation } from '../organisation/organisation.entity.js';
import { Staff } from '../staff/staff.entity.js';
import { Team } from '../team/team.entity.js';

@ObjectType({ description: "A resident's consent to share with one organisation for one purpose." })
@Entity({ tableName: 'consent' })
@Index({ properties: ['resident', 'recipient', 'purpose'] })
export class Consent extends BaseEntity {
  @ManyToOne({ entity: () => Resident })
  resident!: Rel<Resident>;

  /** The resident's team at the time of recording, for scoping. */
  @ManyToOne({ entity: () => Team, index: true })
  team!: Rel<Team>;

  @ManyToOne({ entity: () => Organisation })
  recipient!: Rel<Organisation>;

  @Field(() => ConsentPurpose)
  @Enum({ items: () => ConsentPurpose })
  purpose!: ConsentPurpose;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  grantedAt!: Date;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  revokedAt?: Date | null;

  @ManyToOne({ entity: () => Staff })
  recordedBy!: Rel<Staff>;
}

/**
 * SQL: the consent row aliased `alias` is in force now (granted, not or not yet revoked). Every
 * disclosure checks it in its own statement, so a revocation counts from the next request on.
 */
export const activeConsentSql = (alias: string) => `${alias}.granted_at <= now() and (${alias}.revoked_at is null or ${alias}.revoked_at > now())`;
