import { LockMode } from '@mikro-orm/core';
import { Field, ID, InputType } from 'type-graphql';
import { ArrayMaxSize, MaxLength } from 'class-validator';
import type { Context } from '../../context.js';
import { inTransaction } from '../../db/transaction.js';
import { isUuid } from '../../permissions/scope.js';
import { AccessAction, OrganisationKind, Role } from '../common/enums.js';
import { BadInputError, ConflictError } from '../common/errors.js';
import * as v from '../common/validation.js';
import { Team } from '../team/team.entity.js';
import { Organisation } from '../organisation/organisation.entity.js';
import { Staff } from './staff.entity.js';

@InputType()
export class CreateStaffInput {
  @Field(() => String)
  @MaxLength(200)
  name!: string;

  @Field(() => String)
  @MaxLength(254)
  email!: string;

  @Field(() => Role)
  role!: Role;

  @Field(() => [ID], { nullable: true })
  @ArrayMaxSize(50)
  teamIds?: string[] | null;

  @Field(() => ID, { nullable: true })
  organisationId?: string | null;

  @Field(() => String, { nullable: true })
  @MaxLength(32)
  phone?: string | null;
}

@InputType()
export class CreateOrganisationInput {
  @Field(() => String, { description: 'Slug: lowercase letters, digits and dashes.' })
  @MaxLength(64)
  code!: string;

  @Field(() => String)
  @MaxLength(200)
  name!: string;

  @Field(() => OrganisationKind)
  kind!: OrganisationKind;

  @Field(() => String, { nullable: true })
  @MaxLength(8)
  agbCode?: string | null;
}

/** Roles that are staff members with a personal login (partners and volunteers log in otherwise). */
const STAFF_ROLES = new Set([Role.TEAM_WORKER, Role.TEAM_LEAD, Role.FLEX_WORKER, Role.AMBASSADOR, Role.ANALYST, Role.ADMIN]);
const TEAM_ROLES = new Set([Role.TEAM_WORKER, Role.TEAM_LEAD, Role.FLEX_WORKER, Role.AMBASSADOR]);

export async function createStaff(ctx: Context, input: CreateStaffInput): Promise<Staff> {
  const name = v.text('name', input.name, { max: 200 });
  const email = v.text('email', input.email, { max: 254 }).toLowerCase();
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) throw new BadInputError('email', 'is not an email address');
  if (!STAFF_ROLES.has(input.role)) throw new BadInputError('role', `${input.role} is not a staff role`);
  const teamIds = [...new Set(input.teamIds ?? [])];
  if (TEAM_ROLES.has(input.role) && teamIds.length === 0) throw new BadInputError('teamIds', `a ${input.role} needs at least one team`);
  if (!TEAM_ROLES.has(input.role) && teamIds.length > 0) throw new BadInputError('teamIds', `a ${input.role} is not a team member`);
  const phone = v.phone('phone', input.phone);
  return inTransaction(ctx.em, async (em) => {
    teamIds.forEach((id, i) => {
      if (!isUuid(id)) throw new BadInputError(`teamIds.${i}`, 'is not a valid id');
    });
    // An ambassador's teams are locked: two created at once for one team cannot both find none there.
    const lock = input.role === Role.AMBASSADOR ? { lockMode: LockMode.PESSIMISTIC_WRITE as const } : {};
    const teams = teamIds.length ? await em.find(Team, { id: { $in: teamIds } }, { ...lock, orderBy: { id: 'asc' } }) : [];
    if (teams.length !== teamIds.length) throw new BadInputError('teamIds', 'contains an unknown team');
    let organisation: Organisation | null = null;
    if (input.organisationId) {
      if (!isUuid(input.organisationId)) throw new BadInputError('organisationId', 'is not a valid id');
      organisation = await em.findOne(Organisation, input.organisationId);
      if (!organisation) throw new BadInputError('organisationId', 'no such organisation');
    }
    if (input.role === Role.AMBASSADOR) {
      // DESIGN: one ambassador per team, from an informal-care organisation (whose volunteers they match).
      if (organisation?.kind !== OrganisationKind.INFORMAL_CARE) {
        throw new BadInputError('organisationId', 'an AMBASSADOR comes from an informal-care organisation');
      }
      if (await em.count(Staff, { role: Role.AMBASSADOR, active: true, teams: { $in: teamIds } })) {
        throw new ConflictError('One of these teams already has an active ambassador (one per team).');
      }
    }
    if (await em.count(Staff, { email })) throw new ConflictError('A staff member with this email already exists.');
    const staff = em.create(Staff, { name, email, role: input.role, organisation, phone, active: true });
    staff.teams.set(teams);
    // Creating a team member grants that team's case files: the grant is on record, as a flex assignment's is.
    ctx.audit.writeInTransaction(em, AccessAction.CREATE, 'Staff', staff.id, null, { role: input.role, teamIds });
    return staff;
  });
}

export async function createOrganisation(ctx: Context, input: CreateOrganisationInput): Promise<Organisation> {
  const code = v.text('code', input.code, { max: 64 });
  if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(code)) throw new BadInputError('code', 'must be a slug: lowercase letters, digits and dashes');
  const name = v.text('name', input.name, { max: 200 });
  let agbCode: string | null = null;
  if (input.agbCode) {
    if (!/^\d{8}$/.test(input.agbCode)) throw new BadInputError('agbCode', 'must be 8 digits');
    if (input.kind !== OrganisationKind.GP_PRACTICE) throw new BadInputError('agbCode', 'only GP practices have an AGB code here');
    agbCode = input.agbCode;
  }
  return inTransaction(ctx.em, async (em) => {
    if (await em.count(Organisation, { code })) throw new ConflictError('An organisation with this code already exists.');
    // The GP system names a referral's sender by AGB code: two practices with one code would
    // let one receive (and cancel) the other's referrals.
    if (agbCode && (await em.count(Organisation, { agbCode }))) throw new ConflictError('An organisation with this AGB code already exists.');
    const organisation = em.create(Organisation, { code, name, kind: input.kind, agbCode });
    ctx.audit.writeInTransaction(em, AccessAction.CREATE, 'Organisation', organisation.id, null, { kind: input.kind });
    return organisation;
  });
}
