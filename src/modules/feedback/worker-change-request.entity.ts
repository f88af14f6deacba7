import { Entity, Enum, ManyToOne, Property, type Rel } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { BaseEntity } from '../common/base.entity.js';
import { WorkerChangeStatus } from '../common/enums.js';
import { Team } from '../team/team.entity.js';
import { Case } from '../case/case.entity.js';
import { Staff } from '../staff/staff.entity.js';

@ObjectType({ description: "A resident's request for another worker or team (keuzevrijheid)." })
@Entity({ tableName: 'worker_change_request' })
export class WorkerChangeRequest extends BaseEntity<'status'> {
  @ManyToOne({ entity: () => Case, index: true })
  case!: Rel<Case>;

  /** The case's team when requested, for scoping. */
  @ManyToOne({ entity: () => Team, index: true })
  team!: Rel<Team>;

  @ManyToOne({ entity: () => Team, nullable: true })
  toTeam?: Rel<Team> | null;

  @Field(() => String)
  @Property({ type: 'text' })
  reason!: string;

  @Field(() => WorkerChangeStatus)
  @Enum({ items: () => WorkerChangeStatus })
  status: WorkerChangeStatus = WorkerChangeStatus.REQUESTED;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  requestedAt!: Date;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  decidedAt?: Date | null;

  @ManyToOne({ entity: () => Staff, nullable: true })
  decidedBy?: Rel<Staff> | null;

  @ManyToOne({ entity: () => Staff })
  requestedBy!: Rel<Staff>;
}
