import assert from 'node:assert/strict';
import { createPool, migratePostgres, readPostgresMigrations } from '../../../src/store/postgres/db';
import { createPgStore } from '../../../src/store/postgres';
import { postgres } from './engines';
import { testSchema } from '../../support/postgres';

// What only PostgreSQL does here: several instances migrating at once.
(postgres ? describe : describe.skip)('store engines: PostgreSQL only (DATABASE_URL)', () => {
  it('instances starting at once migrate once: the advisory lock serialises them; isReady follows the version', async () => {
    const { schema, url, admin, drop } = await testSchema(process.env.DATABASE_URL!);
    const pools = [createPool(url, { max: 2 }), createPool(url, { max: 2 })];
    try {
      const applied = await Promise.all(pools.map((p) => migratePostgres(p)));
      const all = readPostgresMigrations().map((m) => m.version);
      assert.deepEqual([...applied[0], ...applied[1]].sort(), all);
      const store = createPgStore(pools[0]);
      assert.equal(await store.isReady(), true);
      await admin.query(`DELETE FROM ${schema}.schema_migrations WHERE version = $1`, [all.at(-1)]);
      assert.equal(await store.isReady(), false, 'a database behind this build is not ready');
    } finally {
      await Promise.all(pools.map((p) => p.end()));
      await drop();
    }
  });
});
