import { Entity, Enum, Index, ManyToOne, OptionalProps, PrimaryKey, PrimaryKeyProp, Property, type Rel } from '@mikro-orm/core';
import { Field, ObjectType } from 'type-graphql';
import { BaseEntity } from '../common/base.entity.js';
import { CheckInGoing, InformalCareRequestStatus, MatchStatus } from '../common/enums.js';
import { Case } from '../case/case.entity.js';
import { Resident } from '../household/resident.entity.js';
import { Team } from '../team/team.entity.js';
import { Staff } from '../staff/staff.entity.js';
import { AvailabilitySlot, Volunteer } from './volunteer.entity.js';

/** A team worker's request for a volunteer for a resident of a case. */
@ObjectType({ description: 'A request for informal care (a volunteer) on a case, as the ambassador sees it: pseudonymised.' })
@Entity({ tableName: 'informal_care_request' })
@Index({ properties: ['team', 'status', 'createdAt'] })
export class InformalCareRequest extends BaseEntity<'status' | 'languages' | 'availability'> {
  @ManyToOne({ entity: () => Case, index: true })
  case!: Rel<Case>;

  @ManyToOne({ entity: () => Resident, nullable: true })
  resident?: Rel<Resident> | null;

  @ManyToOne({ entity: () => Team })
  team!: Rel<Team>;

  @Field(() => InformalCareRequestStatus)
  @Enum({ items: () => InformalCareRequestStatus })
  status: InformalCareRequestStatus = InformalCareRequestStatus.OPEN;

  @Field(() => [String])
  @Property({ type: 'string[]' })
  needs!: string[];

  @Field(() => [String])
  @Property({ type: 'string[]', default: '{}' })
  languages: string[] = [];

  @Field(() => [AvailabilitySlot])
  @Property({ type: 'json', default: '[]' })
  availability: AvailabilitySlot[] = [];

  /** Free text for the team; never shown to ambassadors or volunteers. */
  @Property({ type: 'text', nullable: true })
  note?: string | null;

  /** Postcode area (first four digits) of the household, copied so the pseudonymised view needs no address. */
  @Property({ type: 'string', length: 4 })
  postcode4!: string;

  @ManyToOne({ entity: () => Staff })
  requestedBy!: Rel<Staff>;

  @Field(() => Date)
  declare createdAt: Date;
}

/** The ambassador discussed a case with the team: is informal care possible? */
@ObjectType({ description: 'A case discussion by the informal-care ambassador (casusbespreking).' })
@Entity({ tableName: 'case_discussion' })
@Index({ properties: ['team', 'discussedAt'] })
export class CaseDiscussion extends BaseEntity {
  @ManyToOne({ entity: () => Case, index: true })
  case!: Rel<Case>;

  @ManyToOne({ entity: () => Team })
  team!: Rel<Team>;

  @ManyToOne({ entity: () => Staff })
  ambassador!: Rel<Staff>;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  discussedAt!: Date;

  @Field(() => Boolean)
  @Property({ type: 'boolean' })
  informalCarePossible!: boolean;

  @Property({ type: 'text', nullable: true })
  note?: string | null;
}

/** A volunteer matched to an informal-care request. */
@ObjectType({ description: 'A match between a volunteer and an informal-care request.' })
@Entity({ tableName: 'volunteer_match' })
@Index({ properties: ['volunteer', 'status'] })
@Index({ properties: ['request', 'status'] })
@Index({ properties: ['team', 'status'] })
export class VolunteerMatch extends BaseEntity<'status' | 'version'> {
  @ManyToOne({ entity: () => InformalCareRequest })
  request!: Rel<InformalCareRequest>;

  @ManyToOne({ entity: () => Volunteer })
  volunteer!: Rel<Volunteer>;

  @ManyToOne({ entity: () => Team })
  team!: Rel<Team>;

  @Field(() => MatchStatus)
  @Enum({ items: () => MatchStatus })
  status: MatchStatus = MatchStatus.PROPOSED;

  @Field(() => String, { description: 'What the volunteer is asked to do.' })
  @Property({ type: 'string', length: 500 })
  task!: string;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  proposedAt!: Date;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  respondedAt?: Date | null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  startedAt?: Date | null;

  @Field(() => Date, { nullable: true })
  @Property({ type: 'datetime', nullable: true })
  endedAt?: Date | null;

  @Property({ type: 'text', nullable: true })
  endReason?: string | null;

  @ManyToOne({ entity: () => Staff, nullable: true })
  proposedBy?: Rel<Staff> | null;

  @Property({ type: 'integer', version: true })
  version: number = 1;
}

@ObjectType({ description: 'How a match is going, recorded by the ambassador.' })
@Entity({ tableName: 'match_check_in' })
@Index({ properties: ['match', 'at'] })
export class MatchCheckIn extends BaseEntity {
  @ManyToOne({ entity: () => VolunteerMatch, index: true })
  match!: Rel<VolunteerMatch>;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  at!: Date;

  @Field(() => CheckInGoing)
  @Enum({ items: () => CheckInGoing })
  going!: CheckInGoing;

  @Property({ type: 'text', nullable: true })
  note?: string | null;

  @ManyToOne({ entity: () => Staff })
  recordedBy!: Rel<Staff>;
}

/** The daily reminder queued a check-in reminder for this match and due date (keeps it idempotent). */
@Entity({ tableName: 'check_in_reminder' })
export class CheckInReminder {
  [PrimaryKeyProp]?: ['match', 'dueOn'];
  [OptionalProps]?: 'createdAt';

  @ManyToOne({ entity: () => VolunteerMatch, primary: true, deleteRule: 'cascade' })
  match!: Rel<VolunteerMatch>;

  @PrimaryKey({ type: 'date' })
  dueOn!: string;

  @Property({ type: 'datetime', defaultRaw: 'now()' })
  createdAt: Date = new Date();
}
