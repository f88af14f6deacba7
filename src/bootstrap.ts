import type { Config } from './config.js';
import { initOrm, migrate, type Orm } from './db/database.js';
import { startEmbeddedPostgres, type EmbeddedDatabase } from './db/embedded.js';
import type { Logger } from './logger.js';

export interface Database {
  orm: Orm;
  /** Where it is: DATABASE_URL, or the embedded server's. */
  url: string;
  embedded: EmbeddedDatabase | null;
  close(): Promise<void>;
}

/**
 * Connects to DATABASE_URL, or starts the embedded PostgreSQL when it is unset,
 * then applies pending migrations (unless `migrations: false`: an API process of a cluster,
 * whose primary has applied them).
 */
export async function openDatabase(config: Config, log: Logger, opts: { migrations?: boolean } = {}): Promise<Database> {
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
    if (opts.migrations !== false) {
      const applied = await migrate(orm);
      if (applied.length) log.info({ migrations: applied }, 'applied migrations');
    }
  } catch (e) {
    await embedded?.stop();
    throw e;
  }
  return {
    orm,
    url,
    embedded,
    async close() {
      await orm.close(true);
      await embedded?.stop();
    },
  };
}
