/**
 * The benchmark's statement counter (src/sql-count.ts) turns its AsyncLocalStorage off again when
 * the last counted request has finished: an enabled store keeps Node's async hooks on for the
 * whole process. Observable from the outside: work that a counted request left scheduled, running
 * after it, is no longer counted (with the store still enabled it would carry the counter along).
 * Real PostgreSQL: the wrapped `pg.Client#query` is what counts.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminDatabaseUrl } from '../helpers/db.js';
import { sqlCountingActive, withSqlCounter } from '../../src/sql-count.js';

let client: pg.Client;
beforeAll(async () => {
  client = new pg.Client({ connectionString: adminDatabaseUrl() });
  await client.connect();
});
afterAll(async () => {
  await client?.end();
});

describe('withSqlCounter', () => {
  it('counts the statements sent inside, and nothing after the last counted run is done', async () => {
    let late!: Promise<unknown>;
    const counter = await withSqlCounter(async (c) => {
      await client.query('select 1');
      late = new Promise((resolve, reject) => setTimeout(() => client.query('select 2').then(resolve, reject), 20));
      return c;
    });
    expect(counter.statements).toBe(1);
    expect(sqlCountingActive()).toBe(false);
    await late;
    expect(counter.statements).toBe(1);
  });

  it('keeps counting while another counted run is still going', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const outer = withSqlCounter(async (c) => {
      await gate;
      await client.query('select 1');
      return c;
    });
    const inner = await withSqlCounter(async (c) => {
      await client.query('select 1');
      return c;
    });
    expect(inner.statements).toBe(1);
    expect(sqlCountingActive()).toBe(true);
    release();
    expect((await outer).statements).toBe(1);
    expect(sqlCountingActive()).toBe(false);
  });
});
