import { Entity, Enum, Index, ManyToOne, Property, type Rel } from '@mikro-orm/core';
import { Field, Int, ObjectType } from 'type-graphql';
import { BaseEntity } from '../common/base.entity.js';
import { ZrmDomain, ZrmKind, ZrmVersion } from '../common/enums.js';
import { Case } from './case.entity.js';
import { Resident } from '../household/resident.entity.js';

@ObjectType({ description: 'Score 1 (acute) to 5 (fully self-reliant) on one ZRM domain.' })
export class ZrmScore {
  @Field(() => ZrmDomain)
  domain!: ZrmDomain;

  @Field(() => Int)
  score!: number;
}

@ObjectType({ description: 'A zelfredzaamheidsmatrix assessment: one score per domain of its version.' })
@Entity({ tableName: 'zrm_assessment' })
@Index({ properties: ['case', 'assessedAt'] })
@Index({ properties: ['assessedAt'] })
export class ZrmAssessment extends BaseEntity {
  @ManyToOne({ entity: () => Case })
  case!: Rel<Case>;

  @ManyToOne({ entity: () => Resident, nullable: true })
  resident?: Rel<Resident> | null;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  assessedAt!: Date;

  @Field(() => ZrmVersion)
  @Enum({ items: () => ZrmVersion })
  version!: ZrmVersion;

  @Field(() => ZrmKind)
  @Enum({ items: () => ZrmKind })
  kind!: ZrmKind;

  /** Stored as jsonb [{domain, score}] in the version's domain order. */
  @Field(() => [ZrmScore])
  @Property({ type: 'json' })
  scores!: ZrmScore[];
}
