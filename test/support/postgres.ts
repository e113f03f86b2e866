import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * A schema of the test's own on the PostgreSQL at `url`: `url` is returned with that schema as the
 * search path (for servers and stores), and drop() removes it with everything in it.
 */
export async function testSchema(url: string) {
  const schema = `cloud_api_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA ${schema}`);
  return {
    schema,
    url: `${url}${url.includes('?') ? '&' : '?'}options=${encodeURIComponent(`-c search_path=${schema}`)}`,
    admin,
    async drop() {
      await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      await admin.end();
    },
  };
}
