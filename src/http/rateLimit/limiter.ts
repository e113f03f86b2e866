import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { RateLimitPolicy } from '../../contract/rateLimits';

export interface LimitState {
  allowed: boolean;
  remaining: number;
  /** Milliseconds until the window resets. */
  resetMs: number;
}

/** Fixed-window counters, one bucket per policy group, keyed by caller. */
export interface Limiter {
  consume(policy: RateLimitPolicy, key: string): Promise<LimitState>;
}

export type BucketFactory = (policy: RateLimitPolicy) => RateLimiterAbstract;

export const memoryBuckets: BucketFactory = (p) =>
  new RateLimiterMemory({ keyPrefix: p.group, points: p.limit, duration: p.window });

export function createLimiter(makeBucket: BucketFactory): Limiter {
  const buckets = new Map<string, RateLimiterAbstract>();
  const bucketFor = (p: RateLimitPolicy) => {
    let b = buckets.get(p.group);
    if (!b) buckets.set(p.group, (b = makeBucket(p)));
    return b;
  };
  return {
    async consume(policy, key) {
      try {
        const res = await bucketFor(policy).consume(key, 1);
        return { allowed: true, remaining: res.remainingPoints, resetMs: res.msBeforeNext };
      } catch (err) {
        if (!(err instanceof RateLimiterRes)) throw err;
        return { allowed: false, remaining: 0, resetMs: err.msBeforeNext };
      }
    },
  };
}
