/**
 * `npm run start:worker`: the job system alone (BullMQ workers, outbox relay, job
 * schedulers), for running API and workers as separate replicas. Uses DATABASE_URL, or the
 * embedded database of `npm start` when unset. SIGTERM/SIGINT: stop claiming, let active jobs
 * finish (at most SHUTDOWN_GRACE_MS), close, exit 0.
 */
import 'reflect-metadata';
import { loadConfig } from './config.js';
import { logger } from './logger.js';
import { openDatabase } from './bootstrap.js';
import { startJobs } from './jobs/runtime.js';
import { resolvePartnerSystems } from './jobs/partner-systems.js';

const config = loadConfig();
logger.level = config.LOG_LEVEL;
const log = logger.child({ role: 'worker' });

async function main() {
  const db = await openDatabase(config, log);
  const partners = await resolvePartnerSystems(config, log);
  const jobs = await startJobs({ orm: db.orm, config, log, huisartsUrl: partners.huisartsUrl, corporationUrl: partners.corporationUrl });
  log.info({ pid: process.pid }, 'worker started');

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'worker draining');
    const force = setTimeout(() => {
      log.error('worker shutdown took too long; exiting');
      process.exit(1);
    }, config.SHUTDOWN_GRACE_MS + 15_000);
    force.unref();
    try {
      await jobs.stop();
      await partners.stop();
      await db.close();
      log.info('worker stopped cleanly');
      process.exit(0);
    } catch (e) {
      log.error({ err: (e as Error).name }, 'error during worker shutdown');
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((e: unknown) => {
  log.fatal({ err: e instanceof Error ? { name: e.name, message: e.message } : String(e) }, 'worker start-up failed');
  process.exit(1);
});
