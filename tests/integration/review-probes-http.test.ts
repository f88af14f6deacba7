/**
 * Review probes: the HTTP surface, authentication and production configuration
 * (server.ts, auth/jwt.ts, permissions/viewer.ts, config.ts, errors-format.ts, logger.ts,
 * /health /ready /metrics, the dashboard). Every probe asserts the SAFE behaviour; a failing
 * probe is a finding.
 */
import http from 'node:http';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createHash } from 'node:crypto';
import pino from 'pino';
import { SignJWT, UnsecuredJWT, exportJWK, exportSPKI, generateKeyPair, base64url } from 'jose';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestHub, TEST_BSN_KEY, TEST_JWT_SECRET, type GqlResponse, type TestHub } from '../helpers/app.js';
import { createTestDatabase, type TestDatabase } from '../helpers/db.js';
import { buildCase, buildHousehold, buildOrganisation, buildStaff, buildTeam, buildVolunteer } from '../../seeds/factories.js';
import { CaseStatus, OrganisationKind, Role } from '../../src/modules/common/enums.js';
import { makeBsn } from '../../src/modules/household/bsn.js';
import { logger } from '../../src/logger.js';
import { parseConfig, ConfigError } from '../../src/config.js';
import type { Team } from '../../src/modules/team/team.entity.js';
import type { Staff } from '../../src/modules/staff/staff.entity.js';
import type { Organisation } from '../../src/modules/organisation/organisation.entity.js';
import type { Volunteer } from '../../src/modules/informal-care/volunteer.entity.js';
import type { Case } from '../../src/modules/case/case.entity.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

// --- every log line the hub writes during this file (through pino, as in production) ---------
const logLines: string[] = [];
const originalStream = (logger as any)[pino.symbols.streamSym];
const originalLevel = logger.level;
(logger as any)[pino.symbols.streamSym] = { write: (s: string) => void logLines.push(s) };
logger.level = 'trace';
const consoleLines: string[] = [];
for (const m of ['log', 'info', 'warn', 'error', 'debug'] as const) {
  vi.spyOn(console, m).mockImplementation((...args: unknown[]) => void consoleLines.push(args.map((a) => (a instanceof Error ? `${a.name}: ${a.message}\n${a.stack}` : typeof a === 'string' ? a : JSON.stringify(a))).join(' ')));
}
afterAll(() => {
  (logger as any)[pino.symbols.streamSym] = originalStream;
  logger.level = originalLevel;
});

// Obviously fake personal data.
const P = {
  givenName: 'Fantasia',
  familyName: 'Nepnaamsdochter',
  birthDate: '1947-07-17',
  bsn: makeBsn(4747474),
  phone: '06-47474747',
  street: 'Verzonnenstraat',
};

const code = (res: GqlResponse) => res.errors?.[0]?.extensions?.code;
const secret = new TextEncoder().encode(TEST_JWT_SECRET);
const now = () => Math.floor(Date.now() / 1000);

async function hs256(claims: Record<string, unknown>, opts: { key?: Uint8Array; header?: Record<string, unknown> } = {}) {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', ...(opts.header ?? {}) }).sign(opts.key ?? secret);
}

async function raw(url: string, init: RequestInit = {}) {
  const res = await fetch(url, init);
  const text = await res.text();
  return { status: res.status, headers: res.headers, text };
}

async function q<R = Record<string, unknown>>(hub: TestHub, sql: string, params: unknown[] = []): Promise<R[]> {
  return hub.em().getConnection().execute<R[]>(sql, params);
}

