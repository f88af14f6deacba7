/** npm run migrate: applies pending migrations to DATABASE_URL (or the embedded database when unset). */
import 'reflect-metadata';
import { loadConfig } from '../src/config.js';
import { logger } from '../src/logger.js';
import { openDatabase } from '../src/bootstrap.js';

const config = loadConfig();
logger.level = config.LOG_LEVEL === 'silent' ? 'silent' : 'info';
const db = await openDatabase(config, logger);
const pending = await db.orm.getMigrator().getPendingMigrations();
console.log(pending.length === 0 ? 'database is up to date' : `${pending.length} migrations still pending`);
await db.close();
process.exit(0);
