import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { openStore, type Store } from '../../../src/store';
import { openPgStore, type PgStore } from '../../../src/store/postgres';

/** The store API as both engines offer it: every aggregate method returns a promise. */
export type AnyStore = Omit<PgStore, 'close'>;

export interface Engine {
  name: string;
  open(): Promise<{ store: AnyStore; close(): Promise<void> }>;
}

/** The SQLite store seen through the asynchronous interface (the PostgreSQL store's form). */
function asyncSqlite(store: Store): AnyStore {
  const wrap = <T extends object>(target: T): any =>
    new Proxy(target, {
      get: (t, key) => {
        const v = (t as Record<string | symbol, unknown>)[key];
        return typeof v === 'function' ? (...args: unknown[]) => Promise.resolve().then(() => v.apply(t, args)) : v;
      },
    });
  const aggregates = {
    identity: wrap(store.identity),
    sessions: wrap(store.sessions),
    projects: wrap(store.projects),
    apiKeys: wrap(store.apiKeys),
    usage: wrap(store.usage),
    idempotency: wrap(store.idempotency),
  };
  return {
    ...aggregates,
    rateLimitBucket: (spec) => store.rateLimitBucket(spec),
    // Synchronous SQLite transactions cannot span awaits: the tests that need one are PostgreSQL's.
    transaction: () => Promise.reject(new Error('not for SQLite in this form')),
    isReady: async () => store.isReady(),
  };
}

export const sqlite: Engine = {
  name: 'SQLite',
  async open() {
    const store = openStore(':memory:');
    return { store: asyncSqlite(store), close: async () => store.close() };
  },
};

/**
 * PostgreSQL at DATABASE_URL, each open() in a schema of its own that close() drops, so runs on a
 * shared server never see each other's rows. Undefined when DATABASE_URL is not set.
 */
export const postgres: Engine | undefined = process.env.DATABASE_URL
  ? {
      name: 'PostgreSQL',
      async open() {
        const url = process.env.DATABASE_URL!;
        const schema = `cloud_api_test_${randomBytes(6).toString('hex')}`;
        const admin = new pg.Client({ connectionString: url });
        await admin.connect();
        await admin.query(`CREATE SCHEMA ${schema}`);
        const store = await openPgStore(url, { schema, max: 4 });
        return {
          store,
          async close() {
            await store.close();
            await admin.query(`DROP SCHEMA ${schema} CASCADE`);
            await admin.end();
          },
        };
      },
    }
  : undefined;

export const engines: Engine[] = postgres ? [sqlite, postgres] : [sqlite];

/** Opens a fresh store of `engine` before each test and closes it after. */
export function withStore(engine: Engine): { readonly store: AnyStore } {
  let opened: Awaited<ReturnType<Engine['open']>> | undefined;
  beforeEach(async () => {
    opened = await engine.open();
  });
  afterEach(async () => {
    await opened?.close();
    opened = undefined;
  });
  return {
    get store() {
      return opened!.store;
    },
  };
}
