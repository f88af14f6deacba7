/** Tokens verified against a JWKS endpoint (JWT_JWKS_URL) instead of the shared HS256 secret. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestHub, type TestHub } from '../helpers/app.js';
import { buildStaff, buildTeam } from '../../seeds/factories.js';
import { Role } from '../../src/modules/common/enums.js';
import type { Staff } from '../../src/modules/staff/staff.entity.js';

describe('JWKS authentication', () => {
  let hub: TestHub;
  let jwks: http.Server;
  let privateKey: Awaited<ReturnType<typeof generateKeyPair>>["privateKey"];
  let worker: Staff;

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    privateKey = pair.privateKey;
    const jwk = { ...(await exportJWK(pair.publicKey)), kid: 'test-key', alg: 'RS256', use: 'sig' };
    jwks = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys: [jwk] }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    const { port } = jwks.address() as AddressInfo;
    hub = await startTestHub({ JWT_JWKS_URL: `http://127.0.0.1:${port}/.well-known/jwks.json` });
    const em = hub.em();
    const team = buildTeam(em);
    worker = buildStaff(em, { role: Role.TEAM_WORKER, teams: [team] });
    await em.flush();
  });

  afterAll(async () => {
    await hub?.stop();
    await new Promise((resolve) => jwks?.close(resolve));
  });

  const sign = (sub: string, expiresIn = '5m') =>
    new SignJWT({}).setProtectedHeader({ alg: 'RS256', kid: 'test-key' }).setSubject(sub).setIssuedAt().setExpirationTime(expiresIn).sign(privateKey);

  it('accepts a token signed by a key of the JWKS and loads the role from the database', async () => {
    const res = await hub.gql('{ me { id role } }', {}, await sign(worker.id));
    expect(res.errors).toBeUndefined();
    expect(res.data?.me).toEqual({ id: worker.id, role: 'TEAM_WORKER' });
  });

  it('refuses an HS256 token made with the shared secret when JWKS is configured', async () => {
    const res = await hub.gql('{ me { id } }', {}, await hub.tokenFor(worker));
    expect(res.status).toBe(401);
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });

  it('refuses an expired token', async () => {
    const expired = await new SignJWT({})
      .setProtectedHeader({ alg: 'RS256', kid: 'test-key' })
      .setSubject(worker.id)
      .setIssuedAt(Math.floor(Date.now() / 1000) - 3600)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 60)
      .sign(privateKey);
    const res = await hub.gql('{ me { id } }', {}, expired);
    expect(res.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(res.raw).not.toContain(worker.name);
  });
  describe('with JWT_JWKS_ISSUER and JWT_AUDIENCE', () => {
    let strict: TestHub;
    let member: Staff;

    beforeAll(async () => {
      const { port } = jwks.address() as AddressInfo;
      // The same key set: only what a token must say changes.
      strict = await startTestHub({
        JWT_JWKS_URL: `http://127.0.0.1:${port}/.well-known/jwks.json`,
        JWT_JWKS_ISSUER: 'https://login.example.test',
        JWT_AUDIENCE: 'voordeur',
      });
      const em = strict.em();
      member = buildStaff(em, { role: Role.TEAM_WORKER, teams: [buildTeam(em)] });
      await em.flush();
    });

    afterAll(async () => {
      await strict?.stop();
    });

    const signWith = (claims: { iss?: string; aud?: string }) => {
      const jwt = new SignJWT({}).setProtectedHeader({ alg: 'RS256', kid: 'test-key' }).setSubject(member.id).setIssuedAt().setExpirationTime('5m');
      if (claims.iss) jwt.setIssuer(claims.iss);
      if (claims.aud) jwt.setAudience(claims.aud);
      return jwt.sign(privateKey);
    };

    it("takes a token of the provider's issuer for this audience, and refuses another issuer, another audience or none", async () => {
      const ok = await strict.gql('{ me { id } }', {}, await signWith({ iss: 'https://login.example.test', aud: 'voordeur' }));
      expect(ok.errors).toBeUndefined();
      for (const claims of [{ iss: 'https://other.example.test', aud: 'voordeur' }, { iss: 'https://login.example.test', aud: 'another-app' }, { aud: 'voordeur' }, { iss: 'https://login.example.test' }]) {
        const res = await strict.gql('{ me { id } }', {}, await signWith(claims));
        expect(res.status, JSON.stringify(claims)).toBe(401);
      }
    });
  });
});
