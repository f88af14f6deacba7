import { Entity, Enum, ManyToOne, Property, type Rel } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { BaseEntity } from '../common/base.entity.js';
import { CareDecision, CareForm } from '../common/enums.js';
import { DateScalar } from '../common/scalars.js';
import { Case } from './case.entity.js';
import { Organisation } from '../organisation/organisation.entity.js';

@ObjectType({ description: 'A care allocation (maatwerkvoorziening) and its investigation.' })
@Entity({ tableName: 'care_allocation' })
export class CareAllocation extends BaseEntity<'decision'> {
  @ManyToOne({ entity: () => Case, index: true })
  case!: Rel<Case>;

  @Field(() => String, { description: 'The provision, free text (e.g. "huishoudelijke hulp").' })
  @Property({ type: 'string', length: 200 })
  provision!: string;

  @ManyToOne({ entity: () => Organisation, nullable: true })
  provider?: Rel<Organisation> | null;

  @Field(() => CareForm)
  @Enum({ items: () => CareForm })
  form!: CareForm;

  @Field(() => DateScalar)
  @Property({ type: 'date', index: true })
  investigationStartedAt!: string;

  @Field(() => CareDecision)
  @Enum({ items: () => CareDecision })
  decision: CareDecision = CareDecision.PENDING;

  @Field(() => DateScalar, { nullable: true })
  @Property({ type: 'date', nullable: true })
  decidedAt?: string | null;
}
