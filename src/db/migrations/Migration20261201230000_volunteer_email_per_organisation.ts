import { Migration } from '@mikro-orm/migrations';

/**
 * A volunteer's email is unique per organisation instead of city-wide: registering a volunteer
 * answered CONFLICT for an email another organisation had registered, which told an ambassador
 * who volunteers elsewhere. The look-up by email alone (`npm run token`) keeps an index.
 */
export class Migration20261201230000_volunteer_email_per_organisation extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "volunteer" drop constraint "volunteer_email_unique";`);
    this.addSql(`alter table "volunteer" add constraint "volunteer_organisation_email_unique" unique ("organisation_id", "email");`);
    this.addSql(`create index "volunteer_email_index" on "volunteer" ("email");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "volunteer_email_index";`);
    this.addSql(`alter table "volunteer" drop constraint "volunteer_organisation_email_unique";`);
    this.addSql(`alter table "volunteer" add constraint "volunteer_email_unique" unique ("email");`);
  }
}
