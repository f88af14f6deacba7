import { Migration } from '@mikro-orm/migrations';

/**
 * A referral belongs to the team of the household it is linked to. Linking one to another
 * team's household (a worker of both teams can) left it in the first team's inbox, which then
 * learnt of the other team's case; the code now moves it on linking, and this moves those
 * linked before.
 */
export class Migration20261201231000_referral_team_follows_household extends Migration {
  override async up(): Promise<void> {
    // The team of its case where it has one, else of its household.
    this.addSql(`update "referral" r set team_id = t.team_id
      from (select r2.id, coalesce((select c.team_id from "case" c where c.id = r2.case_id), h.team_id) as team_id
              from "referral" r2 join "household" h on h.id = r2.household_id) t
      where t.id = r.id and r.team_id <> t.team_id;`);
  }

  override async down(): Promise<void> {
    // A data fix: nothing to undo.
  }
}
