import { Redis } from 'ioredis';
import type { Logger } from 'pino';

/**
 * A Redis connection that never blocks the API: commands fail fast while Redis is down,
 * the client keeps reconnecting in the background, and the state is logged once per change.
 */
export function createRedis(url: string, log: Logger): Redis {
  const redis = new Redis(url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    retryStrategy: () => 5000,
  });
  let up: boolean | null = null;
  redis.on('ready', () => {
    if (up !== true) log.info('Redis is reachable');
    up = true;
  });
  redis.on('error', () => {
    if (up !== false) log.warn('Redis is unreachable: the API keeps serving; outbound work waits until it is back');
    up = false;
  });
  redis.connect().catch(() => undefined);
  return redis;
}

export async function redisState(redis: Redis | null): Promise<'up' | 'down' | 'not configured'> {
  if (!redis) return 'not configured';
  try {
    const pong = await Promise.race([
      redis.ping(),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), 1000)),
    ]);
    return pong === 'PONG' ? 'up' : 'down';
  } catch {
    return 'down';
  }
}
