import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from '../db/sql.js';
import { OrganisationKind, Role } from '../modules/common/enums.js';
import { FlexAssignment } from '../modules/flex/flex-assignment.entity.js';

/**
 * Who is asking, and everything that decides what they may see, loaded from the database
 * once per request (never from the token). Field rules are O(1) lookups on this; the
 * services and loaders put the same sets into their WHERE clauses.
 */
export interface Viewer {
  /** staff: a personal login; volunteer: a volunteer; partner: an organisation's client app. */
  kind: 'staff' | 'volunteer' | 'partner';
  id: string;
  name: string;
  role: Role;
  organisationId: string | null;
  organisationName: string | null;
  /** Teams whose whole case file the viewer works in (workers and leads). */
  teamIds: ReadonlySet<string>;
  /** Every team the viewer belongs to (ambassadors: the team they serve). */
  memberTeamIds: ReadonlySet<string>;
  /** Cases a flex worker is assigned to today, and their households. */
  flexCaseIds: ReadonlySet<string>;
  flexHouseholdIds: ReadonlySet<string>;
  /** The volunteer id of a VOLUNTEER principal. */
  volunteerId: string | null;
}

/** Roles that work in case files: their own teams', or (flex) the cases assigned to them. */
export const CASE_ROLES: ReadonlySet<Role> = new Set([Role.TEAM_WORKER, Role.TEAM_LEAD, Role.FLEX_WORKER]);
/** Roles with the whole case file of their teams. */
export const TEAM_CASE_ROLES: ReadonlySet<Role> = new Set([Role.TEAM_WORKER, Role.TEAM_LEAD]);

const PARTNER_ROLE: Partial<Record<OrganisationKind, Role>> = {
  [OrganisationKind.GP_PRACTICE]: Role.PARTNER_GP,
  [OrganisationKind.HOUSING_CORPORATION]: Role.PARTNER_CORPORATION,
};

const EMPTY: ReadonlySet<string> = new Set();

/** The city's calendar: an assignment's last day ends at midnight in Utrecht, not in UTC. */
const CITY_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam', year: 'numeric', month: '2-digit', day: '2-digit' });

/** Today's date (YYYY-MM-DD) on the city's calendar (Europe/Amsterdam). */
export function today(now = new Date()): string {
  return CITY_DAY.format(now);
}

interface PrincipalRow {
  kind: 'staff' | 'volunteer' | 'partner';
  id: string;
  name: string;
  role: Role | null;
  organisation_id: string | null;
  organisation_name: string | null;
  organisation_kind: OrganisationKind | null;
  team_ids: string[];
}

/**
 * The principal behind a token id in ONE statement (every request pays for it): the staff member
 * with their teams and organisation, else the volunteer with their organisation, else the
 * partner organisation's app — in that order, as ids are unique across the three.
 */
export const PRINCIPAL_SQL = `
  select 'staff' as kind, s.id, s.name, s.role, s.organisation_id, o.name as organisation_name, null::text as organisation_kind,
         coalesce((select array_agg(st.team_id::text) from staff_team st where st.staff_id = s.id), '{}'::text[]) as team_ids
  from staff s left join organisation o on o.id = s.organisation_id
  where s.id = ?::uuid and s.active = true
  union all
  select 'volunteer', v.id, v.given_name, null, v.organisation_id, o.name, null, '{}'::text[]
  from volunteer v join organisation o on o.id = v.organisation_id
  where v.id = ?::uuid and v.active = true
  union all
  select 'partner', o.id, o.name, null, o.id, o.name, o.kind, '{}'::text[]
  from organisation o where o.id = ?::uuid`;

const PRECEDENCE = { staff: 0, volunteer: 1, partner: 2 } as const;

export async function loadViewer(em: EntityManager, principalId: string, now = new Date()): Promise<Viewer | null> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(principalId)) return null;

  const rows = await sql<PrincipalRow>(em, PRINCIPAL_SQL, [principalId, principalId, principalId]);
  const principal = rows.sort((x, y) => PRECEDENCE[x.kind] - PRECEDENCE[y.kind])[0];
  if (!principal) return null;
  if (principal.kind === 'staff') {
    const staff = { ...principal, role: principal.role! };
    const memberTeamIds = new Set(staff.team_ids);
    let flexCaseIds: Set<string> = new Set();
    let flexHouseholdIds: Set<string> = new Set();
    if (staff.role === Role.FLEX_WORKER) {
      const assignments = await em.find(FlexAssignment, { staff: staff.id, until: { $gte: today(now) } }, { populate: ['case'] });
      flexCaseIds = new Set(assignments.map((a) => a.case.id));
      flexHouseholdIds = new Set(assignments.map((a) => a.case.household.id));
    }
    return {
      kind: 'staff',
      id: staff.id,
      name: staff.name,
      role: staff.role,
      organisationId: staff.organisation_id,
      organisationName: staff.organisation_name,
      memberTeamIds,
      teamIds: TEAM_CASE_ROLES.has(staff.role) ? memberTeamIds : EMPTY,
      flexCaseIds,
      flexHouseholdIds,
      volunteerId: null,
    };
  }

  if (principal.kind === 'volunteer') {
    return {
      kind: 'volunteer',
      id: principal.id,
      name: principal.name,
      role: Role.VOLUNTEER,
      organisationId: principal.organisation_id,
      organisationName: principal.organisation_name,
      memberTeamIds: EMPTY,
      teamIds: EMPTY,
      flexCaseIds: EMPTY,
      flexHouseholdIds: EMPTY,
      volunteerId: principal.id,
    };
  }

  return principal.organisation_kind ? partnerViewer({ id: principal.id, name: principal.name, kind: principal.organisation_kind }) : null;
}

/**
 * A partner organisation as a principal: its client app, or its own system delivering records
 * to a poll (which acts for the sender just as its app would). Null for a kind without a partner role.
 */
export function partnerViewer(org: { id: string; name: string; kind: OrganisationKind }): Viewer | null {
  const role = PARTNER_ROLE[org.kind];
  if (!role) return null;
  return {
    kind: 'partner',
    id: org.id,
    name: org.name,
    role,
    organisationId: org.id,
    organisationName: org.name,
    memberTeamIds: EMPTY,
    teamIds: EMPTY,
    flexCaseIds: EMPTY,
    flexHouseholdIds: EMPTY,
    volunteerId: null,
  };
}