// =============================================================================================
describe('JWT (HS256 with JWT_SECRET)', () => {
  let hub: TestHub;
  let teamA: Team, teamB: Team;
  let worker: Staff, mover: Staff, promoted: Staff, leaver: Staff;
  let gp: Organisation, careProvider: Organisation, informalOrg: Organisation;
  let vol: Volunteer;
  let caseA: Case, caseB: Case;

  beforeAll(async () => {
    hub = await startTestHub();
    const em = hub.em();
    const key = hub.config.BSN_KEY;
    teamA = buildTeam(em);
    teamB = buildTeam(em);
    worker = buildStaff(em, { role: Role.TEAM_WORKER, teams: [teamA] });
    mover = buildStaff(em, { role: Role.TEAM_WORKER, teams: [teamA] });
    promoted = buildStaff(em, { role: Role.TEAM_WORKER, teams: [teamA] });
    leaver = buildStaff(em, { role: Role.TEAM_WORKER, teams: [teamA] });
    gp = buildOrganisation(em, { kind: OrganisationKind.GP_PRACTICE });
    careProvider = buildOrganisation(em, { kind: OrganisationKind.CARE_PROVIDER });
    informalOrg = buildOrganisation(em, { kind: OrganisationKind.INFORMAL_CARE });
    vol = buildVolunteer(em, { organisation: informalOrg });
    const hA = buildHousehold(em, { team: teamA, members: [{ ...P }], bsnKey: key });
    caseA = buildCase(em, { household: hA.household, status: CaseStatus.ACTIVE, coordinator: worker });
    const hB = buildHousehold(em, { team: teamB, members: 1, bsnKey: key });
    caseB = buildCase(em, { household: hB.household, status: CaseStatus.ACTIVE });
    await em.flush();
  });
  afterAll(async () => {
    await hub?.stop();
  });

  const ME = '{ me { id role } }';
  const expect401 = (res: GqlResponse) => {
    expect(res.status, res.raw).toBe(401);
    expect(code(res)).toBe('UNAUTHENTICATED');
    expect(res.data ?? null).toBeNull();
  };

  it('(control) a token from signToken works', async () => {
    const res = await hub.gql(ME, {}, await hub.tokenFor(worker));
    expect(res.errors).toBeUndefined();
    expect(res.data?.me).toEqual({ id: worker.id, role: 'TEAM_WORKER' });
  });

  it('H1: alg "none" (unsecured JWT) is refused', async () => {
    const token = new UnsecuredJWT({}).setSubject(worker.id).setIssuer('voordeur').setIssuedAt().setExpirationTime('5m').encode();
    expect401(await hub.gql(ME, {}, token));
    // A forged header "alg: none" on a properly signed payload, signature stripped.
    const good = await hub.tokenFor(worker);
    const [, payload] = good.split('.');
    const header = base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' }));
    expect401(await hub.gql(ME, {}, `${header}.${payload}.`));
  });

  it('H2: a token signed with another secret, or with the development secret, is refused', async () => {
    expect401(await hub.gql(ME, {}, await hs256({ sub: worker.id, iss: 'voordeur', exp: now() + 300 }, { key: new TextEncoder().encode('x'.repeat(48)) })));
    const dev = new TextEncoder().encode('voordeur-dev-secret-change-me-in-production-please');
    expect401(await hub.gql(ME, {}, await hs256({ sub: worker.id, iss: 'voordeur', exp: now() + 300 }, { key: dev })));
  });

  it('H3: a wrong or missing issuer is refused', async () => {
    expect401(await hub.gql(ME, {}, await hs256({ sub: worker.id, iss: 'somebody-else', exp: now() + 300 })));
    expect401(await hub.gql(ME, {}, await hs256({ sub: worker.id, exp: now() + 300 })));
  });

  it('H4: nbf in the future, and an expired token, are refused', async () => {
    expect401(await hub.gql(ME, {}, await hs256({ sub: worker.id, iss: 'voordeur', nbf: now() + 3600, exp: now() + 7200 })));
    expect401(await hub.gql(ME, {}, await hs256({ sub: worker.id, iss: 'voordeur', iat: now() - 7200, exp: now() - 60 })));
  });

  it('H5: a token without an expiry ("exp") is refused (it would be valid forever)', async () => {
    const forever = await hs256({ sub: worker.id, iss: 'voordeur', iat: now() });
    const res = await hub.gql('{ me { id role } cases(first: 5) { totalCount } }', {}, forever);
    expect401(res);
  });

  it('H6: a staff member deactivated after their token was used (and cached) is refused from the next request on', async () => {
    const token = await hub.tokenFor(leaver);
    const before = await hub.gql('{ me { id } cases(first: 5) { totalCount } }', {}, token);
    expect(before.errors).toBeUndefined();
    await q(hub, 'update staff set active = false where id = ?', [leaver.id]);
    const after = await hub.gql('{ me { id } cases(first: 5) { totalCount } }', {}, token);
    expect401(after);
    expect(after.raw).not.toContain(P.familyName);
  });

  it('H7: a worker moved from team A to team B sees B and no longer A with the same token', async () => {
    const token = await hub.tokenFor(mover);
    const caseQ = 'query($id: ID!) { case(id: $id) { id } }';
    expect((await hub.gql(caseQ, { id: caseA.id }, token)).data?.case?.id).toBe(caseA.id);
    await q(hub, 'update staff_team set team_id = ? where staff_id = ?', [teamB.id, mover.id]);
    const a = await hub.gql(caseQ, { id: caseA.id }, token);
    expect(a.data?.case ?? null).toBeNull();
    expect(a.raw).not.toContain(P.familyName);
    const b = await hub.gql(caseQ, { id: caseB.id }, token);
    expect(b.data?.case?.id).toBe(caseB.id);
  });

  it('H8: a role changed in the database (worker → analyst) counts from the next request, whatever the token says', async () => {
    const token = await hub.tokenFor(promoted);
    const withRole = await hs256({ sub: promoted.id, iss: 'voordeur', exp: now() + 300, role: 'ADMIN', teams: [teamB.id] });
    const first = await hub.gql('{ me { role } }', {}, withRole);
    expect(first.data?.me?.role).toBe('TEAM_WORKER');
    await q(hub, "update staff set role = 'ANALYST' where id = ?", [promoted.id]);
    const res = await hub.gql('query($id: ID!) { me { role } case(id: $id) { id } }', { id: caseA.id }, token);
    expect(res.data?.me?.role).toBe('ANALYST');
    expect(res.data?.case ?? null).toBeNull();
    expect(res.raw).not.toContain(caseA.id.slice(0, 8) + '"}');
  });

  it('H9: a deactivated volunteer is refused; an organisation that has no client login (care provider, informal care) is refused', async () => {
    const token = await hub.tokenFor(vol);
    expect((await hub.gql('{ me { role } }', {}, token)).data?.me?.role).toBe('VOLUNTEER');
    await q(hub, 'update volunteer set active = false where id = ?', [vol.id]);
    expect401(await hub.gql('{ me { role } myMatches { id } }', {}, token));
    expect401(await hub.gql(ME, {}, await hub.tokenFor(careProvider)));
    expect401(await hub.gql(ME, {}, await hub.tokenFor(informalOrg)));
    // (control) a GP practice's client app logs in as the practice.
    expect((await hub.gql('{ me { role } }', {}, await hub.tokenFor(gp))).data?.me?.role).toBe('PARTNER_GP');
  });

  it('H10: a sub that is not a principal id (random uuid, non-uuid, SQL-ish, empty) is refused', async () => {
    for (const sub of [randomUUID(), 'admin', "' or 1=1 --", worker.id.toUpperCase() + ' ', '']) {
      expect401(await hub.gql(ME, {}, await hs256({ sub, iss: 'voordeur', exp: now() + 300 })));
    }
  });

  it('H11: a token in the query string, a cookie or the body is not taken as authentication', async () => {
    const token = await hub.tokenFor(worker);
    const base = new URL(hub.url);
    for (const param of ['access_token', 'token', 'authorization']) {
      const u = new URL(base);
      u.searchParams.set('query', '{ me { id } }');
      u.searchParams.set(param, token);
      const res = await raw(u.toString(), { headers: { 'apollo-require-preflight': '1' } });
      expect(res.text).not.toContain(worker.id);
      expect(res.text).toMatch(/UNAUTHENTICATED/);
    }
    const cookie = await raw(hub.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', cookie: `token=${token}; authorization=Bearer%20${token}` },
      body: JSON.stringify({ query: '{ me { id } }' }),
    });
    expect(cookie.text).not.toContain(worker.id);
    const body = await raw(hub.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ me { id } }', extensions: { authorization: `Bearer ${token}` }, access_token: token }),
    });
    expect(body.text).not.toContain(worker.id);
  });

  it('H12: odd Authorization headers (other scheme, two tokens, huge token) are refused cleanly, never 500', async () => {
    const token = await hub.tokenFor(worker);
    for (const auth of [`Basic ${Buffer.from('a:b').toString('base64')}`, `Token ${token}`, `Bearer ${token} ${token}`, 'Bearer', `Bearer ${'a'.repeat(12_000)}`]) {
      const res = await raw(hub.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: auth }, body: JSON.stringify({ query: '{ me { id } }' }) });
      expect(res.status, auth.slice(0, 30)).toBe(401);
      expect(res.text).not.toContain(worker.id);
    }
    // A validly signed token carrying a large claim: refused or served, but never a 500.
    const big = await hs256({ sub: worker.id, iss: 'voordeur', exp: now() + 300, pad: 'x'.repeat(12_000) });
    const res = await raw(hub.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${big}` }, body: JSON.stringify({ query: '{ me { id } }' }) });
    expect(res.status).toBeLessThan(500);
    // Beyond Node's header limit: 431, not a crash.
    const huge = await new Promise<number>((resolve, reject) => {
      const u = new URL(hub.url);
      const r = http.request({ host: u.hostname, port: u.port, path: '/graphql', method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${'b'.repeat(100_000)}` } }, (resp) => {
        resp.resume();
        resolve(resp.statusCode ?? 0);
      });
      r.on('error', reject);
      r.end('{"query":"{ me { id } }"}');
    });
    expect(huge).toBe(431);
    expect((await raw(`${new URL(hub.url).origin}/health`)).status).toBe(200);
  });

  it('H13: a token used once stays bound to the principal row: a refused request after deactivation does not leak through the verified-token cache on a second process path (GET)', async () => {
    const s = buildStaff(hub.em(), { role: Role.TEAM_WORKER, teams: [teamA] });
    await hub.em().persistAndFlush(s);
    const token = await hub.tokenFor(s);
    const u = new URL(hub.url);
    u.searchParams.set('query', '{ me { id } }');
    const get = () => raw(u.toString(), { headers: { authorization: `Bearer ${token}`, 'apollo-require-preflight': '1' } });
    expect((await get()).text).toContain(s.id);
    await q(hub, 'update staff set active = false where id = ?', [s.id]);
    const after = await get();
    expect(after.status).toBe(401);
    expect(after.text).not.toContain(`"${s.id}"`);
  });
});

