import { Migration } from '@mikro-orm/migrations';

/** Flex assignments, volunteers, informal-care requests, case discussions, matches; referral ↔ resident. */
export class Migration20261123160000_sharing extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "informal_care_request" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "case_id" uuid not null, "resident_id" uuid null, "team_id" uuid not null, "status" text check ("status" in ('OPEN', 'MATCHED', 'CLOSED')) not null default 'OPEN', "needs" text[] not null, "languages" text[] not null default '{}', "availability" jsonb not null default '[]', "note" text null, "postcode4" varchar(4) not null, "requested_by_id" uuid not null, constraint "informal_care_request_pkey" primary key ("id"));`);
    this.addSql(`create index "informal_care_request_case_id_index" on "informal_care_request" ("case_id");`);
    this.addSql(`create index "informal_care_request_team_id_status_created_at_index" on "informal_care_request" ("team_id", "status", "created_at");`);

    this.addSql(`create table "flex_assignment" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "staff_id" uuid not null, "case_id" uuid not null, "until" date not null, "assigned_by_id" uuid not null, constraint "flex_assignment_pkey" primary key ("id"));`);
    this.addSql(`create index "flex_assignment_case_id_index" on "flex_assignment" ("case_id");`);
    this.addSql(`create index "flex_assignment_staff_id_until_index" on "flex_assignment" ("staff_id", "until");`);

    this.addSql(`create table "case_discussion" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "case_id" uuid not null, "team_id" uuid not null, "ambassador_id" uuid not null, "discussed_at" timestamptz not null, "informal_care_possible" boolean not null, "note" text null, constraint "case_discussion_pkey" primary key ("id"));`);
    this.addSql(`create index "case_discussion_case_id_index" on "case_discussion" ("case_id");`);
    this.addSql(`create index "case_discussion_team_id_discussed_at_index" on "case_discussion" ("team_id", "discussed_at");`);

    this.addSql(`create table "volunteer" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "organisation_id" uuid not null, "given_name" varchar(100) not null, "family_name" varchar(100) not null, "email" varchar(254) not null, "phone" varchar(32) null, "postcode" varchar(6) not null, "skills" text[] not null default '{}', "languages" text[] not null default '{}', "availability" jsonb not null default '[]', "max_matches" smallint not null default 2, "vog_issued_at" date null, "active" boolean not null default true, constraint "volunteer_pkey" primary key ("id"));`);
    this.addSql(`alter table "volunteer" add constraint "volunteer_email_unique" unique ("email");`);
    this.addSql(`create index "volunteer_organisation_id_active_index" on "volunteer" ("organisation_id", "active");`);

    this.addSql(`create table "volunteer_match" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "request_id" uuid not null, "volunteer_id" uuid not null, "team_id" uuid not null, "status" text check ("status" in ('PROPOSED', 'ACCEPTED', 'ACTIVE', 'ENDED', 'DECLINED')) not null default 'PROPOSED', "task" varchar(500) not null, "proposed_at" timestamptz not null, "responded_at" timestamptz null, "started_at" timestamptz null, "ended_at" timestamptz null, "end_reason" text null, "proposed_by_id" uuid null, "version" int not null default 1, constraint "volunteer_match_pkey" primary key ("id"));`);
    this.addSql(`create index "volunteer_match_request_id_status_index" on "volunteer_match" ("request_id", "status");`);
    this.addSql(`create index "volunteer_match_volunteer_id_status_index" on "volunteer_match" ("volunteer_id", "status");`);

    this.addSql(`create table "match_check_in" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "match_id" uuid not null, "at" timestamptz not null, "going" text check ("going" in ('GOOD', 'CONCERN', 'STOPPED')) not null, "note" text null, "recorded_by_id" uuid not null, constraint "match_check_in_pkey" primary key ("id"));`);
    this.addSql(`create index "match_check_in_match_id_index" on "match_check_in" ("match_id");`);

    this.addSql(`alter table "informal_care_request" add constraint "informal_care_request_case_id_foreign" foreign key ("case_id") references "case" ("id") on update cascade;`);
    this.addSql(`alter table "informal_care_request" add constraint "informal_care_request_resident_id_foreign" foreign key ("resident_id") references "resident" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "informal_care_request" add constraint "informal_care_request_team_id_foreign" foreign key ("team_id") references "team" ("id") on update cascade;`);
    this.addSql(`alter table "informal_care_request" add constraint "informal_care_request_requested_by_id_foreign" foreign key ("requested_by_id") references "staff" ("id") on update cascade;`);

    this.addSql(`alter table "flex_assignment" add constraint "flex_assignment_staff_id_foreign" foreign key ("staff_id") references "staff" ("id") on update cascade;`);
    this.addSql(`alter table "flex_assignment" add constraint "flex_assignment_case_id_foreign" foreign key ("case_id") references "case" ("id") on update cascade;`);
    this.addSql(`alter table "flex_assignment" add constraint "flex_assignment_assigned_by_id_foreign" foreign key ("assigned_by_id") references "staff" ("id") on update cascade;`);

    this.addSql(`alter table "case_discussion" add constraint "case_discussion_case_id_foreign" foreign key ("case_id") references "case" ("id") on update cascade;`);
    this.addSql(`alter table "case_discussion" add constraint "case_discussion_team_id_foreign" foreign key ("team_id") references "team" ("id") on update cascade;`);
    this.addSql(`alter table "case_discussion" add constraint "case_discussion_ambassador_id_foreign" foreign key ("ambassador_id") references "staff" ("id") on update cascade;`);

    this.addSql(`alter table "volunteer" add constraint "volunteer_organisation_id_foreign" foreign key ("organisation_id") references "organisation" ("id") on update cascade;`);

    this.addSql(`alter table "volunteer_match" add constraint "volunteer_match_request_id_foreign" foreign key ("request_id") references "informal_care_request" ("id") on update cascade;`);
    this.addSql(`alter table "volunteer_match" add constraint "volunteer_match_volunteer_id_foreign" foreign key ("volunteer_id") references "volunteer" ("id") on update cascade;`);
    this.addSql(`alter table "volunteer_match" add constraint "volunteer_match_team_id_foreign" foreign key ("team_id") references "team" ("id") on update cascade;`);
    this.addSql(`alter table "volunteer_match" add constraint "volunteer_match_proposed_by_id_foreign" foreign key ("proposed_by_id") references "staff" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "match_check_in" add constraint "match_check_in_match_id_foreign" foreign key ("match_id") references "volunteer_match" ("id") on update cascade;`);
    this.addSql(`alter table "match_check_in" add constraint "match_check_in_recorded_by_id_foreign" foreign key ("recorded_by_id") references "staff" ("id") on update cascade;`);



    this.addSql(`alter table "referral" add column "resident_id" uuid null, add column "cancel_reason" text null;`);
    this.addSql(`alter table "resident" add column "anonymised_at" timestamptz null;`);
    // A volunteer holds at most one live proposal/match per request.
    this.addSql(`create unique index "volunteer_match_one_live_per_request" on "volunteer_match" ("request_id", "volunteer_id") where "status" in ('PROPOSED', 'ACCEPTED', 'ACTIVE');`);
    this.addSql(`alter table "referral" add constraint "referral_resident_id_foreign" foreign key ("resident_id") references "resident" ("id") on update cascade on delete set null;`);
  }
}
