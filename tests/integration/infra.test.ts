/** The test infrastructure itself: per-file databases, migrations, database guards, Redis. */
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminDatabaseUrl, createTestDatabase, redisUrl, type TestDatabase } from '../helpers/db.js';

async function query<T extends pg.QueryResultRow>(url: string, sql: string, params: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

async function databaseExists(name: string): Promise<boolean> {
  const rows = await query(adminDatabaseUrl(), 'select 1 from pg_database where datname = $1', [name]);
  return rows.length === 1;
}

const nameOf = (url: string) => new URL(url).pathname.slice(1);

describe('test databases', () => {
  let db: TestDatabase;
  let other: TestDatabase;

  beforeAll(async () => {
    [db, other] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  });
  afterAll(async () => {
    await Promise.all([db?.drop(), other?.drop()]);
  });

  it('is created and migrated', async () => {
    expect(nameOf(db.url)).toMatch(/^voordeur_test_\d+_[0-9a-f]+$/);
    expect(await databaseExists(nameOf(db.url))).toBe(true);
    const rows = await query<{ table_name: string }>(
      db.url,
      `select table_name from information_schema.tables where table_schema = 'public' and table_name = any($1)`,
      [['case', 'household', 'access_log']],
    );
    expect(rows.map((r) => r.table_name).sort()).toEqual(['access_log', 'case', 'household']);
    // The ORM it hands out is connected to that database.
    const [{ current_database }] = await db.orm.em.getConnection().execute<{ current_database: string }[]>('select current_database()');
    expect(current_database).toBe(nameOf(db.url));
  });

  it('has everything the entities declare: every table, column and index comes from a migration', async () => {
    // What the ORM would still add to the migrated schema. (It would also drop the indexes and
    // constraints that only migrations declare — partial and expression indexes, triggers — so
    // only additions count.) A @Index on an entity without its migration fails here.
    const diff = await db.orm.schema.getUpdateSchemaSQL({ wrap: false, safe: true, dropTables: false });
    const additions = diff
      .split(/;\s*\n/)
      .map((s) => s.trim())
      .filter((s) => /^(create|alter table \S+ add)\b/i.test(s));
    expect(additions).toEqual([]);
    const indexes = await query<{ indexname: string }>(db.url, `select indexname from pg_indexes where tablename = 'referral'`);
    expect(indexes.map((i) => i.indexname)).toContain('referral_case_id_index');
  });

  it('is a different database on every call', () => {
    expect(nameOf(other.url)).not.toBe(nameOf(db.url));
  });

  it('no longer exists after drop()', async () => {
    const temp = await createTestDatabase();
    const name = nameOf(temp.url);
    expect(await databaseExists(name)).toBe(true);
    await temp.drop();
    expect(await databaseExists(name)).toBe(false);
    await temp.drop(); // a second drop is harmless
  });
});

describe('access_log is append-only', () => {
  let db: TestDatabase;
  let client: pg.Client;

  beforeAll(async () => {
    db = await createTestDatabase();
    client = new pg.Client({ connectionString: db.url });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  const insert = () =>
    client.query<{ id: string }>(
      `insert into access_log (action, object_type, object_id, purpose, request_id)
       values ('READ', 'Case', 'c-1', 'CASE_WORK', 'req-1') returning id`,
    );

  it('accepts inserts', async () => {
    const { rows } = await insert();
    expect(rows).toHaveLength(1);
    const { rows: count } = await client.query<{ n: number }>('select count(*)::int as n from access_log');
    expect(count[0].n).toBeGreaterThanOrEqual(1);
  });

  async function expectGuarded() {
    const { rows } = await insert();
    const id = rows[0].id;
    await expect(client.query(`update access_log set purpose = 'OTHER' where id = $1`, [id])).rejects.toThrow(/append-only/);
    await expect(client.query('delete from access_log where id = $1', [id])).rejects.toThrow(/append-only/);
    await expect(client.query('truncate access_log')).rejects.toThrow(/append-only/);
    const { rows: after } = await client.query<{ purpose: string }>('select purpose from access_log where id = $1', [id]);
    expect(after).toEqual([{ purpose: 'CASE_WORK' }]);
  }

  it('rejects UPDATE, DELETE and TRUNCATE', async () => {
    await expectGuarded();
  });

  it('rejects them for a superuser too (a trigger, not a privilege)', async ({ skip }) => {
    const { rows } = await client.query<{ super: boolean }>('select rolsuper as super from pg_roles where rolname = current_user');
    if (!rows[0]?.super) skip('the test server connects as a non-superuser');
    await expectGuarded();
  });

  it('also in a session that silences ordinary triggers (session_replication_role = replica), and for disclosure', async ({ skip }) => {
    const { rows } = await client.query<{ super: boolean }>('select rolsuper as super from pg_roles where rolname = current_user');
    if (!rows[0]?.super) skip('only a superuser may set session_replication_role');
    await client.query('begin');
    try {
      await client.query('set local session_replication_role = replica');
      await expect(client.query('delete from access_log')).rejects.toThrow(/append-only/);
    } finally {
      await client.query('rollback');
    }
    await client.query(`insert into disclosure (resident_id, recipient_id, purpose, what) values (gen_random_uuid(), gen_random_uuid(), 'GP_TANDEM', 'probe')`);
    for (const statement of ['update disclosure set what = what', 'delete from disclosure', 'truncate disclosure']) {
      await client.query('begin');
      try {
        await client.query('set local session_replication_role = replica');
        await expect(client.query(statement), statement).rejects.toThrow(/append-only/);
      } finally {
        await client.query('rollback');
      }
    }
  });
});

describe('redis', () => {
  it('answers PING at redisUrl()', async () => {
    const redis = new Redis(redisUrl(), { lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await redis.connect();
      expect(await redis.ping()).toBe('PONG');
    } finally {
      redis.disconnect();
    }
  });
});
