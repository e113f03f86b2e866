import { RateLimiterSQLite, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Db } from './db';

export interface BucketSpec {
  group: string;
  limit: number;
  window: number;
}

/**
 * A bucket in the `rate_limits` table, as both engines' migrations create it. rate-limiter-flexible
 * deletes rows expired for an hour every 5 minutes (an unref'd timer).
 */
export const databaseBucketOptions = (spec: BucketSpec) => ({
  tableName: 'rate_limits',
  tableCreated: true,
  clearExpiredByTimeout: true,
  keyPrefix: spec.group,
  points: spec.limit,
  duration: spec.window,
});

/** Rate-limit buckets in the `rate_limits` table (migration 004), shared by every process on the database. */
export function createSqliteRateLimitBuckets(db: Db): (spec: BucketSpec) => RateLimiterAbstract {
  return (spec) => new RateLimiterSQLite({ storeClient: db, storeType: 'better-sqlite3', ...databaseBucketOptions(spec) });
}
