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

export const AGGREGATES = ['identity', 'sessions', 'projects', 'apiKeys', 'usage', 'idempotency', 'events', 'webhooks'] as const;

export type Aggregates = { [K in (typeof AGGREGATES)[number]]: Async<Store[K]> };

/**
 * The database could not be had in time for a transaction (SQLite: another process held the write
 * lock past the busy timeout). Transient; the caller decides what it means for its request.
 */
export class StoreBusyError extends Error {
  constructor() {
    super('the database is busy');
    this.name = 'StoreBusyError';
  }
}

/**
 * The aggregates with every method's rejection passed through `map` (which throws what the
 * caller should see), so an engine's error never leaves the store as itself.
 */
export function withErrors(aggregates: Aggregates, map: (err: unknown) => never): Aggregates {
  const wrap = (aggregate: object) =>
    Object.fromEntries(
      Object.entries(aggregate).map(([name, fn]) => [
        name,
        typeof fn === 'function'
          ? async (...args: unknown[]) => {
              try {
                return await fn.apply(aggregate, args);
              } catch (err) {
                map(err);
              }
            }
          : fn,
      ]),
    );
  return Object.fromEntries(Object.entries(aggregates).map(([name, aggregate]) => [name, wrap(aggregate)])) as Aggregates;
}

/**
 * Another request holds the lock of the same idempotency record past the busy timeout: that
 * request is still running (not the database being busy as a whole).
 */
export class RecordLockedError extends Error {
  constructor() {
    super('the record is locked by another request');
    this.name = 'RecordLockedError';
  }
}

/** The aggregates with a way to group writes atomically: what handlers get. */
export interface Transactional extends Aggregates {
  /**
   * Runs `fn` in one transaction: `tx` is the store bound to it, and everything done through it
   * commits together or, when `fn` throws, not at all. Calls through the store itself never see
   * the transaction's uncommitted work. Inside a transaction already, `fn` joins it.
   */
  transaction<T>(fn: (tx: Aggregates) => Promise<T>): Promise<T>;
}

/** The aggregates of an open transaction, where a nested `transaction` joins the open one. */
export const joined = (tx: Aggregates): Transactional => ({ ...tx, transaction: (fn) => fn(tx) });

/** The store as both engines offer it, whichever runs: every call returns a promise. */
export interface AsyncStore extends Transactional {
  rateLimitBucket(spec: BucketSpec): RateLimiterAbstract;
  /** Database reachable and at the latest migration of this build. */
  isReady(): Promise<boolean>;
  close(): Promise<void>;
}
