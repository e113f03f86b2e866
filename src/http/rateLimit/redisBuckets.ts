import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis } from 'rate-limiter-flexible';
import type { Logger } from '../../logger';
import type { BucketFactory } from './limiter';

/**
 * A Redis client for rate limits. Commands fail at once while Redis is away (no offline queue, one
 * attempt), so a request never waits on it: the insurance limiter answers instead. It reconnects
 * by itself, and each change between reachable and unreachable is logged once.
 */
export function createRateLimitRedis(url: string, logger: Logger, opts: { retryMs?: number } = {}): Redis {
  // Required here: a service without REDIS_URL never loads the client (a tenth of its start-up).
  const { Redis } = require('ioredis') as typeof import('ioredis');
  const client = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => Math.min(attempt * 200, opts.retryMs ?? 2000),
  });
  let down = false;
  const lost = (reason: string) => {
    if (down) return;
    down = true;
    logger.warn('redis unreachable: rate limits are kept per instance until it is back', { error: reason });
  };
  client.on('error', (err: Error) => lost(err.message));
  // A connection that closes without an error (Redis restarted, a proxy cut it) shows as this.
  client.on('reconnecting', () => lost('connection lost'));
  client.on('ready', () => {
    if (!down) return;
    down = false;
    logger.info('redis reachable again: rate limits are shared again');
  });
  return client;
}

/**
 * Counters in Redis, shared by every instance and updated atomically (rate-limiter-flexible's Lua
 * script), under `prefix` so that deployments or test runs sharing a server never mix. Without
 * Redis each instance falls back to its own in-memory counter with the same limit.
 */
export function redisBuckets(client: Redis, prefix: string): BucketFactory {
  return (p) =>
    new RateLimiterRedis({
      storeClient: client,
      keyPrefix: `${prefix}:${p.group}`,
      points: p.limit,
      duration: p.window,
      rejectIfRedisNotReady: true,
      insuranceLimiter: new RateLimiterMemory({ keyPrefix: p.group, points: p.limit, duration: p.window }),
    });
}
