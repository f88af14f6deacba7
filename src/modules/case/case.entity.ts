import { Entity, Enum, Index, ManyToOne, Property, type Rel } from '@mikro-orm/core';
import { Field, Int, ObjectType } from 'type-graphql';
import { BaseEntity } from '../common/base.entity.js';
import { CaseStatus, ClosureReason, ReferralSource } from '../common/enums.js';
import { Household } from '../household/household.entity.js';
import { Team } from '../team/team.entity.js';
import { Staff } from '../staff/staff.entity.js';

/**
 * A case (casus): one household episode, one plan, one coordinator.
 * At most one open case per household is enforced by a partial unique index
 * (see the migration) as well as by the service.
 */
@ObjectType({ description: 'A case (casus): one household episode with one plan and one coordinator.' })
@Entity({ tableName: 'case' })
@Index({ properties: ['team', 'registeredAt'] })
@Index({ properties: ['household'] })
export class Case extends BaseEntity<'status' | 'version'> {
  @ManyToOne({ entity: () => Household })
  household!: Rel<Household>;

  @ManyToOne({ entity: () => Team })
  team!: Rel<Team>;

  @Field(() => CaseStatus)
  @Enum({ items: () => CaseStatus })
  status: CaseStatus = CaseStatus.REGISTERED;

  @Field(() => String, { description: 'Why the household came in (vraag bij aanmelding).' })
  @Property({ type: 'text' })
  reason!: string;

  @Field(() => ReferralSource)
  @Enum({ items: () => ReferralSource })
  referralSource!: ReferralSource;

  @Field(() => Date, { description: 'Registration (aanmelding).' })
  @Property({ type: 'datetime' })
  registeredAt!: Date;

  @Field(() => Date, { nullable: true, description: 'First contact (kennismakingsgesprek).' })
  @Property({ type: 'datetime', nullable: true })
  firstContactAt?: Date | null;

  @Field(() => Date, { nullable: true, description: 'Start of support; stays empty for a case closed before it started.' })
  @Property({ type: 'datetime', nullable: true })
  startedAt?: Date | null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  closedAt?: Date | null;

  @Field(() => ClosureReason, { nullable: true })
  @Enum({ items: () => ClosureReason, nullable: true })
  closureReason?: ClosureReason | null;

  @Field(() => Int, { nullable: true, description: 'Client rating 1–10 at closure.' })
  @Property({ type: 'smallint', nullable: true })
  clientRating?: number | null;

  @Field(() => Boolean, { nullable: true, description: 'Self-reliant after closure.' })
  @Property({ type: 'boolean', nullable: true })
  selfReliantAfter?: boolean | null;

  @ManyToOne({ entity: () => Staff, nullable: true })
  coordinator?: Rel<Staff> | null;

  /** Optimistic lock: every update checks and bumps it; a stale write becomes CONFLICT. */
  @Field(() => Int, { description: 'Optimistic-lock version; pass it as expectedVersion to refuse stale edits.' })
  @Property({ type: 'integer', version: true })
  version: number = 1;
}
