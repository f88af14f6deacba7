/**
 * The hand-written reads run as named prepared statements (src/db/sql.ts), but only the first
 * MAX_NAMED_STATEMENTS distinct texts get a name: texts vary with the selection, and a named
 * statement stays prepared on its connection for good, so a client inventing new selections must
 * not grow every connection's prepared statements without end. Past the bound a text runs
 * unnamed, with the same answer. Real PostgreSQL, one connection, so its prepared statements
 * can be counted.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { MAX_NAMED_STATEMENTS, prepare, sql } from '../../src/db/sql.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

describe('named statements are bounded', () => {
  it('names the first texts, runs the rest unnamed with the same answers, and keeps the named ones named', async () => {
    const em = db.orm.em.fork();
    await em.transactional(async (tx) => {
      // One connection (the transaction's), so pg_prepared_statements shows all of them.
      const before = Number((await sql<{ n: string }>(tx, 'select count(*) as n from pg_prepared_statements'))[0]!.n);
      const texts = Array.from({ length: MAX_NAMED_STATEMENTS + 20 }, (_, i) => `select ?::int + ${i} as v`);
      for (const [i, text] of texts.entries()) {
        const rows = await sql<{ v: number }>(tx, text, [1]);
        expect(rows[0]!.v).toBe(1 + i);
      }
      const named = texts.filter((t) => prepare(t).name !== undefined).length;
      // Other modules of this file's process may have named a few texts already.
      expect(named).toBeGreaterThan(MAX_NAMED_STATEMENTS - 10);
      expect(named).toBeLessThanOrEqual(MAX_NAMED_STATEMENTS);
      expect(prepare(texts.at(-1)!).name).toBeUndefined();
      expect(prepare(texts[0]!).name).toMatch(/^v_[0-9a-f]{24}$/);
      const after = Number((await sql<{ n: string }>(tx, 'select count(*) as n from pg_prepared_statements'))[0]!.n);
      expect(after - before).toBeLessThanOrEqual(MAX_NAMED_STATEMENTS);
      expect(after - before).toBeGreaterThan(MAX_NAMED_STATEMENTS - 10);
      // A named text stays named, and answers, past the bound.
      expect((await sql<{ v: number }>(tx, texts[0]!, [41]))[0]!.v).toBe(41);
    });
  });
});
