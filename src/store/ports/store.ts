import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { IdentityStore } from './identity';
import type { InvitationStore } from './invitations';
import type { SessionStore } from './sessions';
import type { ProjectStore } from './projects';
import type { ApiKeyStore } from './apiKeys';
import type { UsageStore } from './usage';
import type { IdempotencyStore } from './idempotency';
import type { EventStore } from './events';
import type { WebhookStore } from './webhooks';
import type { BucketSpec } from './rateLimits';

/**
 * The asynchronous form of a store interface: the same methods, each returning a promise. Both
 * engines implement the aggregates in this form, so each aggregate has one definition.
 */
export type Async<T> = {
  [K in keyof T]: T[K] extends (...args: infer A) => infer R ? (...args: A) => Promise<Awaited<R>> : T[K];
};

/** Each aggregate's interface, under the name the store offers it by. */
export interface AggregateStores {
  identity: IdentityStore;
  invitations: InvitationStore;
  sessions: SessionStore;
  projects: ProjectStore;
  apiKeys: ApiKeyStore;
  usage: UsageStore;
  idempotency: IdempotencyStore;
  events: EventStore;
  webhooks: WebhookStore;
}

export const AGGREGATES = ['identity', 'invitations', 'sessions', 'projects', 'apiKeys', 'usage', 'idempotency', 'events', 'webhooks'] as const;

export type Aggregates = { [K in (typeof AGGREGATES)[number]]: Async<AggregateStores[K]> };

/**
 * The aggregates outside a transaction: without the reads that lock a row until the transaction
 * ends (there would be none to end). What a handler of a non-transactional operation gets.
 */
export type DirectAggregates = Omit<Aggregates, 'projects' | 'identity'> & {
  projects: Omit<Aggregates['projects'], 'getForUpdate'>;
  identity: Omit<Aggregates['identity'], 'getMemberForUpdate'>;
};

/** The aggregates with a way to group writes atomically: what handlers get. */
export interface Transactional extends Aggregates {
  /**
   * Runs `fn` in one transaction: `tx` is the store bound to it, and everything done through it
   * commits together or, when `fn` throws, not at all. Calls through the store itself never see
   * the transaction's uncommitted work. Inside a transaction already, `fn` joins it.
   */
  transaction<T>(fn: (tx: Aggregates) => Promise<T>): Promise<T>;
}

/** The store as both engines offer it, whichever runs: every call returns a promise. */
export interface AsyncStore extends Transactional {
  rateLimitBucket(spec: BucketSpec): RateLimiterAbstract;
  /** Database reachable and at the latest migration of this build. */
  isReady(): Promise<boolean>;
  close(): Promise<void>;
}
