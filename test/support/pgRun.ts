import pg from 'pg';
import { createPool, migratePostgres } from '../../src/store/postgres/db';
import { createPgStore } from '../../src/store/postgres';
import type { AsyncStore } from '../../src/store/async';
import { runName, withSearchPath } from './postgres';

type Callback = (...args: any[]) => void;
type Connect = () => Promise<pg.PoolClient>;

/**
 * The PostgreSQL side of the HTTP suite's second pass: a database of the run's own on the server at
 * `serverUrl` (created on first use, dropped by finish()), holding a schema per test database.
 *
 * A database per run, not a schema per run, so that each test app can have a schema of its own
 * (the fresh database SQLite gives it) and the end of the run is one DROP DATABASE, whatever a
 * failed test left behind. The name is chosen now and the database created on the first
 * connection, because makeTestApp() is synchronous and some suites build their app while mocha
 * loads the files.
 */
export function pgRun(serverUrl: string) {
  const database = runName();
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  const databaseUrl = url.toString();
  const admin = () => new pg.Client({ connectionString: serverUrl });
  let created: Promise<void> | undefined;
  const schemas = new Map<string, Promise<void>>();
  const pools = new Set<pg.Pool>();
  let schemaCount = 0;

  const createDatabase = () =>
    (created ??= (async () => {
      const client = admin();
      await client.connect();
      try {
        await client.query(`CREATE DATABASE ${database}`);
      } finally {
        await client.end();
      }
    })());

  /**
   * A pool on `schema` whose first connection waits until the database and the schema exist and
   * are migrated: the store is usable at once, and the work runs only if the test queries it.
   * Pools on one schema (two apps sharing a database) create it once and migrate under the
   * migration lock, as instances starting together do.
   */
  function schemaPool(schema: string): pg.Pool {
    // Small and quick to give connections back: a run opens a pool per test app, and the server
    // has about 100 connections for everyone using it.
    const pool = createPool(withSearchPath(databaseUrl, schema), { max: 5, idleTimeoutMillis: 1000 });
    const original = pool.connect.bind(pool) as (callback?: Callback) => Promise<pg.PoolClient> | undefined;
    const connect = original as Connect;
    const end = pool.end.bind(pool);
    let ready: Promise<void> | undefined;
    let ended: Promise<void> | undefined;
    const prepare = async () => {
      await createDatabase();
      if (!schemas.has(schema)) schemas.set(schema, createSchema(connect, schema));
      await schemas.get(schema);
      await migratePostgres({ connect: () => connect() } as pg.Pool);
    };
    // pg's pool.query() checks out its client through pool.connect() too, so this gates every query.
    pool.connect = ((callback?: Callback) => {
      ready ??= prepare();
      if (!callback) return ready.then(() => connect());
      ready.then(() => original(callback), (err) => callback(err));
    }) as pg.Pool['connect'];
    // The store's close(), a test's own and the run's clean-up may each end the pool.
    pool.end = (() => (ended ??= end())) as pg.Pool['end'];
    pools.add(pool);
    return pool;
  }

  return {
    databaseUrl,
    start: createDatabase,
    /** A store on a fresh schema; stores opened with the same `shared` name share one. */
    openStore(shared?: string): { store: AsyncStore; pool: pg.Pool } {
      const schema = shared ?? `app_${++schemaCount}`;
      const pool = schemaPool(schema);
      return { store: createPgStore(pool), pool };
    },
    /** Ends every pool and drops the database. */
    async finish(): Promise<void> {
      await Promise.all([...pools].map((p) => p.end().catch(() => undefined)));
      if (!created) return;
      await created.catch(() => undefined);
      const client = admin();
      await client.connect();
      try {
        // FORCE: a connection a failed test left open must not keep the database alive.
        await client.query(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

async function createSchema(connect: Connect, schema: string): Promise<void> {
  const client = await connect();
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  } finally {
    client.release();
  }
}

export type PgRun = ReturnType<typeof pgRun>;
