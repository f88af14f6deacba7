import { Collection, Entity, Enum, ManyToMany, ManyToOne, Property, Unique, type Rel } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { BaseEntity } from '../common/base.entity.js';
import { Role } from '../common/enums.js';
import { Team } from '../team/team.entity.js';
import { Organisation } from '../organisation/organisation.entity.js';

/**
 * A person who logs in: team workers and leads, flex workers, ambassadors, analysts, admins.
 * Role and team membership live here and are never taken from the token.
 */
@ObjectType({ description: 'A staff member (medewerker) or other principal with a personal login.' })
@Entity({ tableName: 'staff' })
export class Staff extends BaseEntity<'active'> {
  @Field(() => String)
  @Property({ type: 'string', length: 200 })
  name!: string;

  @Field(() => String)
  @Unique()
  @Property({ type: 'string', length: 254 })
  email!: string;

  @Field(() => String, { nullable: true })
  @Property({ type: 'string', length: 32, nullable: true })
  phone?: string | null;

  @Field(() => Role)
  @Enum({ items: () => Role })
  role!: Role;

  @Property({ type: 'boolean', default: true })
  active: boolean = true;

  @ManyToMany({ entity: () => Team, pivotTable: 'staff_team', owner: true })
  teams = new Collection<Team>(this);

  @ManyToOne({ entity: () => Organisation, nullable: true })
  organisation?: Rel<Organisation> | null;
}
