import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Response } from 'supertest';
import { expectError, makeTestApp, signedIn, type TestApp } from '../helpers';
import { installClock, LIMITS_ON_FAKE_CLOCK, type FakeClock } from '../clock';
import { appFromSpec, removeSpecCopies, specWithLimits } from '../support/specCopy';
import type { AsyncStore as Store } from '../../src/store/async';
import { overrideAggregate } from '../support/storeHooks';
import { sqliteOnly } from '../support/engine';
import type { Project } from '../../src/store/projects';

type Auth = [header: string, value: string];
const bearer = (u: { auth: string }): Auth => ['Authorization', u.auth];
const apiKey = (key: string): Auth => ['x-api-key', key];

function createProject(t: TestApp, auth: Auth, key: string | undefined, body: Record<string, unknown>) {
  const req = t.http.post('/v1/projects').set(...auth);
  if (key !== undefined) req.set('Idempotency-Key', key);
  return req.send(body);
}

function patchProject(t: TestApp, auth: Auth, id: string, key: string, body: Record<string, unknown>) {
  return t.http.patch(`/v1/projects/${id}`).set(...auth).set('Idempotency-Key', key).send(body);
}

async function createKey(t: TestApp, auth: Auth, scopes: string[], name = `key ${scopes.join(' ')}`) {
  const res = await t.http.post('/v1/api-keys').set(...auth).send({ name, scopes });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.data as { id: string; key: string };
}

const projectsOf = (t: TestApp, workspaceId: string): Promise<Project[]> => t.store.projects.list(workspaceId, {}, undefined, 100);

/** A first response: no Idempotent-Replayed header. */
function assertFresh(res: Response, status: number) {
  assert.equal(res.status, status, JSON.stringify(res.body));
  assert.equal(res.headers['idempotent-replayed'], undefined, 'a first response is not marked as replayed');
}

/** A replay of `first`: same status, byte-identical body, same Location and ETag, marked replayed. */
function assertReplayOf(res: Response, first: Response) {
  assert.equal(res.status, first.status, JSON.stringify(res.body));
  assert.equal(res.headers['idempotent-replayed'], 'true');
  assert.equal(res.text, first.text, 'the replayed body is byte for byte the first one');
  assert.equal(res.headers['location'], first.headers['location']);
  assert.equal(res.headers['etag'], first.headers['etag']);
  assert.match(String(res.headers['content-type']), /^application\/json/);
  assert.ok(res.headers['x-request-id'], 'a replay has its own X-Request-Id');
}

/** A store whose projects.create inserts the project and then throws, on its first call only. */
function failFirstCreateAfterInsert(calls: { count: number }) {
  return (real: Store): Store =>
    overrideAggregate(real, 'projects', (projects) => ({
      ...projects,
      create: async (workspaceId, project) => {
        calls.count += 1;
        const created = await projects.create(workspaceId, project);
        if (calls.count === 1) throw new Error('boom after the insert');
        return created;
      },
    }));
}

