import 'reflect-metadata';
import { defineConfig, type Options } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { entities } from './entities.js';
import { migrationsList } from './migrations/index.js';

/**
 * MikroORM configuration. Migrations are listed explicitly: MikroORM's own dynamic
 * import would bypass the tsx/vite loaders (STACK.md trap 3).
 */
export function ormConfig(clientUrl: string, overrides: Partial<Options> = {}): Options {
  return defineConfig({
    clientUrl,
    entities,
    extensions: [Migrator],
    discovery: { requireEntitiesArray: true },
    loadStrategy: 'select-in',
    // Every request and job forks its own EntityManager; the global one stays unusable.
    allowGlobalContext: false,
    forceUtcTimezone: true,
    debug: false,
    migrations: {
      migrationsList,
      snapshot: false,
      transactional: true,
      allOrNothing: true,
      tableName: 'mikro_orm_migrations',
      path: 'src/db/migrations',
      pathTs: 'src/db/migrations',
      emit: 'ts',
      silent: true,
    },
    pool: { min: 0, max: 10 },
    // Generic plans for the prepared statements of src/db/sql.ts (the ORM's own statements carry
    // their values inline and are planned per statement anyway): PostgreSQL otherwise re-plans
    // the case page at every execution (1.2 ms) although its generic plan is the same index scan.
    driverOptions: { connection: { options: '-c plan_cache_mode=force_generic_plan' } },
    ...overrides,
  });
}

// Used by the MikroORM CLI (npm run migration:create).
export default ormConfig(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/voordeur');
