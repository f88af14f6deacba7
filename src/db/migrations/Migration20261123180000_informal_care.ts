import { Migration } from '@mikro-orm/migrations';

/**
 * Informal care (issue 6): volunteers can pause themselves (separate from `active`, which the
 * organisation controls and which also decides whether the volunteer can log in), and the
 * daily check-in reminder remembers which (match, due date) it already queued.
 */
export class Migration20261123180000_informal_care extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "volunteer" add column "paused" boolean not null default false;`);
    this.addSql(`create table "check_in_reminder" ("match_id" uuid not null, "due_on" date not null, "created_at" timestamptz not null default now(), constraint "check_in_reminder_pkey" primary key ("match_id", "due_on"));`);
    this.addSql(`alter table "check_in_reminder" add constraint "check_in_reminder_match_id_foreign" foreign key ("match_id") references "volunteer_match" ("id") on update cascade on delete cascade;`);
    // Due check-ins: ACTIVE matches per team, and the latest check-in per match.
    this.addSql(`create index "volunteer_match_team_id_status_index" on "volunteer_match" ("team_id", "status");`);
    this.addSql(`create index "match_check_in_match_id_at_index" on "match_check_in" ("match_id", "at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "match_check_in_match_id_at_index";`);
    this.addSql(`drop index if exists "volunteer_match_team_id_status_index";`);
    this.addSql(`drop table if exists "check_in_reminder";`);
    this.addSql(`alter table "volunteer" drop column if exists "paused";`);
  }
}
