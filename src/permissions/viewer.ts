import type { EntityManager } from '@mikro-orm/postgresql';
import { Role } from '../modules/common/enums.js';
import { Staff } from '../modules/staff/staff.entity.js';

/**
 * Who is asking, loaded from the database once per request. Everything that decides
 * what a request may see is computed here, so field rules are O(1) set lookups.
 */
export interface Viewer {
  kind: 'staff';
  id: string;
  name: string;
  role: Role;
  organisationId: string | null;
  organisationName: string | null;
  /** Teams whose households and cases the viewer may see (empty for roles without case access). */
  teamIds: ReadonlySet<string>;
  /** All teams the viewer is a member of (for leads: the teams they lead). */
  memberTeamIds: ReadonlySet<string>;
}

/** Roles that work in a team's case files (issue 4 adds FLEX_WORKER with per-case scope). */
export const CASE_ROLES: ReadonlySet<Role> = new Set([Role.TEAM_WORKER, Role.TEAM_LEAD]);

export async function loadViewer(em: EntityManager, principalId: string): Promise<Viewer | null> {
  if (!/^[0-9a-f-]{36}$/i.test(principalId)) return null;
  const staff = await em.findOne(Staff, { id: principalId, active: true }, { populate: ['teams', 'organisation'] });
  if (!staff) return null;
  const memberTeamIds = new Set(staff.teams.getItems().map((t) => t.id));
  return {
    kind: 'staff',
    id: staff.id,
    name: staff.name,
    role: staff.role,
    organisationId: staff.organisation?.id ?? null,
    organisationName: staff.organisation?.name ?? null,
    memberTeamIds,
    teamIds: CASE_ROLES.has(staff.role) ? memberTeamIds : new Set(),
  };
}
