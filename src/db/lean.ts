import { ReferenceKind, type EntityClass, type EntityMetadata } from '@mikro-orm/core';
import type { EntityManager, FilterQuery, QueryOrderMap } from '@mikro-orm/postgresql';
import { getMetadataStorage } from 'type-graphql';
import type { OperationFields } from '../modules/common/selection.js';

/**
 * Lean reads for hot GraphQL paths: the same FilterQuery (so the same scope filters) as
 * `em.find`, but the rows come back as plain objects instead of managed entities — no
 * EntityFactory, identity map or unit of work. Scalars get their entity property names and
 * JS types (MikroORM's compiled result mapper: datetimes become Date, json is parsed), and
 * every owning to-one relation becomes `{ id }` (or null), which is all a field resolver
 * reads of it (`c.household.id`). Lazy properties (e.g. encrypted BSNs) are not selected,
 * as with `em.find`.
 *
 * Filters must be on the entity's own columns (ids, FKs, scalars): a condition through a
 * relation (`{ case: scope.cases() }`) auto-joins, and the joined row then breaks the mapping
 * of that relation — write such queries as SQL with `caseSql`/`residentSql` and `leanRows`.
 *
 * The objects are typed as the entity for the resolvers' sake; never persist or mutate them.
 * Mutations keep loading real entities through the EntityManager.
 */
type Column = { name: string; ref: boolean };
const columnsCache = new WeakMap<EntityMetadata, Column[]>();

function leanColumns(meta: EntityMetadata): Column[] {
  let cols = columnsCache.get(meta);
  if (!cols) {
    cols = [];
    for (const prop of meta.props) {
      if (prop.lazy || prop.persist === false || prop.formula || prop.embedded) continue;
      if (prop.kind === ReferenceKind.SCALAR || prop.kind === ReferenceKind.EMBEDDED) cols.push({ name: prop.name, ref: false });
      else if (prop.kind === ReferenceKind.MANY_TO_ONE || (prop.kind === ReferenceKind.ONE_TO_ONE && prop.owner)) {
        cols.push({ name: prop.name, ref: true });
      }
    }
    columnsCache.set(meta, cols);
  }
  return cols;
}

export interface LeanOptions<T> {
  orderBy?: QueryOrderMap<T>;
  limit?: number;
}

export async function leanFind<T extends object>(
  em: EntityManager,
  entity: EntityClass<T>,
  where: FilterQuery<T>,
  options: LeanOptions<T> = {},
): Promise<T[]> {
  const meta = em.getMetadata().get<T>(entity.name);
  const cols = leanColumns(meta as EntityMetadata);
  const qb = em
    .createQueryBuilder(entity, 'e')
    .select(cols.map((c) => `e.${c.name}`) as never)
    .where(where);
  if (options.orderBy) qb.orderBy(options.orderBy);
  if (options.limit !== undefined) qb.limit(options.limit);
  const rows = (await qb.execute('all', true)) as Record<string, unknown>[];
  for (const row of rows) {
    for (const c of cols) {
      if (!c.ref) continue;
      const v = row[c.name];
      row[c.name] = v === null || v === undefined ? null : { id: v };
    }
  }
  return rows as T[];
}

/** How a raw column becomes its lean property (the cases MikroORM's result mapper handles for our types). */
interface RawColumn {
  name: string;
  field: string;
  kind: 'ref' | 'date' | 'boolean' | 'plain';
}
/** Computed once per entity, by rowMapper (which is cached). */
function rawColumns(meta: EntityMetadata): RawColumn[] {
  return leanColumns(meta).map((c) => {
    const prop = meta.properties[c.name as never] as { fieldNames: string[]; runtimeType?: string };
    const kind = c.ref ? 'ref' : prop.runtimeType === 'Date' ? 'date' : prop.runtimeType === 'boolean' ? 'boolean' : 'plain';
    return { name: c.name, field: prop.fieldNames[0]!, kind };
  });
}

/**
 * Plain objects from raw rows of `entity`'s table (column names as selected by `e.*`, or the
 * parsed objects of `leanJsonObject`), as leanFind returns them. A direct mapping per column
 * instead of the driver's `mapResult` (which builds a mapped copy first): the same values
 * (tests/integration/lean.test.ts compares both for every entity), at a fraction of the cost
 * on pages of a few hundred objects.
 */
