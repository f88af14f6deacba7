/**
 * Every GraphQL-level limit of the hub, in one place. Each one can be overridden by the
 * environment variable named beside it (validated in config.ts); README.md's configuration
 * table lists them.
 *
 * The defaults leave room for every operation of the client contract (../shared/contract),
 * which is sent as a whole file with an operationName, so limits apply to the whole document:
 * the largest contract file (team.graphql) has ~820 tokens, depth 6, no aliases and no
 * directives. Its costliest operation, TeamCases, costs ~14,300 when its page size is written
 * as a literal `first: 100` (the maximum page size; a variable does not multiply).
 *
 * Imports no runtime code (config.ts reads the defaults from here).
 */
import type { ApolloArmor } from '@escape.tech/graphql-armor';
import type { ParseOptions } from 'graphql';
import type { Config } from './config.js';

export const GRAPHQL_LIMIT_DEFAULTS = {
  /** GRAPHQL_MAX_DEPTH: deepest selection nesting of an operation (fragments count as a level). */
  maxDepth: 10,
  /** GRAPHQL_MAX_ALIASES: aliases per operation (`__typename` aliases are free). */
  maxAliases: 15,
  /**
   * GRAPHQL_MAX_COST: graphql-armor's static cost per operation: 1 per scalar, 2 per object,
   * children weighted ×1.5 per level, a literal `first:`/`last:` multiplies its subtree.
   * Lets one full page (100) of any contract list through; refuses pages nested in pages.
   */
  maxCost: 25_000,
  /** GRAPHQL_MAX_TOKENS: lexical tokens of the whole document (all operations and fragments). */
  maxTokens: 2000,
  /** GRAPHQL_MAX_DIRECTIVES: directives per operation. */
  maxDirectives: 20,
  /** GRAPHQL_MAX_BODY_BYTES: request body size; larger bodies get HTTP 413. */
  maxBodyBytes: 1_000_000,
  /** RATE_LIMIT_PER_MINUTE: GraphQL requests per principal (or client IP) per minute; 0 switches it off. */
  rateLimitPerMinute: 600,
} as const;

export interface GraphqlLimits {
  maxDepth: number;
  maxAliases: number;
  maxCost: number;
  maxTokens: number;
  maxDirectives: number;
  maxBodyBytes: number;
  rateLimitPerMinute: number;
}

/** The limits in force for this configuration. */
export function graphqlLimits(config: Config): GraphqlLimits {
  return {
    maxDepth: config.GRAPHQL_MAX_DEPTH,
    maxAliases: config.GRAPHQL_MAX_ALIASES,
    maxCost: config.GRAPHQL_MAX_COST,
    maxTokens: config.GRAPHQL_MAX_TOKENS,
    maxDirectives: config.GRAPHQL_MAX_DIRECTIVES,
    maxBodyBytes: config.GRAPHQL_MAX_BODY_BYTES,
    rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE,
  };
}

export type ArmorOptions = NonNullable<ConstructorParameters<typeof ApolloArmor>[0]>;

/**
 * graphql-armor's settings. Its rules run during validation, so a rejected document never
 * reaches a resolver; they report a GraphQLError that Apollo answers with HTTP 400 and
 * errors-format.ts maps to BAD_USER_INPUT. Field suggestions ("Did you mean ...") are hidden
 * in every environment: they let a client map the schema with introspection switched off.
 */
export function armorOptions(limits: GraphqlLimits): ArmorOptions {
  return {
    maxDepth: { enabled: true, n: limits.maxDepth, ignoreIntrospection: true, flattenFragments: false },
    maxAliases: { enabled: true, n: limits.maxAliases },
    costLimit: { enabled: true, maxCost: limits.maxCost, ignoreIntrospection: true },
    // Counted by graphql-js's own parser instead (parseOptions below): armor's Apollo plugin
    // throws from parsingDidStart, which Apollo answers with HTTP 500.
    maxTokens: { enabled: false },
    maxDirectives: { enabled: true, n: limits.maxDirectives },
    blockFieldSuggestion: { enabled: true, mask: '' },
  };
}

/**
 * Options for Apollo's parser: graphql-js stops at `maxTokens` with a syntax error
 * (GRAPHQL_PARSE_FAILED, HTTP 400, mapped to BAD_USER_INPUT) before building the document.
 */
export function parseOptions(limits: GraphqlLimits): ParseOptions {
  return { maxTokens: limits.maxTokens };
}
