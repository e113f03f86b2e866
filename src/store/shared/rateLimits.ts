import type { BucketSpec } from '../ports';

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
