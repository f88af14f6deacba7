/**
 * `npm start`: the hub in one process. Without DATABASE_URL it runs on an embedded
 * PostgreSQL (data under .data/), migrates, and loads the demo seed into an empty database.
 * `--role api`: the API without the jobs, in API_PROCESSES processes (api-cluster.ts).
 */
import 'reflect-metadata';
import cluster from 'node:cluster';
import { loadConfig } from './config.js';
import { logger } from './logger.js';
import { openDatabase, type Database } from './bootstrap.js';
import { createApp } from './server.js';
import { createRedis } from './redis.js';
import { seedDemo } from '../seeds/demo.js';
import { startJobs } from './jobs/runtime.js';
import { resolvePartnerSystems } from './jobs/partner-systems.js';
import { closeSharedQueues } from './jobs/queues.js';
import { apiProcessCount, runApiPrimary } from './api-cluster.js';

const config = loadConfig();
logger.level = config.LOG_LEVEL;

// `npm start` runs the worker (jobs, relay, schedulers) in this process; `--role api` does not.
const apiOnly = process.argv.includes('--role') && process.argv[process.argv.indexOf('--role') + 1] === 'api';

async function seedIfAsked(db: Database) {
  if (!config.SEED_DEMO) return;
  const { created } = await seedDemo(db.orm.em.fork(), { bsnKey: config.BSN_KEY });
  if (created) logger.info('loaded the demo seed into the empty database');
}

async function main() {
  if (cluster.isPrimary && apiOnly && apiProcessCount(config) > 1) {
    return runApiPrimary(config, logger, apiProcessCount(config), seedIfAsked);
  }
  if (cluster.isPrimary && !apiOnly && config.API_PROCESSES !== 1) {
    logger.warn('API_PROCESSES applies to --role api only; npm start runs one process');
  }
  // An API process of a cluster: its primary has migrated and seeded.
  const db = await openDatabase(config, logger, { migrations: cluster.isPrimary });
  if (cluster.isPrimary) await seedIfAsked(db);
  const redis = createRedis(config.REDIS_URL, logger);
  const app = await createApp({ config, orm: db.orm, redis });
  const partners = apiOnly ? null : await resolvePartnerSystems(config, logger);
  const jobs = partners
    ? await startJobs({ orm: db.orm, config, log: logger, huisartsUrl: partners.huisartsUrl, corporationUrl: partners.corporationUrl })
    : null;
  const url = await app.listen(config.PORT, config.HOST);
  logger.info({ url }, `Voordeur is listening on ${url}`);
  if (config.NODE_ENV !== 'production') {
    logger.info('get a token with: npm run token -- worker1.overvecht-centrum@voordeur.test');
  }

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, 20_000 + config.SHUTDOWN_GRACE_MS);
    force.unref();
    try {
      await app.stop();
      // Active jobs finish (bounded by SHUTDOWN_GRACE_MS) before the database goes away.
      await jobs?.stop().catch(() => undefined);
      await partners?.stop().catch(() => undefined);
      await closeSharedQueues().catch(() => undefined);
      redis.disconnect();
      await db.close();
      logger.info('stopped cleanly');
      process.exit(0);
    } catch (e) {
      logger.error({ err: (e as Error).name }, 'error during shutdown');
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((e: unknown) => {
  logger.fatal({ err: e instanceof Error ? { name: e.name, message: e.message, stack: e.stack } : String(e) }, 'start-up failed');
  process.exit(1);
});
