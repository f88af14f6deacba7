import { OptimisticLockError, UniqueConstraintViolationException, type EntityManager } from '@mikro-orm/postgresql';
import { ConflictError } from '../modules/common/errors.js';

/**
 * Runs one mutation in one transaction: everything it writes (the change and its audit
 * rows) commits together or not at all. Concurrency failures become CONFLICT.
 */
export async function inTransaction<T>(em: EntityManager, work: (tem: EntityManager) => Promise<T>): Promise<T> {
  try {
    return await em.transactional(work);
  } catch (e) {
    if (e instanceof OptimisticLockError) {
      throw new ConflictError('This record was changed by someone else in the meantime; reload it and try again.');
    }
    if (e instanceof UniqueConstraintViolationException) {
      throw new ConflictError(uniqueMessage(e));
    }
    throw e;
  }
}

/** A database error's SQLSTATE (MikroORM keeps it as `sqlState`, pg as `code`), or '' when it has none. */
export function sqlStateOf(e: unknown): string {
  const state = (e as { sqlState?: unknown } | null)?.sqlState ?? (e as { code?: unknown } | null)?.code;
  return typeof state === 'string' && /^[0-9A-Z]{5}$/.test(state) ? state : '';
}

function uniqueMessage(e: UniqueConstraintViolationException): string {
  const constraint = (e as unknown as { constraint?: string }).constraint ?? '';
  if (constraint === 'case_one_open_per_household') {
    return 'This household already has an open case: one household, one plan. Close it before opening another.';
  }
  if (constraint === 'staff_email_unique') return 'A staff member with this email already exists.';
  if (constraint === 'organisation_code_unique') return 'An organisation with this code already exists.';
  if (constraint === 'organisation_agb_code_unique') return 'An organisation with this AGB code already exists.';
  if (constraint === 'team_code_unique') return 'A team with this code already exists.';
  if (constraint === 'volunteer_organisation_email_unique') return 'A volunteer with this email is already registered for this organisation.';
  if (constraint === 'volunteer_match_one_live_per_request') return 'This volunteer already has a live proposal or match for this request.';
  return 'This conflicts with an existing record.';
}
