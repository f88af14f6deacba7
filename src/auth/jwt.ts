import { SignJWT, createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import type { Config } from '../config.js';

export interface TokenVerifier {
  /** Returns the subject (principal id) of a valid token, or null when it is invalid or expired. */
  verify(token: string): Promise<string | null>;
}

export function createTokenVerifier(config: Config): TokenVerifier {
  const secret = new TextEncoder().encode(config.JWT_SECRET);
  const jwks = config.JWT_JWKS_URL ? createRemoteJWKSet(new URL(config.JWT_JWKS_URL)) : null;
  return {
    async verify(token) {
      try {
        const { payload } = jwks
          ? await jwtVerify(token, jwks)
          : await jwtVerify(token, secret, { algorithms: ['HS256'], issuer: config.JWT_ISSUER });
        return typeof payload.sub === 'string' && payload.sub.length > 0 ? payload.sub : null;
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