// =============================================================================================
describe('JWT (JWKS)', () => {
  let hub: TestHub;
  let jwksServer: http.Server;
  let pair: Awaited<ReturnType<typeof generateKeyPair>>;
  let pubJwk: Record<string, unknown>;
  let worker: Staff;

  beforeAll(async () => {
    pair = await generateKeyPair('RS256');
    pubJwk = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
    jwksServer = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: [pubJwk] }));
    });
    await new Promise<void>((resolve) => jwksServer.listen(0, '127.0.0.1', resolve));
    const { port } = jwksServer.address() as AddressInfo;
    hub = await startTestHub({ JWT_JWKS_URL: `http://127.0.0.1:${port}/jwks.json` });
    const em = hub.em();
    worker = buildStaff(em, { role: Role.TEAM_WORKER, teams: [buildTeam(em)] });
    await em.flush();
  });
  afterAll(async () => {
    await hub?.stop();
    await new Promise((resolve) => jwksServer?.close(resolve));
  });

  const expect401 = (res: GqlResponse) => {
    expect(res.status, res.raw).toBe(401);
    expect(code(res)).toBe('UNAUTHENTICATED');
  };

  it('(control) an RS256 token of the JWKS works', async () => {
    const t = await new SignJWT({}).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setSubject(worker.id).setIssuedAt().setExpirationTime('5m').sign(pair.privateKey);
    expect((await hub.gql('{ me { id } }', {}, t)).data?.me?.id).toBe(worker.id);
  });

  it('J1: alg confusion: HS256 signed with the public key (PEM, or the JWK modulus) as the HMAC secret is refused', async () => {
    const pem = await exportSPKI(pair.publicKey);
    for (const k of [pem, String(pubJwk.n), JSON.stringify(pubJwk)]) {
      const t = await new SignJWT({}).setProtectedHeader({ alg: 'HS256', kid: 'k1' }).setSubject(worker.id).setIssuedAt().setExpirationTime('5m').sign(new TextEncoder().encode(k));
      expect401(await hub.gql('{ me { id } }', {}, t));
    }
  });

  it('J2: alg none, an embedded "jwk" header with the attacker\'s own key, and an unknown kid are refused', async () => {
    expect401(await hub.gql('{ me { id } }', {}, new UnsecuredJWT({}).setSubject(worker.id).setExpirationTime('5m').encode()));
    const evil = await generateKeyPair('RS256');
    const evilJwk = await exportJWK(evil.publicKey);
    const embedded = await new SignJWT({}).setProtectedHeader({ alg: 'RS256', jwk: evilJwk }).setSubject(worker.id).setExpirationTime('5m').sign(evil.privateKey);
    expect401(await hub.gql('{ me { id } }', {}, embedded));
    const wrongKid = await new SignJWT({}).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setSubject(worker.id).setExpirationTime('5m').sign(evil.privateKey);
    expect401(await hub.gql('{ me { id } }', {}, wrongKid));
  });

  it('J3: a JWKS token without exp is refused', async () => {
    const t = await new SignJWT({}).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setSubject(worker.id).setIssuedAt().sign(pair.privateKey);
    expect401(await hub.gql('{ me { id } }', {}, t));
  });
});

