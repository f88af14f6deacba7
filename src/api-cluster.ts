/**
 * `--role api` with API_PROCESSES > 1 (or 0: one per CPU): several API processes share the
 * port through node:cluster. A Node process executes JavaScript on one core; on a machine
 * with more, one API process is the first thing to saturate (README, Performance).
 *
 * The primary serves nothing itself: it opens the database (migrations, the embedded server
 * when DATABASE_URL is unset, the demo seed), then forks the API processes with the database's
 * URL, replaces one that dies after it was serving, and on SIGTERM/SIGINT stops them all
 * (each drains its requests) before it stops the embedded server. An API process that
 * dies before it ever listened is a start-up failure: the primary stops everything and exits 1
 * instead of restarting it in a loop.
 */
import cluster, { type Worker } from 'node:cluster';
import os from 'node:os';
import type { Config } from './config.js';
import type { Logger } from './logger.js';
import { openDatabase, type Database } from './bootstrap.js';

/** API_PROCESSES, with 0 as one per CPU this process may use. */
export function apiProcessCount(config: Pick<Config, 'API_PROCESSES'>): number {
  return config.API_PROCESSES === 0 ? os.availableParallelism() : config.API_PROCESSES;
}

const RESTART_DELAY_MS = 1000;

export async function runApiPrimary(config: Config, log: Logger, count: number, prepare: (db: Database) => Promise<void>): Promise<void> {
  const db = await openDatabase(config, log);
  try {
    await prepare(db);
  } catch (e) {
    await db.close().catch(() => undefined);
    throw e;
  }
  // The primary keeps no connections: only the embedded server, if any, lives on in it.
  await db.orm.close(true);
  const env = { DATABASE_URL: db.url, SEED_DEMO: 'false' };
  const workers = new Set<Worker>();
  let stopping = false;
  let failed = false;
  let listening = 0;

  const stopAll = async (code: number) => {
    stopping = true;
    const force = setTimeout(() => {
      log.error('API processes took too long to stop; exiting');
      process.exit(1);
    }, 25_000 + config.SHUTDOWN_GRACE_MS);
    force.unref();
    await Promise.all(
      [...workers].map(
        (w) =>
          new Promise<void>((resolve) => {
            if (w.isDead()) return resolve();
            // One still starting may not have its handler yet: ended by our signal is fine too.
            w.once('exit', (exitCode, signal) => {
              if (exitCode !== 0 && signal !== 'SIGTERM') code = 1;
              resolve();
            });
            w.process.kill('SIGTERM');
          }),
      ),
    );
    await db.embedded?.stop().catch(() => (code = 1));
    if (code === 0) log.info('stopped cleanly');
    process.exit(code);
  };

  const fork = () => {
    const worker = cluster.fork(env);
    let served = false;
    workers.add(worker);
    worker.once('listening', () => {
      served = true;
      if (++listening === count) {
        log.info({ url: `http://${config.HOST}:${config.PORT}/graphql`, processes: count }, `Voordeur is listening with ${count} API processes`);
      }
    });
    worker.once('exit', (code, signal) => {
      workers.delete(worker);
      if (stopping) return;
      if (!served) {
        if (failed) return;
        failed = true;
        log.fatal({ code, signal }, 'an API process failed to start; stopping');
        void stopAll(1);
        return;
      }
      log.error({ code, signal }, 'an API process exited; starting another');
      setTimeout(() => !stopping && fork(), RESTART_DELAY_MS);
    });
  };
  for (let i = 0; i < count; i++) fork();

  const shutdown = (signal: string) => {
    if (stopping) return;
    log.info({ signal }, 'shutting down the API processes');
    void stopAll(0);
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}