export function leanRows<T extends object>(
  em: EntityManager,
  entity: EntityClass<T>,
  rows: Record<string, unknown>[],
  /** The properties the read left out (`omittedProps`): outside production, reading one throws. */
  omitted: ReadonlySet<string> = NONE,
): T[] {
  const map = rowMapper(em.getMetadata().get<T>(entity.name) as EntityMetadata);
  const out = new Array<T>(rows.length);
  const guard = GUARD_OMITTED && omitted.size > 0;
  for (let i = 0; i < rows.length; i++) out[i] = (guard ? guarded(map(rows[i]!), entity.name, omitted) : map(rows[i]!)) as T;
  return out;
}

const NONE: ReadonlySet<string> = new Set();

/**
 * Outside production an object read without some of its columns throws when code reads one of
 * them, instead of seeing `undefined`: a field resolver, a cursor or a service that needs a
 * column the read left out fails every test that reaches it, rather than answering null.
 * Production gets the plain object (a Proxy on every nested object of a page costs time).
 */
const GUARD_OMITTED = process.env.NODE_ENV !== 'production';

function guarded(row: Record<string, unknown>, entity: string, omitted: ReadonlySet<string>): Record<string, unknown> {
  // Not even present: a whole-object copy (type-graphql's conversion of a `@Root()` argument into
  // its class, where decorator metadata is emitted, as under vitest) copies only what is there.
  for (const key of omitted) delete row[key];
  return new Proxy(row, {
    get(target, key, receiver) {
      if (typeof key === 'string' && omitted.has(key)) {
        throw new Error(`${entity}.${key} was left out of this read (omittedProps): select it, or keep it`);
      }
      return Reflect.get(target, key, receiver);
    },
  });
}

type RowMapper = (raw: Record<string, unknown>) => Record<string, unknown>;
const rowMappers = new WeakMap<EntityMetadata, RowMapper>();

/** pg hands timestamps over as Date; inside JSON they are ISO strings. */
function toDate(v: unknown): Date | null | undefined {
  return v === null || v === undefined ? (v as null | undefined) : v instanceof Date ? v : new Date(v as string);
}

/**
 * One function per entity that builds the lean object as a single object literal: every object
 * of a page gets the same shape at once, instead of a property added per column in a loop (the
 * loop was the largest self time of TeamCases after JSON.stringify). Generated from the
 * entity's metadata only — property and column names, never data.
 */
function rowMapper(meta: EntityMetadata): RowMapper {
  let map = rowMappers.get(meta);
  if (!map) {
    const q = JSON.stringify;
    const body = rawColumns(meta)
      .map((c) => {
        const v = `raw[${q(c.field)}]`;
        const value =
          c.kind === 'plain'
            ? v
            : c.kind === 'ref'
              ? `(${v} === null || ${v} === undefined ? null : { id: ${v} })`
              : c.kind === 'boolean'
                ? `(${v} === null || ${v} === undefined ? ${v} : !!${v})`
                : `toDate(${v})`;
        return `${q(c.name)}: ${value}`;
      })
      .join(',\n');
    map = new Function('toDate', `return function leanRow(raw) { return {\n${body}\n}; };`)(toDate) as RowMapper;
    rowMappers.set(meta, map);
  }
  return map;
}

/** The same as `leanRows`, through MikroORM's own result mapper: the reference the tests hold it to. */
export function leanRowsByDriver<T extends object>(em: EntityManager, entity: EntityClass<T>, rows: Record<string, unknown>[]): T[] {
  const meta = em.getMetadata().get<T>(entity.name) as EntityMetadata;
  const cols = leanColumns(meta);
  const driver = em.getDriver();
  return rows.map((raw) => {
    const row = driver.mapResult(raw as never, meta as never) as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const c of cols) {
      const v = row[c.name];
      out[c.name] = c.ref ? (v === null || v === undefined ? null : { id: v }) : v;
    }
    return out as T;
  });
}

/**
 * The bookkeeping timestamps of BaseEntity are left out of the one-statement reads
 * (`leanJsonObject`, `leanSelect`) unless the entity's GraphQL type shows them (CaseNote's
 * `createdAt`, Referral's `updatedAt`): no field reads them there, and a page of cases carried
 * ~400 of them — PostgreSQL formats each one, the API parses each one into a Date (round 5 of
 * the README's benchmark section). Such an object has them `undefined`; the loaders' own reads
 * (`leanFind`, `leanRows` of `x.*`) keep every column.
 */
const BOOKKEEPING = ['createdAt', 'updatedAt'];

