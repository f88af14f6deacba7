import { Migration } from '@mikro-orm/migrations';

/** Rules the database itself enforces, so no code path can bypass them. */
export class Migration20261123150000_guards extends Migration {
  override async up(): Promise<void> {
    // One household, one plan: at most one open case per household, race-safe.
    this.addSql(`create unique index "case_one_open_per_household" on "case" ("household_id") where "status" <> 'CLOSED';`);
    this.addSql(`create index "case_team_registered_id_index" on "case" ("team_id", "registered_at" desc, "id" desc);`);
    this.addSql(`create index "case_team_status_index" on "case" ("team_id", "status");`);
    this.addSql(`create index "resident_household_id_index" on "resident" ("household_id");`);

    // Audit log (NEN 7513): append-only. A trigger rejects UPDATE and DELETE for every
    // role, superusers included; TRUNCATE is rejected by a statement-level trigger.
    this.addSql(`create or replace function access_log_append_only() returns trigger language plpgsql as $$
      begin
        raise exception 'access_log is append-only: % is not allowed', tg_op using errcode = 'insufficient_privilege';
      end;
    $$;`);
    this.addSql(`create trigger access_log_no_update_delete before update or delete on "access_log" for each row execute function access_log_append_only();`);
    this.addSql(`create trigger access_log_no_truncate before truncate on "access_log" for each statement execute function access_log_append_only();`);
    this.addSql(`create trigger disclosure_no_update_delete before update or delete on "disclosure" for each row execute function access_log_append_only();`);
  }
}
