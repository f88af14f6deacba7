import { z } from 'zod';
import { GRAPHQL_LIMIT_DEFAULTS as LIMITS } from './graphql-limits.js';

/**
 * All configuration comes from the environment and is validated once at start-up.
 * A bad value stops the process with a message naming the variable (see loadConfig).
 */
const DEV_JWT_SECRET = 'voordeur-dev-secret-change-me-in-production-please';
const DEV_BSN_KEY = 'voordeur-dev-bsn-key-0123456789abcdef0123456789abcdef';

const boolish = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

export const configSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: z.coerce.number().int().min(0).max(65535).default(4000),
    HOST: z.string().min(1).default('127.0.0.1'),
    DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
    EMBEDDED_PG_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
    EMBEDDED_PG_DIR: z.string().min(1).default('.data/postgres'),
    REDIS_URL: z.url({ protocol: /^rediss?$/ }).default('redis://127.0.0.1:6379'),
    JWT_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
    JWT_JWKS_URL: z.url().optional(),
    JWT_ISSUER: z.string().min(1).default('voordeur'),
    // With JWT_JWKS_URL: the identity provider's issuer and this hub's audience, checked when set
    // (a provider shared across the city issues tokens for other applications too).
    JWT_JWKS_ISSUER: z.string().min(1).optional(),
    JWT_AUDIENCE: z.string().min(1).optional(),
    JWT_TTL: z.string().regex(/^\d+[smhd]$/, 'must look like 30m, 8h or 7d').default('8h'),
    BSN_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
    // Unset: true, but false in production (a real database must not get the demo principals).
    SEED_DEMO: boolish.optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    DB_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
    // `--role api` only: how many API processes share the port (node:cluster); 0 = one per CPU.
    API_PROCESSES: z.coerce.number().int().min(0).max(64).default(1),
    // GraphQL defences; what each one means is in graphql-limits.ts and README.md.
    GRAPHQL_MAX_DEPTH: z.coerce.number().int().min(1).max(100).default(LIMITS.maxDepth),
    GRAPHQL_MAX_ALIASES: z.coerce.number().int().min(0).max(1000).default(LIMITS.maxAliases),
    GRAPHQL_MAX_COST: z.coerce.number().int().min(1).max(10_000_000).default(LIMITS.maxCost),
    GRAPHQL_MAX_TOKENS: z.coerce.number().int().min(1).max(1_000_000).default(LIMITS.maxTokens),
    GRAPHQL_MAX_DIRECTIVES: z.coerce.number().int().min(0).max(1000).default(LIMITS.maxDirectives),
    GRAPHQL_MAX_BODY_BYTES: z.coerce.number().int().min(1024).max(100_000_000).default(LIMITS.maxBodyBytes),
    RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).max(1_000_000).default(LIMITS.rateLimitPerMinute),
    // Benchmarks: count SQL statements per request and return them in the `x-sql-statements` header.
    SQL_COUNT_HEADER: boolish.default(false),
    // Partner integrations and jobs (DESIGN.md 5; README "Partner integrations and jobs").
    HUISARTS_URL: z.url({ protocol: /^https?$/ }).optional(),
    CORPORATION_URL: z.url({ protocol: /^https?$/ }).optional(),
    SIMULATORS: boolish.default(true),
    SIMULATOR_DEMO_INTERVAL_MS: z.coerce.number().int().min(0).max(86_400_000).default(20_000),
    HUISARTS_POLL_INTERVAL_MS: z.coerce.number().int().min(100).max(86_400_000).default(15_000),
    CORPORATION_POLL_INTERVAL_MS: z.coerce.number().int().min(100).max(86_400_000).default(15_000),
    POLL_PAGE_SIZE: z.coerce.number().int().min(1).max(1000).default(50),
    POLL_MAX_PAGES: z.coerce.number().int().min(1).max(10_000).default(20),
    PARTNER_TIMEOUT_MS: z.coerce.number().int().min(100).max(300_000).default(10_000),
    BULLMQ_PREFIX: z.string().regex(/^[\w:.-]{1,64}$/).default('voordeur'),
    RELAY_INTERVAL_MS: z.coerce.number().int().min(10).max(60_000).default(250),
    RELAY_BATCH_SIZE: z.coerce.number().int().min(1).max(1000).default(50),
    WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(5),
    JOB_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(20),
    JOB_BACKOFF_MS: z.coerce.number().int().min(1).max(3_600_000).default(1000),
    JOB_BACKOFF_MAX_MS: z.coerce.number().int().min(1).max(86_400_000).default(300_000),
    JOB_LOCK_MS: z.coerce.number().int().min(500).max(3_600_000).default(30_000),
    SHUTDOWN_GRACE_MS: z.coerce.number().int().min(0).max(600_000).default(15_000),
    CHECK_IN_REMINDER_CRON: z.string().min(1).default('0 7 * * *'),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && !env.JWT_SECRET && !env.JWT_JWKS_URL) {
      ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'JWT_SECRET or JWT_JWKS_URL is required in production' });
    }
    if (env.NODE_ENV === 'production' && !env.BSN_KEY) {
      ctx.addIssue({ code: 'custom', path: ['BSN_KEY'], message: 'BSN_KEY is required in production' });
    }
    // The development values are in this repository: with them anyone could sign tokens, or
    // decrypt the BSNs and reverse their look-up hashes.
    if (env.NODE_ENV === 'production' && env.JWT_SECRET === DEV_JWT_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'must not be the development secret in production' });
    }
    if (env.NODE_ENV === 'production' && env.BSN_KEY === DEV_BSN_KEY) {
      ctx.addIssue({ code: 'custom', path: ['BSN_KEY'], message: 'must not be the development key in production' });
    }
  });

export type Config = Omit<z.infer<typeof configSchema>, 'JWT_SECRET' | 'BSN_KEY' | 'SEED_DEMO'> & {
  JWT_SECRET: string;
  BSN_KEY: string;
  SEED_DEMO: boolean;
};

export class ConfigError extends Error {}

export function parseConfig(env: NodeJS.ProcessEnv): Config {
  // Empty strings mean "unset" (a common shape in .env files and CI settings).
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = configSchema.safeParse(cleaned);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return {
    ...result.data,
    JWT_SECRET: result.data.JWT_SECRET ?? DEV_JWT_SECRET,
    BSN_KEY: result.data.BSN_KEY ?? DEV_BSN_KEY,
    SEED_DEMO: result.data.SEED_DEMO ?? result.data.NODE_ENV !== 'production',
  };
}

let cached: Config | undefined;

/** Loads and caches the configuration; exits the process with a clear message on a bad value. */
export function loadConfig(): Config {
  if (cached) return cached;
  try {
    cached = parseConfig(process.env);
    return cached;
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw e;
  }
}
