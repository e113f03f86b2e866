import type pg from 'pg';
import type { Redis } from 'ioredis';
import type { Config } from '../../src/config';
import type { AsyncStore } from '../../src/store/ports';
import { createAsyncSqliteStore } from '../../src/store/sqlite/async';
import { openDatabase } from '../../src/store/sqlite/db';
import { createStore } from '../../src/store/sqlite';
import { createRateLimitRedis } from '../../src/http/rateLimit/redisBuckets';
import { createLogger } from '../../src/logger';
import { pgRun, type PgRun } from './pgRun';
import { deleteKeys } from './redis';
import { processTag, runDatabase, runRedisPrefix } from './testRun';

/**
 * Which engine the test apps run on. `npm test` (scripts/test.ts) runs the whole suite on SQLite,
 * then the HTTP suite again with TEST_ENGINE=postgres: the app on PostgreSQL at DATABASE_URL and,
 * when REDIS_URL is set, with its rate limits in Redis.
 */
export const ENGINE: 'sqlite' | 'postgres' = process.env.TEST_ENGINE === 'postgres' ? 'postgres' : 'sqlite';
export const onPostgres = ENGINE === 'postgres';

if (onPostgres && !process.env.DATABASE_URL) throw new Error('TEST_ENGINE=postgres needs DATABASE_URL');

/**
 * For a test of something only SQLite has (its file, its errors, the synchronous store): `it` on
 * the SQLite pass; on the PostgreSQL pass a pending test whose title says why.
 */
export function sqliteOnly(reason: string) {
  return (title: string, fn: Mocha.AsyncFunc) => (onPostgres ? it.skip(`${title} [SQLite only: ${reason}]`, fn) : it(title, fn));
}

const run: PgRun | undefined = onPostgres ? pgRun(process.env.DATABASE_URL!, runDatabase()) : undefined;
const redisUrl = onPostgres ? process.env.REDIS_URL : undefined;
const redisPrefix = `${runRedisPrefix()}:${processTag}`;
let redis: Redis | undefined;
let apps = 0;

/**
 * What the engine adds to a test app's environment (the test's own variables win): on the
 * PostgreSQL pass the run's database and Redis, with a key prefix per app, so that each app starts
 * with fresh counters as it does in memory.
 */
export function engineEnv(): Record<string, string> {
  if (!run) return {};
  return {
    DATABASE_URL: run.databaseUrl,
    ...(redisUrl && { REDIS_URL: redisUrl, RATE_LIMIT_STORE: 'redis', REDIS_KEY_PREFIX: `${redisPrefix}:${++apps}` }),
  };
}

/** Pools of the running test (ended after it), or undefined between tests (ended after the run). */
let testPools: Set<pg.Pool> | undefined;
const sharedSchemas = new Map<string, string>();

/** The rows of a query on a test app's own database, for tests of what is stored (either engine). */
export type Rows = (sql: string) => Promise<Record<string, unknown>[]>;

/**
 * A fresh store for a test app. On the PostgreSQL pass a DATABASE_PATH other than ':memory:'
 * names a database several apps share (as two processes share one SQLite file): they get one schema.
 */
export function openTestStore(config: Config): { store: AsyncStore; rows: Rows } {
  if (!run) {
    const db = openDatabase(config.databasePath);
    return { store: createAsyncSqliteStore(db, createStore(db)), rows: async (sql) => db.prepare(sql).all() as Record<string, unknown>[] };
  }
  const path = config.databasePath;
  if (path !== ':memory:' && !sharedSchemas.has(path)) sharedSchemas.set(path, `shared_${sharedSchemas.size + 1}`);
  const { store, pool } = run.openStore(sharedSchemas.get(path));
  testPools?.add(pool);
  return { store, rows: async (sql) => (await pool.query(sql)).rows };
}

/** The run's Redis client for an app whose rate limits are in the run's Redis, else undefined. */
export function testRedis(config: Config): Redis | undefined {
  if (!redisUrl || config.rateLimitStore !== 'redis' || config.redisUrl !== redisUrl) return undefined;
  return (redis ??= createRateLimitRedis(redisUrl, createLogger('silent')));
}

/**
 * Root hooks (test/support/rootHooks.ts); nothing to do on the SQLite pass. With --parallel,
 * beforeAll and afterAll run around each file in its worker, otherwise around the whole run; the
 * global teardown drops the run's databases and Redis keys (see rootHooks.ts).
 */
export const engineHooks = {
  async beforeAll() {
    // Created here rather than on first use, so that an unreachable server fails the run at once.
    await run?.start();
    if (!redisUrl) return;
    // The client fails commands at once while it is connecting (as in production): wait for it,
    // so that the first requests count in Redis rather than in the fallback limiter.
    const client = testRedis({ rateLimitStore: 'redis', redisUrl } as Config)!;
    if (client.status === 'ready') return;
    await new Promise((resolve, reject) => {
      client.once('ready', resolve);
      setTimeout(() => reject(new Error(`Redis at ${redisUrl} is not reachable`)), 5000).unref();
    });
  },
  beforeEach() {
    if (run) testPools = new Set();
  },
  async afterEach() {
    const pools = testPools;
    testPools = undefined;
    // Apps made in a test or its beforeEach are done with: their connections go back now, not
    // after the idle timeout, so a file that makes hundreds of apps stays far from the server's
    // limit, and their schemas go to the next tests.
    if (pools) await Promise.all([...pools].map((p) => run!.release(p)));
  },
  async afterAll() {
    // Connections are closed after each file, so that nothing keeps a serial run's process alive;
    // a worker's next file connects again (a few milliseconds).
    const client = redis;
    redis = undefined;
    if (client) {
      await deleteKeys(client, redisPrefix);
      client.disconnect();
    }
    await run?.endFile();
  },
};
