/**
 * Rate limit per principal: a fixed one-minute window per key, counted in Redis when Redis is
 * there (shared by every API process) and in memory otherwise. When Redis is configured but
 * down, an in-memory "insurance" limiter of the same size takes over at once, per process.
 *
 * Keys hold no personal data: the principal id (a uuid; anything else is hashed) of a verified
 * bearer token, or a keyed hash of the client IP for anonymous requests. Redis keys expire
 * with their window.
 */
import { createHmac, hkdfSync } from 'node:crypto';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { logger } from './logger.js';

export const RATE_LIMIT_KEY_PREFIX = 'voordeur:rl';
const WINDOW_SECONDS = 60;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type RateLimitDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export interface RateLimiter {
  /** Counts one request for the key; says whether it may go ahead. */
  consume(key: string): Promise<RateLimitDecision>;
  /** A key without personal data: `sub:<uuid>` for a verified subject, else `ip:<keyed hash>`. */
  keyFor(subject: string | null, ip: string | undefined): string;
}

export interface RateLimiterOptions {
  /** Requests per principal per minute; 0 switches the limit off. */
  perMinute: number;
  redis: Redis | null;
  /** Secret the hashing key for IPs and non-uuid subjects is derived from. */
  secret: string;
  keyPrefix?: string;
}

export function createRateLimiter(opts: RateLimiterOptions): RateLimiter {
  const hashKey = Buffer.from(hkdfSync('sha256', opts.secret, 'voordeur', 'rate-limit key hashing', 32));
  const hash = (value: string) => createHmac('sha256', hashKey).update(value).digest('hex').slice(0, 32);
  const keyFor = (subject: string | null, ip: string | undefined) =>
    subject ? `sub:${UUID.test(subject) ? subject.toLowerCase() : hash(`sub:${subject}`)}` : `ip:${hash(`ip:${ip ?? 'unknown'}`)}`;

  if (opts.perMinute <= 0) return { keyFor, consume: async () => ({ allowed: true }) };

  const keyPrefix = opts.keyPrefix ?? RATE_LIMIT_KEY_PREFIX;
  const memory = new RateLimiterMemory({ points: opts.perMinute, duration: WINDOW_SECONDS, keyPrefix });
  const limiter: RateLimiterAbstract = opts.redis
    ? new RateLimiterRedis({
        storeClient: opts.redis,
        points: opts.perMinute,
        duration: WINDOW_SECONDS,
        keyPrefix,
        // While Redis is not ready, count in memory instead of waiting for it.
        rejectIfRedisNotReady: true,
        insuranceLimiter: memory,
      })
    : memory;

  return {
    keyFor,
    async consume(key) {
      try {
        await limiter.consume(key, 1);
        return { allowed: true };
      } catch (e) {
        if (e instanceof RateLimiterRes) {
          return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(e.msBeforeNext / 1000)) };
        }
        // Only reachable when both stores fail: serving beats refusing everyone.
        logger.warn({ err: (e as Error)?.name }, 'rate limiter unavailable; request let through');
        return { allowed: true };
      }
    },
  };
}
