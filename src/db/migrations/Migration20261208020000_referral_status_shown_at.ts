import { Migration } from '@mikro-orm/migrations';

/**
 * A partner's `updatedAt` moved with every change of the row, also with the steps the partner
 * is not shown (a triage, DECLINED before CLOSED, a household linked), and so gave them away.
 * `status_shown_at` holds when the status last changed as the sender sees it; until now that is
 * best known as the last change. `submission_digest` keeps a resubmission recognisable after
 * erasure has anonymised the subject (referral-intake.ts).
 */
export class Migration20261208020000_referral_status_shown_at extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "referral" add column "status_shown_at" timestamptz null, add column "submission_digest" varchar(64) null;`);
    this.addSql(`update "referral" set "status_shown_at" = "updated_at";`);
    this.addSql(`alter table "referral" alter column "status_shown_at" set not null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "referral" drop column "status_shown_at", drop column "submission_digest";`);
  }
}
