import { RateLimiterSQLite, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { BucketSpec } from '../ports';
import { databaseBucketOptions } from '../shared/rateLimits';
import type { Db } from './db';

/** Rate-limit buckets in the `rate_limits` table (migration 004), shared by every process on the database. */
export function createSqliteRateLimitBuckets(db: Db): (spec: BucketSpec) => RateLimiterAbstract {
  return (spec) => new RateLimiterSQLite({ storeClient: db, storeType: 'better-sqlite3', ...databaseBucketOptions(spec) });
}
