import type { GraphQLResolveInfo, SelectionSetNode } from 'graphql';

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
