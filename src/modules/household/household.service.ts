import type { FilterQuery } from '@mikro-orm/core';
import type { Context } from '../../context.js';
import { inTransaction } from '../../db/transaction.js';
import { assertTeamInScope, isUuid, notFound, requireViewer, scope } from '../../permissions/scope.js';
import { AccessAction } from '../common/enums.js';
import { BadInputError, ForbiddenError } from '../common/errors.js';
import * as v from '../common/validation.js';
import { Team } from '../team/team.entity.js';
import { teamForPostcode } from '../team/team.service.js';
import { Household } from './household.entity.js';
import { Resident } from './resident.entity.js';
import { encryptBsn, hashBsn, isValidBsn, normaliseBsn } from './bsn.js';
import type { RegisterHouseholdInput } from './household.inputs.js';

export async function registerHousehold(ctx: Context, input: RegisterHouseholdInput): Promise<Household> {
  const viewer = requireViewer(ctx);
  const address = {
    street: v.text('address.street', input.address.street, { max: 200 }),
    houseNumber: v.houseNumber('address.houseNumber', input.address.houseNumber),
    houseNumberAddition: v.optionalText('address.houseNumberAddition', input.address.houseNumberAddition, 16),
    postcode: v.normalisePostcode('address.postcode', input.address.postcode),
    city: v.text('address.city', input.address.city, { max: 100 }),
  };
  const members = input.members.map((m, i) => {
    const f = `members.${i}`;
    let bsn: string | null = null;
    if (m.bsn !== null && m.bsn !== undefined && m.bsn.trim() !== '') {
      bsn = normaliseBsn(m.bsn);
      // The message never echoes the value: a BSN must not end up in logs or responses.
      if (!isValidBsn(bsn)) throw new BadInputError(`${f}.bsn`, 'is not a valid BSN (elfproef failed)');
    }
    return {
      givenName: v.text(`${f}.givenName`, m.givenName, { max: 100 }),
      familyName: v.text(`${f}.familyName`, m.familyName, { max: 100 }),
      birthDate: v.pastDate(`${f}.birthDate`, m.birthDate),
      bsn,
      phone: v.phone(`${f}.phone`, m.phone),
      languages: v.languages(`${f}.languages`, m.languages),
      relation: m.relation,
    };
  });
  const bsns = members.map((m) => m.bsn).filter((b): b is string => !!b);
  if (new Set(bsns).size !== bsns.length) throw new BadInputError('members', 'the same BSN appears twice');

  return inTransaction(ctx.em, async (em) => {
    let team: Team;
    if (input.teamId) {
      if (!isUuid(input.teamId)) throw new BadInputError('teamId', 'is not a valid id');
      assertTeamInScope(ctx, input.teamId);
      team = await em.findOneOrFail(Team, input.teamId);
    } else {
      team = await teamForPostcode(em, address.postcode);
      if (!viewer.teamIds.has(team.id)) {
        ctx.audit.denied('Team', team.id, { field: 'address.postcode' });
        throw new ForbiddenError(
          `Postcode area ${address.postcode.slice(0, 4)} belongs to team ${team.code}; pass teamId to register the household with your own team.`,
        );
      }
    }
    const household = em.create(Household, { team, ...address });
    members.forEach((m) => {
      const resident = em.create(Resident, {
        household,
        team,
        givenName: m.givenName,
        familyName: m.familyName,
        birthDate: m.birthDate,
        phone: m.phone,
        languages: m.languages,
        relation: m.relation,
        bsnEncrypted: m.bsn ? encryptBsn(m.bsn, ctx.config.BSN_KEY) : null,
        bsnHash: m.bsn ? hashBsn(m.bsn, ctx.config.BSN_KEY) : null,
        bsnLast4: m.bsn ? m.bsn.slice(-4) : null,
      });
      ctx.audit.writeInTransaction(em, AccessAction.CREATE, 'Resident', resident.id, household.id);
    });
    ctx.audit.writeInTransaction(em, AccessAction.CREATE, 'Household', household.id, household.id);
    return household;
  });
}

export async function householdById(ctx: Context, id: string): Promise<Household> {
  if (!isUuid(id)) throw notFound(ctx, 'Household', id);
  const household = await ctx.loaders.household.load(id);
  if (!household) throw notFound(ctx, 'Household', id);
  return household;
}

/**
 * Residents are found only inside the viewer's scope (by default `residents()`: the teams'
 * and a flex worker's assigned households); anything else is NOT_FOUND.
 */
export async function residentById(ctx: Context, id: string, within: FilterQuery<Resident> = scope(ctx).residents()): Promise<Resident> {
  if (!isUuid(id)) throw notFound(ctx, 'Resident', id);
  const resident = await ctx.em.findOne(Resident, { $and: [{ id }, within] });
  if (!resident) throw notFound(ctx, 'Resident', id);
  ctx.audit.read('Resident', resident.id, resident.household.id);
  return resident;
}
