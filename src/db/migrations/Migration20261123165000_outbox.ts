import { Migration } from '@mikro-orm/migrations';

/** Transactional outbox (issue 5 builds the relay on it). */
export class Migration20261123165000_outbox extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "outbox" ("id" uuid not null, "topic" varchar(100) not null, "payload" jsonb not null, "created_at" timestamptz not null default now(), "available_at" timestamptz not null default now(), "published_at" timestamptz null, "attempts" int not null default 0, "last_error" text null, constraint "outbox_pkey" primary key ("id"));`);
    this.addSql(`create index "outbox_published_at_created_at_index" on "outbox" ("published_at", "created_at");`);
    // The relay's claim query: unpublished rows that are due, oldest first.
    this.addSql(`create index "outbox_unpublished_due_index" on "outbox" ("available_at", "created_at") where "published_at" is null;`);
  }
}
