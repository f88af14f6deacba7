import type { Context } from '../context.js';
import type { Viewer } from './viewer.js';
import { ForbiddenError, NotFoundError, UnauthenticatedError } from '../modules/common/errors.js';
import type { AuditedType } from '../modules/audit/audit-trail.js';

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isUuid(value: string): boolean {
  return UUID_RE.test(value);
}

export function requireViewer(ctx: Context): Viewer {
  if (!ctx.viewer) throw new UnauthenticatedError();
  return ctx.viewer;
}

/**
 * The team ids every case-file query is filtered by. Services put this into the WHERE
 * clause itself, so lists and look-ups never see another team's rows.
 */
export function scopedTeamIds(ctx: Context): string[] {
  return [...requireViewer(ctx).teamIds];
}

/** Throws FORBIDDEN (and audits the denial) when the viewer does not work in `teamId`. */
export function assertTeamInScope(ctx: Context, teamId: string, field = 'teamId') {
  if (!requireViewer(ctx).teamIds.has(teamId)) {
    ctx.audit.denied('Team', isUuid(teamId) ? teamId : null, { field });
    throw new ForbiddenError(`You do not work in this team (${field}).`);
  }
}

/**
 * The one answer for an id that does not exist *or* lies outside the viewer's scope:
 * NOT_FOUND either way, and the attempt is audited as DENIED.
 */
export function notFound(ctx: Context, objectType: AuditedType, id: string): NotFoundError {
  ctx.audit.denied(objectType, isUuid(id) ? id : null);
  return new NotFoundError(objectType);
}
