import { Migration } from '@mikro-orm/migrations';

/**
 * The quarterly report's fast path (issue 7): rollup tables per team and quarter
 * (Europe/Amsterdam quarters), kept current by row triggers on the raw tables in the same
 * transaction as every change, plus `report_rebuild()` that recomputes them all from the raw
 * data (nightly, and after a bulk load that switched the triggers off with
 * `set voordeur.report_rollup = 'off'`). The raw-data queries stay the test oracle.
 */
export class Migration20261123190000_report extends Migration {
  override async up(): Promise<void> {
    // Indexes for the raw-data path and the benchmarks.
    this.addSql(`create index if not exists "case_started_at_index" on "case" ("started_at");`);
    this.addSql(`create index if not exists "case_closed_at_index" on "case" ("closed_at");`);
    this.addSql(`create index if not exists "case_first_contact_at_index" on "case" ("first_contact_at");`);
    this.addSql(`create index if not exists "feedback_received_at_index" on "feedback" ("received_at");`);
    this.addSql(`create index if not exists "case_discussion_discussed_at_index" on "case_discussion" ("discussed_at");`);

    this.addSql(`create or replace function report_q(ts timestamptz) returns date language sql stable parallel safe as $$
      select (date_trunc('quarter', ts at time zone 'Europe/Amsterdam'))::date $$;`);

    const t = (name: string, cols: string, key: string) => {
      this.addSql(`create table "${name}" (${cols}, "n" bigint not null default 0);`);
      this.addSql(`create unique index "${name}_key" on "${name}" (${key}) nulls not distinct;`);
    };
    t('report_case_state', `"team_id" uuid not null, "registered_q" date not null, "started_q" date null, "closed_q" date null`, `"team_id", "registered_q", "started_q", "closed_q"`);
    t('report_case_source', `"team_id" uuid not null, "q" date not null, "source" text not null`, `"team_id", "q", "source"`);
    this.addSql(`create table "report_case_closure" ("team_id" uuid not null, "q" date not null, "reason" text null, "n" bigint not null default 0,
      "rating_sum" bigint not null default 0, "rating_n" bigint not null default 0, "self_reliant" bigint not null default 0, "self_reliant_n" bigint not null default 0);`);
    this.addSql(`create unique index "report_case_closure_key" on "report_case_closure" ("team_id", "q", "reason") nulls not distinct;`);
    this.addSql(`create table "report_first_contact" ("team_id" uuid not null, "q" date not null, "n" bigint not null default 0, "days_sum" bigint not null default 0);`);
    this.addSql(`create unique index "report_first_contact_key" on "report_first_contact" ("team_id", "q");`);
    t('report_zrm', `"team_id" uuid not null, "q" date not null, "version" text not null`, `"team_id", "q", "version"`);
    t('report_zrm_score', `"team_id" uuid not null, "q" date not null, "version" text not null, "domain" text not null, "score" smallint not null`, `"team_id", "q", "version", "domain", "score"`);
    t('report_feedback', `"team_id" uuid not null, "q" date not null, "kind" text not null, "status" text not null`, `"team_id", "q", "kind", "status"`);
    t('report_care', `"team_id" uuid not null, "q" date not null, "form" text not null, "decision" text not null`, `"team_id", "q", "form", "decision"`);
    t('report_discussion', `"team_id" uuid not null, "q" date not null, "possible" boolean not null`, `"team_id", "q", "possible"`);
    t('report_match', `"team_id" uuid not null, "started_q" date not null, "ended_q" date null`, `"team_id", "started_q", "ended_q"`);

    // ---- incremental maintenance: apply one row with sign +1 / -1 -----------------------------
    this.addSql(`create or replace function report_case_apply(r "case", sign int) returns void language plpgsql as $$
begin
  insert into report_case_state as t (team_id, registered_q, started_q, closed_q, n)
    values (r.team_id, report_q(r.registered_at), report_q(r.started_at), report_q(r.closed_at), sign)
    on conflict (team_id, registered_q, started_q, closed_q) do update set n = t.n + excluded.n;
  if r.started_at is not null then
    insert into report_case_source as t (team_id, q, source, n) values (r.team_id, report_q(r.started_at), r.referral_source, sign)
      on conflict (team_id, q, source) do update set n = t.n + excluded.n;
  end if;
  if r.closed_at is not null then
    insert into report_case_closure as t (team_id, q, reason, n, rating_sum, rating_n, self_reliant, self_reliant_n)
      values (r.team_id, report_q(r.closed_at), r.closure_reason, sign, sign * coalesce(r.client_rating, 0), sign * (r.client_rating is not null)::int,
              sign * coalesce(r.self_reliant_after, false)::int, sign * (r.self_reliant_after is not null)::int)
      on conflict (team_id, q, reason) do update set n = t.n + excluded.n, rating_sum = t.rating_sum + excluded.rating_sum,
        rating_n = t.rating_n + excluded.rating_n, self_reliant = t.self_reliant + excluded.self_reliant, self_reliant_n = t.self_reliant_n + excluded.self_reliant_n;
  end if;
  if r.first_contact_at is not null then
    insert into report_first_contact as t (team_id, q, n, days_sum)
      values (r.team_id, report_q(r.first_contact_at), sign,
              sign * (((r.first_contact_at at time zone 'Europe/Amsterdam')::date) - ((r.registered_at at time zone 'Europe/Amsterdam')::date)))
      on conflict (team_id, q) do update set n = t.n + excluded.n, days_sum = t.days_sum + excluded.days_sum;
  end if;
end $$;`);

    this.addSql(`create or replace function report_zrm_apply(z zrm_assessment, team uuid, sign int) returns void language plpgsql as $$
begin
  if team is null then return; end if;
  insert into report_zrm as t (team_id, q, version, n) values (team, report_q(z.assessed_at), z.version, sign)
    on conflict (team_id, q, version) do update set n = t.n + excluded.n;
  insert into report_zrm_score as t (team_id, q, version, domain, score, n)
    select team, report_q(z.assessed_at), z.version, s->>'domain', (s->>'score')::smallint, sign from jsonb_array_elements(z.scores) s
    on conflict (team_id, q, version, domain, score) do update set n = t.n + excluded.n;
end $$;`);

    this.addSql(`create or replace function report_care_apply(c care_allocation, team uuid, sign int) returns void language plpgsql as $$
begin
  if team is null then return; end if;
  insert into report_care as t (team_id, q, form, decision, n) values (team, date_trunc('quarter', c.investigation_started_at)::date, c.form, c.decision, sign)
    on conflict (team_id, q, form, decision) do update set n = t.n + excluded.n;
end $$;`);

    // ---- triggers -------------------------------------------------------------------------------
    this.addSql(`create or replace function report_case_trigger() returns trigger language plpgsql as $$
begin
  if current_setting('voordeur.report_rollup', true) = 'off' then return null; end if;
  if tg_op = 'UPDATE' and (old.team_id, old.registered_at, old.first_contact_at, old.started_at, old.closed_at, old.referral_source,
      old.closure_reason, old.client_rating, old.self_reliant_after) is not distinct from (new.team_id, new.registered_at, new.first_contact_at,
      new.started_at, new.closed_at, new.referral_source, new.closure_reason, new.client_rating, new.self_reliant_after) then
    return null;
  end if;
  if tg_op in ('UPDATE', 'DELETE') then perform report_case_apply(old, -1); end if;
  if tg_op in ('INSERT', 'UPDATE') then perform report_case_apply(new, 1); end if;
  if tg_op = 'UPDATE' and new.team_id is distinct from old.team_id then
    -- assessments and care allocations count for the case's team: they move with it
    perform report_zrm_apply(z, old.team_id, -1), report_zrm_apply(z, new.team_id, 1) from zrm_assessment z where z.case_id = new.id;
    perform report_care_apply(c, old.team_id, -1), report_care_apply(c, new.team_id, 1) from care_allocation c where c.case_id = new.id;
  end if;
  return null;
end $$;`);
    this.addSql(`create trigger report_case_rollup after insert or update or delete on "case" for each row execute function report_case_trigger();`);

    this.addSql(`create or replace function report_zrm_trigger() returns trigger language plpgsql as $$
begin
  if current_setting('voordeur.report_rollup', true) = 'off' then return null; end if;
  if tg_op in ('UPDATE', 'DELETE') then perform report_zrm_apply(old, (select team_id from "case" where id = old.case_id), -1); end if;
  if tg_op in ('INSERT', 'UPDATE') then perform report_zrm_apply(new, (select team_id from "case" where id = new.case_id), 1); end if;
  return null;
end $$;`);
    this.addSql(`create trigger report_zrm_rollup after insert or update or delete on "zrm_assessment" for each row execute function report_zrm_trigger();`);

    this.addSql(`create or replace function report_care_trigger() returns trigger language plpgsql as $$
begin
  if current_setting('voordeur.report_rollup', true) = 'off' then return null; end if;
  if tg_op in ('UPDATE', 'DELETE') then perform report_care_apply(old, (select team_id from "case" where id = old.case_id), -1); end if;
  if tg_op in ('INSERT', 'UPDATE') then perform report_care_apply(new, (select team_id from "case" where id = new.case_id), 1); end if;
  return null;
end $$;`);
    this.addSql(`create trigger report_care_rollup after insert or update or delete on "care_allocation" for each row execute function report_care_trigger();`);

    this.addSql(`create or replace function report_feedback_trigger() returns trigger language plpgsql as $$
begin
  if current_setting('voordeur.report_rollup', true) = 'off' then return null; end if;
  if tg_op in ('UPDATE', 'DELETE') then
    insert into report_feedback as t (team_id, q, kind, status, n) values (old.team_id, report_q(old.received_at), old.kind, old.status, -1)
      on conflict (team_id, q, kind, status) do update set n = t.n + excluded.n;
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    insert into report_feedback as t (team_id, q, kind, status, n) values (new.team_id, report_q(new.received_at), new.kind, new.status, 1)
      on conflict (team_id, q, kind, status) do update set n = t.n + excluded.n;
  end if;
  return null;
end $$;`);
    this.addSql(`create trigger report_feedback_rollup after insert or update or delete on "feedback" for each row execute function report_feedback_trigger();`);

    this.addSql(`create or replace function report_discussion_trigger() returns trigger language plpgsql as $$
begin
  if current_setting('voordeur.report_rollup', true) = 'off' then return null; end if;
  if tg_op in ('UPDATE', 'DELETE') then
    insert into report_discussion as t (team_id, q, possible, n) values (old.team_id, report_q(old.discussed_at), old.informal_care_possible, -1)
      on conflict (team_id, q, possible) do update set n = t.n + excluded.n;
  end if;
  if tg_op in ('INSERT', 'UPDATE') then
    insert into report_discussion as t (team_id, q, possible, n) values (new.team_id, report_q(new.discussed_at), new.informal_care_possible, 1)
      on conflict (team_id, q, possible) do update set n = t.n + excluded.n;
  end if;
  return null;
end $$;`);
    this.addSql(`create trigger report_discussion_rollup after insert or update or delete on "case_discussion" for each row execute function report_discussion_trigger();`);

    this.addSql(`create or replace function report_match_trigger() returns trigger language plpgsql as $$
begin
  if current_setting('voordeur.report_rollup', true) = 'off' then return null; end if;
  if tg_op in ('UPDATE', 'DELETE') and old.started_at is not null then
    insert into report_match as t (team_id, started_q, ended_q, n) values (old.team_id, report_q(old.started_at), report_q(old.ended_at), -1)
      on conflict (team_id, started_q, ended_q) do update set n = t.n + excluded.n;
  end if;
  if tg_op in ('INSERT', 'UPDATE') and new.started_at is not null then
    insert into report_match as t (team_id, started_q, ended_q, n) values (new.team_id, report_q(new.started_at), report_q(new.ended_at), 1)
      on conflict (team_id, started_q, ended_q) do update set n = t.n + excluded.n;
  end if;
  return null;
end $$;`);
    this.addSql(`create trigger report_match_rollup after insert or update or delete on "volunteer_match" for each row execute function report_match_trigger();`);

    // ---- full rebuild from the raw data (nightly; after bulk loads) -------------------------------
    this.addSql(`create or replace function report_rebuild() returns void language plpgsql as $$
begin
  -- TRUNCATE waits for writers holding rollup rows and blocks new ones until commit, so no change is lost.
  truncate report_case_state, report_case_source, report_case_closure, report_first_contact, report_zrm, report_zrm_score,
    report_feedback, report_care, report_discussion, report_match;
  insert into report_case_state (team_id, registered_q, started_q, closed_q, n)
    select team_id, report_q(registered_at), report_q(started_at), report_q(closed_at), count(*) from "case" group by 1, 2, 3, 4;
  insert into report_case_source (team_id, q, source, n)
    select team_id, report_q(started_at), referral_source, count(*) from "case" where started_at is not null group by 1, 2, 3;
  insert into report_case_closure (team_id, q, reason, n, rating_sum, rating_n, self_reliant, self_reliant_n)
    select team_id, report_q(closed_at), closure_reason, count(*), coalesce(sum(client_rating), 0), count(client_rating),
           count(*) filter (where self_reliant_after), count(self_reliant_after)
    from "case" where closed_at is not null group by 1, 2, 3;
  insert into report_first_contact (team_id, q, n, days_sum)
    select team_id, report_q(first_contact_at), count(*),
           sum(((first_contact_at at time zone 'Europe/Amsterdam')::date) - ((registered_at at time zone 'Europe/Amsterdam')::date))
    from "case" where first_contact_at is not null group by 1, 2;
  insert into report_zrm (team_id, q, version, n)
    select c.team_id, report_q(z.assessed_at), z.version, count(*) from zrm_assessment z join "case" c on c.id = z.case_id group by 1, 2, 3;
  insert into report_zrm_score (team_id, q, version, domain, score, n)
    select c.team_id, report_q(z.assessed_at), z.version, s->>'domain', (s->>'score')::smallint, count(*)
    from zrm_assessment z join "case" c on c.id = z.case_id cross join lateral jsonb_array_elements(z.scores) s group by 1, 2, 3, 4, 5;
  insert into report_feedback (team_id, q, kind, status, n)
    select team_id, report_q(received_at), kind, status, count(*) from feedback group by 1, 2, 3, 4;
  insert into report_care (team_id, q, form, decision, n)
    select c.team_id, date_trunc('quarter', a.investigation_started_at)::date, a.form, a.decision, count(*)
    from care_allocation a join "case" c on c.id = a.case_id group by 1, 2, 3, 4;
  insert into report_discussion (team_id, q, possible, n)
    select team_id, report_q(discussed_at), informal_care_possible, count(*) from case_discussion group by 1, 2, 3;
  insert into report_match (team_id, started_q, ended_q, n)
    select team_id, report_q(started_at), report_q(ended_at), count(*) from volunteer_match where started_at is not null group by 1, 2, 3;
end $$;`);
    this.addSql(`select report_rebuild();`);
  }

  override async down(): Promise<void> {
    for (const tbl of ['case', 'zrm_assessment', 'care_allocation', 'feedback', 'case_discussion', 'volunteer_match']) {
      const name = { case: 'report_case_rollup', zrm_assessment: 'report_zrm_rollup', care_allocation: 'report_care_rollup', feedback: 'report_feedback_rollup', case_discussion: 'report_discussion_rollup', volunteer_match: 'report_match_rollup' }[tbl];
      this.addSql(`drop trigger if exists ${name} on "${tbl}";`);
    }
    this.addSql(`drop function if exists report_rebuild(), report_case_trigger(), report_zrm_trigger(), report_care_trigger(), report_feedback_trigger(),
      report_discussion_trigger(), report_match_trigger(), report_case_apply("case", int), report_zrm_apply(zrm_assessment, uuid, int),
      report_care_apply(care_allocation, uuid, int);`);
    this.addSql(`drop table if exists report_case_state, report_case_source, report_case_closure, report_first_contact, report_zrm, report_zrm_score,
      report_feedback, report_care, report_discussion, report_match;`);
    this.addSql(`drop function if exists report_q(timestamptz);`);
  }
}
