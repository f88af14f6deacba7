/**
 * The hub over real HTTP on a loopback port, on a database of its own:
 *
 *   let hub: TestHub;
 *   beforeAll(async () => { hub = await startTestHub(); });
 *   afterAll(async () => { await hub?.stop(); });
 *   const res = await hub.gql(query, variables, await hub.tokenFor(staff));
 */
import { existsSync, readFileSync } from 'node:fs';
import { Kind, parse, print, type OperationDefinitionNode } from 'graphql';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Redis } from 'ioredis';
import { parseConfig, type Config } from '../../src/config.js';
import { createApp, type App } from '../../src/server.js';
import { signToken } from '../../src/auth/jwt.js';
import { createTestDatabase, type TestDatabase } from './db.js';

export interface GqlResponse<T = Record<string, any>> {
  status: number;
  data: T | null | undefined;
  errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string; [k: string]: unknown } }[];
  /** The raw response body, for "no value of X appears anywhere" assertions. */
  raw: string;
}

export interface TestHub {
  url: string;
  db: TestDatabase;
  config: Config;
  app: App;
  /** A fresh EntityManager fork for arranging data and checking results. */
  em(): EntityManager;
  tokenFor(principal: { id: string } | string): Promise<string>;
  gql<T = Record<string, any>>(
    query: string,
    variables?: Record<string, unknown>,
    token?: string,
    operationName?: string,
  ): Promise<GqlResponse<T>>;
  stop(): Promise<void>;
}

export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256-0123456789';
export const TEST_BSN_KEY = 'test-bsn-key-that-is-long-enough-0123456789abcdef';

export function testConfig(overrides: Record<string, string> = {}): Config {
  return parseConfig({ NODE_ENV: 'test', JWT_SECRET: TEST_JWT_SECRET, BSN_KEY: TEST_BSN_KEY, LOG_LEVEL: 'silent', ...overrides });
}

/** `options.redis`: a Redis client for the hub (rate limits); the caller closes it. Default none. */
export async function startTestHub(overrides: Record<string, string> = {}, options: { redis?: Redis | null } = {}): Promise<TestHub> {
  const db = await createTestDatabase();
  const config = testConfig(overrides);
  const app = await createApp({ config, orm: db.orm, redis: options.redis ?? null });
  const url = await app.listen(0, '127.0.0.1');
  return {
    url,
    db,
    config,
    app,
    em: () => db.orm.em.fork(),
    tokenFor: (principal) => signToken(config, typeof principal === 'string' ? principal : principal.id),
    async gql(query, variables, token, operationName) {
      const res = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify({ query, variables, operationName }),
      });
      const raw = await res.text();
      const body = JSON.parse(raw) as { data?: any; errors?: GqlResponse['errors'] };
      return { status: res.status, data: body.data, errors: body.errors, raw };
    },
    async stop() {
      await app.stop();
      await db.drop();
    },
  };
}

/** The contract operations in ../shared/contract, or null where ../shared is absent (a user's clone). */
export function contractFile(name: string): string | null {
  const path = new URL(`../../../shared/contract/${name}`, import.meta.url);
  return existsSync(path) ? readFileSync(path, 'utf8') : null;
}

/** The names of the operations in a contract file. */
export function operationNames(text: string): string[] {
  return parse(text)
    .definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)
    .map((d) => d.name!.value);
}

/** One operation of a contract file on its own (Apollo validates the whole document it is sent). */
export function singleOperation(text: string, name: string): string {
  const op = parse(text).definitions.find(
    (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION && d.name?.value === name,
  );
  if (!op) throw new Error(`operation ${name} is not in the contract file`);
  return print(op);
}
