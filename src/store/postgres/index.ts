import type pg from 'pg';
import { Busy, type Aggregates, type AsyncStore } from '../ports';
import { withErrors } from '../shared/withErrors';
import { bracketed, TRANSACTION, createPool, migratePostgres, query, readPostgresMigrations, type Queryable } from './db';
import { createPgRateLimitBuckets } from './rateLimits';
import { createPgIdentityStore } from './identity';
import { createPgInvitationStore } from './invitations';
import { createPgSessionStore } from './sessions';
import { createPgProjectStore } from './projects';
import { createPgApiKeyStore } from './apiKeys';
import { createPgUsageStore } from './usage';
import { createPgIdempotencyStore } from './idempotency';
import { createPgEventStore } from './events';
import { createPgWebhookStore } from './webhooks';
import { createAuthCache, type AuthCache } from './authCache';

// Serialization failure, deadlock, lock not available (lock_timeout), and no connection free in
// time (pg-pool's connectionTimeoutMillis, which has no code): the database could not give this
// request what it needed now; a retry may succeed. Reported as the domain error Busy.
const BUSY_CODES = new Set(['40001', '40P01', '55P03']);
const isBusy = (err: unknown) =>
  BUSY_CODES.has((err as { code?: string })?.code ?? '') || (err as Error)?.message === 'timeout exceeded when trying to connect';
const busy = (err: unknown): never => {
  throw isBusy(err) ? new Busy() : err;
};

/** The store on a PostgreSQL pool. */
export type PgStore = AsyncStore;

const inTransaction = <T>(client: pg.PoolClient, fn: () => Promise<T>) => bracketed(client, TRANSACTION, fn);

function aggregates(db: Queryable, transaction: <T>(fn: (tx: Queryable) => Promise<T>) => Promise<T>, cache: AuthCache): Aggregates {
  return {
    identity: createPgIdentityStore(db, transaction, cache),
    invitations: createPgInvitationStore(db, transaction),
    sessions: createPgSessionStore(db, transaction, cache),
    projects: createPgProjectStore(db),
    apiKeys: createPgApiKeyStore(db, transaction, cache),
    usage: createPgUsageStore(db),
    idempotency: createPgIdempotencyStore(db),
    events: createPgEventStore(db),
    webhooks: createPgWebhookStore(db, transaction),
  };
}

export function createPgStore(pool: pg.Pool): PgStore {
  const latest = readPostgresMigrations().at(-1)?.version ?? 0;
  const cache = createAuthCache(pool.options);
  // Callers end the pool as often as they close the store (tests, scripts): the cache's listening
  // connection, which is not the pool's, ends with it.
  const endPool = pool.end.bind(pool);
  pool.end = (() => cache.close().then(endPool)) as typeof pool.end;
  const onClient = async <T>(fn: (client: pg.PoolClient) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    try {
      return await fn(client);
    } finally {
      client.release();
    }
  };
  // Inside a transaction, a store's own multi-statement work joins it instead of opening another.
  const nested = (client: pg.PoolClient) => <T>(fn: (tx: Queryable) => Promise<T>) => fn(client);
  const ownTransaction = <T>(fn: (tx: Queryable) => Promise<T>) => onClient((c) => inTransaction(c, () => fn(c)));
  return {
    ...withErrors(aggregates(pool, ownTransaction, cache), busy),
    rateLimitBucket: createPgRateLimitBuckets(pool),
    transaction: (fn) => onClient((c) => inTransaction(c, () => fn(aggregates(c, nested(c), cache)))).catch(busy),
    async isReady() {
      try {
        const { rows } = await query(pool, 'SELECT max(version) AS v FROM schema_migrations');
        return rows[0]?.v === latest;
      } catch {
        return false;
      }
    },
    close: () => pool.end(),
  };
}

/** Connects, migrates (one instance at a time) and returns the store; `instrument` sees the pool before any connection (tracing). */
export async function openPgStore(url: string, opts: { max?: number; instrument?: (pool: pg.Pool) => void } = {}): Promise<PgStore> {
  const pool = createPool(url, opts);
  opts.instrument?.(pool);
  await migratePostgres(pool);
  return createPgStore(pool);
}
