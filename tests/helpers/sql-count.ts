/**
 * Counts the SQL statements an ORM instance sends (knex's 'query' event fires once per
 * statement, raw SQL, ORM queries and transaction statements alike):
 *
 *   const counter = countSql(hub.db.orm);
 *   counter.reset(); await hub.gql(...); expect(counter.count).toBe(…);
 *   counter.stop();
 */
import type { MikroORM } from '@mikro-orm/postgresql';

export interface SqlCounter {
  readonly count: number;
  /** The statements since the last reset (SQL text only, no bindings). */
  readonly statements: readonly string[];
  reset(): void;
  stop(): void;
}

export function countSql(orm: MikroORM): SqlCounter {
  const knex = orm.em.getConnection().getKnex();
  const statements: string[] = [];
  const listener = (q: { sql?: string }) => {
    statements.push(q.sql ?? '');
  };
  knex.on('query', listener);
  return {
    get count() {
      return statements.length;
    },
    get statements() {
      return statements;
    },
    reset() {
      statements.length = 0;
    },
    stop() {
      knex.removeListener('query', listener);
    },
  };
}
