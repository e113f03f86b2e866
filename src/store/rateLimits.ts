import { RateLimiterSQLite, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Db } from './db';

export interface BucketSpec {
  group: string;
  limit: number;
  window: number;
}

/** Rate-limit buckets in the `rate_limits` table (migration 004), shared by every process on the database. */
export function createSqliteRateLimitBuckets(db: Db): (spec: BucketSpec) => RateLimiterAbstract {
  return (spec) =>
    new RateLimiterSQLite({
      storeClient: db,
      storeType: 'better-sqlite3',
      tableName: 'rate_limits',
      tableCreated: true,
      clearExpiredByTimeout: true,
      keyPrefix: spec.group,
      points: spec.limit,
      duration: spec.window,
    });
}
