import { Migration } from '@mikro-orm/migrations';

/**
 * A referral belongs to the team of the household it is linked to. Linking one to another
 * team's household (a worker of both teams can) left it in the first team's inbox, which then
 * learnt of the other team's case; the code now moves it on linking, and this moves those
 * linked before.
 */
export class Migration20261201231000_referral_team_follows_household extends Migration {
  override async up(): Promise<void> {
    this.addSql(`update "referral" r set team_id = h.team_id from "household" h where r.household_id = h.id and r.team_id <> h.team_id;`);
  }

  override async down(): Promise<void> {
    // A data fix: nothing to undo.
  }
}
