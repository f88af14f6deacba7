import { Entity, Enum, Index, ManyToOne, Property, type Rel } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { BaseEntity } from '../common/base.entity.js';
import { FeedbackKind, FeedbackStatus } from '../common/enums.js';
import { Team } from '../team/team.entity.js';
import { Case } from '../case/case.entity.js';

@ObjectType({ description: 'A complaint (klacht), compliment or suggestion about a team.' })
@Entity({ tableName: 'feedback' })
@Index({ properties: ['team', 'receivedAt'] })
export class Feedback extends BaseEntity<'status'> {
  @ManyToOne({ entity: () => Team })
  team!: Rel<Team>;

  @ManyToOne({ entity: () => Case, nullable: true })
  case?: Rel<Case> | null;

  @Field(() => FeedbackKind)
  @Enum({ items: () => FeedbackKind })
  kind!: FeedbackKind;

  @Field(() => FeedbackStatus)
  @Enum({ items: () => FeedbackStatus })
  status: FeedbackStatus = FeedbackStatus.OPEN;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  receivedAt!: Date;

  @Field(() => String)
  @Property({ type: 'text' })
  summary!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'text', nullable: true })
  resolution?: string | null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  resolvedAt?: Date | null;
}
