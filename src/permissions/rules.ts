import { getArgumentValues, type GraphQLResolveInfo } from 'graphql';
import type { Context } from '../context.js';
import { Role } from '../modules/common/enums.js';
import { UnauthenticatedError } from '../modules/common/errors.js';
import { CASE_ROLES, TEAM_CASE_ROLES } from './viewer.js';
import { isUuid } from './scope.js';
import { or, rule } from './guard.js';

/**
 * Rules named by intent. Each is computed once per request (see guard.ts)
 * from the viewer loaded at the start of the request, so a rule costs O(1) per field;
 * a refused field is audited on its own (`denied`), so every denial is in the trail.
 * Object-level scope (which team's rows) is enforced by the queries themselves.
 */

/**
 * Every denial is audited: the operation for root fields, the type and field otherwise.
 * Called for each refused field (the verdict is cached per request, this is not): one row per
 * refused operation or target, and per refused type and field (the trail keeps one of each).
 */
function auditDenial(ctx: Context, info: GraphQLResolveInfo): void {
  const root = info.parentType.name === 'Query' || info.parentType.name === 'Mutation';
  if (!root) {
    ctx.audit.denied('Operation', null, { field: `${info.parentType.name}.${info.fieldName}` });
    return;
  }
  // Which objects the refused operation aimed at (ids only: never other argument values), so
  // an attempt shows in the trail of, say, the resident whose erasure was refused.
  const ids = targetIds(info);
  ctx.audit.denied('Operation', ids.length === 1 ? ids[0]! : null, { operation: `${info.parentType.name}.${info.fieldName}`, ...(ids.length ? { ids } : {}) });
}

const MAX_TARGET_IDS = 20;

/** The UUID-shaped values among a root field's arguments (also inside input objects and lists). */
function targetIds(info: GraphQLResolveInfo): string[] {
  const node = info.fieldNodes[0];
  const field = info.parentType.getFields()[info.fieldName];
  if (!node || !field) return [];
  let args: Record<string, unknown>;
  try {
    args = getArgumentValues(field, node, info.variableValues);
  } catch {
    return []; // invalid arguments: execution reports them itself
  }
  const ids = new Set<string>();
  const visit = (value: unknown, depth: number): void => {
    if (ids.size >= MAX_TARGET_IDS || depth > 4) return;
    if (typeof value === 'string') {
      if (isUuid(value)) ids.add(value.toLowerCase());
    } else if (Array.isArray(value)) {
      for (const v of value) visit(v, depth + 1);
    } else if (value && typeof value === 'object') {
      for (const v of Object.values(value)) visit(v, depth + 1);
    }
  };
  visit(args, 0);
  return [...ids];
}

function roleRule(name: string, roles: ReadonlySet<Role>) {
  return rule(
    name,
    (ctx) => {
      if (!ctx.viewer) return new UnauthenticatedError();
      return roles.has(ctx.viewer.role);
    },
    auditDenial,
  );
}

/** Any principal with a valid token. */
export const isAuthenticated = rule('isAuthenticated', (ctx) => (ctx.viewer ? true : new UnauthenticatedError()));

/** Works in a team's case files (reads and changes them, within the own teams). */
export const isCaseWorker = roleRule('isCaseWorker', CASE_ROLES);

/**
 * Works in the whole case file of their own teams (worker or lead), not only in assigned
 * cases as a flex worker: for what covers a resident's whole file (the access report).
 */
export const isTeamCaseWorker = roleRule('isTeamCaseWorker', TEAM_CASE_ROLES);

/** Team lead (buurtondernemer): reassigns coordinators, decides worker changes, handles complaints. */
export const isTeamLead = roleRule('isTeamLead', new Set([Role.TEAM_LEAD]));

/** Functional administrator: teams, staff, organisations; never case content. */
export const isAdmin = roleRule('isAdmin', new Set([Role.ADMIN]));

/** A GP practice's or housing corporation's client app: only what it sent, status only. */
export const isPartner = roleRule('isPartner', new Set([Role.PARTNER_GP, Role.PARTNER_CORPORATION]));

/** A GP practice: may also get the coordinator (GP–worker tandem) with the resident's consent. */
export const isPartnerGp = roleRule('isPartnerGp', new Set([Role.PARTNER_GP]));

/** Informal-care ambassador: pseudonymised requests of their team, volunteers of their organisation. */
export const isAmbassador = roleRule('isAmbassador', new Set([Role.AMBASSADOR]));

/** A volunteer: their own profile and matches. */
export const isVolunteer = roleRule('isVolunteer', new Set([Role.VOLUNTEER]));

/** Municipality / management: aggregates only. */
export const isAnalyst = roleRule('isAnalyst', new Set([Role.ANALYST]));

export const isCaseWorkerOrAdmin = or(isCaseWorker, isAdmin);
export const isCaseWorkerOrPartner = or(isCaseWorker, isPartner);
export const isCaseWorkerOrAmbassador = or(isCaseWorker, isAmbassador);
export const isTeamLeadOrAdmin = or(isTeamLead, isAdmin);
export const isTeamLeadOrAnalyst = or(isTeamLead, isAnalyst);
/** Who may see a volunteer's profile: the volunteer, and ambassadors of the volunteer's organisation (scoped in the query). */
export const isAmbassadorOrVolunteer = or(isAmbassador, isVolunteer);
/** Registers volunteers: an ambassador for their own organisation, an admin for any informal-care organisation (checked in the service). */
export const isAmbassadorOrAdmin = or(isAmbassador, isAdmin);
