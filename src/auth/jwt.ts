import { SignJWT, createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import type { Config } from '../config.js';

export interface TokenVerifier {
  /** Returns the subject (principal id) of a valid token, or null when it is invalid or expired. */
  verify(token: string): Promise<string | null>;
}

/** How long a verified token is taken as verified without checking its signature again. */
const VERIFIED_TTL_MS = 60_000;
const VERIFIED_MAX = 10_000;
/**
 * Signature algorithms accepted from a JWKS: asymmetric only, so a key published there can
 * never serve as an HMAC secret. Every token must say when it ends (`exp`): one without would
 * stay valid for as long as its principal exists (partner organisations have no end).
 */
const JWKS_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'PS256', 'PS384', 'PS512', 'ES256', 'ES384', 'ES512', 'EdDSA'];
const REQUIRED_CLAIMS = ['exp', 'sub'];

/** What the verifier reads of the configuration. */
export type TokenConfig = Pick<Config, 'JWT_SECRET' | 'JWT_ISSUER' | 'JWT_JWKS_URL' | 'JWT_JWKS_ISSUER' | 'JWT_AUDIENCE'>;

export function createTokenVerifier(config: TokenConfig): TokenVerifier {
  const secret = new TextEncoder().encode(config.JWT_SECRET);
  const jwks = config.JWT_JWKS_URL ? createRemoteJWKSet(new URL(config.JWT_JWKS_URL)) : null;
  /**
   * Tokens verified in the last minute (a client sends the same one with every request): the
   * signature check cost ~0.2 ms of CPU per request. An entry lives until the token expires, at
   * most a minute (so a key withdrawn from the JWKS stops working within a minute). Only the
   * subject is kept; who that is, and whether they are still active, is loaded per request.
   */
  const verified = new Map<string, { sub: string; until: number }>();
  /** What every token must carry, whoever signed it. */
  const checks = { requiredClaims: REQUIRED_CLAIMS, ...(config.JWT_AUDIENCE ? { audience: config.JWT_AUDIENCE } : {}) };
  return {
    async verify(token) {
      const now = Date.now();
      const hit = verified.get(token);
      if (hit) {
        if (hit.until > now) return hit.sub;
        verified.delete(token);
      }
      try {
        const { payload } = jwks
          ? await jwtVerify(token, jwks, { ...checks, algorithms: JWKS_ALGORITHMS, ...(config.JWT_JWKS_ISSUER ? { issuer: config.JWT_JWKS_ISSUER } : {}) })
          : await jwtVerify(token, secret, { ...checks, algorithms: ['HS256'], issuer: config.JWT_ISSUER });
        if (typeof payload.sub !== 'string' || payload.sub.length === 0) return null;
        const until = Math.min(now + VERIFIED_TTL_MS, Number(payload.exp) * 1000);
        // A map keeps insertion order: past the bound, forget the oldest entry.
        if (verified.size >= VERIFIED_MAX) verified.delete(verified.keys().next().value!);
        if (until > now) verified.set(token, { sub: payload.sub, until });
        return payload.sub;
      } catch {
        return null;
      }
    },
  };
}

/** Signs an HS256 token for a principal id. Only role-free claims: roles come from the database. */
export async function signToken(config: Config, subject: string, extra: JWTPayload = {}): Promise<string> {
  return new SignJWT({ ...extra })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(subject)
    .setIssuer(config.JWT_ISSUER)
    .setIssuedAt()
    .setExpirationTime(config.JWT_TTL)
    .sign(new TextEncoder().encode(config.JWT_SECRET));
}
