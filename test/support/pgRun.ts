import pg from 'pg';
import { createPool, migratePostgres } from '../../src/store/postgres/db';
import { createPgStore } from '../../src/store/postgres';
import type { AsyncStore } from '../../src/store/ports';
import { withSearchPath } from './postgres';

type Callback = (...args: any[]) => void;
type Connect = () => Promise<pg.PoolClient>;

/**
 * The PostgreSQL side of the HTTP suite's second pass: `database` on the server at `serverUrl`, of
 * this process alone (each --parallel worker has its own), created by start() and dropped by
 * dropDatabases() in the run's global teardown, holding a schema per test database.
 *
 * A database per process, so that each test app can have a schema of its own (the fresh database
 * SQLite gives it) and the end of the run is a DROP DATABASE, whatever a failed test left behind.
 * Its name is known now because makeTestApp() is synchronous and some suites build their app while
 * mocha loads the files; nothing connects before the first query.
 *
 * Creating and migrating a schema takes 80-200 ms on a busy two-core machine, emptying one about
 * 1 ms, and the pass builds about a thousand apps: so the schema of an app whose test has ended
 * is emptied (every table but schema_migrations) and handed to the next app.
 */
export function pgRun(serverUrl: string, database: string) {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  const databaseUrl = url.toString();
  let created: Promise<void> | undefined;
  /** Schema -> created and migrated. */
  const migrated = new Map<string, Promise<void>>();
  /** Migrated, empty schemas no pool uses. */
  const clean: string[] = [];
  const opened = new Map<pg.Pool, { schema: string; shared: boolean; started: () => Promise<void> | undefined }>();
  let maintenance: Promise<pg.Client> | undefined;
  const stats = { apps: 0, schemas: 0 };

  const onServer = (sql: string) => onServerAt(serverUrl, sql);
  // A commit need not wait for the disk: the database is dropped at the end of the run anyway.
  const createDatabase = () =>
    (created ??= onServer(`CREATE DATABASE ${database}`).then(() => onServer(`ALTER DATABASE ${database} SET synchronous_commit = off`)).then(() => undefined));

  /**
   * A pool on `schema` whose first connection waits until the database and the schema exist and
   * are migrated: the store is usable at once, and the work runs only if the test queries it.
   */
  function schemaPool(schema: string): { pool: pg.Pool; started: () => Promise<void> | undefined } {
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
      if (!migrated.has(schema)) migrated.set(schema, createSchema(connect, schema));
      await migrated.get(schema);
    };
    // pg's pool.query() checks out its client through pool.connect() too, so this gates every query.
    pool.connect = ((callback?: Callback) => {
      ready ??= prepare();
      if (!callback) return ready.then(() => connect());
      ready.then(() => original(callback), (err) => callback(err));
    }) as pg.Pool['connect'];
    // The store's close(), a test's own and the run's clean-up may each end the pool.
    pool.end = (() => (ended ??= end())) as pg.Pool['end'];
    return { pool, started: () => ready };
  }

  /** Deletes every row of `schema` but its migration history; false when that fails. */
  async function empty(schema: string): Promise<boolean> {
    try {
      maintenance ??= (async () => {
        const client = new pg.Client({ connectionString: databaseUrl });
        await client.connect();
        return client;
      })();
      // Every foreign key cascades on delete, so the order does not matter; a schema that cannot
      // be emptied is simply not used again.
      await (await maintenance).query(`DO $$ DECLARE t text; BEGIN
        FOR t IN SELECT tablename FROM pg_tables WHERE schemaname = '${schema}' AND tablename <> 'schema_migrations' LOOP
          EXECUTE format('DELETE FROM %I.%I', '${schema}', t);
        END LOOP;
      END $$`);
      return true;
    } catch {
      return false;
    }
  }

  return {
    databaseUrl,
    start: createDatabase,
    stats,
    /**
     * A store on an empty schema; stores opened with the same `shared` name share one (two apps
     * on one database, as two processes on one SQLite file).
     */
    openStore(shared?: string): { store: AsyncStore; pool: pg.Pool } {
      const schema = shared ?? clean.pop() ?? `app_${++stats.schemas}`;
      const { pool, started } = schemaPool(schema);
      opened.set(pool, { schema, shared: shared !== undefined, started });
      stats.apps++;
      return { store: createPgStore(pool), pool };
    },
    release,
    /**
     * After a file (a --parallel worker runs several): gives back the pools its suites opened and
     * the maintenance connection, so that a serial run's process can exit; the database stays.
     */
    endFile,
    /** Ends every pool and drops the database, for a run of a single test's own. */
    async drop(): Promise<void> {
      await endFile();
      if (!created) return;
      await created.catch(() => undefined);
      await onServer(`DROP DATABASE IF EXISTS ${database} WITH (FORCE)`);
    },
  };

  async function endFile(): Promise<void> {
    await Promise.all([...opened.keys()].map(release));
    const client = maintenance;
    maintenance = undefined;
    await (await client?.catch(() => undefined))?.end().catch(() => undefined);
  }

  /** Ends the pool; its schema, emptied, goes to the next app. */
  async function release(pool: pg.Pool): Promise<void> {
    const entry = opened.get(pool);
    opened.delete(pool);
    await pool.end().catch(() => undefined);
    if (!entry || entry.shared) return;
    const started = entry.started();
    if (!started) {
      // Never queried: a recycled schema is still empty, a new one was never created.
      if (migrated.has(entry.schema)) clean.push(entry.schema);
      return;
    }
    const ok = await started.then(
      () => true,
      () => false,
    );
    if (ok && (await empty(entry.schema))) clean.push(entry.schema);
  }
}

async function onServerAt(serverUrl: string, sql: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

/** Drops every database whose name starts with `prefix` (the run's, one per process); their count. */
export async function dropDatabases(serverUrl: string, prefix: string): Promise<number> {
  const { rows } = await onServerAt(serverUrl, `SELECT datname FROM pg_database WHERE starts_with(datname, '${prefix}')`);
  // FORCE: a connection a failed test or a stopped worker left open must not keep one alive.
  for (const { datname } of rows) await onServerAt(serverUrl, `DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`);
  return rows.length;
}

async function createSchema(connect: Connect, schema: string): Promise<void> {
  const client = await connect();
  try {
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  } finally {
    client.release();
  }
  await migratePostgres({ connect } as pg.Pool);
}

export type PgRun = ReturnType<typeof pgRun>;
