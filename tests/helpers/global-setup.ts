/**
 * Finds the services the tests run against, once per `vitest run`:
 *
 * - PostgreSQL: DATABASE_URL if set, else postgres://postgres@127.0.0.1:5432/postgres;
 *   if nothing answers there, an embedded PostgreSQL in a temporary directory.
 * - Redis: REDIS_URL if set, else redis://127.0.0.1:6379; if nothing answers there,
 *   `redis-server` on a free port when the binary is installed, else a clear error.
 *
 * Test files get the URLs through `inject('adminDatabaseUrl')` / `inject('redisUrl')`
 * (see tests/helpers/db.ts). Whatever this file starts, its teardown stops.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { accessSync, constants, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import type { TestProject } from 'vitest/node';
import { startEmbeddedPostgres } from '../../src/db/embedded.js';
import { logger } from '../../src/logger.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A maintenance database on the test PostgreSQL server; test databases are created from it. */
    adminDatabaseUrl: string;
    /** The Redis the tests use. */
    redisUrl: string;
    /** Marks the databases of this run (database comment), so teardown can sweep leftovers. */
    testRunId: string;
  }
}

export const TEST_DATABASE_PREFIX = 'voordeur_test_';
export const runComment = (runId: string) => `voordeur test run ${runId}`;

const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const DEFAULT_REDIS_URL = 'redis://127.0.0.1:6379';

const log = logger.child({ component: 'test-setup' }, { level: process.env.LOG_LEVEL ?? 'silent' });

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const runId = `${process.pid}_${randomBytes(4).toString('hex')}`;
  const cleanups: Array<() => Promise<void>> = [];
  const teardown = async () => {
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (e) {
        process.stderr.write(`test teardown: ${(e as Error).message}\n`);
      }
    }
  };

  try {
    const postgres = await resolvePostgres(cleanups);
    cleanups.push(() => dropLeftoverDatabases(postgres.adminUrl, runId));
    const redis = await resolveRedis(cleanups);

    project.provide('adminDatabaseUrl', postgres.adminUrl);
    project.provide('redisUrl', redis.url);
    project.provide('testRunId', runId);
    process.stdout.write(
      `Test services: PostgreSQL ${postgres.source} at ${redact(postgres.adminUrl)}; Redis ${redis.source} at ${redact(redis.url)}\n`,
    );
  } catch (e) {
    await teardown();
    throw e;
  }
  return teardown;
}

// --- PostgreSQL ---------------------------------------------------------------------------

async function resolvePostgres(cleanups: Array<() => Promise<void>>): Promise<{ adminUrl: string; source: string }> {
  const configured = process.env.DATABASE_URL || DEFAULT_DATABASE_URL;
  const source = process.env.DATABASE_URL ? 'from DATABASE_URL' : 'local default';
  const reachable = await probePostgres(configured);
  if (reachable === true) {
    // Prefer the "postgres" maintenance database: the configured one may be a dev database.
    const maintenance = withDatabase(configured, 'postgres');
    return { adminUrl: (await probePostgres(maintenance)) === true ? maintenance : configured, source };
  }
  log.info({ url: redact(configured), error: reachable.message }, 'no PostgreSQL answers; starting embedded PostgreSQL');

  const tmp = mkdtempSync(path.join(os.tmpdir(), 'voordeur-test-pg-'));
  cleanups.push(async () => rmSync(tmp, { recursive: true, force: true }));
  const port = await freePort();
  const embedded = await startEmbeddedPostgres({ dir: path.join(tmp, 'data'), port, database: 'postgres', log });
  cleanups.push(() => embedded.stop());
  return { adminUrl: embedded.url, source: `embedded (no server answered at ${redact(configured)})` };
}

/** `true` when a query succeeds within 2 s, else the error. */
async function probePostgres(url: string): Promise<true | Error> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch (e) {
    return e as Error;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Drops this run's databases that a crashed test file could not drop itself. */
async function dropLeftoverDatabases(adminUrl: string, runId: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>(
      `select datname from pg_database
        where datname like $1 and shobj_description(oid, 'pg_database') = $2`,
      [`${TEST_DATABASE_PREFIX}%`, runComment(runId)],
    );
    for (const { datname } of rows) {
      await client.query(`drop database if exists "${datname}" with (force)`);
    }
  } finally {
    await client.end();
  }
}

// --- Redis --------------------------------------------------------------------------------

async function resolveRedis(cleanups: Array<() => Promise<void>>): Promise<{ url: string; source: string }> {
  const configured = process.env.REDIS_URL || DEFAULT_REDIS_URL;
  const source = process.env.REDIS_URL ? 'from REDIS_URL' : 'local default';
  if ((await probeRedis(configured, 1000)) === true) return { url: configured, source };

  if (!onPath('redis-server')) {
    throw new Error(
      `No Redis answers at ${redact(configured)} and redis-server is not installed: install it (apt-get install redis-server) or set REDIS_URL.`,
    );
  }
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  const child = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', os.tmpdir()],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString()).slice(-4000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  cleanups.push(() => stopChild(child));

  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`redis-server exited (${child.exitCode ?? child.signalCode}) before answering:\n${output}`);
    }
    if ((await probeRedis(url, 500)) === true) break;
    if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not answer within 10 s:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, source: `spawned redis-server (none answered at ${redact(configured)})` };
}

/** `true` when PING answers within `timeoutMs`, else the error. No retries. */
async function probeRedis(url: string, timeoutMs: number): Promise<true | Error> {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    const answer = await client.ping();
    return answer === 'PONG' ? true : new Error(`PING answered ${answer}`);
  } catch (e) {
    return e as Error;
  } finally {
    client.disconnect();
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

// --- helpers ------------------------------------------------------------------------------

function onPath(binary: string): boolean {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    try {
      accessSync(path.join(dir, binary), constants.X_OK);
      return true;
    } catch {
      // not here
    }
  }
  return false;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('could not find a free port'))));
    });
  });
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** The URL without its password, for messages. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(unparseable URL)';
  }
}
