import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createPool, migratePostgres, readPostgresMigrations } from '../../../src/store/postgres/db';
import { createPgStore } from '../../../src/store/postgres';
import { SlugTakenError } from '../../../src/store/projects';
import { postgres, withStore } from './engines';

// What only PostgreSQL does here: transactions across awaits, several instances migrating at once.
(postgres ? describe : describe.skip)('store engines: PostgreSQL only (DATABASE_URL)', () => {
  const s = withStore(postgres!);

  it('transaction commits everything or, when fn throws, nothing', async () => {
    const ws = await s.store.identity.createWorkspace('W');
    await assert.rejects(
      s.store.transaction(async (tx) => {
        await tx.projects.create(ws.id, { name: 'a', slug: 'a', description: null });
        await tx.projects.create(ws.id, { name: 'b', slug: 'a', description: null });
      }),
      SlugTakenError,
    );
    assert.deepEqual(await s.store.projects.list(ws.id, {}, undefined, 10), []);
    await s.store.transaction(async (tx) => {
      await tx.projects.create(ws.id, { name: 'a', slug: 'a', description: null });
      await tx.apiKeys.create(ws.id, { name: 'k', scopes: ['projects:read'], expiresAt: null, createdBy: 'usr_x' }, {
        hash: Buffer.alloc(32, 1),
        prefix: 'cp_live_x',
        last4: 'xxxx',
      });
    });
    assert.equal((await s.store.projects.list(ws.id, {}, undefined, 10)).length, 1);
    assert.equal((await s.store.apiKeys.list(ws.id, undefined, 10)).length, 1);
  });

  it('instances starting at once migrate once: the advisory lock serialises them; isReady follows the version', async () => {
    const url = process.env.DATABASE_URL!;
    const schema = `cloud_api_test_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`CREATE SCHEMA ${schema}`);
    const pools = [createPool(url, { schema, max: 2 }), createPool(url, { schema, max: 2 })];
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
      await admin.query(`DROP SCHEMA ${schema} CASCADE`);
      await admin.end();
    }
  });
});
