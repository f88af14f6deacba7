import { Migration } from '@mikro-orm/migrations';

/**
 * The audit tables stay append-only also for a session that sets
 * `session_replication_role = replica` (which a superuser may do, and which silences every
 * ordinary trigger): their triggers now fire ALWAYS. `disclosure` also gets the TRUNCATE
 * guard `access_log` already had. (A superuser can still drop a trigger: that is a schema
 * change, visible in the migrations and in PostgreSQL's own log, not a quiet session setting.)
 */
export class Migration20261201210000_audit_always extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create trigger disclosure_no_truncate before truncate on "disclosure" for each statement execute function access_log_append_only();`);
    for (const [table, trigger] of [
      ['access_log', 'access_log_no_update_delete'],
      ['access_log', 'access_log_no_truncate'],
      ['disclosure', 'disclosure_no_update_delete'],
      ['disclosure', 'disclosure_no_truncate'],
    ]) {
      this.addSql(`alter table "${table}" enable always trigger "${trigger}";`);
    }
  }

  override async down(): Promise<void> {
    for (const [table, trigger] of [
      ['access_log', 'access_log_no_update_delete'],
      ['access_log', 'access_log_no_truncate'],
      ['disclosure', 'disclosure_no_update_delete'],
    ]) {
      this.addSql(`alter table "${table}" enable trigger "${trigger}";`);
    }
    this.addSql(`drop trigger "disclosure_no_truncate" on "disclosure";`);
  }
}
