import type { AsyncStore } from '../../../src/store/ports';
import { openPgStore } from '../../../src/store/postgres';
import { openAsyncSqliteStore } from '../../../src/store/sqlite/async';
import { testSchema } from '../../support/postgres';

/** The store API as both engines offer it: every aggregate method returns a promise. */
export type AnyStore = Omit<AsyncStore, 'close'>;

export interface Engine {
  name: string;
  open(): Promise<{ store: AnyStore; close(): Promise<void> }>;
}

export const sqlite: Engine = {
  name: 'SQLite',
  async open() {
    const store = openAsyncSqliteStore(':memory:');
    return { store, close: () => store.close() };
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
        const schema = await testSchema(process.env.DATABASE_URL!);
        const store = await openPgStore(schema.url, { max: 4 });
        return {
          store,
          async close() {
            await store.close();
            await schema.drop();
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

/** `withStore`, plus two fresh workspaces before each test: `ws`, and `other` to check isolation against. */
export function withWorkspaces(engine: Engine): { readonly store: AnyStore; readonly ws: string; readonly other: string } {
  const s = withStore(engine);
  let ws = '';
  let other = '';
  beforeEach(async () => {
    ws = (await s.store.identity.createWorkspace('Acme')).id;
    other = (await s.store.identity.createWorkspace('Other')).id;
  });
  return {
    get store() {
      return s.store;
    },
    get ws() {
      return ws;
    },
    get other() {
      return other;
    },
  };
}