describe('Idempotency-Key', () => {
  let clock: FakeClock | undefined;
  /** Every row of idempotency_records, read from the app's database. */
  const rawRows = (t: TestApp) => t.rows('SELECT * FROM idempotency_records');

  afterEach(() => {
    clock?.restore();
    clock = undefined;
  });
  after(removeSpecCopies);

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
    sqliteOnly('another connection holds the database file\'s write lock')('createProject: 409 idempotency_key_in_use with Retry-After: 1 while another process holds the write lock; the retry with the key → 201', async function () {
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
        expectError(busy, 409, 'idempotency_key_in_use');
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

  describe('what is stored', () => {
    it('createProject: the handler\'s own 409 slug_taken is stored and replayed byte for byte, even after the slug became free', async () => {
      const t = makeTestApp();
      const u = await signedIn(t);
      const holder = await createProject(t, bearer(u), undefined, { name: 'Holder', slug: 'a' });
      assert.equal(holder.status, 201);
      const first = await createProject(t, bearer(u), 'K', { name: 'Wants a', slug: 'a' });
      expectError(first, 409, 'slug_taken');
      assert.equal(first.headers['idempotent-replayed'], undefined);
      const del = await t.http.delete(`/v1/projects/${holder.body.data.id}`).set(...bearer(u));
      assert.equal(del.status, 204);
      const again = await createProject(t, bearer(u), 'K', { name: 'Wants a', slug: 'a' });
      assertReplayOf(again, first);
      // Byte for byte includes the first request's request_id; the replay has its own X-Request-Id.
      assert.equal(again.body.error.code, 'slug_taken');
      assert.equal(again.body.error.request_id, first.headers['x-request-id']);
      assert.deepEqual((await projectsOf(t, u.workspaceId)), []);
      // A new key is a new request: now the slug is free.
      assert.equal((await createProject(t, bearer(u), 'K2', { name: 'Wants a', slug: 'a' })).status, 201);
    });

    it('createProject: 401 (no credential) does not use up the key; the valid request with it then runs → 201', async () => {
      const t = makeTestApp();
      const u = await signedIn(t);
      const res = await t.http.post('/v1/projects').set('Idempotency-Key', 'K').send({ name: 'P' });
      expectError(res, 401, 'unauthenticated');
      expectError(await t.http.post('/v1/projects').set('Authorization', 'Bearer not-a-token').set('Idempotency-Key', 'K')
        .send({ name: 'P' }), 401, 'invalid_token');
      assert.equal((await rawRows(t)).length, 0);
      assertFresh(await createProject(t, bearer(u), 'K', { name: 'P' }), 201);
      assert.equal((await projectsOf(t, u.workspaceId)).length, 1);
    });

    it('createProject: 403 for an API key without projects:write stores nothing', async () => {
      const t = makeTestApp();
      const u = await signedIn(t);
      const reader = await createKey(t, bearer(u), ['projects:read']);
      for (let i = 0; i < 2; i++) {
        const res = await createProject(t, apiKey(reader.key), 'K', { name: 'P' });
        expectError(res, 403, 'insufficient_scope');
        assert.equal(res.headers['idempotent-replayed'], undefined);
      }
      assert.equal((await rawRows(t)).length, 0);
      assert.deepEqual((await projectsOf(t, u.workspaceId)), []);
    });

    it('createApiKey: the handler\'s 403 insufficient_scope (escalation) does not use up the key; a valid request with it → 201', async () => {
      const t = makeTestApp();
      const u = await signedIn(t);
      const limited = await createKey(t, bearer(u), ['keys:write', 'projects:read']);
      const escalate = () => t.http.post('/v1/api-keys').set(...apiKey(limited.key)).set('Idempotency-Key', 'K')
        .send({ name: 'Escalated', scopes: ['projects:write'] });
      for (let i = 0; i < 2; i++) {
        const res = await escalate();
        expectError(res, 403, 'insufficient_scope');
        assert.equal(res.headers['idempotent-replayed'], undefined);
      }
      const rowsBefore = (await rawRows(t)).length; // the keys created with the bearer token had no Idempotency-Key
      assert.equal(rowsBefore, 0);
      // Had the 403 been stored, another body with the same key would be 422.
      const ok = await t.http.post('/v1/api-keys').set(...apiKey(limited.key)).set('Idempotency-Key', 'K')
        .send({ name: 'Allowed', scopes: ['projects:read'] });
      assertFresh(ok, 201);
    });

    it('createProject: 400 validation_failed does not use up the key; a valid request with it then runs → 201', async () => {
      const t = makeTestApp();
      const u = await signedIn(t);
      for (const body of [{}, { name: '' }, { name: 'P', unknown: 1 }, { name: 42 }]) {
        expectError(await createProject(t, bearer(u), 'K', body), 400, 'validation_failed');
      }
      expectError(
        await t.http.post('/v1/projects').set(...bearer(u)).set('Idempotency-Key', 'K').set('Content-Type', 'application/json').send('{"name":'),
        400,
        'malformed_json',
      );
      assert.equal((await rawRows(t)).length, 0);
      assertFresh(await createProject(t, bearer(u), 'K', { name: 'P' }), 201);
      assert.equal((await projectsOf(t, u.workspaceId)).length, 1);
    });

    it('createApiKey: the handler\'s own 400 validation_failed (expires_at in the past) does not use up the key; the corrected request with it → 201', async () => {
      const t = makeTestApp();
      const u = await signedIn(t);
      const send = (expires_at: string) =>
        t.http.post('/v1/api-keys').set(...bearer(u)).set('Idempotency-Key', 'K').send({ name: 'Expiring', scopes: ['projects:read'], expires_at });
      const past = await send('2020-01-01T00:00:00.000Z');
      const err = expectError(past, 400, 'validation_failed');
      assert.deepEqual(err.details.map((d: any) => d.pointer), ['/body/expires_at']);
      assert.equal((await rawRows(t)).length, 0);
      const future = new Date(Date.now() + 86_400_000).toISOString();
      const ok = await send(future);
      assertFresh(ok, 201);
      assert.equal(ok.body.data.expires_at, future);
      assertReplayOf(await send(future), ok);
    });

    it('createProject: 429 rate_limited does not use up the key; after the window the request with it runs → 201', async () => {
      clock = installClock();
      const t = appFromSpec(specWithLimits({ 'projects-write': { limit: 1, window: 60 } }), LIMITS_ON_FAKE_CLOCK);
      const u = await signedIn(t);
      assert.equal((await createProject(t, bearer(u), undefined, { name: 'uses the budget' })).status, 201);
      const limited = await createProject(t, bearer(u), 'K', { name: 'P' });
      expectError(limited, 429, 'rate_limited');
      clock.advance(61);
      const res = await createProject(t, bearer(u), 'K', { name: 'P' });
      assertFresh(res, 201);
      assert.equal(res.body.data.name, 'P');
      assert.equal((await projectsOf(t, u.workspaceId)).length, 2);
    });

    it('createProject: a 500 rolls back the project and releases the key; the retry with it → 201, one project', async () => {
      const calls = { count: 0 };
      const t = makeTestApp({}, { store: failFirstCreateAfterInsert(calls) });
      const u = await signedIn(t);
      const failed = await createProject(t, bearer(u), 'K', { name: 'Flaky', slug: 'flaky' });
      expectError(failed, 500, 'internal_error');
      assert.equal(calls.count, 1);
      assert.deepEqual((await projectsOf(t, u.workspaceId)), [], 'the insert was rolled back with the failed request');
      const retry = await createProject(t, bearer(u), 'K', { name: 'Flaky', slug: 'flaky' });
      assertFresh(retry, 201);
      assert.equal(calls.count, 2);
      assertReplayOf(await createProject(t, bearer(u), 'K', { name: 'Flaky', slug: 'flaky' }), retry);
      assert.deepEqual((await projectsOf(t, u.workspaceId)).map((p) => p.id), [retry.body.data.id]);
    });
  });

  describe('rotateApiKey and stored secrets', () => {
    it('rotateApiKey: a retry with the same key replays the same new secret, which works; the stored bodies are encrypted at rest', async () => {
      const t = makeTestApp();
      const u = await signedIn(t);
      const original = await createKey(t, bearer(u), ['projects:read', 'projects:write']);
      const rotate = (key?: string) => {
        const req = t.http.post(`/v1/api-keys/${original.id}/rotate`).set(...bearer(u));
        if (key) req.set('Idempotency-Key', key);
        return req.send({});
      };
      const first = await rotate('rotate-1');
      assertFresh(first, 200);
      const secret: string = first.body.data.key;
      assert.match(secret, /^cp_live_/);
      assert.notEqual(secret, original.key);
      assert.equal(first.headers['cache-control'], 'no-store');
      const again = await rotate('rotate-1');
      assertReplayOf(again, first);
      assert.equal(again.body.data.key, secret);
      assert.equal(again.headers['cache-control'], 'no-store');
      assert.equal((await t.http.get('/v1/projects').set(...apiKey(secret))).status, 200, 'the replayed secret works');

      // A project created with a key: its response body is stored too.
      const project = await createProject(t, apiKey(secret), 'create-1', { name: 'Zanzibar-Marker-Project', description: 'secret plans' });
      assertFresh(project, 201);

      const rows = await rawRows(t);
      assert.equal(rows.length, 2);
      const needles = [
        secret,
        secret.slice(8),
        first.text,
        project.text,
        JSON.stringify(project.body.data),
        'Zanzibar-Marker-Project',
        'secret plans',
        'rotate-1',
        'create-1',
      ];
      for (const row of rows) {
        assert.ok(Buffer.isBuffer(row.body), 'the body is stored as bytes');
        for (const [column, value] of Object.entries(row)) {
          const raw = Buffer.isBuffer(value) ? value : Buffer.from(String(value), 'utf8');
          for (const needle of needles) {
            assert.equal(raw.includes(Buffer.from(needle, 'utf8')), false, `${column} holds ${needle.slice(0, 40)} in clear`);
            assert.equal(raw.toString('latin1').includes(needle), false, `${column} holds ${needle.slice(0, 40)} in clear`);
          }
        }
      }
      // A rotation without a key hands out yet another secret.
      const third = await rotate();
      assert.equal(third.status, 200);
      assert.notEqual(third.body.data.key, secret);
    });
  });

  describe('expiry', () => {
    it('createProject: after IDEMPOTENCY_RETENTION_SECONDS the same key runs again as a new request → a second project', async () => {
      clock = installClock();
      const t = makeTestApp({ IDEMPOTENCY_RETENTION_SECONDS: '60' });
      const u = await signedIn(t);
      const first = await createProject(t, bearer(u), 'K', { name: 'Kept a minute' });
      assertFresh(first, 201);
      clock.advance(59);
      assertReplayOf(await createProject(t, bearer(u), 'K', { name: 'Kept a minute' }), first);
      clock.advance(2);
      const later = await createProject(t, bearer(u), 'K', { name: 'Kept a minute' });
      assertFresh(later, 201);
      assert.notEqual(later.body.data.id, first.body.data.id);
      assert.equal((await projectsOf(t, u.workspaceId)).length, 2);
      // The new outcome is stored in turn; an expired key may even take another body.
      assertReplayOf(await createProject(t, bearer(u), 'K', { name: 'Kept a minute' }), later);
      clock.advance(61);
      assertFresh(await createProject(t, bearer(u), 'K', { name: 'Another body' }), 201);
    });

    it('expired records are purged by later writes with a key', async () => {
      clock = installClock();
      const t = makeTestApp({ IDEMPOTENCY_RETENTION_SECONDS: '60' });
      const u = await signedIn(t);
      for (let i = 0; i < 5; i++) assertFresh(await createProject(t, bearer(u), `old-${i}`, { name: `Old ${i}` }), 201);
      assert.equal((await rawRows(t)).length, 5);
      clock.advance(30);
      assertFresh(await createProject(t, bearer(u), 'young', { name: 'Young' }), 201);
      assert.equal((await rawRows(t)).length, 6, 'nothing has expired yet');
      clock.advance(31);
      assertFresh(await createProject(t, bearer(u), 'fresh', { name: 'Fresh' }), 201);
      const rows = await rawRows(t);
      assert.equal(rows.length, 2, 'the five expired records were purged; the live ones stay');
      const now = new Date(Date.now()).toISOString();
      for (const row of rows) assert.ok(String(row.expires_at) > now);
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
