import { Migration } from '@mikro-orm/migrations';

/**
 * A case's referral is read by case id on every CaseDetail (and by the `referralOfCase`
 * loader), but `referral.case_id` had no index: each lookup scanned every referral (5,063 at
 * 10^5 cases, 0.6 ms — most of CaseDetail's statement; ten times that at 10^6).
 */
export class Migration20261201120000_referral_case_index extends Migration {
  override async up(): Promise<void> {
    this.addSql('create index if not exists "referral_case_id_index" on "referral" ("case_id");');
  }

  override async down(): Promise<void> {
    this.addSql('drop index if exists "referral_case_id_index";');
  }
}
