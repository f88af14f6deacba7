import { Entity, Enum, Property, Unique } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { BaseEntity } from '../common/base.entity.js';
import { TeamKind } from '../common/enums.js';

@ObjectType({ description: 'A neighbourhood team (buurtteam).' })
@Entity({ tableName: 'team' })
export class Team extends BaseEntity<'kind' | 'isFlex' | 'postcodes'> {
  @Field(() => String, { description: 'Stable slug, e.g. "overvecht-centrum".' })
  @Unique()
  @Property({ type: 'string', length: 64 })
  code!: string;

  @Field(() => String)
  @Property({ type: 'string', length: 200 })
  name!: string;

  @Field(() => String, { nullable: true, description: 'District (wijk).' })
  @Property({ type: 'string', length: 100, nullable: true })
  district?: string | null;

  @Field(() => TeamKind)
  @Enum({ items: () => TeamKind, default: TeamKind.SOCIAL })
  kind: TeamKind = TeamKind.SOCIAL;

  @Field(() => Boolean, { description: 'The city-wide flex team.' })
  @Property({ type: 'boolean', default: false })
  isFlex: boolean = false;

  @Field(() => [String], { description: 'Postcode areas (first four digits) routed to this team.' })
  @Property({ type: 'string[]', default: '{}' })
  postcodes: string[] = [];
}
