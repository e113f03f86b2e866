import Database from 'better-sqlite3';
import { join } from 'node:path';
import { testSchema } from '../support/postgres';

/** Where the killed server keeps its state: SQLite under DATA_DIR, or a PostgreSQL schema of the run's own. */
export interface CrashEngine {
  name: string;
  setUp(): Promise<Record<string, string>>;
  /** `ok` when the database is intact after a kill. */
  integrity(dataDir: string): Promise<string>;
  tearDown(): Promise<void>;
}

const sqliteEngine: CrashEngine = {
  name: 'SQLite',
  setUp: async () => ({}),
  async integrity(dataDir) {
    const db = new Database(join(dataDir, 'cloud-api.sqlite'), { readonly: true, fileMustExist: true });
    try {
      return db.pragma('integrity_check', { simple: true }) as string;
    } finally {
      db.close();
    }
  },
  tearDown: async () => {},
};

function postgresEngine(url: string): CrashEngine {
  let schema: Awaited<ReturnType<typeof testSchema>>;
  return {
    name: 'PostgreSQL',
    async setUp() {
      schema = await testSchema(url);
      return { DATABASE_URL: schema.url };
    },
    // PostgreSQL recovers from its WAL by itself; what can be checked is that it answers.
    integrity: async () => ((await schema.admin.query('SELECT 1 AS ok')).rows[0].ok === 1 ? 'ok' : 'unreachable'),
    tearDown: () => schema.drop(),
  };
}

/** SQLite, and PostgreSQL when DATABASE_URL is set: the engines a killed server is tested on. */
export const crashEngines: CrashEngine[] = process.env.DATABASE_URL ? [sqliteEngine, postgresEngine(process.env.DATABASE_URL)] : [sqliteEngine];