// =============================================================================================
describe('CSRF, CORS, batching, GET', () => {
  let hub: TestHub;
  let admin: Staff;
  let worker: Staff;
  let token: string;
  let adminToken: string;

  beforeAll(async () => {
    hub = await startTestHub();
    const em = hub.em();
    const team = buildTeam(em);
    admin = buildStaff(em, { role: Role.ADMIN });
    worker = buildStaff(em, { role: Role.TEAM_WORKER, teams: [team] });
    await em.flush();
    token = await hub.tokenFor(worker);
    adminToken = await hub.tokenFor(admin);
  });
  afterAll(async () => {
    await hub?.stop();
  });

  const orgMutation = (c: string) => `mutation { createOrganisation(input: { code: "${c}", name: "Probe ${c}", kind: CARE_PROVIDER }) { id } }`;
  const orgs = async (c: string) => (await q<{ n: string }>(hub, 'select count(*)::text n from organisation where code = ?', [c]))[0]!.n;

  it('(control) the admin mutation works over POST application/json', async () => {
    const c = `probe-${randomUUID().slice(0, 8)}`;
    const res = await hub.gql(orgMutation(c), {}, adminToken);
    expect(res.errors, res.raw).toBeUndefined();
    expect(await orgs(c)).toBe('1');
  });

  it('C1: a mutation over GET (with the preflight header) is refused and creates nothing', async () => {
    const c = `probe-${randomUUID().slice(0, 8)}`;
    const u = new URL(hub.url);
    u.searchParams.set('query', orgMutation(c));
    const res = await raw(u.toString(), { headers: { authorization: `Bearer ${adminToken}`, 'apollo-require-preflight': '1' } });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(await orgs(c)).toBe('0');
    // A document with a query and a mutation, choosing the mutation by operationName.
    const c2 = `probe-${randomUUID().slice(0, 8)}`;
    const u2 = new URL(hub.url);
    u2.searchParams.set('query', `query Q { me { id } } ${orgMutation(c2).replace('mutation {', 'mutation M {')}`);
    u2.searchParams.set('operationName', 'M');
    const res2 = await raw(u2.toString(), { headers: { authorization: `Bearer ${adminToken}`, 'apollo-require-preflight': '1' } });
    expect(res2.status).toBeGreaterThanOrEqual(400);
    expect(await orgs(c2)).toBe('0');
  });

  it('C2: "simple" cross-site requests (text/plain, form-encoded, multipart, no content type) are refused and create nothing', async () => {
    for (const type of ['text/plain', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', undefined]) {
      const c = `probe-${randomUUID().slice(0, 8)}`;
      const res = await raw(hub.url, {
        method: 'POST',
        headers: { ...(type ? { 'content-type': type } : {}), authorization: `Bearer ${adminToken}` },
        body: JSON.stringify({ query: orgMutation(c) }),
      });
      expect(res.status, `${type}: ${res.text}`).toBe(400);
      expect(await orgs(c), String(type)).toBe('0');
    }
    // GET queries without the preflight header are blocked too.
    const u = new URL(hub.url);
    u.searchParams.set('query', '{ me { id } }');
    const get = await raw(u.toString(), { headers: { authorization: `Bearer ${token}` } });
    expect(get.status).toBe(400);
    expect(get.text).not.toContain(worker.id);
  });

  it('C3: no CORS grant for another origin (no Access-Control-Allow-Origin / -Credentials), also on a preflight', async () => {
    const post = await fetch(hub.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: 'https://evil.example', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: '{ me { id } }' }),
    });
    await post.text();
    expect(post.headers.get('access-control-allow-origin')).toBeNull();
    expect(post.headers.get('access-control-allow-credentials')).toBeNull();
    const pre = await fetch(hub.url, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,content-type' },
    });
    await pre.text();
    expect(pre.headers.get('access-control-allow-origin')).toBeNull();
    expect(pre.headers.get('access-control-allow-headers')).toBeNull();
    for (const p of ['/health', '/ready', '/metrics', '/dashboard']) {
      const r = await fetch(`${new URL(hub.url).origin}${p}`, { headers: { origin: 'https://evil.example' } });
      await r.text();
      expect(r.headers.get('access-control-allow-origin'), p).toBeNull();
    }
  });

  it('C4: a batched body (JSON array) is refused as a whole: nothing runs, nothing is created, no audit row', async () => {
    const c1 = `probe-${randomUUID().slice(0, 8)}`;
    const c2 = `probe-${randomUUID().slice(0, 8)}`;
    const requestId = `probe-batch-${randomUUID()}`;
    const res = await raw(hub.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}`, 'x-request-id': requestId },
      body: JSON.stringify([{ query: orgMutation(c1) }, { query: orgMutation(c2) }, ...Array.from({ length: 50 }, () => ({ query: '{ me { id } }' }))]),
    });
    expect(res.status).toBe(400);
    expect(await orgs(c1)).toBe('0');
    expect(await orgs(c2)).toBe('0');
    expect(await q(hub, 'select 1 from access_log where request_id = ?', [requestId])).toHaveLength(0);
  });

  it('C5: the limits hold over GET: too deep, too many aliases, too many tokens → 400 BAD_USER_INPUT', async () => {
    const get = async (query: string) => {
      const u = new URL(hub.url);
      u.searchParams.set('query', query);
      const r = await raw(u.toString(), { headers: { authorization: `Bearer ${token}`, 'apollo-require-preflight': '1' } });
      return { ...r, body: JSON.parse(r.text) };
    };
    const aliases = `{ me { ${Array.from({ length: 30 }, (_, i) => `a${i}: name`).join(' ')} } }`;
    const deep = `{ me { teams { ${'__typename '.repeat(1)} } } cases(first: 1) { edges { node { household { cases(first: 1) { edges { node { household { cases(first: 1) { edges { node { id } } } } } } } } } } } }`;
    const tokens = `{ me { ${'id '.repeat(2100)} } }`;
    for (const [name, doc] of Object.entries({ aliases, deep, tokens })) {
      const r = await get(doc);
      expect(r.status, name).toBe(400);
      expect(r.body.errors?.[0]?.extensions?.code, name).toBe('BAD_USER_INPUT');
      expect(r.body.data ?? null, name).toBeNull();
    }
  });

  it('C6: automatic persisted queries do not bypass the limits, and a hash alone does not run a query nobody sent', async () => {
    const aliases = `{ me { ${Array.from({ length: 30 }, (_, i) => `a${i}: name`).join(' ')} } }`;
    const sha256Hash = createHash('sha256').update(aliases).digest('hex');
    const extensions = { persistedQuery: { version: 1, sha256Hash } };
    const reg = await raw(hub.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` }, body: JSON.stringify({ query: aliases, extensions }) });
    // Persisted queries are off (server.ts): refused as a client error, nothing runs.
    const regBody = JSON.parse(reg.text);
    expect(regBody.data ?? null).toBeNull();
    expect(regBody.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const u = new URL(hub.url);
    u.searchParams.set('extensions', JSON.stringify(extensions));
    const byHash = await raw(u.toString(), { headers: { authorization: `Bearer ${token}`, 'apollo-require-preflight': '1' } });
    expect(byHash.text).not.toContain(worker.name);
    const unknown = new URL(hub.url);
    unknown.searchParams.set('extensions', JSON.stringify({ persistedQuery: { version: 1, sha256Hash: createHash('sha256').update('{ me { name } }x').digest('hex') } }));
    const u2 = await raw(unknown.toString(), { headers: { authorization: `Bearer ${token}`, 'apollo-require-preflight': '1' } });
    expect(u2.text).not.toContain(worker.name);
  });

  it('C9: an APQ hash nobody registered is a client error, not INTERNAL_SERVER_ERROR, and writes no error log line', async () => {
    const before = logLines.length;
    const u = new URL(hub.url);
    u.searchParams.set('extensions', JSON.stringify({ persistedQuery: { version: 1, sha256Hash: createHash('sha256').update(randomUUID()).digest('hex') } }));
    const res = await raw(u.toString(), { headers: { 'apollo-require-preflight': '1' } });
    const body = JSON.parse(res.text);
    expect(body.errors?.[0]?.extensions?.code, res.text).not.toBe('INTERNAL_SERVER_ERROR');
    const errorsLogged = logLines.slice(before).filter((l) => /"level":50/.test(l));
    expect(errorsLogged, errorsLogged.join('\n').slice(0, 500)).toHaveLength(0);
  });

  it('C10: PUT / PATCH / DELETE with a mutation body run nothing', async () => {
    for (const method of ['PUT', 'PATCH', 'DELETE']) {
      const c = `probe-${randomUUID().slice(0, 8)}`;
      const res = await raw(`${hub.url}?query=${encodeURIComponent(orgMutation(c))}`, {
        method,
        headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}`, 'apollo-require-preflight': '1' },
        body: JSON.stringify({ query: orgMutation(c) }),
      });
      expect(res.status, method).toBeGreaterThanOrEqual(400);
      expect(await orgs(c), method).toBe('0');
    }
  });

  it('C7: X-Request-Id that is not a plain id (JSON, quotes, too long) is replaced, never written as sent', async () => {
    const weird = ['{"injected":true}', "x'); drop table access_log; --", 'a'.repeat(65), 'short', 'id with spaces and more'];
    for (const id of weird) {
      const res = await fetch(hub.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-request-id': id, 'x-purpose': 'CARE' },
        body: JSON.stringify({ query: '{ me { id } }' }),
      });
      await res.text();
      expect(await q(hub, 'select 1 from access_log where request_id = ?', [id])).toHaveLength(0);
    }
    // Purpose header: only the plain form is taken.
    const res = await fetch(hub.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'x-purpose': 'CARE","x":"1' },
      body: JSON.stringify({ query: '{ me { id } }' }),
    });
    await res.text();
    expect(await q(hub, `select 1 from access_log where purpose like '%"%'`)).toHaveLength(0);
  });

  it('C8: the rate limit counts GET, refused (CSRF / batched / malformed) and invalid-token requests of one client too', async () => {
    const limited = await startTestHub({ RATE_LIMIT_PER_MINUTE: '6' });
    try {
      const kinds: (() => Promise<number>)[] = [
        () => fetch(limited.url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '{"query":"{ me { id } }"}' }).then((r) => r.text().then(() => r.status)),
        () => fetch(limited.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[{"query":"{ me { id } }"}]' }).then((r) => r.text().then(() => r.status)),
        () => fetch(limited.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{not json' }).then((r) => r.text().then(() => r.status)),
        () => fetch(`${limited.url}?query=%7B__typename%7D`, { headers: { 'apollo-require-preflight': '1' } }).then((r) => r.text().then(() => r.status)),
        () => fetch(limited.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${randomUUID()}` }, body: '{"query":"{ __typename }"}' }).then((r) => r.text().then(() => r.status)),
        () => fetch(limited.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer x.y.z' }, body: '{"query":"{ __typename }"}' }).then((r) => r.text().then(() => r.status)),
      ];
      for (const k of kinds) expect(await k()).not.toBe(429);
      expect(await kinds[0]!()).toBe(429);
    } finally {
      await limited.stop();
    }
  });
});

