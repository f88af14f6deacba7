import { Migration } from '@mikro-orm/migrations';

/**
 * Issue 5: partner sync state (one cursor per partner system), parked partner records, and
 * the keyed BSN hash of a referral's subject (matching without decrypting).
 */
export class Migration20261123170000_jobs extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "referral" add column "subject_bsn_hash" varchar(64) null;`);
    this.addSql(`create index "referral_subject_bsn_hash_index" on "referral" ("subject_bsn_hash");`);

    this.addSql(`create table "sync_state" (
      "partner" varchar(32) not null,
      "cursor" varchar(200) null,
      "last_success_at" timestamptz null,
      "last_attempt_at" timestamptz null,
      "last_error" text null,
      "paused_until" timestamptz null,
      "locked_until" timestamptz null,
      "imported_total" int not null default 0,
      "parked_total" int not null default 0,
      "updated_at" timestamptz not null default now(),
      constraint "sync_state_pkey" primary key ("partner"));`);

    this.addSql(`create table "parked_record" (
      "id" uuid not null,
      "partner" varchar(32) not null,
      "external_id" varchar(200) null,
      "reason" text not null,
      "occurrences" int not null default 1,
      "parked_at" timestamptz not null default now(),
      "last_seen_at" timestamptz not null default now(),
      constraint "parked_record_pkey" primary key ("id"),
      constraint "parked_record_partner_external_id_unique" unique ("partner", "external_id"));`);
    this.addSql(`create index "parked_record_partner_parked_at_index" on "parked_record" ("partner", "parked_at");`);
  }
}
