import { Entity, Enum, Property, Unique } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { BaseEntity } from '../common/base.entity.js';
import { OrganisationKind } from '../common/enums.js';

@ObjectType({ description: 'A partner organisation: GP practice, housing corporation, care provider, informal-care organisation or municipality.' })
@Entity({ tableName: 'organisation' })
export class Organisation extends BaseEntity {
  @Field(() => String, { description: 'Stable slug, e.g. "gp-de-linde"; partner clients log in by it.' })
  @Unique()
  @Property({ type: 'string', length: 64 })
  code!: string;

  @Field(() => String)
  @Property({ type: 'string', length: 200 })
  name!: string;

  @Field(() => OrganisationKind)
  @Enum({ items: () => OrganisationKind })
  kind!: OrganisationKind;

  /** Unique (a partial index, Migration20261202000000_organisation_agb_unique): the GP system names the sender by it. */
  @Field(() => String, { nullable: true, description: 'AGB code (GP practices).' })
  @Property({ type: 'string', length: 8, nullable: true })
  agbCode?: string | null;
}
