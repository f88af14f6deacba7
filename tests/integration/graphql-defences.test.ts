/**
 * GraphQL-level defences (src/graphql-limits.ts, src/rate-limit.ts): depth, aliases, cost,
 * tokens and directives are refused with BAD_USER_INPUT before anything executes; no field
 * suggestions; introspection only outside production; body size limit; rate limit per
 * principal in memory and in Redis; masked internal errors in production.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { ApolloArmor } from '@escape.tech/graphql-armor';
import { Kind, parse, print, validate, visit, type OperationDefinitionNode } from 'graphql';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contractFile, startTestHub, testConfig, type GqlResponse, type TestHub } from '../helpers/app.js';
import { redisUrl } from '../helpers/db.js';
import { buildStaff, buildTeam } from '../../seeds/factories.js';
import { Role } from '../../src/modules/common/enums.js';
import { armorOptions, GRAPHQL_LIMIT_DEFAULTS, graphqlLimits, parseOptions } from '../../src/graphql-limits.js';
import { buildAppSchema } from '../../src/schema.js';
import { RATE_LIMIT_KEY_PREFIX } from '../../src/rate-limit.js';
import type { Team } from '../../src/modules/team/team.entity.js';
import type { Staff } from '../../src/modules/staff/staff.entity.js';

const INTROSPECTION = '{ __schema { queryType { name } types { name fields { name } } } }';

async function count(hub: TestHub, table: string): Promise<number> {
  const rows = await hub.em().getConnection().execute<{ n: string }[]>(`select count(*)::int as n from "${table}"`);
  return Number(rows[0]!.n);
}

function expectRejected(res: GqlResponse, pattern: RegExp) {
  expect(res.status).toBe(400);
  expect(res.data ?? null).toBeNull();
  expect(res.errors?.length).toBeGreaterThan(0);
  for (const e of res.errors!) expect(e.extensions?.code).toBe('BAD_USER_INPUT');
  expect(res.errors!.map((e) => e.message).join('\n')).toMatch(pattern);
}

function householdInput(n: number) {
  return `{ address: { street: "Zambesidreef", houseNumber: "${n}", postcode: "3563 AB", city: "Utrecht" },
    members: [{ givenName: "Test", familyName: "Persoon", birthDate: "1980-01-01", relation: HEAD }] }`;
}

async function post(url: string, body: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

const CONTRACT_DIR = new URL('../../../shared/contract/', import.meta.url);
const CONTRACT_FILES = existsSync(CONTRACT_DIR)
  ? readdirSync(CONTRACT_DIR).filter((f) => f.endsWith('.graphql')).map((f) => f.replace(/\.graphql$/, '')).sort()
  : [];

describe.skipIf(CONTRACT_FILES.length === 0)('the default limits and the client contract (../shared/contract)', () => {
  it('finds the contract files', () => {
    expect(CONTRACT_FILES).toEqual(expect.arrayContaining(['team', 'dashboard']));
  });

  it.each(CONTRACT_FILES)('%s.graphql passes every limit as a whole file, also with literal full pages (first: 100)', async (name) => {
    const limits = graphqlLimits(testConfig());
    const rules = new ApolloArmor(armorOptions(limits)).protect().validationRules;
    const schema = await buildAppSchema();
    const text = contractFile(`${name}.graphql`)!;
    const doc = parse(text, parseOptions(limits));
    // Only the armor rules: operations of features still being built need not validate here.
    expect(validate(schema, doc, rules).map((e) => e.message)).toEqual([]);
    const fullPages = visit(doc, {
      Argument(node) {
        if ((node.name.value === 'first' || node.name.value === 'last') && node.value.kind === Kind.VARIABLE) {
          return { ...node, value: { kind: Kind.INT, value: '100' } };
        }
        return undefined;
      },
    });
    expect(validate(schema, parse(print(fullPages), parseOptions(limits)), rules).map((e) => e.message)).toEqual([]);
    expect(doc.definitions.some((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)).toBe(true);
  });
});

describe('GraphQL limits, before execution', () => {
  let hub: TestHub;
  let team: Team;
  let worker: Staff;
  let admin: Staff;
  let tokens: { worker: string; admin: string };

  beforeAll(async () => {
    hub = await startTestHub();
    const em = hub.em();
    team = buildTeam(em, { postcodes: ['3563'] });
    worker = buildStaff(em, { role: Role.TEAM_WORKER, teams: [team] });
    admin = buildStaff(em, { role: Role.ADMIN });
    await em.flush();
    tokens = { worker: await hub.tokenFor(worker), admin: await hub.tokenFor(admin) };
  });
  afterAll(async () => {
    await hub?.stop();
  });

  it('the same mutation within the limits runs (the control for the rejections below)', async () => {
    const before = await count(hub, 'household');
    const res = await hub.gql(
      `mutation { registerHousehold(input: ${householdInput(1)}) { id cases { id household { id } } } }`,
      {},
      tokens.worker,
    );
    expect(res.errors).toBeUndefined();
    expect(await count(hub, 'household')).toBe(before + 1);
  });

  it('refuses a query deeper than GRAPHQL_MAX_DEPTH, and its mutation creates nothing', async () => {
    const before = await count(hub, 'household');
    const beforeLog = await count(hub, 'access_log');
    // registerHousehold > cases > household > cases > ... : depth 12 > 10.
    let selection = '{ id }';
    for (let i = 0; i < 5; i++) selection = `{ id cases { id household ${selection} } }`;
    const res = await hub.gql(`mutation { registerHousehold(input: ${householdInput(2)}) ${selection} }`, {}, tokens.worker);
    expectRejected(res, /depth limit of 10 exceeded/i);
    expect(await count(hub, 'household')).toBe(before);
    expect(await count(hub, 'access_log')).toBe(beforeLog);
  });

  it('refuses more aliases than GRAPHQL_MAX_ALIASES, and creates no organisation', async () => {
    const before = await count(hub, 'organisation');
    const n = GRAPHQL_LIMIT_DEFAULTS.maxAliases + 1;
    const fields = Array.from(
      { length: n },
      (_, i) => `o${i}: createOrganisation(input: { code: "alias-org-${i}", name: "Alias ${i}", kind: CARE_PROVIDER }) { id }`,
    );
    const res = await hub.gql(`mutation { ${fields.join('\n')} }`, {}, tokens.admin);
    expectRejected(res, /aliases limit of 15 exceeded, found 16/i);
    expect(await count(hub, 'organisation')).toBe(before);
  });

  it('refuses a query costlier than GRAPHQL_MAX_COST, and its mutation creates nothing', async () => {
    const before = await count(hub, 'household');
    const res = await hub.gql(
      `mutation { registerHousehold(input: ${householdInput(3)}) {
         id cases { id notes(first: 1000) { totalCount edges { cursor node { id body createdAt author { id name } } } } } } }`,
      {},
      tokens.worker,
    );
    expectRejected(res, new RegExp(`cost limit of ${GRAPHQL_LIMIT_DEFAULTS.maxCost} exceeded`, 'i'));
    expect(await count(hub, 'household')).toBe(before);
  });

  it('refuses a document of more than GRAPHQL_MAX_TOKENS tokens, and creates nothing', async () => {
    const before = await count(hub, 'organisation');
    const padding = Array.from({ length: GRAPHQL_LIMIT_DEFAULTS.maxTokens }, () => 'id').join(' ');
    const res = await hub.gql(
      `mutation { createOrganisation(input: { code: "token-org", name: "Tokens", kind: CARE_PROVIDER }) { ${padding} } }`,
      {},
      tokens.admin,
    );
    expectRejected(res, /more tha[nt] 2000 tokens/i);
    expect(await count(hub, 'organisation')).toBe(before);
  });

  it('refuses more directives than GRAPHQL_MAX_DIRECTIVES, and creates nothing', async () => {
    const before = await count(hub, 'organisation');
    const fields = Array.from({ length: GRAPHQL_LIMIT_DEFAULTS.maxDirectives + 1 }, () => 'id @include(if: true)').join(' ');
    const res = await hub.gql(
      `mutation { createOrganisation(input: { code: "directive-org", name: "Directives", kind: CARE_PROVIDER }) { ${fields} } }`,
      {},
      tokens.admin,
    );
    expectRejected(res, /directives limit of 20 exceeded/i);
    expect(await count(hub, 'organisation')).toBe(before);
  });

  it('a refused read writes no audit rows', async () => {
    const beforeLog = await count(hub, 'access_log');
    let selection = '{ id }';
    for (let i = 0; i < 5; i++) selection = `{ id cases { id household ${selection} } }`;
    const res = await hub.gql(`{ cases(first: 5) { edges { node { id household ${selection} } } } }`, {}, tokens.worker);
    expectRejected(res, /depth limit/i);
    expect(await count(hub, 'access_log')).toBe(beforeLog);
  });

  it('gives no "Did you mean" suggestions for misspelt fields, arguments or enum values', async () => {
    const field = await hub.gql('{ teams { nmae } }', {}, tokens.worker);
    expectRejected(field, /Cannot query field "nmae" on type "Team"/);
    const arg = await hub.gql('{ cases(frist: 2) { totalCount } }', {}, tokens.worker);
    expectRejected(arg, /Unknown argument "frist"/);
    const enumValue = await hub.gql(
      'mutation { createOrganisation(input: { code: "x-y", name: "X", kind: CARE_PROVIDR }) { id } }',
      {},
      tokens.admin,
    );
    expect(enumValue.status).toBe(400);
    for (const res of [field, arg, enumValue]) {
      expect(res.raw).not.toMatch(/did you mean/i);
      expect(res.raw).not.toMatch(/"name"|"first"|CARE_PROVIDER/);
      for (const e of res.errors!) expect(e.message).not.toMatch(/\?\s*$/);
    }
  });

  it('allows introspection in development', async () => {
    const res = await hub.gql(INTROSPECTION);
    expect(res.errors).toBeUndefined();
    expect(res.data?.__schema.queryType.name).toBe('Query');
  });

  it('answers HTTP 413 to a body over GRAPHQL_MAX_BODY_BYTES', async () => {
    const big = JSON.stringify({ query: `{ teams { id } } # ${'x'.repeat(GRAPHQL_LIMIT_DEFAULTS.maxBodyBytes)}` });
    const res = await post(hub.url, big, { authorization: `Bearer ${tokens.worker}` }).catch((e: Error) => ({ status: -1, text: String(e.cause ?? e) }));
    expect(res.status).toBe(413);
    expect(JSON.parse(res.text).errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });
});

describe('GRAPHQL_MAX_* overrides', () => {
  let hub: TestHub;
  beforeAll(async () => {
    hub = await startTestHub({ GRAPHQL_MAX_DEPTH: '2', GRAPHQL_MAX_BODY_BYTES: '2048' });
  });
  afterAll(async () => {
    await hub?.stop();
  });

  it('reads the limits from the environment', async () => {
    expect(hub.config.GRAPHQL_MAX_DEPTH).toBe(2);
    expectRejected(await hub.gql('{ me { teams { id } } }'), /depth limit of 2 exceeded, found 3/i);
    const res = await post(hub.url, JSON.stringify({ query: `{ __typename } # ${'x'.repeat(3000)}` }));
    expect(res.status).toBe(413);
  });
});

describe('production mode', () => {
  let hub: TestHub;
  let worker: Staff;
  let token: string;

  beforeAll(async () => {
    hub = await startTestHub({ NODE_ENV: 'production' });
    const em = hub.em();
    const team = buildTeam(em);
    worker = buildStaff(em, { role: Role.TEAM_WORKER, teams: [team] });
    await em.flush();
    token = await hub.tokenFor(worker);
  });
  afterAll(async () => {
    await hub?.stop();
  });

  it('refuses introspection', async () => {
    for (const t of [undefined, token]) {
      const res = await hub.gql(INTROSPECTION, {}, t);
      expect(res.status).toBe(400);
      expect(res.data ?? null).toBeNull();
      expect(res.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
      expect(res.errors?.[0]?.message).toMatch(/introspection/i);
    }
    const typeQuery = await hub.gql('{ __type(name: "Case") { fields { name } } }', {}, token);
    expect(typeQuery.status).toBe(400);
    expect(typeQuery.raw).not.toMatch(/"household"/);
  });

  it('gives no field suggestions', async () => {
    const res = await hub.gql('{ teams { nmae } }', {}, token);
    expectRejected(res, /Cannot query field "nmae"/);
    expect(res.raw).not.toMatch(/did you mean|"name"/i);
  });

  // Last in this block: it breaks the hub's database.
  it('masks an internal error: generic message, a request id, no stack', async () => {
    await hub.em().getConnection().execute('alter table referral rename to referral_x');
    const res = await hub.gql('{ referrals(first: 5) { totalCount edges { node { id } } } }', {}, token);
    expect(res.errors).toHaveLength(1);
    const [error] = res.errors!;
    expect(error!.message).toBe('Internal server error.');
    expect(error!.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    expect(error!.extensions?.requestId).toMatch(/^[\w-]{8,64}$/);
    expect(error!.extensions).not.toHaveProperty('stacktrace');
    expect(res.raw).not.toMatch(/stack|referral_x|relation|does not exist|select |\.ts:\d+/i);
  });
});

describe('rate limit per principal (in memory)', () => {
  let hub: TestHub;
  let a: Staff;
  let b: Staff;

  beforeAll(async () => {
    hub = await startTestHub({ RATE_LIMIT_PER_MINUTE: '5' });
    const em = hub.em();
    const team = buildTeam(em);
    a = buildStaff(em, { role: Role.TEAM_WORKER, teams: [team] });
    b = buildStaff(em, { role: Role.TEAM_WORKER, teams: [team] });
    await em.flush();
  });
  afterAll(async () => {
    await hub?.stop();
  });

  it('answers the 6th request of one principal with 429 and Retry-After; others still get through', async () => {
    await expectRateLimited(hub, await hub.tokenFor(a), await hub.tokenFor(b));
  });
});

describe('rate limit per principal (Redis)', () => {
  let hub: TestHub;
  let redis: Redis;
  let a: Staff;
  let b: Staff;

  beforeAll(async () => {
    redis = new Redis(redisUrl(), { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    await redis.connect();
    // A fresh key for hashing IPs, so a previous run's anonymous window does not carry over.
    hub = await startTestHub({ RATE_LIMIT_PER_MINUTE: '5', BSN_KEY: `bsn-key-${randomBytes(24).toString('hex')}` }, { redis });
    const em = hub.em();
    const team = buildTeam(em);
    a = buildStaff(em, { role: Role.TEAM_WORKER, teams: [team], name: 'Ramona Ratelimit', email: `ramona.${randomBytes(4).toString('hex')}@voordeur.test` });
    b = buildStaff(em, { role: Role.TEAM_WORKER, teams: [team] });
    await em.flush();
  });
  afterAll(async () => {
    await hub?.stop();
    redis?.disconnect();
  });

  it('counts in Redis: 429 + Retry-After on the 6th request; keys hold only a uuid or a hash, with a TTL', async () => {
    await expectRateLimited(hub, await hub.tokenFor(a), await hub.tokenFor(b));

    const keys = await redis.keys(`${RATE_LIMIT_KEY_PREFIX}:*`);
    const ours = keys.filter((k) => k.includes(a.id) || k.includes(b.id));
    expect(ours.sort()).toEqual([`${RATE_LIMIT_KEY_PREFIX}:sub:${a.id}`, `${RATE_LIMIT_KEY_PREFIX}:sub:${b.id}`].sort());
    expect(await redis.get(`${RATE_LIMIT_KEY_PREFIX}:sub:${a.id}`)).toBe('6');
    for (const key of keys) {
      expect(key).toMatch(new RegExp(`^${RATE_LIMIT_KEY_PREFIX}:(sub:[0-9a-f-]{36}|ip:[0-9a-f]{32})$`));
      expect(key).not.toContain(a.email);
      expect(key).not.toContain('Ramona');
      expect(key).not.toContain('127.0.0.1');
      const ttl = await redis.pttl(key);
      expect(ttl).toBeGreaterThan(0);
      expect(ttl).toBeLessThanOrEqual(60_000);
    }
  });

  it('falls back to memory when Redis is down', async () => {
    const dead = new Redis('redis://127.0.0.1:1', { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy: () => null });
    const other = await startTestHub({ RATE_LIMIT_PER_MINUTE: '5' }, { redis: dead });
    try {
      const em = other.em();
      const team = buildTeam(em);
      const c = buildStaff(em, { role: Role.TEAM_WORKER, teams: [team] });
      const d = buildStaff(em, { role: Role.TEAM_WORKER, teams: [team] });
      await em.flush();
      await expectRateLimited(other, await other.tokenFor(c), await other.tokenFor(d));
    } finally {
      await other.stop();
      dead.disconnect();
    }
  });
});

async function expectRateLimited(hub: TestHub, tokenA: string, tokenB: string) {
  // __typename: any principal may ask it, so the test depends on nothing but the limiter.
  const query = JSON.stringify({ query: '{ __typename }' });
  for (let i = 0; i < 5; i++) {
    const ok = await post(hub.url, query, { authorization: `Bearer ${tokenA}` });
    expect(ok.status, ok.text).toBe(200);
  }
  const limited = await post(hub.url, query, { authorization: `Bearer ${tokenA}` });
  expect(limited.status).toBe(429);
  const retryAfter = Number(limited.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(60);
  const body = JSON.parse(limited.text) as { errors: { message: string; extensions: { code: string } }[] };
  expect(body.errors[0]!.extensions.code).toBe('FORBIDDEN');
  expect(body.errors[0]!.message).toBe(`Rate limit exceeded: try again in ${retryAfter} s`);

  // Another principal, and an anonymous client (keyed by IP), are not affected.
  const other = await post(hub.url, query, { authorization: `Bearer ${tokenB}` });
  expect(other.status).toBe(200);
  expect(JSON.parse(other.text).errors).toBeUndefined();
  const anonymous = await post(hub.url, JSON.stringify({ query: '{ __typename }' }));
  expect(anonymous.status).toBe(200);
}
