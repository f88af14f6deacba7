/**
 * Verified tokens are remembered for at most a minute, and never past their expiry: a cached
 * token stops working the moment it expires, a refused one is never remembered.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SignJWT } from 'jose';
import { parseConfig } from '../../src/config.js';
import { createTokenVerifier, signToken } from '../../src/auth/jwt.js';

const config = parseConfig({ NODE_ENV: 'test', JWT_SECRET: 'a-jwt-secret-that-is-long-enough-0123456789', BSN_KEY: 'a-bsn-key-that-is-long-enough-0123456789abcdef' });
const SUB = '6dc6b874-2e6f-432f-abba-7cf1f47022f2';
const sign = (expiresIn: string) =>
  new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(SUB).setIssuer(config.JWT_ISSUER).setIssuedAt().setExpirationTime(expiresIn)
    .sign(new TextEncoder().encode(config.JWT_SECRET));

afterEach(() => {
  vi.useRealTimers();
});

describe('token verifier', () => {
  it('answers the subject of a valid token, again from memory', async () => {
    const verifier = createTokenVerifier(config);
    const token = await signToken(config, SUB);
    expect(await verifier.verify(token)).toBe(SUB);
    expect(await verifier.verify(token)).toBe(SUB);
  });

  it('refuses a remembered token once it has expired', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const verifier = createTokenVerifier(config);
    const token = await sign('30s');
    expect(await verifier.verify(token)).toBe(SUB);
    vi.setSystemTime(Date.now() + 31_000);
    expect(await verifier.verify(token)).toBeNull();
  });

  it('never remembers a refused token', async () => {
    const verifier = createTokenVerifier(config);
    const token = await sign('5m');
    const tampered = `${token.slice(0, -2)}xx`;
    expect(await verifier.verify(tampered)).toBeNull();
    expect(await verifier.verify(tampered)).toBeNull();
    expect(await verifier.verify('not a token')).toBeNull();
  });
});
