import { Migration } from '@mikro-orm/migrations';

/**
 * An AGB code names one GP practice: the GP system's ServiceRequests name their sender by it,
 * and with two practices under one code the referral went to whichever row came first.
 * (Should a database already hold a duplicate, this fails: that is for a person to resolve.)
 */
export class Migration20261202000000_organisation_agb_unique extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create unique index "organisation_agb_code_unique" on "organisation" ("agb_code") where "agb_code" is not null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "organisation_agb_code_unique";`);
  }
}