// =============================================================================================
describe('/health, /ready, /metrics, /dashboard', () => {
  let hub: TestHub;
  let team: Team;
  let origin: string;

  beforeAll(async () => {
    hub = await startTestHub();
    origin = new URL(hub.url).origin;
    const em = hub.em();
    team = buildTeam(em, { name: 'Buurtteam Probeerwijk <b>x</b>', postcodes: ['3511'] });
    const worker = buildStaff(em, { role: Role.TEAM_WORKER, teams: [team], name: 'Wendelien Probeermedewerker' });
    const gp = buildOrganisation(em, { kind: OrganisationKind.GP_PRACTICE, name: 'Huisartsenpraktijk Probeersel' });
    const h = buildHousehold(em, { team, members: [{ ...P }], bsnKey: hub.config.BSN_KEY });
    buildCase(em, { household: h.household, status: CaseStatus.ACTIVE, coordinator: worker });
    await em.flush();
    // Some outbound work, so the metrics have something to count.
    const res = await hub.gql(
      'mutation($i: SubmitReferralInput!) { submitReferral(input: $i) { id status } }',
      { i: { externalId: 'SR-HTTP-1', kind: 'GP_REFERRAL', subject: { givenName: P.givenName, familyName: P.familyName, birthDate: P.birthDate, postcode: '3511AA', houseNumber: '1', bsn: P.bsn, phone: P.phone }, reason: 'Probe reden', consentObtained: true } },
      await hub.tokenFor(gp),
    );
    expect(res.errors, res.raw).toBeUndefined();
  });
  afterAll(async () => {
    await hub?.stop();
  });

  it('M1: /health and /ready say only up/down', async () => {
    const h = await raw(`${origin}/health`);
    expect(JSON.parse(h.text)).toEqual({ status: 'ok' });
    const r = await raw(`${origin}/ready`);
    expect(Object.keys(JSON.parse(r.text)).sort()).toEqual(['postgres', 'redis', 'status']);
    expect(r.text).not.toMatch(/postgres:\/\/|redis:\/\/|password|127\.0\.0\.1|voordeur_test/i);
  });

  it('M2: /metrics (anonymous) names no person, team, organisation, id, URL or secret', async () => {
    const m = await raw(`${origin}/metrics`);
    expect(m.status).toBe(200);
    for (const s of [P.givenName, P.familyName, P.phone, P.bsn, 'Probeerwijk', 'Probeersel', 'Probeermedewerker', team.code, 'SR-HTTP-1', 'postgres://', TEST_JWT_SECRET, TEST_BSN_KEY]) {
      expect(m.text, s).not.toContain(s);
    }
    expect(m.text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i);
    // Labels: only queue, state, name, outcome, partner.
    const labels = new Set([...m.text.matchAll(/\{([^}]*)\}/g)].flatMap((x) => [...x[1]!.matchAll(/(\w+)="/g)].map((y) => y[1]!)));
    for (const l of labels) expect(['queue', 'state', 'name', 'outcome', 'partner', 'version', 'major', 'minor', 'patch', 'le', 'kind', 'type', 'space', 'quantile']).toContain(l);
  });

  it('M3: nothing outside the dashboard\'s four files is served under /dashboard (no traversal)', async () => {
    for (const p of ['/dashboard/serve.ts', '/dashboard/../server.ts', '/dashboard/%2e%2e/config.ts', '/dashboard/..%2fconfig.ts', '/dashboard/dashboard.d.ts', '/dashboard//etc/passwd']) {
      const r = await raw(`${origin}${p}`);
      expect(r.text, p).not.toMatch(/import |export |JWT_SECRET|root:/);
    }
  });

  it('M4: the dashboard page has CSP, nosniff, no framing, no referrer; the token is never put in a URL', async () => {
    const r = await raw(`${origin}/dashboard`);
    expect(r.headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
    expect(r.headers.get('content-security-policy')).not.toMatch(/unsafe-inline|unsafe-eval|\*/);
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    const js = await raw(`${origin}/dashboard/dashboard.js`);
    expect(js.text).not.toMatch(/localStorage|document\.cookie|\?token=|access_token/);
    // The only innerHTML is the escaped report.
    expect([...js.text.matchAll(/innerHTML\s*=(?!\s*renderReport\()/g)]).toHaveLength(0);
  });
});

// =============================================================================================
describe('production mode (in process): Sandbox, masking, logs', () => {
  let hub: TestHub;
  let worker: Staff;
  let token: string;
  let caseA: Case;

  beforeAll(async () => {
    hub = await startTestHub({ NODE_ENV: 'production' });
    const em = hub.em();
    const team = buildTeam(em, { postcodes: ['3511'] });
    worker = buildStaff(em, { role: Role.TEAM_WORKER, teams: [team] });
    const h = buildHousehold(em, { team, members: 1, bsnKey: hub.config.BSN_KEY });
    caseA = buildCase(em, { household: h.household, status: CaseStatus.ACTIVE, coordinator: worker });
    await em.flush();
    token = await hub.tokenFor(worker);
  });
  afterAll(async () => {
    await hub?.stop();
  });

  const REGISTER = 'mutation($input: RegisterHouseholdInput!) { registerHousehold(input: $input) { id } }';
  const member = (o: Record<string, unknown> = {}) => ({ givenName: P.givenName, familyName: P.familyName, birthDate: P.birthDate, bsn: P.bsn, phone: P.phone, relation: 'HEAD', ...o });
  const address = (o: Record<string, unknown> = {}) => ({ street: P.street, houseNumber: '12', postcode: '3511AA', city: 'Utrecht', ...o });

  it('P1: no Sandbox / landing page HTML, and no introspection over GET', async () => {
    const landing = await raw(hub.url, { headers: { accept: 'text/html' } });
    expect(landing.text).not.toMatch(/<html|sandbox|embeddable|apollographql\.com/i);
    const u = new URL(hub.url);
    u.searchParams.set('query', '{ __schema { types { name } } }');
    const intro = await raw(u.toString(), { headers: { 'apollo-require-preflight': '1', authorization: `Bearer ${token}` } });
    expect(intro.text).not.toMatch(/"Household"|"Resident"/);
  });

  it('P2: client errors with personal data in the variables echo none of it (wrong types, bad BSN, future birth date, unknown field, NUL)', async () => {
    const bad = [
      { address: address(), members: [member({ bsn: '123456789' })] },
      { address: address(), members: [member({ birthDate: '2999-01-01' })] },
      { address: address(), members: [member({ birthDate: `${P.birthDate}x` })] },
      { address: address(), members: [member({ relation: P.familyName })] },
      { address: address(), members: [member({ bsnx: P.bsn })] },
      { address: address({ postcode: `${P.phone}` }), members: [member()] },
      { address: address(), members: [member({ givenName: `${P.givenName}\u0000` })] },
      { address: address(), members: [member({ phone: 47474747 })] },
      { address: address(), members: [{ ...member(), givenName: 123456782 }] },
    ];
    for (const input of bad) {
      const res = await hub.gql(REGISTER, { input }, token);
      expect(res.errors, res.raw).toBeDefined();
      for (const s of [P.givenName, P.familyName, P.bsn, P.phone, '47474747', P.birthDate, P.street, '123456782', '123456789', '2999-01-01']) {
        expect(res.raw, `${s} echoed in ${res.raw}`).not.toContain(s);
      }
    }
  });

  it('P3: a database failure while saving a multi-line note: the answer is masked, and the log holds no line of the note', async () => {
    const body = `Huisbezoek bij ${P.givenName} ${P.familyName}.\nBSN ${P.bsn}, bereikbaar op ${P.phone}.\nWoont aan de ${P.street} 12.`;
    await q(hub, `create function probe_fail() returns trigger language plpgsql as $$ begin raise exception 'simulated storage failure'; end $$`);
    await q(hub, 'create trigger probe_fail before insert on case_note for each row execute function probe_fail()');
    const before = logLines.length;
    try {
      const res = await hub.gql('mutation($input: AddCaseNoteInput!) { addCaseNote(input: $input) { id } }', { input: { caseId: caseA.id, body } }, token);
      expect(code(res)).toBe('INTERNAL_SERVER_ERROR');
      expect(res.raw).not.toMatch(/simulated|case_note|insert/i);
      for (const s of [P.givenName, P.familyName, P.bsn, P.phone, P.street]) expect(res.raw).not.toContain(s);
      const logged = logLines.slice(before).join('\n');
      expect(logged).toMatch(/internal error/);
      for (const s of [P.givenName, P.familyName, P.bsn, P.phone, P.street, 'bereikbaar', 'Woont aan']) {
        expect(logged, `the production log holds "${s}":\n${logged.slice(0, 1500)}`).not.toContain(s);
      }
    } finally {
      await q(hub, 'drop trigger probe_fail on case_note');
      await q(hub, 'drop function probe_fail()');
    }
  });

  it('P4: a database failure while registering a household (names, BSN, phone, street): masked, and nothing of it in the log', async () => {
    await q(hub, `create function probe_fail2() returns trigger language plpgsql as $$ begin raise exception 'simulated storage failure'; end $$`);
    await q(hub, 'create trigger probe_fail2 before insert on resident for each row execute function probe_fail2()');
    const before = logLines.length;
    try {
      const res = await hub.gql(REGISTER, { input: { address: address({ houseNumberAddition: 'B' }), members: [member({ familyName: `${P.familyName}` })] } }, token);
      expect(code(res)).toBe('INTERNAL_SERVER_ERROR');
      for (const s of [P.givenName, P.familyName, P.bsn, P.phone, P.street]) expect(res.raw).not.toContain(s);
      const logged = logLines.slice(before).join('\n');
      for (const s of [P.givenName, P.familyName, P.phone, P.street, P.bsn.slice(-4) + '"']) {
        expect(logged, `the production log holds "${s}":\n${logged.slice(0, 1500)}`).not.toContain(s);
      }
    } finally {
      await q(hub, 'drop trigger probe_fail2 on resident');
      await q(hub, 'drop function probe_fail2()');
    }
  });
});

// =============================================================================================
describe('production configuration', () => {
  const DEV_JWT_SECRET = 'voordeur-dev-secret-change-me-in-production-please';
  const DEV_BSN_KEY = 'voordeur-dev-bsn-key-0123456789abcdef0123456789abcdef';

  it('PC1: production refuses to start without BSN_KEY, and without JWT_SECRET/JWT_JWKS_URL (control)', () => {
    expect(() => parseConfig({ NODE_ENV: 'production', JWT_SECRET: TEST_JWT_SECRET })).toThrow(/BSN_KEY/);
    expect(() => parseConfig({ NODE_ENV: 'production', BSN_KEY: TEST_BSN_KEY })).toThrow(/JWT_SECRET/);
  });

  it('PC2: production refuses the published development JWT secret (anyone could sign tokens with it)', () => {
    expect(() => parseConfig({ NODE_ENV: 'production', JWT_SECRET: DEV_JWT_SECRET, BSN_KEY: TEST_BSN_KEY, DATABASE_URL: 'postgres://x@localhost/y' })).toThrow(ConfigError);
  });

  it('PC3: production refuses the published development BSN key (the BSN hashes and ciphertexts would be keyed with a public key)', () => {
    expect(() => parseConfig({ NODE_ENV: 'production', JWT_SECRET: TEST_JWT_SECRET, BSN_KEY: DEV_BSN_KEY, DATABASE_URL: 'postgres://x@localhost/y' })).toThrow(ConfigError);
  });
});

// =============================================================================================
describe('production start-up (a real process)', () => {
  let db: TestDatabase;
  let child: ChildProcess | null = null;
  let out = '';

  function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
      const srv = createServer();
      srv.listen(0, '127.0.0.1', () => {
        const { port } = srv.address() as { port: number };
        srv.close(() => resolve(port));
      });
      srv.on('error', reject);
    });
  }

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    if (child && child.exitCode === null) {
      await new Promise<void>((resolve) => {
        child!.once('exit', () => resolve());
        child!.kill('SIGTERM');
      });
    }
    await db?.drop();
  });

  it('PC4: NODE_ENV=production on an empty database does not load the demo seed (no well-known demo logins, no fake cases in the real report)', async () => {
    const port = await freePort();
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
    Object.assign(env, {
      NODE_ENV: 'production',
      JWT_SECRET: TEST_JWT_SECRET,
      BSN_KEY: TEST_BSN_KEY,
      DATABASE_URL: db.url,
      PORT: String(port),
      LOG_LEVEL: 'info',
      REDIS_URL: 'redis://127.0.0.1:1',
    });
    delete env.SEED_DEMO;
    child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts', '--role', 'api'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', (d) => (out += String(d)));
    child.stderr!.on('data', (d) => (out += String(d)));
    const deadline = Date.now() + 90_000;
    let up = false;
    while (Date.now() < deadline && child.exitCode === null) {
      try {
        if ((await fetch(`http://127.0.0.1:${port}/health`)).ok) {
          up = true;
          break;
        }
      } catch {
        // not yet
      }
      await new Promise((r) => setTimeout(r, 300));
    }
    // It may refuse to start (fine), or start without demo data; it must not start with the seed.
    const rows = await db.orm.em.fork().getConnection().execute<{ n: string }[]>(
      "select count(*)::text n from staff where email like '%@voordeur.test'",
    );
    const cases = await db.orm.em.fork().getConnection().execute<{ n: string }[]>('select count(*)::text n from "case"');
    expect({ up, demoStaff: rows[0]!.n, cases: cases[0]!.n }, out.slice(-2000)).toMatchObject({ demoStaff: '0', cases: '0' });
  }, 120_000);
});

// =============================================================================================
describe('logs over the whole file', () => {
  it('L1: no log line (pino or console) holds the fake resident\'s name, BSN, phone, street or note text', () => {
    const text = [...logLines, ...consoleLines].join('\n');
    for (const s of [P.givenName, P.familyName, P.bsn, P.phone, P.street, '47474747']) {
      expect(text, `"${s}" in the logs`).not.toContain(s);
    }
  });

  it('L2: no log line holds a bearer token or the JWT secret', () => {
    const text = [...logLines, ...consoleLines].join('\n');
    expect(text).not.toContain(TEST_JWT_SECRET);
    expect(text).not.toMatch(/eyJ[\w-]{10,}\.[\w-]{10,}\.[\w-]{10,}/);
  });
});
