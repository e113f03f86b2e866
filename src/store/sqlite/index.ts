import type { RateLimiterAbstract } from 'rate-limiter-flexible';
import type { AggregateStores, BucketSpec } from '../ports';
import { openDatabase, readSqliteMigrations, type Db } from './db';
import { createIdentityStore } from './identity';
import { createInvitationStore } from './invitations';
import { createSessionStore } from './sessions';
import { createProjectStore } from './projects';
import { createApiKeyStore } from './apiKeys';
import { createUsageStore } from './usage';
import { createIdempotencyStore } from './idempotency';
import { createEventStore } from './events';
import { createWebhookStore } from './webhooks';
import { createSqliteRateLimitBuckets } from './rateLimits';

/**
 * The SQLite store in its synchronous form (better-sqlite3 is synchronous): the aggregates and
 * what the engine offers around them. The service uses its asynchronous form (./async.ts).
 */
export interface Store extends AggregateStores {
  /** Rate-limit counters kept in the database (shared across processes). */
  rateLimitBucket(spec: BucketSpec): RateLimiterAbstract;
  /** Runs `fn` atomically. `immediate` takes the write lock at the start (read-then-write). */
  transaction<T>(fn: () => T, mode?: 'deferred' | 'immediate'): T;
  /** Database reachable and fully migrated. */
  isReady(): boolean;
  close(): void;
}

export function createStore(db: Db): Store {
  const latest = readSqliteMigrations().at(-1)?.version ?? 0;
  const currentVersion = db.prepare('SELECT max(version) FROM schema_migrations').pluck();
  return {
    identity: createIdentityStore(db),
    invitations: createInvitationStore(db),
    sessions: createSessionStore(db),
    projects: createProjectStore(db),
    apiKeys: createApiKeyStore(db),
    usage: createUsageStore(db),
    idempotency: createIdempotencyStore(db),
    events: createEventStore(db),
    webhooks: createWebhookStore(db),
    rateLimitBucket: createSqliteRateLimitBuckets(db),
    transaction: (fn, mode = 'deferred') => db.transaction(fn)[mode](),
    isReady() {
      try {
        return currentVersion.get() === latest;
      } catch {
        return false;
      }
    },
    close: () => db.close(),
  };
}

export function openStore(path: string): Store {
  return createStore(openDatabase(path));
}
