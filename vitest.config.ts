import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

/**
 * `npm test` finds PostgreSQL and Redis itself (tests/helpers/global-setup.ts) and gives
 * every test file its own database (tests/helpers/db.ts), so files run in parallel.
 */
export default defineConfig({
  resolve: {
    // graphql 16 ships both index.js and index.mjs. Node loads index.js for type-graphql and
    // graphql-shield; vite would hand our own files index.mjs, and two copies of graphql
    // break its instanceof checks ("Cannot determine GraphQL output type"). One copy only.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  test: {
    include: ['tests/**/*.test.ts'],
    globalSetup: ['tests/helpers/global-setup.ts'],
    pool: 'forks',
    // CI has 2 cores; test files mostly wait on PostgreSQL, so one extra worker keeps
    // both cores busy without starving the database server.
    maxWorkers: 3,
    testTimeout: 30_000,
    hookTimeout: 120_000,
    teardownTimeout: 60_000,
    env: {
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
    },
  },
});
