import { isObjectType, type GraphQLFieldResolver, type GraphQLSchema } from 'graphql';
import { getMetadataStorage } from 'type-graphql';

/**
 * type-graphql calls a `@FieldResolver` method through a generic wrapper: per call it looks the
 * resolver instance up in its container (a linear search), sorts and maps the parameter list,
 * and runs an (empty) middleware chain. On TeamCases that is 250 calls per page (coordinator,
 * household, address, members, latestZrm of 50 cases) and showed as a tenth of the API's time.
 *
 * For the plain case — parameters only `@Root()`, `@Ctx()` and `@Info()`, no middlewares, no
 * roles — this replaces the wrapper with a direct call of the method on one instance, with the
 * parameters in their declared order. The root is passed as it is: type-graphql would copy it
 * into an instance of the parameter's class only where decorator metadata is emitted (vitest's
 * transform does; tsx and `npm run build` do not, so production never did), and these methods
 * read properties. Everything else (arguments, validation, middlewares) keeps type-graphql's
 * resolver. Run it on the built schema before the permission guard wraps the fields.
 */

interface ParamMetadata {
  kind: string;
  index: number;
  propertyName?: string;
}

interface FieldResolverMetadata {
  kind: string;
  target: new () => Record<string, (...args: unknown[]) => unknown>;
  methodName: string;
  schemaName: string;
  params?: ParamMetadata[];
  middlewares?: unknown[];
  roles?: unknown[];
  getObjectType?: () => Function;
}

type Pick = (root: unknown, ctx: unknown, info: unknown) => unknown;

function picker(p: ParamMetadata): Pick | null {
  if (p.propertyName) return null;
  if (p.kind === 'root') return (root) => root;
  if (p.kind === 'context') return (_root, ctx) => ctx;
  if (p.kind === 'info') return (_root, _ctx, info) => info;
  return null;
}

function direct(method: (...args: unknown[]) => unknown, instance: object, params: ParamMetadata[]): GraphQLFieldResolver<unknown, unknown> | null {
  const picks = [...params].sort((a, b) => a.index - b.index).map(picker);
  if (picks.some((p) => p === null)) return null;
  const [a, b, c] = picks as Pick[];
  // The common arities without an argument array.
  if (picks.length === 1) return (root, _args, ctx, info) => method.call(instance, a!(root, ctx, info));
  if (picks.length === 2) return (root, _args, ctx, info) => method.call(instance, a!(root, ctx, info), b!(root, ctx, info));
  if (picks.length === 3) return (root, _args, ctx, info) => method.call(instance, a!(root, ctx, info), b!(root, ctx, info), c!(root, ctx, info));
  return null;
}

/** Replaces the plain field resolvers of `schema` (in place); returns them as `Type.field`. */
export function useDirectFieldResolvers(schema: GraphQLSchema): string[] {
  const storage = getMetadataStorage() as unknown as {
    fieldResolvers: FieldResolverMetadata[];
    objectTypes: { target: Function; name: string }[];
    globalMiddlewares?: unknown[];
  };
  const typeName = new Map(storage.objectTypes.map((o) => [o.target, o.name]));
  const instances = new Map<Function, object>();
  const replaced: string[] = [];
  for (const meta of storage.fieldResolvers) {
    if (meta.kind !== 'external' || meta.middlewares?.length || meta.roles?.length || !meta.params || !meta.getObjectType) continue;
    const name = typeName.get(meta.getObjectType());
    const type = name ? schema.getType(name) : undefined;
    if (!isObjectType(type)) continue;
    const field = type.getFields()[meta.schemaName];
    if (!field) continue;
    let instance = instances.get(meta.target);
    if (!instance) instances.set(meta.target, (instance = new meta.target()));
    const method = (instance as Record<string, unknown>)[meta.methodName];
    if (typeof method !== 'function') continue;
    const resolve = direct(method as (...args: unknown[]) => unknown, instance, meta.params);
    if (!resolve) continue;
    field.resolve = resolve;
    replaced.push(`${type.name}.${field.name}`);
  }
  return replaced;
}
