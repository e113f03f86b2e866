import { openDatabase, readMigrations, type Db } from './db';
import { createIdentityStore, type IdentityStore } from './identity';
import { createSessionStore, type SessionStore } from './sessions';
import { createProjectStore, type ProjectStore } from './projects';
import { createApiKeyStore, type ApiKeyStore } from './apiKeys';
import { createUsageStore, type UsageStore } from './usage';
import { createIdempotencyStore, type IdempotencyStore } from './idempotency';
import { createEventStore, type EventStore } from './events';
import { createWebhookStore, type WebhookStore } from './webhooks';
import { createSqliteRateLimitBuckets, type BucketSpec } from './rateLimits';
import type { RateLimiterAbstract } from 'rate-limiter-flexible';

/** Everything handlers may persist, behind per-aggregate interfaces; no SQL leaves this folder. */
export interface Store {
  identity: IdentityStore;
  sessions: SessionStore;
  projects: ProjectStore;
  apiKeys: ApiKeyStore;
  usage: UsageStore;
  idempotency: IdempotencyStore;
  events: EventStore;
  webhooks: WebhookStore;
  /** Rate-limit counters kept in the database (shared across processes). */
  rateLimitBucket(spec: BucketSpec): RateLimiterAbstract;
  /** Runs `fn` atomically. `immediate` takes the write lock at the start (read-then-write). */
  transaction<T>(fn: () => T, mode?: 'deferred' | 'immediate'): T;
  /** Database reachable and fully migrated. */
  isReady(): boolean;
  close(): void;
}

export function createStore(db: Db): Store {
  const latest = readMigrations().at(-1)?.version ?? 0;
  const currentVersion = db.prepare('SELECT max(version) FROM schema_migrations').pluck();
  return {
    identity: createIdentityStore(db),
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
