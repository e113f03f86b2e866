import assert from 'node:assert/strict';
import { expectError, makeTestApp, signedIn, type TestApp } from '../helpers';
import { installClock, LIMITS_ON_FAKE_CLOCK, type FakeClock } from '../clock';
import { appFromSpec, removeSpecCopies, specWithLimits } from '../support/specCopy';
import type { AsyncStore as Store } from '../../src/store/ports';
import { overrideAggregate } from '../support/storeHooks';
import { apiKey, assertFresh, assertReplayOf, bearer, createKey, createProject, projectsOf } from '../support/idempotency';

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

describe('Idempotency-Key: what is stored, rotated secrets, expiry', () => {
  let clock: FakeClock | undefined;
  /** Every row of idempotency_records, read from the app's database. */
  const rawRows = (t: TestApp) => t.rows('SELECT * FROM idempotency_records');

  afterEach(() => {
    clock?.restore();
    clock = undefined;
  });
  after(removeSpecCopies);

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
});
