import { Migration } from '@mikro-orm/migrations';

/**
 * The audit log is the hottest table for writes: every read of a case list appends one row per
 * case, household and member on it (150 rows for a page of 50). The (object_type, object_id, at)
 * index served no query — accessReport and investigations go by household (household_id, at),
 * and a case, note or assessment belongs to one household — yet it cost every such insert a
 * random-position btree insertion: 0.7 ms of PostgreSQL CPU per TeamCases page at 10^5 cases
 * (README, Performance). It goes; `down` puts it back.
 */
export class Migration20261201090000_access_log_write_path extends Migration {
  override async up(): Promise<void> {
    this.addSql('drop index if exists "access_log_object_type_object_id_at_index";');
  }

  override async down(): Promise<void> {
    this.addSql('create index if not exists "access_log_object_type_object_id_at_index" on "access_log" ("object_type", "object_id", "at");');
  }
}
