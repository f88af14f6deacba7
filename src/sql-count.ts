/**
 * SQL statements per request, for benchmarks (SQL_COUNT_HEADER=1; off by default).
 *
 * When enabled, pg's Client#query is wrapped once per process: every statement sent while a
 * request's AsyncLocalStorage store is active (the request's own async context: resolvers,
 * DataLoaders, the audit flush) increments that request's counter, and src/server.ts returns
 * it in the `x-sql-statements` response header. Statements of other requests, started in
 * their own contexts, are not counted.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';

export const SQL_COUNT_HEADER = 'x-sql-statements';

const store = new AsyncLocalStorage<{ statements: number }>();
let installed = false;

function install(): void {
  if (installed) return;
  installed = true;
  const proto = pg.Client.prototype as unknown as { query: (...args: unknown[]) => unknown };
  const original = proto.query;
  proto.query = function countedQuery(this: unknown, ...args: unknown[]) {
    const counter = store.getStore();
    if (counter) counter.statements++;
    return original.apply(this, args);
  };
}

/** Runs `fn` with a fresh statement counter; `counter.statements` is read after it settles. */
export function withSqlCounter<T>(fn: (counter: { statements: number }) => Promise<T>): Promise<T> {
  install();
  const counter = { statements: 0 };
  return store.run(counter, () => fn(counter));
}
