import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261123142236_initial } from './Migration20261123142236_initial.js';
import { Migration20261123150000_guards } from './Migration20261123150000_guards.js';
import { Migration20261123160000_sharing } from './Migration20261123160000_sharing.js';
import { Migration20261123165000_outbox } from './Migration20261123165000_outbox.js';
import { Migration20261123190000_report } from './Migration20261123190000_report.js';
import { Migration20261123170000_jobs } from './Migration20261123170000_jobs.js';
import { Migration20261123180000_informal_care } from './Migration20261123180000_informal_care.js';
import { Migration20261201090000_access_log_write_path } from './Migration20261201090000_access_log_write_path.js';
import { Migration20261201120000_referral_case_index } from './Migration20261201120000_referral_case_index.js';
import { Migration20261201200000_referral_partner_system } from './Migration20261201200000_referral_partner_system.js';
import { Migration20261201210000_audit_always } from './Migration20261201210000_audit_always.js';
import { Migration20261201230000_volunteer_email_per_organisation } from './Migration20261201230000_volunteer_email_per_organisation.js';
import { Migration20261201231000_referral_team_follows_household } from './Migration20261201231000_referral_team_follows_household.js';
import { Migration20261202000000_organisation_agb_unique } from './Migration20261202000000_organisation_agb_unique.js';
import { Migration20261208020000_referral_status_shown_at } from './Migration20261208020000_referral_status_shown_at.js';

/** Every migration, in order. Add new ones here (MikroORM's dynamic import bypasses tsx/vite). */
export const migrationsList: MigrationObject[] = [
  { name: 'Migration20261123142236_initial', class: Migration20261123142236_initial },
  { name: 'Migration20261123150000_guards', class: Migration20261123150000_guards },
  { name: 'Migration20261123160000_sharing', class: Migration20261123160000_sharing },
  { name: 'Migration20261123165000_outbox', class: Migration20261123165000_outbox },
  { name: 'Migration20261123170000_jobs', class: Migration20261123170000_jobs },
  { name: 'Migration20261123180000_informal_care', class: Migration20261123180000_informal_care },
  { name: 'Migration20261123190000_report', class: Migration20261123190000_report },
  { name: 'Migration20261201090000_access_log_write_path', class: Migration20261201090000_access_log_write_path },
  { name: 'Migration20261201120000_referral_case_index', class: Migration20261201120000_referral_case_index },
  { name: 'Migration20261201200000_referral_partner_system', class: Migration20261201200000_referral_partner_system },
  { name: 'Migration20261201210000_audit_always', class: Migration20261201210000_audit_always },
  { name: 'Migration20261201230000_volunteer_email_per_organisation', class: Migration20261201230000_volunteer_email_per_organisation },
  { name: 'Migration20261201231000_referral_team_follows_household', class: Migration20261201231000_referral_team_follows_household },
  { name: 'Migration20261202000000_organisation_agb_unique', class: Migration20261202000000_organisation_agb_unique },
  { name: 'Migration20261208020000_referral_status_shown_at', class: Migration20261208020000_referral_status_shown_at },
];
