import { AGGREGATES, Busy, type Aggregates, type AsyncStore } from '../ports';
import { openDatabase, type Db } from './db';
import { createStore, type Store } from './index';

type Method = (...args: unknown[]) => unknown;
type Runner = <T>(call: () => T) => Promise<T>;

const now: Runner = (call) => {
  try {
    return Promise.resolve(call());
  } catch (err) {
    return Promise.reject(busyOr(err));
  }
};

/** Another process kept the write lock past the busy timeout: the domain error Busy. */
const busyOr = (err: unknown) => ((err as { code?: string })?.code === 'SQLITE_BUSY' ? new Busy() : err);

/** Each method of a synchronous aggregate, returning a promise, called through `run`. */
function asyncAggregate<T extends object>(sync: T, run: Runner): any {
  const out: Record<string, Method> = {};
  for (const [name, fn] of Object.entries(sync) as [string, Method][]) {
    if (typeof fn === 'function') out[name] = (...args) => run(() => fn.apply(sync, args));
  }
  return out;
}

/**
 * The SQLite store in the asynchronous form both engines share. A transaction may span awaits:
 * it holds the one connection from BEGIN IMMEDIATE to COMMIT, and calls through the store itself
 * wait until it ends, so they never run inside it, see its uncommitted work or commit it early.
 * Transactions run one after another, as SQLite's single writer does anyway.
 */
export function createAsyncSqliteStore(db: Db, sync: Store): AsyncStore {
  let current: Promise<void> | undefined;
  // Checked again after every wait: another transaction may have begun in between.
  const outside: Runner = (call) => (current ? current.then(() => outside(call)) : now(call));
  const build = (run: Runner): Aggregates =>
    Object.fromEntries(AGGREGATES.map((name) => [name, asyncAggregate(sync[name], run)])) as Aggregates;
  const root = build(outside);
  const tx = build(now);

  return {
    ...root,
    rateLimitBucket: (spec) => sync.rateLimitBucket(spec),
    async transaction(fn) {
      // No await between the last check and taking the connection: nothing can slip in.
      while (current) await current;
      let release!: () => void;
      current = new Promise((resolve) => (release = resolve));
      try {
        begin(db);
        try {
          const result = await fn(tx);
          db.exec('COMMIT');
          return result;
        } catch (err) {
          if (db.inTransaction) db.exec('ROLLBACK');
          throw err;
        }
      } finally {
        current = undefined;
        release();
      }
    },
    isReady: async () => sync.isReady(),
    close: async () => sync.close(),
  };
}

/** BEGIN IMMEDIATE, or Busy when another process kept the write lock past the busy timeout. */
function begin(db: Db): void {
  try {
    db.exec('BEGIN IMMEDIATE');
  } catch (err) {
    throw busyOr(err);
  }
}

/**
 * Opens (creating and migrating) the SQLite database at `path` as an asynchronous store;
 * `instrument` sees the connection before the stores prepare their statements (tracing).
 */
export function openAsyncSqliteStore(path: string, opts: { instrument?: (db: Db) => void } = {}): AsyncStore {
  const db = openDatabase(path);
  opts.instrument?.(db);
  return createAsyncSqliteStore(db, createStore(db));
}
