import { Entity, Index, ManyToOne, Property, type Rel } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { BaseEntity } from '../common/base.entity.js';
import { Case } from './case.entity.js';
import { Staff } from '../staff/staff.entity.js';

@ObjectType({ description: 'A note in the case file.' })
@Entity({ tableName: 'case_note' })
@Index({ properties: ['case', 'createdAt', 'id'] })
export class CaseNote extends BaseEntity {
  @ManyToOne({ entity: () => Case })
  case!: Rel<Case>;

  @ManyToOne({ entity: () => Staff })
  author!: Rel<Staff>;

  @Field(() => String)
  @Property({ type: 'text' })
  body!: string;

  @Field(() => Date)
  declare createdAt: Date;
}
