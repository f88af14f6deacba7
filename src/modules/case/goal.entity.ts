import { Entity, Enum, ManyToOne, Property, type Rel } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { BaseEntity } from '../common/base.entity.js';
import { GoalStatus, ZrmDomain } from '../common/enums.js';
import { DateScalar } from '../common/scalars.js';
import { Case } from './case.entity.js';

@ObjectType({ description: 'A goal in the household plan (plan van aanpak).' })
@Entity({ tableName: 'goal' })
export class Goal extends BaseEntity<'status'> {
  @ManyToOne({ entity: () => Case, index: true })
  case!: Rel<Case>;

  @Field(() => String)
  @Property({ type: 'text' })
  description!: string;

  @Field(() => ZrmDomain, { nullable: true })
  @Enum({ items: () => ZrmDomain, nullable: true })
  domain?: ZrmDomain | null;

  @Field(() => GoalStatus)
  @Enum({ items: () => GoalStatus })
  status: GoalStatus = GoalStatus.OPEN;

  @Field(() => DateScalar, { nullable: true })
  @Property({ type: 'date', nullable: true })
  targetDate?: string | null;
}
