/**
 * Retry policy of every job: exponential backoff with "equal jitter" (half fixed, half random,
 * so a crowd of failed jobs spreads out), capped, and never sooner than the partner's
 * Retry-After. Errors retrying cannot fix become UnrecoverableError in the processors.
 */
import type { BackoffStrategy } from 'bullmq';
import { PartnerError } from '../../integrations/http.js';

export function backoffDelay(attemptsMade: number, baseMs: number, maxMs: number, err?: Error, random = Math.random): number {
  const exp = Math.min(maxMs, baseMs * 2 ** Math.max(0, attemptsMade - 1));
  const jittered = Math.round(exp / 2 + random() * (exp / 2));
  const retryAfter = err instanceof PartnerError && err.retryAfterMs !== null ? err.retryAfterMs : 0;
  return Math.max(jittered, retryAfter);
}

export function backoffStrategy(baseMs: number, maxMs: number): BackoffStrategy {
  return (attemptsMade, _type, err) => backoffDelay(attemptsMade, baseMs, maxMs, err);
}
