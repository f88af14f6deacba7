import type { Config } from './config.js';
import { initOrm, migrate, type Orm } from './db/database.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './db/embedded.js';
import type { Logger } from './logger.js';

export interface Database {
  orm: Orm;
  embedded: EmbeddedDatabase | null;
  close(): Promise<void>;
}

/**
 * Connects to DATABASE_URL, or starts the embedded PostgreSQL when it is unset,
 * then applies pending migrations.
 */
export async function openDatabase(config: Config, log: Logger): Promise<Database> {
  let embedded: EmbeddedDatabase | null = null;
  let url = config.DATABASE_URL;
  if (!url) {
    log.info('DATABASE_URL is not set: using embedded PostgreSQL');
    embedded = await startEmbeddedPostgres({
      dir: config.EMBEDDED_PG_DIR,
      port: config.EMBEDDED_PG_PORT,
      database: 'voordeur',
      log,
    });
    url = embedded.url;
  }
  let orm: Orm;
  try {
    orm = await initOrm(url, config.DB_POOL_MAX);
    const applied = await migrate(orm);
    if (applied.length) log.info({ migrations: applied }, 'applied migrations');
  } catch (e) {
    await embedded?.stop();
    throw e;
  }
  return {
    orm,
    embedded,
    async close() {
      await orm.close(true);
      await embedded?.stop();
    },
  };
}
