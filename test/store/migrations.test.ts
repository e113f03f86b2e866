import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { migrate, openDatabase, readSqliteMigrations } from '../../src/store/sqlite/db';
import type { Migration } from '../../src/store/shared/migrations';
import { createStore } from '../../src/store/sqlite';

describe('store: migrations', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cloud-api-db-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('the migration files are numbered from 001 without gaps', () => {
    const versions = readSqliteMigrations().map((m) => m.version);
    assert.ok(versions.length >= 1);
    assert.deepEqual(versions, versions.map((_, i) => i + 1));
  });

  it('migrate applies every migration on a fresh database, then nothing on a second run', () => {
    const db = new Database(':memory:');
    const all = readSqliteMigrations().map((m) => m.version);
    assert.deepEqual(migrate(db), all);
    assert.deepEqual(migrate(db), []);
    assert.deepEqual(migrate(db), []);
    const recorded = db.prepare('SELECT version FROM schema_migrations ORDER BY version').pluck().all();
    assert.deepEqual(recorded, all);
    db.close();
  });

  it('openDatabase migrates, and migrating again applies nothing', () => {
    const db = openDatabase(':memory:');
    assert.deepEqual(migrate(db), []);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    for (const t of ['memberships', 'projects', 'refresh_tokens', 'schema_migrations', 'sessions', 'users', 'workspaces']) {
      assert.ok(tables.includes(t), `table ${t}`);
    }
    db.close();
  });

  it('a file database uses WAL, enforces foreign keys, and keeps data and version across reopen', () => {
    const path = join(dir, 'nested', 'cloud-api.sqlite');
    const first = openDatabase(path);
    assert.equal(first.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(first.pragma('foreign_keys', { simple: true }), 1);
    const store = createStore(first);
    assert.equal(store.isReady(), true);
    const ws = store.identity.createWorkspace('Acme');
    const p = store.projects.create(ws.id, { name: 'Kept', slug: 'kept', description: null });
    store.close();

    const again = openDatabase(path);
    assert.equal(again.pragma('journal_mode', { simple: true }), 'wal');
    assert.deepEqual(migrate(again), []);
    const reopened = createStore(again);
    assert.equal(reopened.isReady(), true);
    assert.deepEqual(reopened.projects.get(ws.id, p.id), p);
    reopened.close();
  });

  it('only the migrations not yet applied run, in order', () => {
    const db = new Database(':memory:');
    const base = readSqliteMigrations();
    migrate(db, base);
    const next: Migration = {
      version: base.length + 1,
      name: `${String(base.length + 1).padStart(3, '0')}_test_extra`,
      sql: 'CREATE TABLE test_extra (id INTEGER PRIMARY KEY) STRICT;',
    };
    assert.deepEqual(migrate(db, [...base, next]), [next.version]);
    assert.deepEqual(migrate(db, [...base, next]), []);
    db.close();
  });

  it('a failing migration is rolled back as a whole and not recorded', () => {
    const db = new Database(':memory:');
    const base = readSqliteMigrations();
    migrate(db, base);
    const broken: Migration = {
      version: base.length + 1,
      name: 'broken',
      sql: 'CREATE TABLE half_done (id INTEGER) STRICT; INSERT INTO no_such_table VALUES (1);',
    };
    assert.throws(() => migrate(db, [...base, broken]), /no_such_table/);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE name = 'half_done'").pluck().all();
    assert.deepEqual(tables, []);
    assert.equal(db.prepare('SELECT max(version) FROM schema_migrations').pluck().get(), base.length);
    db.close();
  });

  it('isReady is false for a database behind the latest migration', () => {
    const db = new Database(':memory:');
    const base = readSqliteMigrations();
    migrate(db, base);
    db.prepare('DELETE FROM schema_migrations WHERE version = ?').run(base.length);
    assert.equal(createStore(db).isReady(), false);
    db.close();
  });
});
