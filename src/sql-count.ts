/**
 * SQL statements per request, for benchmarks (SQL_COUNT_HEADER=1; off by default).
 *
 * When enabled, a request that asks for it (request header `x-sql-count: 1`) is counted: pg's
 * Client#query is wrapped once per process, and every statement sent while that request's
 * AsyncLocalStorage store is active (the request's own async context: resolvers, DataLoaders,
 * the audit flush) increments its counter, which src/server.ts returns in the
 * `x-sql-statements` response header. Statements of other requests, started in their own
 * contexts, are not counted.
 *
 * Only requests that ask are counted, and the store is disabled again when the last of them
 * has finished, because an enabled AsyncLocalStorage installs Node's async hooks for the whole
 * process: every promise of every request then pays for them (about 0.1 ms of API CPU per
 * TeamCases request, README, Performance). The benchmark asks on one probe request per
 * scenario and measures the load without it, as the API runs in production.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';

export const SQL_COUNT_HEADER = 'x-sql-statements';
/** The request header that asks for a count (honoured only when SQL_COUNT_HEADER is on). */
export const SQL_COUNT_REQUEST_HEADER = 'x-sql-count';

const store = new AsyncLocalStorage<{ statements: number }>();
let installed = false;
let counting = 0;

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

/** Does this request ask for its statements to be counted? */
export function wantsSqlCount(headers: { [name: string]: string | string[] | undefined }): boolean {
  return headers[SQL_COUNT_REQUEST_HEADER] === '1';
}

/** Whether the counter's async context tracking is on (only while a counted request runs). */
export function sqlCountingActive(): boolean {
  return counting > 0;
}

/** Runs `fn` with a fresh statement counter; `counter.statements` is read after it settles. */
export async function withSqlCounter<T>(fn: (counter: { statements: number }) => Promise<T>): Promise<T> {
  install();
  const counter = { statements: 0 };
  counting++;
  try {
    return await store.run(counter, () => fn(counter));
  } finally {
    // The last counted request is done: switch the async hooks off again (run() turns them on).
    if (--counting === 0) store.disable();
  }
}
