import assert from 'node:assert/strict';
import { expectError, makeTestApp, signedIn, type TestApp } from '../helpers';
import { installClock, type FakeClock } from '../clock';
import { expectErrorFor } from '../support/errors';
import { makeAppWith } from '../support/app';
import {
  UNKNOWN_KEY_ID,
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

const getKey = (t: TestApp, cred: Cred, id: string) => t.http.get(`/v1/api-keys/${id}`).set(cred);

describe('GET /v1/api-keys/{key_id} (getApiKey)', () => {
  let clock: FakeClock | undefined;
  afterEach(() => {
    clock?.restore();
    clock = undefined;
  });

  describe('200', () => {
    it('getApiKey: 200 the key as created, without the secret', async () => {
      const t = makeTestApp();
      const u = await signedIn(t);
      const created = await createKeyHttp(t, bearer(u.auth), {
        name: 'billing-worker',
        scopes: ['projects:read', 'usage:read'],
        expires_at: '2099-01-01T00:00:00.000Z',
      });
      const res = await getKey(t, bearer(u.auth), created.id).expect(200);
      assert.deepEqual(Object.keys(res.body), ['data']);
      assertApiKeyShape(res.body.data);
      const { key, ...rest } = created;
      assert.deepEqual(res.body.data, rest);
      assertShows(res.body.data, key);
      assert.ok(!res.text.includes(key));
    });

    it('getApiKey: 200 shows last_used_at once the key was used, and later uses within a minute do not move it', async () => {
      clock = installClock();
      const t = makeTestApp();
      const { owner, created, keyCred } = await ownerWithKey(t, ['projects:read']);
      const before = (await getKey(t, bearer(owner.auth), created.id).expect(200)).body.data;
      assert.equal(before.last_used_at, null, 'creating a key is not using it');

      await t.http.get('/v1/projects').set(keyCred).expect(200);
      const used = new Date(Date.now()).toISOString();
      const after = (await getKey(t, bearer(owner.auth), created.id).expect(200)).body.data;
      assert.equal(after.last_used_at, used);

      clock.advance(30);
      await t.http.get('/v1/projects').set(keyCred).expect(200);
      assert.equal((await getKey(t, bearer(owner.auth), created.id).expect(200)).body.data.last_used_at, used);

      clock.advance(31);
      await t.http.get('/v1/projects').set(keyCred).expect(200);
      assert.equal(
        (await getKey(t, bearer(owner.auth), created.id).expect(200)).body.data.last_used_at,
        new Date(Date.now()).toISOString(),
      );
    });

    it('getApiKey: 200 last_used_at stays null when only refused credentials were presented', async () => {
      clock = installClock();
      const t = makeTestApp();
      const { owner, created, key } = await ownerWithKey(t, ['projects:read']);
      await t.http.get('/v1/projects').set(apiKey(tamper(key))).expect(401);
      await t.http.get('/v1/projects').set(apiKey(key.slice(0, -1))).expect(401);
      assert.equal((await getKey(t, bearer(owner.auth), created.id).expect(200)).body.data.last_used_at, null);
    });

    it('getApiKey: 200 with an API key holding keys:write, also for itself', async () => {
      const t = makeTestApp();
      const { created, keyCred } = await ownerWithKey(t, ['keys:write']);
      const res = await getKey(t, keyCred, created.id).expect(200);
      assert.equal(res.body.data.id, created.id);
      assert.notEqual(res.body.data.last_used_at, null, 'the request itself used the key');
    });
  });

  describe('400', () => {
    it('getApiKey: 400 validation_failed for a malformed key id', async () => {
      const t = makeTestApp();
      const u = await signedIn(t);
      const created = await createKeyHttp(t, bearer(u.auth));
      const bad = [
        'nope',
        created.id.toLowerCase(),
        created.id.replace('key_', 'prj_'),
        `${created.id}0`,
        created.id.slice(0, -1),
        created.id.slice(0, -1) + 'U', // U is not in the Crockford alphabet
        'key_01JD3Y8N6V4Q2X7R5T9W1K3M5I',
        encodeURIComponent(created.key),
      ];
      for (const id of bad) expectErrorFor(id, await getKey(t, bearer(u.auth), id), 400, 'validation_failed', '/path/key_id');
    });
  });

  describe('401', () => {
    it('getApiKey: 401 unauthenticated without credentials, invalid_api_key for a malformed or unknown key', async () => {
      const t = makeTestApp();
      const { key, created } = await ownerWithKey(t);
      expectError(await t.http.get(`/v1/api-keys/${created.id}`), 401, 'unauthenticated');
      expectInvalidApiKey(await getKey(t, apiKey(tamper(key)), created.id), 'The API key is malformed.');
      const foreign = await ownerWithKey(makeTestApp());
      expectInvalidApiKey(await getKey(t, apiKey(foreign.key), created.id));
    });
  });

  describe('403', () => {
    it('getApiKey: 403 insufficient_scope for a key without keys:write and for a member', async () => {
      const t = makeTestApp();
      const { keyCred, created } = await ownerWithKey(t, ['projects:read', 'projects:write', 'usage:read', 'webhooks:read', 'webhooks:write']);
      expectInsufficientScope(await getKey(t, keyCred, created.id), 'keys:write');
      const member = await signedIn(t, { role: 'member' });
      expectInsufficientScope(await getKey(t, bearer(member.auth), UNKNOWN_KEY_ID), 'keys:write');
    });
  });

  describe('404', () => {
    it('getApiKey: 404 not_found for an unknown id, a revoked key and a key of another workspace, alike', async () => {
      const t = makeTestApp();
      const a = await signedIn(t);
      const b = await signedIn(t);
      const revoked = await createKeyHttp(t, bearer(a.auth));
      await t.http.delete(`/v1/api-keys/${revoked.id}`).set(bearer(a.auth)).expect(204);
      const theirs = await createKeyHttp(t, bearer(b.auth));
      const messages: string[] = [];
      for (const id of [UNKNOWN_KEY_ID, revoked.id, theirs.id]) {
        const err = expectError(await getKey(t, bearer(a.auth), id), 404, 'not_found');
        assert.deepEqual(err.details, []);
        messages.push(err.message.replace(id, 'ID'));
      }
      assert.equal(new Set(messages).size, 1, `indistinguishable: ${messages.join(' | ')}`);
      // B still sees its key.
      await getKey(t, bearer(b.auth), theirs.id).expect(200);
    });
  });

  describe('500', () => {
    it('getApiKey: 500 internal_error when the store fails, without internals', async () => {
      const t = makeAppWith({ store: failingApiKeys('get') });
      const u = await signedIn(t);
      expectInternalError(t, await getKey(t, bearer(u.auth), UNKNOWN_KEY_ID));
    });
  });
});
