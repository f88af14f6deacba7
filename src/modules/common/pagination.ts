import type { EntityManager, EntityName, FilterQuery, QueryOrderMap } from '@mikro-orm/postgresql';
import { BadInputError } from './errors.js';
import { decodeCursor, pageSize, toConnection, type ConnectionShape } from './connection.js';
import { isUuid } from '../../permissions/scope.js';

/**
 * A keyset cursor of (a timestamp, an id), checked before it reaches SQL: anything else is
 * BAD_USER_INPUT (not a database error).
 */
export function decodeTimeCursor(after: string, field = 'after'): [Date, string] {
  const [at, id] = decodeCursor(after, field);
  const atDate = new Date(at);
  // Only years 1–9999: a date at the ends of JS's range (±8.64e15 ms) formats as an extended
  // year (+275760-…) that PostgreSQL refuses with an internal error; no row of ours is that far.
  const year = atDate.getUTCFullYear();
  if (Number.isNaN(year) || year < 1 || year > 9999 || !isUuid(id)) throw new BadInputError(field, 'is not a valid cursor');
  return [atDate, id];
}

/**
 * One page of a list, newest first, by keyset on (sortField, id): stable under inserts and
 * cheap at any depth. `where` must already hold the viewer's scope; the total count uses
 * the same filter without the cursor.
 */
export async function keysetPage<T extends { id: string }>(
  em: EntityManager,
  entity: EntityName<T>,
  where: FilterQuery<T>,
  sortField: keyof T & string,
  first: number | null | undefined,
  after: string | null | undefined,
): Promise<ConnectionShape<T>> {
  const limit = pageSize(first);
  let pageWhere = where;
  if (after) {
    const [atDate, id] = decodeTimeCursor(after);
    pageWhere = {
      $and: [where, { $or: [{ [sortField]: { $lt: atDate } }, { [sortField]: atDate, id: { $lt: id } }] }],
    } as FilterQuery<T>;
  }
  const orderBy = { [sortField]: 'desc', id: 'desc' } as QueryOrderMap<T>;
  const [rows, total] = await Promise.all([
    em.find(entity, pageWhere, { orderBy, limit: limit + 1 }),
    // A fork runs the count on its own connection, in parallel with the page.
    em.fork().count(entity, where),
  ]);
  return toConnection(rows as T[], limit, total, (row) => row[sortField] as Date, !!after);
}
