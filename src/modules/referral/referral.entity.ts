import { Entity, Enum, Index, ManyToOne, Property, Unique, type Rel } from '@mikro-orm/core';
import { Field, Float, Int, ObjectType } from 'type-graphql';
import { BaseEntity } from '../common/base.entity.js';
import { ContactKind, ReferralKind, ReferralStatus, Urgency } from '../common/enums.js';
import { DateScalar } from '../common/scalars.js';
import { Team } from '../team/team.entity.js';
import { Organisation } from '../organisation/organisation.entity.js';
import { Household } from '../household/household.entity.js';
import { Case } from '../case/case.entity.js';
import { Resident } from '../household/resident.entity.js';

/** The partner systems the hub polls and pushes to (src/jobs/queues.ts `Partner`). */
export const PARTNER_SYSTEMS = ['huisarts', 'corporation'] as const;
export type PartnerSystem = (typeof PARTNER_SYSTEMS)[number];

@ObjectType({ description: 'The person a referral is about, as the partner sent it.' })
export class ReferralSubject {
  @Field(() => String)
  givenName!: string;

  @Field(() => String)
  familyName!: string;

  @Field(() => DateScalar, { nullable: true })
  birthDate?: string | null;

  @Field(() => String)
  postcode!: string;

  @Field(() => String)
  houseNumber!: string;
}

@ObjectType({ description: 'Rent arrears reported with an arrears signal.' })
export class Arrears {
  @Field(() => Float, { description: 'Amount in euros.' })
  amount!: number;

  @Field(() => DateScalar)
  since!: string;

  @Field(() => Int, { nullable: true })
  months?: number | null;
}

/** An inbound referral from a GP practice or a housing corporation. */
@ObjectType({ description: 'An inbound referral: a GP referral (huisarts) or an arrears signal (vroegsignalering).' })
@Entity({ tableName: 'referral' })
@Unique({ properties: ['from', 'externalId'] })
@Index({ properties: ['team', 'receivedAt'] })
// A case's referral (CaseDetail, the referralOfCase loader) is looked up by case.
@Index({ properties: ['case'] })
export class Referral extends BaseEntity<'status' | 'version'> {
  @Field(() => ReferralKind)
  @Enum({ items: () => ReferralKind })
  kind!: ReferralKind;

  @Field(() => String, { description: "The sender's own id; unique per organisation." })
  @Property({ type: 'string', length: 100 })
  externalId!: string;

  @ManyToOne({ entity: () => Organisation })
  from!: Rel<Organisation>;

  @ManyToOne({ entity: () => Team })
  team!: Rel<Team>;

  /** Exposed through a field resolver: corporations see it folded. */
  @Enum({ items: () => ReferralStatus })
  status: ReferralStatus = ReferralStatus.RECEIVED;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  receivedAt!: Date;

  /** Resolved by ReferralResolver.updatedAt: partners get statusShownAt instead. */
  @Field(() => Date, {
    description:
      'When the referral last changed. Partner apps: when its status last changed as you see it (a step you are not shown does not move it).',
  })
  declare updatedAt: Date;

  /**
   * When the status last changed as the sender sees it (folded for corporations): partners read
   * this as `updatedAt` (the resolver), never the row's own updatedAt, which moves with every
   * hidden step (referral-status.ts).
   */
  @Property({ type: 'datetime' })
  statusShownAt: Date = new Date();

  /**
   * Keyed digest (HMAC with the BSN key) of the submission as normalised at intake: a resubmission
   * under the same externalId is the same one when the digests agree. Kept when erasure anonymises
   * the subject, so a retry after erasure is still answered as a retry, not as a CONFLICT that
   * would tell the sender the person was a client who had their data erased. Null for referrals
   * taken in before it existed (compared field by field).
   */
  @Property({ type: 'string', length: 64, nullable: true, hidden: true })
  submissionDigest?: string | null;

  @Property({ type: 'string', length: 100 })
  subjectGivenName!: string;

  @Property({ type: 'string', length: 100 })
  subjectFamilyName!: string;

  @Property({ type: 'date', nullable: true })
  subjectBirthDate?: string | null;

  @Property({ type: 'string', length: 6 })
  subjectPostcode!: string;

  @Property({ type: 'string', length: 16 })
  subjectHouseNumber!: string;

  @Property({ type: 'text', nullable: true, lazy: true, hidden: true })
  subjectBsnEncrypted?: string | null;

  /** Keyed hash (HMAC) of the subject's BSN, to match a resident without decrypting. */
  @Property({ type: 'string', length: 64, nullable: true, hidden: true })
  subjectBsnHash?: string | null;

  @Property({ type: 'string', length: 32, nullable: true })
  subjectPhone?: string | null;

  @Field(() => String, { nullable: true, description: 'Why the partner refers; never shown to other partners.' })
  @Property({ type: 'text', nullable: true })
  reason?: string | null;

  @Field(() => Urgency, { nullable: true })
  @Enum({ items: () => Urgency, nullable: true })
  urgency?: Urgency | null;

  @Property({ type: 'decimal', precision: 10, scale: 2, nullable: true })
  arrearsAmount?: string | null;

  @Property({ type: 'date', nullable: true })
  arrearsSince?: string | null;

  @Property({ type: 'smallint', nullable: true })
  arrearsMonths?: number | null;

  @Field(() => Boolean, { description: 'The partner obtained the resident\'s consent to refer.' })
  @Property({ type: 'boolean' })
  consentObtained!: boolean;

  @ManyToOne({ entity: () => Household, nullable: true })
  household?: Rel<Household> | null;

  @ManyToOne({ entity: () => Case, nullable: true })
  case?: Rel<Case> | null;

  /** The resident the referral is about, once matched: consent for partner feedback is theirs. */
  @ManyToOne({ entity: () => Resident, nullable: true })
  resident?: Rel<Resident> | null;

  @Property({ type: 'text', nullable: true })
  cancelReason?: string | null;

  /**
   * The partner system this referral came in from (its poll took it in, or saw it again), or
   * null when the sender submitted it through its app. Only such referrals get status pushes:
   * the system knows a record by the sender's externalId alone, and an externalId the hub did
   * not take from that system may be another practice's (or corporation's) record there.
   */
  @Enum({ items: [...PARTNER_SYSTEMS], nullable: true })
  partnerSystem?: PartnerSystem | null;

  @Property({ type: 'integer', version: true })
  version: number = 1;
}

@ObjectType({ description: 'An attempt to contact the subject of a referral.' })
@Entity({ tableName: 'referral_contact_attempt' })
export class ContactAttempt extends BaseEntity {
  @ManyToOne({ entity: () => Referral, index: true })
  referral!: Rel<Referral>;

  @Field(() => ContactKind)
  @Enum({ items: () => ContactKind })
  kind!: ContactKind;

  @Field(() => Date)
  @Property({ type: 'datetime' })
  at!: Date;

  @Field(() => Boolean)
  @Property({ type: 'boolean' })
  reached!: boolean;
}
