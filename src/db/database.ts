import { MikroORM } from '@mikro-orm/postgresql';
import { ormConfig } from './orm.config.js';

export type Orm = MikroORM;

export async function initOrm(url: string, poolMax = 10): Promise<Orm> {
  return MikroORM.init(ormConfig(url, { pool: { min: 0, max: poolMax } }));
}

/** Applies pending migrations; returns the names of the ones applied. */
export async function migrate(orm: Orm): Promise<string[]> {
  const applied = await orm.getMigrator().up();
  return applied.map((m) => m.name);
}
