import assert from 'node:assert/strict';
import { makeTestApp, signedIn } from '../helpers';
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
  ownerWithKey,
  post,
} from '../support/apiKeys';

describe('POST /v1/api-keys (createApiKey)', () => {
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
});
