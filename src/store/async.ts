import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { Store } from './index';
import type { BucketSpec } from './rateLimits';

/**
 * The asynchronous form of a store interface: the same methods, each returning a promise. Both
 * engines implement the aggregates in this form, so each aggregate has one definition.
 */
export type Async<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : T[K];
};

export const AGGREGATES = ['identity', 'sessions', 'projects', 'apiKeys', 'usage', 'idempotency'] as const;

export type Aggregates = { [K in (typeof AGGREGATES)[number]]: Async<Store[K]> };

/** The store as both engines offer it, whichever runs: every call returns a promise. */
export interface AsyncStore extends Aggregates {
  rateLimitBucket(spec: BucketSpec): RateLimiterAbstract;
  /**
   * Runs `fn` in one transaction: `tx` is the store bound to it, and everything done through it
   * commits together or, when `fn` throws, not at all. Calls through the store itself never see
   * the transaction's uncommitted work.
   */
  transaction<T>(fn: (tx: Aggregates) => Promise<T>): Promise<T>;
  /** Database reachable and at the latest migration of this build. */
  isReady(): Promise<boolean>;
  close(): Promise<void>;
}
