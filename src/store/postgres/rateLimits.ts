import type pg from 'pg';
import { RateLimiterPostgres, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { BucketSpec } from '../ports';
import { databaseBucketOptions } from '../shared/rateLimits';

/** Rate-limit buckets in the `rate_limits` table, shared by every instance on the database. */
export function createPgRateLimitBuckets(pool: pg.Pool): (spec: BucketSpec) => RateLimiterAbstract {
  return (spec) => new RateLimiterPostgres({ storeClient: pool, storeType: 'pool', ...databaseBucketOptions(spec) });
}
