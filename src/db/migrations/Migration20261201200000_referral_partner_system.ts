import { Migration } from '@mikro-orm/migrations';

/**
 * Which partner system a referral came in from (`referral.partner_system`): only those get
 * status pushes. A partner system knows a record by the sender's externalId alone, so a push
 * for a referral submitted through the app (same externalId as another practice's record
 * there, say) would land on someone else's record, with the coordinator's name and phone.
 *
 * Referrals taken in before this column by a poll are found by their CREATE audit row, whose
 * request id names the poll (`sync:<partner>:<job>`, src/jobs/sync.ts).
 */
export class Migration20261201200000_referral_partner_system extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "referral" add column "partner_system" text check ("partner_system" in ('huisarts', 'corporation')) null;`);
    this.addSql(`update "referral" r set "partner_system" = split_part(a.request_id, ':', 2)
      from "access_log" a
      where a.action = 'CREATE' and a.object_type = 'Referral' and a.object_id = r.id::text
        and split_part(a.request_id, ':', 1) = 'sync' and split_part(a.request_id, ':', 2) in ('huisarts', 'corporation');`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "referral" drop column "partner_system";`);
  }
}
