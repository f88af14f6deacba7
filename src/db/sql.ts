import { createHash } from 'node:crypto';
import type { EntityManager, Knex } from '@mikro-orm/postgresql';

/**
 * Hand-written SQL for the hot read paths, as named prepared statements with real parameters.
 *
 * `em.getConnection().execute()` formats every parameter into the SQL text (MikroORM's
 * `formatQuery`), so PostgreSQL parses and plans each statement anew and the API escapes every
 * value: a case page's query spent 1.2 ms planning, the audit insert's JSON was escaped
 * character by character. Here the text is fixed per call site, so each pooled connection parses
 * and plans it once, and values travel as parameters.
 *
 * Write `?` for each parameter (turned into `$1…$n`; no `?` may occur otherwise) and pass lists
 * as one array parameter: `x = any(?::uuid[])`, not `x in (?)`. Runs on the request's
 * EntityManager — inside its transaction when it has one — through MikroORM's own pool.
 */
interface Prepared {
  /** Undefined past MAX_NAMED_STATEMENTS: pg runs the text as an unnamed statement. */
  name: string | undefined;
  text: string;
}

const prepared = new Map<string, Prepared>();

/**
 * How many distinct statement texts get a name. The one-statement reads vary with the selection
 * (which nested objects, which columns: `omittedProps`), so a client could make up ever new
 * texts, and each named one stays prepared, with its plan, on every pooled connection for the
 * connection's life (and in this map for the process's). Past the bound a new text runs unnamed:
 * parsed and planned on every call — the same answer, only slower. The client contract's
 * operations need a few dozen.
 */
export const MAX_NAMED_STATEMENTS = 256;

/** `sql` as a named statement with `$1…$n` (also for code that runs it on pg directly: bench/floor.ts). */
export function prepare(sql: string): Prepared {
  const known = prepared.get(sql);
  if (known) return known;
  let n = 0;
  const text = sql.replace(/\?/g, () => `$${++n}`);
  if (prepared.size >= MAX_NAMED_STATEMENTS) return { name: undefined, text };
  // The name identifies the text: pg prepares it once per connection and reuses it after.
  const p = { name: `v_${createHash('sha1').update(text).digest('hex').slice(0, 24)}`, text };
  prepared.set(sql, p);
  return p;
}

/** The part of knex's client this needs: its pool (inside a transaction: the transaction's connection). */
interface ConnectionSource {
  acquireConnection(): Promise<{ query(config: { name?: string; text: string; values: readonly unknown[] }): Promise<{ rows: unknown[] }> }>;
  releaseConnection(connection: unknown): Promise<void>;
}

export async function sql<R = Record<string, unknown>>(em: EntityManager, text: string, params: readonly unknown[] = []): Promise<R[]> {
  const p = prepare(text);
  const runner = (em.getTransactionContext() as Knex.Transaction | undefined) ?? em.getKnex();
  // Straight to the pg connection of knex's pool (a transaction's client hands out the
  // transaction's connection and releases nothing): knex's raw builder and query runner around
  // a ready statement cost ~0.1 ms of API CPU per statement, a tenth of a small request.
  const source = runner.client as unknown as ConnectionSource;
  // knex's own 'query' event, as its runner would emit it (what statement counters listen to);
  // the text only, never the values.
  em.getKnex().emit('query', { method: 'raw', sql: p.text, bindings: [], options: { name: p.name } });
  const connection = await source.acquireConnection();
  try {
    return (await connection.query({ name: p.name, text: p.text, values: params })).rows as R[];
  } finally {
    await source.releaseConnection(connection);
  }
}
