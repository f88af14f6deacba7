/**
 * Databases for the in-process benchmarks: DATABASE_URL when set, else a throw-away
 * database on the local server that `drop()` removes again.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export const DEFAULT_ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export interface BenchDatabase {
  url: string;
  label: string;
  drop(): Promise<void>;
}

export function redact(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}

export async function withAdmin<T>(adminUrl: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function openBenchDatabase(adminUrl = DEFAULT_ADMIN_URL): Promise<BenchDatabase> {
  const configured = process.env.DATABASE_URL;
  if (configured) return { url: configured, label: `${redact(configured)} (DATABASE_URL)`, drop: async () => {} };
  const name = `voordeur_bench_${randomBytes(6).toString('hex')}`;
  await withAdmin(adminUrl, (c) => c.query(`create database "${name}"`));
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    label: `${name} (throw-away, dropped at the end)`,
    drop: () => withAdmin(adminUrl, (c) => c.query(`drop database if exists "${name}" with (force)`)).then(() => {}),
  };
}
