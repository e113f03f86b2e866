import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** `url` with `schema` as the search path of every connection: all tables are created and read there. */
export function withSearchPath(url: string, schema: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`;
}

/** A name for a schema or database of one test run, unlike any other run's. */
export const runName = (name = 'cloud_api_test') => `${name}_${randomBytes(6).toString('hex')}`;

/**
 * A schema of the test's own on the PostgreSQL at `url`: `url` is returned with that schema as the
 * search path (for servers and stores), and drop() removes it with everything in it. `name` tells
 * whose it is (the benchmark uses this too) when one is left behind.
 */
export async function testSchema(url: string, name = 'cloud_api_test') {
  const schema = runName(name);
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  return {
    schema,
    url: withSearchPath(url, schema),
    admin,
    async drop() {
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    },
  };
}
