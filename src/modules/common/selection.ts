import { isAbstractType, TypeInfo, valueFromASTUntyped, visit, visitWithTypeInfo, type GraphQLResolveInfo, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';

/**
 * The dotted paths of the fields a resolver's selection set asks for (below the resolved field,
 * through inline fragments and fragment spreads; aliases ignored), e.g. `edges.node.household.members`.
 * Used by look-ahead prefetches to load only what the query will read (and audit only that).
 */
export function selectedPaths(info: GraphQLResolveInfo, maxDepth = 4): Set<string> {
  const out = new Set<string>();
  const walk = (set: SelectionSetNode | undefined, prefix: string, depth: number) => {
    if (!set || depth > maxDepth) return;
    for (const sel of set.selections) {
      // A field under @skip/@include is left to its resolver (no prefetch, no audit ahead of time).
      if (sel.directives?.length) continue;
      if (sel.kind === 'Field') {
        const path = prefix ? `${prefix}.${sel.name.value}` : sel.name.value;
        out.add(path);
        walk(sel.selectionSet, path, depth + 1);
      } else if (sel.kind === 'InlineFragment') {
        walk(sel.selectionSet, prefix, depth);
      } else {
        walk(info.fragments[sel.name.value]?.selectionSet, prefix, depth);
      }
    }
  };
  for (const node of info.fieldNodes) walk(node.selectionSet, '', 1);
  return out;
}

/**
 * The arguments of every occurrence of the field at dotted `path` below the resolved field
 * (through fragments, as `selectedPaths`; none under @skip/@include), as plain values with the
 * request's variables filled in. For look-aheads that must load exactly what a field's own
 * resolver would (e.g. the same page of notes).
 */
export function selectedArguments(info: GraphQLResolveInfo, path: string): Record<string, unknown>[] {
  const names = path.split('.');
  const out: Record<string, unknown>[] = [];
  const walk = (set: SelectionSetNode | undefined, depth: number) => {
    if (!set) return;
    for (const sel of set.selections) {
      if (sel.directives?.length) continue;
      if (sel.kind === 'Field') {
        if (sel.name.value !== names[depth]) continue;
        if (depth === names.length - 1) {
          const args: Record<string, unknown> = {};
          for (const arg of sel.arguments ?? []) args[arg.name.value] = valueFromASTUntyped(arg.value, info.variableValues);
          out.push(args);
        } else {
          walk(sel.selectionSet, depth + 1);
        }
      } else if (sel.kind === 'InlineFragment') {
        walk(sel.selectionSet, depth);
      } else {
        walk(info.fragments[sel.name.value]?.selectionSet, depth);
      }
    }
  };
  for (const node of info.fieldNodes) walk(node.selectionSet, 0);
  return out;
}

/** Per GraphQL object type name: the names of the fields selected on it (see `operationFields`). */
export type OperationFields = ReadonlyMap<string, ReadonlySet<string>>;

const operationFieldsCache = new WeakMap<OperationDefinitionNode, OperationFields>();

/**
 * Every field the whole operation selects anywhere, per object type: through fragments (every
 * fragment of the document, used or not), aliases ignored, and regardless of @skip/@include (so
 * it never says less than a request could read). A field selected on an interface or union
 * counts for each of its object types. The reads that leave columns out (`omittedProps` in
 * src/db/lean.ts) use it: an object primed into a request's loaders then carries every field
 * that any part of the operation may ask of it, not only the part that read it. The answer
 * depends on the document only, so it is computed once per parsed operation (Apollo keeps the
 * parsed documents of repeated queries).
 */
export function operationFields(info: GraphQLResolveInfo): OperationFields {
  let fields = operationFieldsCache.get(info.operation);
  if (fields) return fields;
  const out = new Map<string, Set<string>>();
  const add = (type: string, field: string) => {
    let set = out.get(type);
    if (!set) out.set(type, (set = new Set()));
    set.add(field);
  };
  const typeInfo = new TypeInfo(info.schema);
  const visitor = visitWithTypeInfo(typeInfo, {
    Field(node) {
      const parent = typeInfo.getParentType();
      if (!parent) return;
      const types = isAbstractType(parent) ? info.schema.getPossibleTypes(parent) : [parent];
      for (const type of types) add(type.name, node.name.value);
    },
  });
  visit(info.operation, visitor);
  for (const fragment of Object.values(info.fragments)) visit(fragment, visitor);
  fields = out;
  operationFieldsCache.set(info.operation, fields);
  return fields;
}
