import { afterAll, beforeAll, it } from 'vitest';
import { startTestHub, TEST_BSN_KEY, type TestHub } from '../helpers/app.js';
import { seedDemo } from '../../seeds/demo.js';
let hub: TestHub;
beforeAll(async () => {
  hub = await startTestHub();
  const t0 = Date.now();
  await seedDemo(hub.em(), { bsnKey: TEST_BSN_KEY });
  console.log('seed ms', Date.now() - t0);
});
afterAll(async () => { await hub?.stop(); });
it('explore', async () => {
  const q = (sql: string, p: unknown[] = []) => hub.em().getConnection().execute(sql, p);
  console.log(await q(`select t.code, c.status, count(*) from "case" c join team t on t.id=c.team_id where t.code in ('overvecht-centrum','zuilen','overvecht-noord') group by 1,2 order by 1,2`));
  console.log(await q(`select o.code, t.code team, r.kind, r.status, r.case_id is not null as has_case from referral r join organisation o on o.id=r.from_id join team t on t.id=r.team_id order by 1,2`));
  console.log(await q(`select t.code, r.status, r.case_id from informal_care_request r join team t on t.id=r.team_id where t.code in ('overvecht-centrum','zuilen','overvecht-noord')`));
  console.log(await q(`select m.id, m.status, t.code from volunteer_match m join volunteer v on v.id=m.volunteer_id join team t on t.id=m.team_id where v.email='volunteer1@voordeur.test'`));
  console.log(await q(`select f.case_id, t.code, c.status, (select count(*) from referral r where r.case_id=f.case_id) refs, (select count(*) from informal_care_request r where r.case_id=f.case_id) icr from flex_assignment f join "case" c on c.id=f.case_id join team t on t.id=c.team_id`));
  console.log(await q(`select s.email, o.code from staff s left join organisation o on o.id=s.organisation_id where s.role='AMBASSADOR' and s.email like '%overvecht-centrum%' or s.email like 'ambassador.zuilen%'`));
  console.log(await q(`select given_name, family_name from resident r join team t on t.id=r.team_id where t.code='zuilen' limit 20`));
  console.log(await q(`select body from case_note limit 5`));
});
