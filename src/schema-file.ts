import { lexicographicSortSchema, printSchema } from 'graphql';
import { buildBareSchema } from './schema.js';

const HEADER = '# Generated from the code by `npm run schema`. Do not edit by hand.\n\n';

/** The SDL checked in as schema.graphql, sorted so diffs stay small. */
export async function renderSchema(): Promise<string> {
  return HEADER + printSchema(lexicographicSortSchema(await buildBareSchema())) + '\n';
}
