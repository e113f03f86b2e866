import pg from 'pg';
import { createHash } from 'node:crypto';
import { readMigrations, type Migration } from '../shared/migrations';
import { fromRoot } from '../../paths';

const MIGRATIONS_DIR = fromRoot('src', 'store', 'migrations', 'postgres');
const TIMESTAMPTZ = 1184;
const INT8 = 20;
const NUMERIC = 1700;
export const BUSY_TIMEOUT_MS = 5000;

/** A pool or one checked-out client: what every query of the PostgreSQL store runs on. */
export type Queryable = pg.Pool | pg.PoolClient;

// PostgreSQL's text for a timestamptz in a UTC session: `2026-12-05 11:30:06.12+00`.
const UTC_TIMESTAMP = /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d)(?:\.(\d{1,6}))?\+00$/;

/**
 * A timestamptz as the API shows it (RFC 3339 UTC, milliseconds, truncated like Date). Rewritten as
 * text when PostgreSQL gave it in UTC: Date's parser takes several microseconds for this format,
 * and a page of 20 projects holds 40 times. Any other zone goes through Date.
 */
export function isoTimestamp(v: string): string {
  const m = UTC_TIMESTAMP.exec(v);
  if (!m) return new Date(v).toISOString();
  return `${m[1]}T${m[2]}.${((m[3] ?? '') + '000').slice(0, 3)}Z`;
}

// Times come back as isoTimestamp gives them; counts as numbers (they stay far below 2^53).
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === TIMESTAMPTZ) return isoTimestamp;
    if (oid === INT8 || oid === NUMERIC) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

// Every statement of the store is named: PostgreSQL parses (and, once its plan settles, plans) a
// named statement once per connection instead of on every request. The name is a hash of the text,
// so one text has one name on every connection and texts assembled at run time (a list's filters,
// a few dozen variants at most) each get their own without a hand-kept list. Remembered per text:
// the set of texts is fixed by the code, and the hash is then paid once, not per query.
const names = new Map<string, string>();
const statementName = (text: string) => {
  let name = names.get(text);
  if (name === undefined) names.set(text, (name = 's_' + createHash('sha256').update(text).digest('base64url').slice(0, 24)));
  return name;
};

/** `text` with `values` on `db` as a named prepared statement (one statement; no transaction control). */
export function query<R extends pg.QueryResultRow = any>(db: Queryable, text: string, values: unknown[] = []): Promise<pg.QueryResult<R>> {
  return db.query<R>({ name: statementName(text), text, values });
}

export function readPostgresMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return readMigrations(dir);
}

/** A pool on `url` (a search path given in its `options` parameter puts every table in that schema). */
export function createPool(url: string, opts: { max?: number; idleTimeoutMillis?: number } = {}): pg.Pool {
  return new pg.Pool({
    connectionString: url,
    max: opts.max ?? 10,
    // pg's default (10 s) unless given: tests that open many pools give connections back sooner.
    idleTimeoutMillis: opts.idleTimeoutMillis ?? 10_000,
    // As long as SQLite's busy_timeout: a lock or a free connection not had in 5 s makes the
    // request a retryable 503 (Busy), not a wait without end.
    lock_timeout: BUSY_TIMEOUT_MS,
    connectionTimeoutMillis: BUSY_TIMEOUT_MS,
    types,
  });
}

/**
 * `run` between `begin` and `end` on one connection; `undo` when it throws (a failing undo leaves
 * the first error to report). A transaction, or a savepoint inside one.
 */
export async function bracketed<T>(db: Queryable, sql: { begin: string; end: string; undo: string }, run: () => Promise<T>): Promise<T> {
  await db.query(sql.begin);
  try {
    const result = await run();
    await db.query(sql.end);
    return result;
  } catch (err) {
    await db.query(sql.undo).catch(() => undefined);
    throw err;
  }
}

export const TRANSACTION = { begin: 'BEGIN', end: 'COMMIT', undo: 'ROLLBACK' };

// Any constant: instances starting together migrate one after another, not at once.
const MIGRATION_LOCK = 7_352_019;

/** Applies the migrations not yet applied, each in its own transaction, under an advisory lock. */
export async function migratePostgres(pool: pg.Pool, migrations = readPostgresMigrations()): Promise<number[]> {
  const client = await pool.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL)`);
    const { rows } = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
    const applied = new Set(rows.map((r) => r.version));
    const done: number[] = [];
    for (const m of migrations) {
      if (applied.has(m.version)) continue;
      await bracketed(client, TRANSACTION, async () => {
        await client.query(m.sql);
        await client.query('INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, now())', [m.version, m.name]);
      });
      done.push(m.version);
    }
    return done;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    client.release();
  }
}
