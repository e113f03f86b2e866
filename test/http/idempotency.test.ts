import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { expectError, makeTestApp, signedIn, type TestApp } from '../helpers';
import { sqliteOnly } from '../support/engine';
import {
  apiKey,
  assertFresh,
  assertReplayOf,
  bearer,
  createKey,
  createProject,
  projectsOf,
  type Auth,
} from '../support/idempotency';

function patchProject(t: TestApp, auth: Auth, id: string, key: string, body: Record<string, unknown>) {
  return t.http.patch(`/v1/projects/${id}`).set(...auth).set('Idempotency-Key', key).send(body);
}

describe('Idempotency-Key', () => {
  describe('replay (same key, same request)', () => {
    it('createProject: the retry replays the stored 201 byte for byte with the same Location and Idempotent-Replayed: true; one project exists', async () => {
      const t = makeTestApp();
      const u = await signedIn(t);
      const body = { name: 'Payments API', description: 'Charges and refunds' };
      const first = await createProject(t, bearer(u), 'key-1', body);
      assertFresh(first, 201);
      assert.match(first.headers['location'], /^\/v1\/projects\/prj_/);
      for (let i = 0; i < 3; i++) assertReplayOf(await createProject(t, bearer(u), 'key-1', body), first);
      const projects = (await projectsOf(t, u.workspaceId));
      assert.equal(projects.length, 1);
      assert.deepEqual(projects[0], first.body.data);
    });

    it('createProject: the order of the body keys does not matter ({name, slug} and {slug, name} are one request) → 201 replayed', async () => {
      const t = makeTestApp();
      const u = await signedIn(t);
      const first = await t.http.post('/v1/projects').set(...bearer(u)).set('Idempotency-Key', 'k')
        .set('Content-Type', 'application/json').send('{"name":"Ordered","slug":"ordered","description":null}');
      assertFresh(first, 201);
      const again = await t.http.post('/v1/projects').set(...bearer(u)).set('Idempotency-Key', 'k')
        .set('Content-Type', 'application/json').send('{ "description": null,\n "slug": "ordered", "name": "Ordered" }');
      assertReplayOf(again, first);
      assert.equal((await projectsOf(t, u.workspaceId)).length, 1);
    });

    it('updateProject: the retry replays the stored 200 and does not patch again (updated_at unchanged)', async () => {
      const t = makeTestApp();
      const u = await signedIn(t);
      const created = await createProject(t, bearer(u), undefined, { name: 'Before' });
      const id = created.body.data.id;
      const first = await patchProject(t, bearer(u), id, 'patch-1', { name: 'After' });
      assertFresh(first, 200);
      assert.equal(first.body.data.name, 'After');
      // Someone else changes the project in between: the retry must not overwrite it.
      const other = await t.http.patch(`/v1/projects/${id}`).set(...bearer(u)).send({ description: 'changed since' });
      assert.equal(other.status, 200);
      const again = await patchProject(t, bearer(u), id, 'patch-1', { name: 'After' });
      assertReplayOf(again, first);
      assert.deepEqual(await t.store.projects.get(u.workspaceId, id), other.body.data, 'the replay changed nothing');
    });
  });

  describe('422 idempotency_key_reused (same key, different request)', () => {
    it('createProject: a different body with the same key → 422 idempotency_key_reused, and nothing is created', async () => {
      const t = makeTestApp();
      const u = await signedIn(t);
      const first = await createProject(t, bearer(u), 'reused', { name: 'One' });
      assertFresh(first, 201);
      for (const body of [{ name: 'Two' }, { name: 'One', description: 'more' }, { name: 'One', slug: 'one' }]) {
        const res = await createProject(t, bearer(u), 'reused', body);
        const err = expectError(res, 422, 'idempotency_key_reused');
        assert.equal(res.headers['idempotent-replayed'], undefined);
        assert.deepEqual(err.details, [{ field: 'Idempotency-Key', code: 'idempotency_key_reused', message: 'reused' }]);
      }
      assert.deepEqual((await projectsOf(t, u.workspaceId)).map((p) => p.id), [first.body.data.id]);
      // The original request still replays.
      assertReplayOf(await createProject(t, bearer(u), 'reused', { name: 'One' }), first);
    });

    it('updateProject: the same key on another target (PATCH /projects/A, then /projects/B) → 422 idempotency_key_reused; B unchanged', async () => {
      const t = makeTestApp();
      const u = await signedIn(t);
      const a = (await createProject(t, bearer(u), undefined, { name: 'A' })).body.data;
      const b = (await createProject(t, bearer(u), undefined, { name: 'B' })).body.data;
      assertFresh(await patchProject(t, bearer(u), a.id, 'target', { description: 'same body' }), 200);
      expectError(await patchProject(t, bearer(u), b.id, 'target', { description: 'same body' }), 422, 'idempotency_key_reused');
      assert.deepEqual(await t.store.projects.get(u.workspaceId, b.id), b);
    });
  });

  describe('concurrent requests with one key', () => {
    it('createProject: 20 concurrent requests create exactly one project; the others are replays of it or 409 idempotency_key_in_use with Retry-After: 1', async () => {
      const t = makeTestApp();
      const u = await signedIn(t);
      const body = { name: 'Raced', description: 'twenty at once' };
      const responses = await Promise.all(Array.from({ length: 20 }, () => createProject(t, bearer(u), 'race', body)));
      const originals = responses.filter((r) => r.status === 201 && r.headers['idempotent-replayed'] === undefined);
      assert.equal(originals.length, 1, `exactly one original: ${responses.map((r) => r.status)}`);
      const [original] = originals;
      for (const res of responses) {
        if (res === original) continue;
        if (res.status === 409) {
          expectError(res, 409, 'idempotency_key_in_use');
          assert.equal(res.headers['retry-after'], '1');
        } else {
          assertReplayOf(res, original);
        }
      }
      const projects = (await projectsOf(t, u.workspaceId));
      assert.equal(projects.length, 1);
      assert.equal(projects[0].id, original.body.data.id);
    });

    // On PostgreSQL a write waits for the row it needs instead: nothing holds the whole database.
    sqliteOnly('another connection holds the database file\'s write lock')('createProject: 503 service_unavailable with Retry-After: 1 while another process holds the write lock; the retry with the key → 201', async function () {
      this.timeout(30_000);
      const dir = mkdtempSync(join(tmpdir(), 'cloud-api-idem-'));
      const path = join(dir, 'db.sqlite');
      const t = makeTestApp({ DATABASE_PATH: path });
      const u = await signedIn(t);
      // Another process (here: another connection) is in the middle of a write. The app waits
      // for the lock (busy_timeout, 5 s), then gives up.
      const other = new Database(path);
      try {
        other.exec('BEGIN IMMEDIATE');
        const busy = await createProject(t, bearer(u), 'K', { name: 'Waits' });
        // The database, not this key, is busy: the answer every path gives, and the key is not used up.
        expectError(busy, 503, 'service_unavailable');
        assert.equal(busy.headers['retry-after'], '1');
        other.exec('ROLLBACK');
      } finally {
        other.close();
      }
      assert.deepEqual((await projectsOf(t, u.workspaceId)), []);
      assertFresh(await createProject(t, bearer(u), 'K', { name: 'Waits' }), 201);
      assert.equal((await projectsOf(t, u.workspaceId)).length, 1);
      await t.store.close();
      rmSync(dir, { recursive: true, force: true });
    });
  });

  describe('scope', () => {
    it('createProject: the same key in two workspaces creates two projects', async () => {
      const t = makeTestApp();
      const u1 = await signedIn(t);
      const u2 = await signedIn(t);
      const r1 = await createProject(t, bearer(u1), 'shared', { name: 'Same' });
      const r2 = await createProject(t, bearer(u2), 'shared', { name: 'Same' });
      assertFresh(r1, 201);
      assertFresh(r2, 201);
      assert.notEqual(r1.body.data.id, r2.body.data.id);
      assert.deepEqual((await projectsOf(t, u1.workspaceId)).map((p) => p.id), [r1.body.data.id]);
      assert.deepEqual((await projectsOf(t, u2.workspaceId)).map((p) => p.id), [r2.body.data.id]);
    });

    it('createProject: the same key from two API keys (and the user) of one workspace creates a project each', async () => {
      const t = makeTestApp();
      const u = await signedIn(t);
      const k1 = await createKey(t, bearer(u), ['projects:write']);
      const k2 = await createKey(t, bearer(u), ['projects:write']);
      const ids = [];
      for (const auth of [apiKey(k1.key), apiKey(k2.key), bearer(u)]) {
        const res = await createProject(t, auth, 'per-credential', { name: 'Same name' });
        assertFresh(res, 201);
        ids.push(res.body.data.id);
        // Each credential replays its own.
        assertReplayOf(await createProject(t, auth, 'per-credential', { name: 'Same name' }), res);
      }
      assert.equal(new Set(ids).size, 3);
      assert.deepEqual((await projectsOf(t, u.workspaceId)).map((p) => p.id).sort(), [...ids].sort());
    });

    it('the same key on createProject and createApiKey does not collide (both 201, neither replayed nor 422)', async () => {
      const t = makeTestApp();
      const u = await signedIn(t);
      assertFresh(await createProject(t, bearer(u), 'same-key', { name: 'Project' }), 201);
      const key = await t.http.post('/v1/api-keys').set(...bearer(u)).set('Idempotency-Key', 'same-key')
        .send({ name: 'Key', scopes: ['projects:read'] });
      assertFresh(key, 201);
      assert.match(key.body.data.key, /^cp_live_/);
    });
  });

  describe('400 validation_failed for a malformed Idempotency-Key', () => {
    const bad: [string, string][] = [
      ['empty', ''],
      ['256 characters', 'k'.repeat(256)],
      ['a tab inside', 'a\tb'],
      ['a non-ASCII character', 'clé'],
      ['a byte above 0x7E', 'key\u00ff'],
    ];
    for (const [what, value] of bad) {
      it(`createProject: ${what} → 400 validation_failed, nothing created`, async () => {
        const t = makeTestApp();
        const u = await signedIn(t);
        const res = await createProject(t, bearer(u), value, { name: 'P' });
        const err = expectError(res, 400, 'validation_failed');
        assert.ok(
          err.details.some((d: any) => /idempotency-key/i.test(String(d.pointer ?? d.field ?? ''))),
          `a detail names the header: ${JSON.stringify(err.details)}`,
        );
        assert.deepEqual((await projectsOf(t, u.workspaceId)), []);
      });
    }

    it('createProject: 255 printable ASCII characters (including spaces and symbols) are accepted → 201 and replayed', async () => {
      const t = makeTestApp();
      const u = await signedIn(t);
      const printable = Array.from({ length: 0x7e - 0x21 + 1 }, (_, i) => String.fromCharCode(0x21 + i)).join('');
      const key = `x ${printable}`.padEnd(255, '~');
      assert.equal(key.length, 255);
      const first = await createProject(t, bearer(u), key, { name: 'Long key' });
      assertFresh(first, 201);
      assertReplayOf(await createProject(t, bearer(u), key, { name: 'Long key' }), first);
      expectError(await patchProject(t, bearer(u), first.body.data.id, 'p'.repeat(256), { name: 'x' }), 400, 'validation_failed');
      expectError(await t.http.post('/v1/api-keys').set(...bearer(u)).set('Idempotency-Key', '')
        .send({ name: 'k', scopes: ['projects:read'] }), 400, 'validation_failed');
    });
  });
});
