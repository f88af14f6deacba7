import { Migration } from '@mikro-orm/migrations';

export class Migration20261123142236_initial extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "access_log" ("id" bigserial primary key, "at" timestamptz not null default now(), "actor_id" uuid null, "actor_name" varchar(200) null, "actor_role" text check ("actor_role" in ('TEAM_WORKER', 'TEAM_LEAD', 'FLEX_WORKER', 'AMBASSADOR', 'VOLUNTEER', 'PARTNER_GP', 'PARTNER_CORPORATION', 'ANALYST', 'ADMIN')) null, "organisation" varchar(200) null, "action" text check ("action" in ('READ', 'CREATE', 'UPDATE', 'EXPORT', 'DENIED')) not null, "object_type" varchar(64) not null, "object_id" varchar(64) null, "household_id" uuid null, "purpose" varchar(64) not null, "request_id" varchar(64) not null, "detail" jsonb null);`);
    this.addSql(`create index "access_log_household_id_at_index" on "access_log" ("household_id", "at");`);
    this.addSql(`create index "access_log_object_type_object_id_at_index" on "access_log" ("object_type", "object_id", "at");`);

    this.addSql(`create table "disclosure" ("id" bigserial primary key, "at" timestamptz not null default now(), "resident_id" uuid not null, "recipient_id" uuid not null, "purpose" varchar(64) not null, "what" varchar(200) not null);`);
    this.addSql(`create index "disclosure_resident_id_at_index" on "disclosure" ("resident_id", "at");`);

    this.addSql(`create table "organisation" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "code" varchar(64) not null, "name" varchar(200) not null, "kind" text check ("kind" in ('GP_PRACTICE', 'HOUSING_CORPORATION', 'CARE_PROVIDER', 'INFORMAL_CARE', 'MUNICIPALITY')) not null, "agb_code" varchar(8) null, constraint "organisation_pkey" primary key ("id"));`);
    this.addSql(`alter table "organisation" add constraint "organisation_code_unique" unique ("code");`);

    this.addSql(`create table "staff" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "name" varchar(200) not null, "email" varchar(254) not null, "phone" varchar(32) null, "role" text check ("role" in ('TEAM_WORKER', 'TEAM_LEAD', 'FLEX_WORKER', 'AMBASSADOR', 'VOLUNTEER', 'PARTNER_GP', 'PARTNER_CORPORATION', 'ANALYST', 'ADMIN')) not null, "active" boolean not null default true, "organisation_id" uuid null, constraint "staff_pkey" primary key ("id"));`);
    this.addSql(`alter table "staff" add constraint "staff_email_unique" unique ("email");`);

    this.addSql(`create table "team" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "code" varchar(64) not null, "name" varchar(200) not null, "district" varchar(100) null, "kind" text check ("kind" in ('SOCIAL', 'YOUTH')) not null default 'SOCIAL', "is_flex" boolean not null default false, "postcodes" text[] not null default '{}', constraint "team_pkey" primary key ("id"));`);
    this.addSql(`alter table "team" add constraint "team_code_unique" unique ("code");`);

    this.addSql(`create table "staff_team" ("staff_id" uuid not null, "team_id" uuid not null, constraint "staff_team_pkey" primary key ("staff_id", "team_id"));`);

    this.addSql(`create table "household" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "team_id" uuid not null, "street" varchar(200) not null, "house_number" varchar(16) not null, "house_number_addition" varchar(16) null, "postcode" varchar(6) not null, "city" varchar(100) not null, "anonymised_at" timestamptz null, constraint "household_pkey" primary key ("id"));`);
    this.addSql(`create index "household_postcode_index" on "household" ("postcode");`);
    this.addSql(`create index "household_team_id_created_at_index" on "household" ("team_id", "created_at");`);

    this.addSql(`create table "resident" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "household_id" uuid not null, "team_id" uuid not null, "given_name" varchar(100) not null, "family_name" varchar(100) not null, "birth_date" date not null, "bsn_encrypted" text null, "bsn_hash" varchar(64) null, "bsn_last4" varchar(4) null, "phone" varchar(32) null, "languages" text[] not null default '{}', "relation" text check ("relation" in ('HEAD', 'PARTNER', 'CHILD', 'OTHER')) not null, constraint "resident_pkey" primary key ("id"));`);
    this.addSql(`create index "resident_team_id_index" on "resident" ("team_id");`);
    this.addSql(`create index "resident_bsn_hash_index" on "resident" ("bsn_hash");`);

    this.addSql(`create table "consent" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "resident_id" uuid not null, "team_id" uuid not null, "recipient_id" uuid not null, "purpose" text check ("purpose" in ('GP_TANDEM', 'REFERRAL_FEEDBACK', 'INFORMAL_CARE', 'CARE_ALLOCATION', 'OTHER')) not null, "granted_at" timestamptz not null, "revoked_at" timestamptz null, "recorded_by_id" uuid not null, constraint "consent_pkey" primary key ("id"));`);
    this.addSql(`create index "consent_team_id_index" on "consent" ("team_id");`);
    this.addSql(`create index "consent_resident_id_recipient_id_purpose_index" on "consent" ("resident_id", "recipient_id", "purpose");`);

    this.addSql(`create table "case" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "household_id" uuid not null, "team_id" uuid not null, "status" text check ("status" in ('REGISTERED', 'INTAKE', 'ACTIVE', 'CLOSED')) not null default 'REGISTERED', "reason" text not null, "referral_source" text check ("referral_source" in ('SELF', 'GP', 'HOUSING_CORPORATION', 'CARE_PROVIDER', 'SCHOOL', 'POLICE', 'MUNICIPALITY', 'OTHER')) not null, "registered_at" timestamptz not null, "first_contact_at" timestamptz null, "started_at" timestamptz null, "closed_at" timestamptz null, "closure_reason" text check ("closure_reason" in ('AS_PLANNED', 'EARLY_BY_AGREEMENT', 'ENDED_BY_TEAM', 'ENDED_BY_CLIENT', 'EXTERNAL')) null, "client_rating" smallint null, "self_reliant_after" boolean null, "coordinator_id" uuid null, "version" int not null default 1, constraint "case_pkey" primary key ("id"));`);
    this.addSql(`create index "case_household_id_index" on "case" ("household_id");`);
    this.addSql(`create index "case_team_id_registered_at_index" on "case" ("team_id", "registered_at");`);

    this.addSql(`create table "referral" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "kind" text check ("kind" in ('GP_REFERRAL', 'ARREARS_SIGNAL')) not null, "external_id" varchar(100) not null, "from_id" uuid not null, "team_id" uuid not null, "status" text check ("status" in ('RECEIVED', 'TRIAGED', 'CONTACT_ATTEMPTED', 'IN_CARE', 'NOT_REACHED', 'DECLINED', 'CLOSED', 'CANCELLED')) not null default 'RECEIVED', "received_at" timestamptz not null, "subject_given_name" varchar(100) not null, "subject_family_name" varchar(100) not null, "subject_birth_date" date null, "subject_postcode" varchar(6) not null, "subject_house_number" varchar(16) not null, "subject_bsn_encrypted" text null, "subject_phone" varchar(32) null, "reason" text null, "urgency" text check ("urgency" in ('ROUTINE', 'SOON', 'URGENT')) null, "arrears_amount" numeric(10,2) null, "arrears_since" date null, "arrears_months" smallint null, "consent_obtained" boolean not null, "household_id" uuid null, "case_id" uuid null, "version" int not null default 1, constraint "referral_pkey" primary key ("id"));`);
    this.addSql(`create index "referral_team_id_received_at_index" on "referral" ("team_id", "received_at");`);
    this.addSql(`alter table "referral" add constraint "referral_from_id_external_id_unique" unique ("from_id", "external_id");`);

    this.addSql(`create table "referral_contact_attempt" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "referral_id" uuid not null, "kind" text check ("kind" in ('VISIT', 'PHONE', 'LETTER', 'EMAIL')) not null, "at" timestamptz not null, "reached" boolean not null, constraint "referral_contact_attempt_pkey" primary key ("id"));`);
    this.addSql(`create index "referral_contact_attempt_referral_id_index" on "referral_contact_attempt" ("referral_id");`);

    this.addSql(`create table "goal" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "case_id" uuid not null, "description" text not null, "domain" text check ("domain" in ('INCOME', 'DAYTIME_ACTIVITIES', 'HOUSING', 'FAMILY_RELATIONS', 'MENTAL_HEALTH', 'PHYSICAL_HEALTH', 'ADDICTION', 'ADL', 'SOCIAL_NETWORK', 'SOCIAL_PARTICIPATION', 'JUSTICE', 'FINANCES', 'WORK_EDUCATION', 'TIME_USE', 'DOMESTIC_RELATIONS', 'SUBSTANCE_USE', 'BASIC_ADL', 'INSTRUMENTAL_ADL')) null, "status" text check ("status" in ('OPEN', 'ACHIEVED', 'DROPPED')) not null default 'OPEN', "target_date" date null, constraint "goal_pkey" primary key ("id"));`);
    this.addSql(`create index "goal_case_id_index" on "goal" ("case_id");`);

    this.addSql(`create table "feedback" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "team_id" uuid not null, "case_id" uuid null, "kind" text check ("kind" in ('COMPLAINT', 'COMPLIMENT', 'SUGGESTION')) not null, "status" text check ("status" in ('OPEN', 'RESOLVED', 'UNFOUNDED', 'ESCALATED')) not null default 'OPEN', "received_at" timestamptz not null, "summary" text not null, "resolution" text null, "resolved_at" timestamptz null, constraint "feedback_pkey" primary key ("id"));`);
    this.addSql(`create index "feedback_team_id_received_at_index" on "feedback" ("team_id", "received_at");`);

    this.addSql(`create table "case_note" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "case_id" uuid not null, "author_id" uuid not null, "body" text not null, constraint "case_note_pkey" primary key ("id"));`);
    this.addSql(`create index "case_note_case_id_created_at_id_index" on "case_note" ("case_id", "created_at", "id");`);

    this.addSql(`create table "care_allocation" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "case_id" uuid not null, "provision" varchar(200) not null, "provider_id" uuid null, "form" text check ("form" in ('PGB', 'ZIN')) not null, "investigation_started_at" date not null, "decision" text check ("decision" in ('PENDING', 'PROVISIONALLY_GRANTED', 'GRANTED', 'REJECTED')) not null default 'PENDING', "decided_at" date null, constraint "care_allocation_pkey" primary key ("id"));`);
    this.addSql(`create index "care_allocation_case_id_index" on "care_allocation" ("case_id");`);
    this.addSql(`create index "care_allocation_investigation_started_at_index" on "care_allocation" ("investigation_started_at");`);

    this.addSql(`create table "worker_change_request" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "case_id" uuid not null, "team_id" uuid not null, "to_team_id" uuid null, "reason" text not null, "status" text check ("status" in ('REQUESTED', 'GRANTED', 'REFUSED')) not null default 'REQUESTED', "requested_at" timestamptz not null, "decided_at" timestamptz null, "decided_by_id" uuid null, "requested_by_id" uuid not null, constraint "worker_change_request_pkey" primary key ("id"));`);
    this.addSql(`create index "worker_change_request_case_id_index" on "worker_change_request" ("case_id");`);
    this.addSql(`create index "worker_change_request_team_id_index" on "worker_change_request" ("team_id");`);

    this.addSql(`create table "zrm_assessment" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "case_id" uuid not null, "resident_id" uuid null, "assessed_at" timestamptz not null, "version" text check ("version" in ('ZRM_2015', 'ZRM_2017')) not null, "kind" text check ("kind" in ('BASELINE', 'FOLLOW_UP', 'CLOSING')) not null, "scores" jsonb not null, constraint "zrm_assessment_pkey" primary key ("id"));`);
    this.addSql(`create index "zrm_assessment_assessed_at_index" on "zrm_assessment" ("assessed_at");`);
    this.addSql(`create index "zrm_assessment_case_id_assessed_at_index" on "zrm_assessment" ("case_id", "assessed_at");`);

    this.addSql(`alter table "staff" add constraint "staff_organisation_id_foreign" foreign key ("organisation_id") references "organisation" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "staff_team" add constraint "staff_team_staff_id_foreign" foreign key ("staff_id") references "staff" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "staff_team" add constraint "staff_team_team_id_foreign" foreign key ("team_id") references "team" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "household" add constraint "household_team_id_foreign" foreign key ("team_id") references "team" ("id") on update cascade;`);

    this.addSql(`alter table "resident" add constraint "resident_household_id_foreign" foreign key ("household_id") references "household" ("id") on update cascade;`);
    this.addSql(`alter table "resident" add constraint "resident_team_id_foreign" foreign key ("team_id") references "team" ("id") on update cascade;`);

    this.addSql(`alter table "consent" add constraint "consent_resident_id_foreign" foreign key ("resident_id") references "resident" ("id") on update cascade;`);
    this.addSql(`alter table "consent" add constraint "consent_team_id_foreign" foreign key ("team_id") references "team" ("id") on update cascade;`);
    this.addSql(`alter table "consent" add constraint "consent_recipient_id_foreign" foreign key ("recipient_id") references "organisation" ("id") on update cascade;`);
    this.addSql(`alter table "consent" add constraint "consent_recorded_by_id_foreign" foreign key ("recorded_by_id") references "staff" ("id") on update cascade;`);

    this.addSql(`alter table "case" add constraint "case_household_id_foreign" foreign key ("household_id") references "household" ("id") on update cascade;`);
    this.addSql(`alter table "case" add constraint "case_team_id_foreign" foreign key ("team_id") references "team" ("id") on update cascade;`);
    this.addSql(`alter table "case" add constraint "case_coordinator_id_foreign" foreign key ("coordinator_id") references "staff" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "referral" add constraint "referral_from_id_foreign" foreign key ("from_id") references "organisation" ("id") on update cascade;`);
    this.addSql(`alter table "referral" add constraint "referral_team_id_foreign" foreign key ("team_id") references "team" ("id") on update cascade;`);
    this.addSql(`alter table "referral" add constraint "referral_household_id_foreign" foreign key ("household_id") references "household" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "referral" add constraint "referral_case_id_foreign" foreign key ("case_id") references "case" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "referral_contact_attempt" add constraint "referral_contact_attempt_referral_id_foreign" foreign key ("referral_id") references "referral" ("id") on update cascade;`);

    this.addSql(`alter table "goal" add constraint "goal_case_id_foreign" foreign key ("case_id") references "case" ("id") on update cascade;`);

    this.addSql(`alter table "feedback" add constraint "feedback_team_id_foreign" foreign key ("team_id") references "team" ("id") on update cascade;`);
    this.addSql(`alter table "feedback" add constraint "feedback_case_id_foreign" foreign key ("case_id") references "case" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "case_note" add constraint "case_note_case_id_foreign" foreign key ("case_id") references "case" ("id") on update cascade;`);
    this.addSql(`alter table "case_note" add constraint "case_note_author_id_foreign" foreign key ("author_id") references "staff" ("id") on update cascade;`);

    this.addSql(`alter table "care_allocation" add constraint "care_allocation_case_id_foreign" foreign key ("case_id") references "case" ("id") on update cascade;`);
    this.addSql(`alter table "care_allocation" add constraint "care_allocation_provider_id_foreign" foreign key ("provider_id") references "organisation" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "worker_change_request" add constraint "worker_change_request_case_id_foreign" foreign key ("case_id") references "case" ("id") on update cascade;`);
    this.addSql(`alter table "worker_change_request" add constraint "worker_change_request_team_id_foreign" foreign key ("team_id") references "team" ("id") on update cascade;`);
    this.addSql(`alter table "worker_change_request" add constraint "worker_change_request_to_team_id_foreign" foreign key ("to_team_id") references "team" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "worker_change_request" add constraint "worker_change_request_decided_by_id_foreign" foreign key ("decided_by_id") references "staff" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "worker_change_request" add constraint "worker_change_request_requested_by_id_foreign" foreign key ("requested_by_id") references "staff" ("id") on update cascade;`);

    this.addSql(`alter table "zrm_assessment" add constraint "zrm_assessment_case_id_foreign" foreign key ("case_id") references "case" ("id") on update cascade;`);
    this.addSql(`alter table "zrm_assessment" add constraint "zrm_assessment_resident_id_foreign" foreign key ("resident_id") references "resident" ("id") on update cascade on delete set null;`);
  }

}