function shownByGraphQL(meta: EntityMetadata, property: string): boolean {
  const storage = getMetadataStorage();
  return (
    storage.fields.some((f) => f.target === meta.class && f.name === property) ||
    storage.fieldResolvers.some((r) => r.getObjectType?.() === meta.class && r.schemaName === property)
  );
}

const readPropsCache = new WeakMap<EntityMetadata, EntityMetadata['props']>();

/** The properties a one-statement read selects: the lean columns but unshown bookkeeping. */
function readProps(meta: EntityMetadata): EntityMetadata['props'] {
  let props = readPropsCache.get(meta);
  if (!props) {
    const names = new Set(leanColumns(meta).map((c) => c.name));
    props = meta.props.filter((p) => names.has(p.name) && (!BOOKKEEPING.includes(p.name) || shownByGraphQL(meta, p.name)));
    readPropsCache.set(meta, props);
  }
  return props;
}

/** The properties a one-statement read of `entity` leaves out (its unshown bookkeeping). */
export function omittedFromReads(em: EntityManager, entity: EntityClass<object>): string[] {
  const meta = em.getMetadata().get(entity.name) as EntityMetadata;
  const kept = new Set(readProps(meta).map((p) => p.name));
  return leanColumns(meta).map((c) => c.name).filter((n) => !kept.has(n));
}

/** `alias."col", …`: the select list of a one-statement read of `entity` (instead of `alias.*`), but `omitted` properties. */
export function leanSelect(em: EntityManager, entity: EntityClass<object>, alias: string, omitted: ReadonlySet<string> = NONE): string {
  return readProps(em.getMetadata().get(entity.name) as EntityMetadata)
    .filter((p) => !omitted.has(p.name))
    .flatMap((p) => p.fieldNames.map((f) => `${alias}."${f}"`))
    .join(', ');
}

const omittedCache = new WeakMap<OperationFields, Map<string, ReadonlySet<string>>>();

/** What a field resolver reads of its root: plain properties, or the root seen as another type. */
export type FieldReads = readonly string[] | { readonly as: string; readonly props: readonly string[] };

/** Per entity: its GraphQL type's field resolvers, with what each reads of the entity (fieldResolverReads). */
const declaredReads = new Map<Function, Map<string, FieldReads>>();

/**
 * Lets the one-statement reads leave columns of `entity` out (`omittedProps`; an entity not
 * declared here is always read whole), and says what the field resolvers of its GraphQL type read
 * of it. Declaring an entity is a promise about all code that gets its lean objects, from the
 * reads or from the loaders they prime: it reads them only through the fields of the entity's own
 * GraphQL type and these resolvers (a team is not declared: the informal-care `area` reads a
 * team's name for another type's field). Per resolver, what it reads beyond the primary key and
 * relations (which every read keeps): `[]` for a resolver that follows ids only,
 * a list of properties for one that computes from them (`daysToFirstContact` reads two dates), or
 * `{ as, props }` for one that answers with the entity itself seen as GraphQL type `as`, whose
 * fields of the same names read `props` (a household's `address`). `omittedProps` keeps what a
 * selected resolver reads; when the operation selects a resolver of the type that is not
 * declared here, it keeps every column of the type, as such a resolver may read any of them.
 * Declare next to the resolvers; `tests/integration/read-columns.test.ts` checks that every name
 * is a field resolver of the type.
 */
export function fieldResolverReads(entity: Function, reads: Record<string, FieldReads>): void {
  const map = declaredReads.get(entity) ?? new Map<string, FieldReads>();
  for (const [field, what] of Object.entries(reads)) map.set(field, what);
  declaredReads.set(entity, map);
}

/** The declarations of `fieldResolverReads`, for the test that holds them to the schema. */
export function declaredFieldResolverReads(): ReadonlyMap<Function, ReadonlyMap<string, FieldReads>> {
  return declaredReads;
}

/**
 * The properties of `entity` that a one-statement read for this operation can leave out: plain
 * scalar properties shown only by the same-named GraphQL field of the entity's type, or only
 * through field resolvers declared with `fieldResolverReads` to read them, that no part of the operation
 * selects (`operationFields`: the whole operation, so an object primed into a loader has what any
 * other part of the operation reads of it), and hidden properties that nothing shows (a BSN's
 * look-up hash). Never the primary key or a relation (resolvers and scopes follow ids), never
 * another property without a field (code may read it), never what a selected field resolver
 * reads (nothing at all when the operation selects one that is not declared), never `keep`
 * (what the read itself needs, such as a keyset cursor's column). Less parsing and less data out
 * of the database: a page of cases no longer carries every case's reason or every member's phone
 * when the list shows neither. `leanRows` with the same set guards the objects outside production.
 */
