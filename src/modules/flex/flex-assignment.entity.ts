import { Entity, Index, ManyToOne, Property, type Rel } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { BaseEntity } from '../common/base.entity.js';
import { DateScalar } from '../common/scalars.js';
import { Case } from '../case/case.entity.js';
import { Staff } from '../staff/staff.entity.js';

/**
 * A flex worker's access to one case, until (and including) `until`. The flex worker's
 * scope is computed from the assignments active today, once per request.
 */
@ObjectType({ description: 'A flex-team worker assigned to one case, with an end date.' })
@Entity({ tableName: 'flex_assignment' })
@Index({ properties: ['staff', 'until'] })
export class FlexAssignment extends BaseEntity {
  @ManyToOne({ entity: () => Staff })
  staff!: Rel<Staff>;

  @ManyToOne({ entity: () => Case, index: true })
  case!: Rel<Case>;

  @Field(() => DateScalar, { description: 'Last day of access (inclusive).' })
  @Property({ type: 'date' })
  until!: string;

  @ManyToOne({ entity: () => Staff })
  assignedBy!: Rel<Staff>;
}
