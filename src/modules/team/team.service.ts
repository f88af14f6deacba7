import type { EntityManager } from '@mikro-orm/postgresql';
import { Team } from './team.entity.js';
import { BadInputError } from '../common/errors.js';

/** The team that covers a (normalised) postcode, by its first four digits. */
export async function teamForPostcode(em: EntityManager, postcode: string, field = 'address.postcode'): Promise<Team> {
  const pc4 = postcode.slice(0, 4);
  const team = await em.findOne(Team, { postcodes: { $contains: [pc4] }, isFlex: false }, { orderBy: { code: 'asc' } });
  if (!team) throw new BadInputError(field, 'no team covers this postcode area');
  return team;
}
