/**
 * The lean read path (src/db/lean.ts) hands resolvers the same plain objects whichever way a
 * row arrives: `leanRows` on a `select t.*` row and on the parsed `leanJsonObject` of the same
 * row both equal what MikroORM's own result mapper makes of the row — for every entity, on the
 * demo data set (every table filled, every column type in use); the one-statement reads
 * (`leanJsonObject`, `leanSelect`) the same but for the bookkeeping timestamps no field shows.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntityClass, EntityMetadata } from '@mikro-orm/core';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { seedDemo } from '../../seeds/demo.js';
import { entities } from '../../src/db/entities.js';
import { leanJsonObject, leanRows, leanRowsByDriver, leanSelect, omittedFromReads } from '../../src/db/lean.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  await seedDemo(db.orm.em.fork(), { bsnKey: 'lean-test-bsn-key-that-is-long-enough-0123456789' });
}, 120_000);

afterAll(async () => {
  await db?.drop();
});

describe('leanRows', () => {
  for (const entity of entities) {
    it(`${entity.name}: rows and their JSON map to what the driver maps`, async () => {
      const em = db.orm.em.fork();
      const meta = em.getMetadata().get(entity.name) as EntityMetadata;
      const rows = await em
        .getConnection()
        .execute<Record<string, unknown>[]>(
          `select t.*, ${leanJsonObject(em, entity as EntityClass<object>, 't')} as __json from "${meta.tableName}" t order by 1 limit 200`,
        );
      const reference = leanRowsByDriver(em, entity as EntityClass<object>, rows);
      expect(leanRows(em, entity as EntityClass<object>, rows)).toEqual(reference);
      // The one-statement reads (leanJsonObject, leanSelect) leave out the bookkeeping timestamps
      // the GraphQL type does not show; everything else maps as the driver maps it.
      const omitted = omittedFromReads(em, entity as EntityClass<object>);
      const read = reference.map((r) => ({ ...r, ...Object.fromEntries(omitted.map((name) => [name, undefined])) }));
      expect(leanRows(em, entity as EntityClass<object>, rows.map((r) => r.__json as Record<string, unknown>))).toEqual(read);
      const selected = await em
        .getConnection()
        .execute<Record<string, unknown>[]>(`select ${leanSelect(em, entity as EntityClass<object>, 't')} from "${meta.tableName}" t order by 1 limit 200`);
      expect(leanRows(em, entity as EntityClass<object>, selected)).toEqual(read);
    });
  }

  it('one-statement reads leave out createdAt/updatedAt unless the GraphQL type shows them', () => {
    const em = db.orm.em.fork();
    const omitted = Object.fromEntries(entities.map((e) => [e.name, omittedFromReads(em, e as EntityClass<object>)]));
    expect(omitted.Case).toEqual(['createdAt', 'updatedAt']);
    expect(omitted.Household).toEqual(['createdAt', 'updatedAt']);
    expect(omitted.CaseNote).toEqual(['updatedAt']); // notes { createdAt } is shown (and the notes cursor)
    expect(omitted.Referral).toEqual(['createdAt']); // ReferralStatus shows updatedAt
    for (const list of Object.values(omitted)) for (const name of list) expect(['createdAt', 'updatedAt']).toContain(name);
  });

  it('the demo data set fills the tables the hot paths read', async () => {
    const em = db.orm.em.fork();
    for (const table of ['case', 'household', 'resident', 'zrm_assessment', 'case_note', 'goal', 'consent', 'referral', 'care_allocation', 'staff', 'organisation', 'team']) {
      const [{ n }] = await em.getConnection().execute<{ n: string }[]>(`select count(*) as n from "${table}"`);
      expect(Number(n), table).toBeGreaterThan(0);
    }
  });
});