export function omittedProps(em: EntityManager, entity: EntityClass<object>, fields: OperationFields, keep: readonly string[] = []): ReadonlySet<string> {
  let byEntity = omittedCache.get(fields);
  if (!byEntity) omittedCache.set(fields, (byEntity = new Map()));
  const cacheKey = `${entity.name}\u0000${keep.join(',')}`;
  let omitted = byEntity.get(cacheKey);
  if (omitted) return omitted;
  byEntity.set(cacheKey, (omitted = computeOmitted(em.getMetadata().get(entity.name) as EntityMetadata, fields, keep)));
  return omitted;
}

/** `readonly string[]` does not narrow through Array.isArray. */
const isPropertyList = (reads: FieldReads): reads is readonly string[] => Array.isArray(reads);

function computeOmitted(meta: EntityMetadata, fields: OperationFields, keep: readonly string[]): ReadonlySet<string> {
  const declared = declaredReads.get(meta.class);
  if (!declared) return NONE;
  const storage = getMetadataStorage();
  const typeName = storage.objectTypes.find((t) => t.target === meta.class)?.name;
  const selected = (typeName && fields.get(typeName)) || NONE;
  const resolvers = new Set(storage.fieldResolvers.filter((r) => r.getObjectType?.() === meta.class).map((r) => r.schemaName));
  // What the selected field resolvers read; an undeclared one may read anything.
  const kept = new Set(keep);
  for (const name of resolvers) {
    if (!selected.has(name)) continue;
    const reads = declared.get(name);
    if (!reads) return NONE;
    if (isPropertyList(reads)) for (const p of reads) kept.add(p);
    else for (const p of reads.props) if (fields.get(reads.as)?.has(p)) kept.add(p);
  }
  // Properties without a plain field of their own that declared resolvers read (a household's
  // address columns, a resident's bsnLast4): left out unless a selected resolver keeps them.
  const shownThrough = new Set([...declared.values()].flatMap((r) => (isPropertyList(r) ? r : r.props)));
  const out = new Set<string>();
  for (const p of readProps(meta)) {
    if (p.primary || p.kind !== ReferenceKind.SCALAR || kept.has(p.name)) continue;
    // The GraphQL field that shows this property as it is (a plain field, no resolver of its own).
    const field = storage.fields.find((f) => f.target === meta.class && f.name === p.name);
    if (field) {
      if (!resolvers.has(field.schemaName) && !selected.has(field.schemaName)) out.add(p.name);
    } else if (shownThrough.has(p.name) || p.hidden) {
      out.add(p.name);
    }
  }
  return out;
}

/**
 * `json_build_object(…)` of `entity`'s columns as a one-statement read selects them (`leanSelect`)
 * from table alias `alias`, keyed by column name (as `alias.*` would name them), plus `extra`
 * pairs; `leanRows` turns the parsed object into the same plain object as a row of `alias.*`
 * (datetimes from their JSON strings included). For nesting rows of another table into one
 * statement without carrying lazy columns along.
 */
const jsonPairsCache = new Map<string, string>();

export function leanJsonObject(
  em: EntityManager,
  entity: EntityClass<object>,
  alias: string,
  extra: Record<string, string> = {},
  omitted: ReadonlySet<string> = NONE,
): string {
  const cacheKey = `${entity.name}\u0000${alias}\u0000${[...omitted].join(',')}`;
  let base = jsonPairsCache.get(cacheKey);
  if (base === undefined) {
    const meta = em.getMetadata().get(entity.name) as EntityMetadata;
    // Numbers that the driver hands over as strings (numeric, bigint) stay strings: as text in the JSON.
    const asText = (p: EntityMetadata['props'][number]) => /^(numeric|decimal|bigint)/i.test(p.columnTypes?.[0] ?? '');
    base = readProps(meta)
      .filter((p) => !omitted.has(p.name))
      .flatMap((p) => p.fieldNames.map((f) => `'${f}', ${alias}."${f}"${asText(p) ? '::text' : ''}`))
      .join(', ');
    jsonPairsCache.set(cacheKey, base);
  }
  const more = Object.entries(extra).map(([key, expr]) => `, '${key}', ${expr}`).join('');
  return `json_build_object(${base}${more})`;
}
