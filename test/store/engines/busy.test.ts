import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { RecordLocked, Busy } from '../../../src/store/ports';
import { openAsyncSqliteStore } from '../../../src/store/sqlite/async';
import { openPgStore } from '../../../src/store/postgres';
import { testSchema } from '../../support/postgres';

// Issue #22: each engine, made really busy by another connection, reports Busy (the
// HTTP layer's 503) after its busy timeout (5 s on both), inside a transaction and outside one;
// never its own error, which would be a 500.

const project = { name: 'waits', slug: 'waits', description: null };

describe('store engines: a busy database (SQLite)', function () {
  this.timeout(30_000);

  it('a write, in a transaction or not, while another connection holds the write lock: Busy', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cloud-api-busy-'));
    const store = openAsyncSqliteStore(join(dir, 'db.sqlite'));
    const other = new Database(join(dir, 'db.sqlite'));
    try {
      const ws = await store.identity.createWorkspace('W');
      other.exec('BEGIN IMMEDIATE');
      await assert.rejects(store.projects.create(ws.id, project), Busy);
      await assert.rejects(store.transaction((tx) => tx.projects.create(ws.id, project)), Busy);
      other.exec('ROLLBACK');
      await store.projects.create(ws.id, project);
    } finally {
      other.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

const url = process.env.DATABASE_URL;
(url ? describe : describe.skip)('store engines: a busy database (PostgreSQL)', function () {
  this.timeout(30_000);
  let schema: Awaited<ReturnType<typeof testSchema>>;
  let other: pg.Client;
  beforeEach(async () => {
    schema = await testSchema(url!);
    other = new pg.Client({ connectionString: schema.url });
    await other.connect();
  });
  afterEach(async () => {
    await other.end();
    await schema.drop();
  });

  it('a read and a transaction while another connection holds a table lock past lock_timeout: Busy', async () => {
    const store = await openPgStore(schema.url, { max: 2 });
    try {
      const ws = await store.identity.createWorkspace('W');
      await other.query('BEGIN');
      await other.query('LOCK TABLE projects IN ACCESS EXCLUSIVE MODE');
      await assert.rejects(store.projects.list(ws.id, {}, undefined, 10), Busy);
      await assert.rejects(store.transaction((tx) => tx.projects.create(ws.id, project)), Busy);
      await other.query('ROLLBACK');
      assert.deepEqual(await store.projects.list(ws.id, {}, undefined, 10), []);
    } finally {
      await store.close();
    }
  });

  it("an idempotency record's lock held by another transaction past lock_timeout: RecordLocked (the key is in use)", async () => {
    const store = await openPgStore(schema.url, { max: 2 });
    const id = Buffer.alloc(32, 7);
    let release!: () => void;
    const holding = new Promise<void>((r) => (release = r));
    let locked!: () => void;
    const isLocked = new Promise<void>((r) => (locked = r));
    try {
      const first = store.transaction(async (tx) => {
        await tx.idempotency.lock(id);
        locked();
        await holding;
      });
      await isLocked;
      await assert.rejects(store.transaction((tx) => tx.idempotency.lock(id)), RecordLocked);
      release();
      await first;
    } finally {
      release();
      await store.close();
    }
  });
});
