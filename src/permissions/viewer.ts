import type { EntityManager } from '@mikro-orm/postgresql';
import { sql } from '../db/sql.js';
import { OrganisationKind, Role } from '../modules/common/enums.js';
import { Organisation } from '../modules/organisation/organisation.entity.js';
import { Volunteer } from '../modules/informal-care/volunteer.entity.js';
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
const TEAM_CASE_ROLES: ReadonlySet<Role> = new Set([Role.TEAM_WORKER, Role.TEAM_LEAD]);

const PARTNER_ROLE: Partial<Record<OrganisationKind, Role>> = {
  [OrganisationKind.GP_PRACTICE]: Role.PARTNER_GP,
  [OrganisationKind.HOUSING_CORPORATION]: Role.PARTNER_CORPORATION,
};

const EMPTY: ReadonlySet<string> = new Set();

export function today(now = new Date()): string {
  return now.toISOString().slice(0, 10);
}

interface StaffRow {
  id: string;
  name: string;
  role: Role;
  organisation_id: string | null;
  organisation_name: string | null;
  team_ids: string[];
}

export async function loadViewer(em: EntityManager, principalId: string, now = new Date()): Promise<Viewer | null> {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(principalId)) return null;

  // One statement for the staff member, their teams and organisation (every request pays for it).
  const [staff] = await sql<StaffRow>(
    em,
    `select s.id, s.name, s.role, s.organisation_id, o.name as organisation_name,
            coalesce((select array_agg(st.team_id::text) from staff_team st where st.staff_id = s.id), '{}') as team_ids
     from staff s left join organisation o on o.id = s.organisation_id
     where s.id = ? and s.active = true`,
    [principalId],
  );
  if (staff) {
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

  // Not staff: a volunteer or a partner organisation's app — both looked up at once.
  const [volunteer, organisation] = await Promise.all([
    em.findOne(Volunteer, { id: principalId, active: true }, { populate: ['organisation'] }),
    em.findOne(Organisation, { id: principalId }),
  ]);
  if (volunteer) {
    return {
      kind: 'volunteer',
      id: volunteer.id,
      name: volunteer.givenName,
      role: Role.VOLUNTEER,
      organisationId: volunteer.organisation.id,
      organisationName: volunteer.organisation.name,
      memberTeamIds: EMPTY,
      teamIds: EMPTY,
      flexCaseIds: EMPTY,
      flexHouseholdIds: EMPTY,
      volunteerId: volunteer.id,
    };
  }

  const role = organisation ? PARTNER_ROLE[organisation.kind] : undefined;
  if (organisation && role) {
    return {
      kind: 'partner',
      id: organisation.id,
      name: organisation.name,
      role,
      organisationId: organisation.id,
      organisationName: organisation.name,
      memberTeamIds: EMPTY,
      teamIds: EMPTY,
      flexCaseIds: EMPTY,
      flexHouseholdIds: EMPTY,
      volunteerId: null,
    };
  }
  return null;
}
