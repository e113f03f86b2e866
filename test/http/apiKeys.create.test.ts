import assert from 'node:assert/strict';
import { expectError, makeTestApp, signedIn, type TestApp } from '../helpers';
import { installClock, type FakeClock } from '../clock';
import { expectErrorFor } from '../support/errors';
import { makeAppWith } from '../support/app';
import { hashApiKey } from '../../src/auth/apiKeys';
import {
  ALL_SCOPES,
  API_KEY_FIELDS,
  KEY_FORMAT,
  KEY_ID,
  apiKey,
  assertApiKeyShape,
  assertShows,
  bearer,
  createKeyHttp,
  expectInsufficientScope,
  expectInternalError,
  expectInvalidApiKey,
  failingApiKeys,
  ownerWithKey,
  tamper,
  type Cred,
} from '../support/apiKeys';

const post = (t: TestApp, cred: Cred, body: unknown) => t.http.post('/v1/api-keys').set(cred).send(body as object);

describe('POST /v1/api-keys (createApiKey)', () => {
  let clock: FakeClock | undefined;
  afterEach(() => {
    clock?.restore();
    clock = undefined;
  });

  describe('201', () => {
    it('createApiKey: 201 returns the full key once, with Location and Cache-Control: no-store', async () => {
      const t = makeTestApp();
      const u = await signedIn(t);
      const res = await post(t, bearer(u.auth), { name: 'billing-worker', scopes: ['projects:read'] });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.deepEqual(Object.keys(res.body), ['data']);
      const k = res.body.data;
      assert.deepEqual(Object.keys(k).sort(), [...API_KEY_FIELDS, 'key'].sort());
      assert.match(k.key, KEY_FORMAT);
      assert.match(k.key, /^cp_live_/);
      assert.match(k.id, KEY_ID);
      assert.equal(k.name, 'billing-worker');
      assert.deepEqual(k.scopes, ['projects:read']);
      assertShows(k, k.key);
      assert.equal(k.expires_at, null);
      assert.equal(k.last_used_at, null);
      assert.equal(k.rotated_at, null);
      const { key: _key, ...rest } = k;
      assertApiKeyShape(rest);
      assert.equal(res.headers.location, `/v1/api-keys/${k.id}`);
      assert.equal(res.headers['cache-control'], 'no-store');
      assert.ok(res.headers['x-request-id']);

      // The Location resolves to the key, without the secret.
      const got = await t.http.get(res.headers.location).set(bearer(u.auth)).expect(200);
      assert.deepEqual(got.body.data, rest);
      // And the key works at once.
      await t.http.get('/v1/me').set(apiKey(k.key)).expect(200);
    });

    it('createApiKey: 201 every key is different, and the database holds only peppered hashes of them', async () => {
      const t = makeTestApp();
      const u = await signedIn(t);
      const a = await createKeyHttp(t, bearer(u.auth), { name: 'same', scopes: ['projects:read'] });
      const b = await createKeyHttp(t, bearer(u.auth), { name: 'same', scopes: ['projects:read'] });
      assert.notEqual(a.id, b.id);
      assert.notEqual(a.key, b.key);
      const rows = (await t.rows('SELECT * FROM api_key_secrets')) as { secret_hash: Buffer; key_id: string }[];
      assert.equal(rows.length, 2);
      const dump = JSON.stringify([await t.rows('SELECT * FROM api_keys'), rows]);
      for (const k of [a, b]) {
        assert.ok(!dump.includes(k.key), 'the key is not stored');
        assert.ok(!dump.includes(k.key.slice(12, 40)), 'nor its hidden random part');
        const hash = hashApiKey(k.key, t.secrets.pepper);
        assert.ok(rows.some((r) => r.key_id === k.id && Buffer.compare(r.secret_hash, hash) === 0));
      }
    });

    it('createApiKey: 201 with every scope, each of the five scopes alone, and any subset', async () => {
      const t = makeTestApp();
      const u = await signedIn(t);
      for (const scopes of [ALL_SCOPES, ...ALL_SCOPES.map((s) => [s]), ['webhooks:write', 'projects:read'] as const]) {
        const k = await createKeyHttp(t, bearer(u.auth), { scopes: [...scopes] });
        assert.deepEqual(k.scopes, scopes);
        const me = await t.http.get('/v1/me').set(apiKey(k.key)).expect(200);
        assert.deepEqual([...me.body.data.scopes].sort(), [...scopes].sort());
      }
    });

    it('createApiKey: 201 with expires_at in the future, stored in the canonical UTC form', async () => {
      const t = makeTestApp();
      const u = await signedIn(t);
      const at = new Date(Date.now() + 86_400_000);
      const k = await createKeyHttp(t, bearer(u.auth), { expires_at: at.toISOString() });
      assert.equal(k.expires_at, at.toISOString());
      // An offset is accepted and normalized to UTC.
      const local = '2099-06-01T12:00:00+02:00';
      const k2 = await createKeyHttp(t, bearer(u.auth), { expires_at: local });
      assert.equal(k2.expires_at, '2099-06-01T10:00:00.000Z');
      await t.http.get('/v1/me').set(apiKey(k2.key)).expect(200);
    });

    it('createApiKey: 201 a key with keys:write can create a key with a subset of its own scopes', async () => {
      const t = makeTestApp();
      const { keyCred } = await ownerWithKey(t, ['keys:write', 'projects:read', 'projects:write']);
      const child = await createKeyHttp(t, keyCred, { name: 'child', scopes: ['projects:read'] });
      assert.deepEqual(child.scopes, ['projects:read']);
      await t.http.get('/v1/projects').set(apiKey(child.key)).expect(200);
      const same = await createKeyHttp(t, keyCred, { scopes: ['keys:write', 'projects:read', 'projects:write'] });
      assert.match(same.key, KEY_FORMAT);
    });

    it('createApiKey: 201 with a bearer token and an API key together, within the scopes both hold', async () => {
      const t = makeTestApp();
      const { owner, keyCred } = await ownerWithKey(t, ['keys:write', 'projects:read']);
      const k = await createKeyHttp(t, { ...bearer(owner.auth), ...keyCred }, { scopes: ['projects:read'] });
      assert.deepEqual(k.scopes, ['projects:read']);
    });
  });

  describe('400', () => {
    it('createApiKey: 400 validation_failed for a missing, empty or too long name, bad scopes or unknown fields', async () => {
      const t = makeTestApp();
      const u = await signedIn(t);
      const cases: [string, unknown, string][] = [
        ['no name', { scopes: ['projects:read'] }, '/body/name'],
        ['empty name', { name: '', scopes: ['projects:read'] }, '/body/name'],
        ['long name', { name: 'n'.repeat(101), scopes: ['projects:read'] }, '/body/name'],
        ['numeric name', { name: 42, scopes: ['projects:read'] }, '/body/name'],
        ['no scopes', { name: 'x' }, '/body/scopes'],
        ['empty scopes', { name: 'x', scopes: [] }, '/body/scopes'],
        ['unknown scope', { name: 'x', scopes: ['admin:all'] }, '/body/scopes/0'],
        ['duplicate scopes', { name: 'x', scopes: ['projects:read', 'projects:read'] }, '/body/scopes'],
        ['scopes as a string', { name: 'x', scopes: 'projects:read' }, '/body/scopes'],
        ['unknown field', { name: 'x', scopes: ['projects:read'], key: 'cp_live_mine' }, '/body/key'],
        ['bad expires_at', { name: 'x', scopes: ['projects:read'], expires_at: 'tomorrow' }, '/body/expires_at'],
        ['date only', { name: 'x', scopes: ['projects:read'], expires_at: '2099-01-01' }, '/body/expires_at'],
        ['null expires_at', { name: 'x', scopes: ['projects:read'], expires_at: null }, '/body/expires_at'],
      ];
      for (const [what, body, pointer] of cases) {
        const res = await post(t, bearer(u.auth), body);
        expectErrorFor(what, res, 400, 'validation_failed', pointer);
      }
      const list = await t.http.get('/v1/api-keys').set(bearer(u.auth)).expect(200);
      assert.deepEqual(list.body.data, [], 'nothing was created');
    });

    it('createApiKey: 400 validation_failed for expires_at in the past (or now), naming /body/expires_at', async () => {
      clock = installClock();
      const t = makeTestApp();
      const u = await signedIn(t);
      for (const at of [new Date(Date.now() - 1000), new Date(Date.now()), new Date(0)]) {
        const res = await post(t, bearer(u.auth), { name: 'x', scopes: ['projects:read'], expires_at: at.toISOString() });
        const err = expectError(res, 400, 'validation_failed');
        assert.deepEqual(
          err.details.map((d: any) => [d.pointer, d.code]),
          [['/body/expires_at', 'in_the_past']],
          at.toISOString(),
        );
      }
      // Control: a few seconds ahead is fine.
      await createKeyHttp(t, bearer(u.auth), { expires_at: new Date(Date.now() + 5000).toISOString() });
      const list = await t.http.get('/v1/api-keys').set(bearer(u.auth)).expect(200);
      assert.equal(list.body.data.length, 1);
    });

    it('createApiKey: 400 validation_failed for an expires_at the contract cannot represent, and nothing is stored', async () => {
      const t = makeTestApp();
      const u = await signedIn(t);
      // Both pass the validator's date-time format: a leap second Date cannot parse, and an offset
      // that carries the instant past 9999-12-31 (`+010000-...`, which no response may show).
      for (const at of ['2099-12-31T23:59:60Z', '9999-12-31T23:59:59-01:00']) {
        const res = await post(t, bearer(u.auth), { name: 'x', scopes: ['projects:read'], expires_at: at });
        const err = expectError(res, 400, 'validation_failed');
        assert.deepEqual(
          err.details.map((d: any) => [d.pointer, d.code]),
          [['/body/expires_at', 'format']],
          at,
        );
      }
      // The listing still works (a stored `+010000-...` would break it for the whole workspace).
      const list = await t.http.get('/v1/api-keys').set(bearer(u.auth)).expect(200);
      assert.deepEqual(list.body.data, []);
      // Control: the last representable instant is fine.
      const k = await createKeyHttp(t, bearer(u.auth), { expires_at: '9999-12-31T23:59:59.999Z' });
      assert.equal(k.expires_at, '9999-12-31T23:59:59.999Z');
      await t.http.get('/v1/api-keys').set(bearer(u.auth)).expect(200);
    });

    it('createApiKey: 400 malformed_json for a broken JSON body', async () => {
      const t = makeTestApp();
      const u = await signedIn(t);
      const res = await t.http
        .post('/v1/api-keys')
        .set(bearer(u.auth))
        .set('Content-Type', 'application/json')
        .send('{"name": "x", "scopes": [');
      expectError(res, 400, 'malformed_json');
    });
  });

  describe('401', () => {
    it('createApiKey: 401 unauthenticated without credentials', async () => {
      const t = makeTestApp();
      const res = await post(t, {}, { name: 'x', scopes: ['projects:read'] });
      expectError(res, 401, 'unauthenticated');
      assert.match(res.headers['www-authenticate'], /ApiKey realm="cloud-api"/);
    });

    it('createApiKey: 401 invalid_api_key for a malformed key and for an unknown well-formed key', async () => {
      const t = makeTestApp();
      const { key, owner } = await ownerWithKey(t);
      expectInvalidApiKey(await post(t, apiKey(tamper(key)), { name: 'x', scopes: ['projects:read'] }), 'The API key is malformed.');
      const other = makeTestApp();
      const foreign = await ownerWithKey(other);
      expectInvalidApiKey(await post(t, apiKey(foreign.key), { name: 'x', scopes: ['projects:read'] }));
      const list = await t.http.get('/v1/api-keys').set(bearer(owner.auth)).expect(200);
      assert.equal(list.body.data.length, 1, 'only the first key exists');
    });

    it('createApiKey: 401 invalid_token for a bad bearer token', async () => {
      const t = makeTestApp();
      const res = await post(t, bearer('Bearer not-a-token'), { name: 'x', scopes: ['projects:read'] });
      expectError(res, 401, 'invalid_token');
    });
  });

  describe('403', () => {
    it('createApiKey: 403 insufficient_scope for a key without keys:write', async () => {
      const t = makeTestApp();
      const { keyCred, owner } = await ownerWithKey(t, ['projects:read', 'projects:write', 'usage:read', 'webhooks:read', 'webhooks:write']);
      expectInsufficientScope(await post(t, keyCred, { name: 'x', scopes: ['projects:read'] }), 'keys:write');
      const list = await t.http.get('/v1/api-keys').set(bearer(owner.auth)).expect(200);
      assert.equal(list.body.data.length, 1);
    });

    it('createApiKey: 403 insufficient_scope for a member (their token lacks keys:write)', async () => {
      const t = makeTestApp();
      const member = await signedIn(t, { role: 'member' });
      expectInsufficientScope(await post(t, bearer(member.auth), { name: 'x', scopes: ['projects:read'] }), 'keys:write');
    });

    it('createApiKey: 403 insufficient_scope when asking for a scope the caller lacks (no escalation)', async () => {
      const t = makeTestApp();
      const { keyCred, owner } = await ownerWithKey(t, ['keys:write', 'projects:read']);
      for (const missing of ['projects:write', 'usage:read', 'webhooks:write'] as const) {
        expectInsufficientScope(await post(t, keyCred, { name: 'x', scopes: [missing] }), missing);
        expectInsufficientScope(await post(t, keyCred, { name: 'x', scopes: ['projects:read', missing] }), missing);
      }
      const list = await t.http.get('/v1/api-keys').set(bearer(owner.auth)).expect(200);
      assert.equal(list.body.data.length, 1, 'no key was created');
    });

    it('createApiKey: 403 insufficient_scope when token and key together lack keys:write (scopes intersect)', async () => {
      const t = makeTestApp();
      const { owner, keyCred } = await ownerWithKey(t, ['keys:write', 'projects:read']);
      // A member of the same workspace holds everything but keys:write; the key only keys:write and
      // projects:read: together they hold projects:read only.
      const member = await signedIn(t, { role: 'member' });
      await t.store.identity.setMembership(member.userId, owner.workspaceId, 'member');
      const tokens = await t.http
        .post('/v1/auth/login')
        .send({ email: member.email, password: member.password, workspace_id: owner.workspaceId })
        .expect(200);
      const both = { ...bearer(`Bearer ${tokens.body.data.access_token}`), ...keyCred };
      expectInsufficientScope(await post(t, both, { name: 'x', scopes: ['projects:read'] }), 'keys:write');
    });
  });

  describe('413', () => {
    it('createApiKey: 413 payload_too_large above BODY_LIMIT_BYTES', async () => {
      const t = makeTestApp({ BODY_LIMIT_BYTES: '1024' });
      const u = await signedIn(t);
      const res = await post(t, bearer(u.auth), { name: 'n'.repeat(100), scopes: ['projects:read'], pad: 'p'.repeat(2000) });
      const err = expectError(res, 413, 'payload_too_large');
      assert.equal(err.message, 'The request body exceeds 1 kB.');
      const list = await t.http.get('/v1/api-keys').set(bearer(u.auth)).expect(200);
      assert.deepEqual(list.body.data, []);
    });
  });

  describe('415', () => {
    it('createApiKey: 415 unsupported_media_type for a text/plain or form body', async () => {
      const t = makeTestApp();
      const u = await signedIn(t);
      const text = await t.http
        .post('/v1/api-keys')
        .set(bearer(u.auth))
        .set('Content-Type', 'text/plain')
        .send(JSON.stringify({ name: 'x', scopes: ['projects:read'] }));
      const err = expectError(text, 415, 'unsupported_media_type');
      assert.match(err.message, /text\/plain/);
      const form = await t.http.post('/v1/api-keys').set(bearer(u.auth)).type('form').send({ name: 'x' });
      expectError(form, 415, 'unsupported_media_type');
      const list = await t.http.get('/v1/api-keys').set(bearer(u.auth)).expect(200);
      assert.deepEqual(list.body.data, []);
    });
  });

  describe('500', () => {
    it('createApiKey: 500 internal_error when the store fails, without internals, and no key is shown', async () => {
      const t = makeAppWith({ store: failingApiKeys('create') });
      const u = await signedIn(t);
      const res = await post(t, bearer(u.auth), { name: 'x', scopes: ['projects:read'] });
      expectInternalError(t, res);
      assert.equal(res.headers.location, undefined);
      assert.doesNotMatch(res.text, /cp_(live|test)_/);
    });
  });
});
