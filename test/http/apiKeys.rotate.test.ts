import assert from 'node:assert/strict';
import { expectError, makeTestApp, signedIn, type TestApp } from '../helpers';
import { installClock, type FakeClock } from '../clock';
import { expectErrorFor } from '../support/errors';
import { makeAppWith } from '../support/app';
import { ISO_MS } from '../support/projects';
import {
  API_KEY_FIELDS,
  KEY_FORMAT,
  UNKNOWN_KEY_ID,
  apiKey,
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

const rotate = (t: TestApp, cred: Cred, id: string, body?: unknown) => {
  const req = t.http.post(`/v1/api-keys/${id}/rotate`).set(cred);
  return body === undefined ? req : req.send(body as object);
};

/** Whether `key` authenticates right now (GET /v1/me), asserting the refusal when it does not. */
async function works(t: TestApp, key: string): Promise<boolean> {
  const res = await t.http.get('/v1/me').set(apiKey(key));
  if (res.status === 200) return true;
  expectInvalidApiKey(res);
  return false;
}

describe('POST /v1/api-keys/{key_id}/rotate (rotateApiKey)', () => {
  let clock: FakeClock | undefined;
  afterEach(() => {
    clock?.restore();
    clock = undefined;
  });

  describe('200', () => {
    it('rotateApiKey: 200 returns a new full key once (same id, name, scopes); the old key stops at once by default', async () => {
      const t = makeTestApp();
      const { owner, created, key } = await ownerWithKey(t, ['projects:read', 'usage:read']);
      const res = await rotate(t, bearer(owner.auth), created.id, {});
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.headers['cache-control'], 'no-store');
      assert.deepEqual(Object.keys(res.body), ['data']);
      const r = res.body.data;
      assert.deepEqual(Object.keys(r).sort(), [...API_KEY_FIELDS, 'key'].sort());
      assert.match(r.key, KEY_FORMAT);
      assert.notEqual(r.key, key);
      assert.equal(r.id, created.id);
      assert.equal(r.name, created.name);
      assert.deepEqual(r.scopes, created.scopes);
      assert.equal(r.created_at, created.created_at);
      assert.equal(r.expires_at, created.expires_at);
      assert.match(r.rotated_at, ISO_MS);
      assertShows(r, r.key);

      assert.equal(await works(t, key), false, 'grace 0: the old key is refused immediately');
      assert.equal(await works(t, r.key), true);
      const got = (await t.http.get(`/v1/api-keys/${created.id}`).set(bearer(owner.auth)).expect(200)).body.data;
      const { key: _k, ...shown } = r;
      assert.deepEqual({ ...got, last_used_at: null }, { ...shown, last_used_at: null });
    });

    it('rotateApiKey: 200 without any request body (it is optional), grace 0', async () => {
      const t = makeTestApp();
      const { owner, created, key } = await ownerWithKey(t, ['projects:read']);
      const res = await rotate(t, bearer(owner.auth), created.id);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(await works(t, key), false);
      assert.equal(await works(t, res.body.data.key), true);
    });

    it('rotateApiKey: 200 grace_period_seconds 0 explicitly: the old key stops at once', async () => {
      clock = installClock();
      const t = makeTestApp();
      const { owner, created, key } = await ownerWithKey(t, ['projects:read']);
      const r = (await rotate(t, bearer(owner.auth), created.id, { grace_period_seconds: 0 }).expect(200)).body.data;
      assert.equal(await works(t, key), false);
      assert.equal(await works(t, r.key), true);
    });

    it('rotateApiKey: 200 with a grace period the old key works until it ends, then 401 invalid_api_key', async () => {
      clock = installClock();
      const t = makeTestApp();
      const { owner, created, key } = await ownerWithKey(t, ['projects:read']);
      const r = (await rotate(t, bearer(owner.auth), created.id, { grace_period_seconds: 120 }).expect(200)).body.data;

      assert.equal(await works(t, key), true, 'right after rotation');
      assert.equal(await works(t, r.key), true);
      clock.advance(119);
      assert.equal(await works(t, key), true, '1 s before the grace ends');
      await t.http.get('/v1/projects').set(apiKey(key)).expect(200);
      clock.advance(1);
      assert.equal(await works(t, key), false, 'when the grace ends');
      expectInvalidApiKey(await t.http.get('/v1/projects').set(apiKey(key)));
      assert.equal(await works(t, r.key), true, 'the new key keeps working');
      clock.advance(600);
      assert.equal(await works(t, key), false);
      assert.equal(await works(t, r.key), true);
    });

    it('rotateApiKey: 200 rotating again ends earlier graces no later than the new one, and never extends them', async () => {
      clock = installClock();
      const t = makeTestApp();
      const { owner, created, key: k0 } = await ownerWithKey(t, ['projects:read']);
      const k1 = (await rotate(t, bearer(owner.auth), created.id, { grace_period_seconds: 60 }).expect(200)).body.data.key;
      const k2 = (await rotate(t, bearer(owner.auth), created.id, { grace_period_seconds: 3600 }).expect(200)).body.data.key;
      assert.deepEqual([await works(t, k0), await works(t, k1), await works(t, k2)], [true, true, true]);
      clock.advance(60);
      assert.deepEqual([await works(t, k0), await works(t, k1), await works(t, k2)], [false, true, true], 'k0 keeps its 60 s');
      const k3 = (await rotate(t, bearer(owner.auth), created.id, { grace_period_seconds: 0 }).expect(200)).body.data.key;
      assert.deepEqual(
        [await works(t, k0), await works(t, k1), await works(t, k2), await works(t, k3)],
        [false, false, false, true],
        'a rotation without grace ends every earlier secret',
      );
    });

    it('rotateApiKey: 200 a key can rotate itself; the response is its only working secret', async () => {
      const t = makeTestApp();
      const { created, keyCred, key } = await ownerWithKey(t, ['keys:write', 'projects:read']);
      const r = (await rotate(t, keyCred, created.id, {}).expect(200)).body.data;
      assert.equal(await works(t, key), false);
      await t.http.get('/v1/api-keys').set(apiKey(r.key)).expect(200);
    });

    it('rotateApiKey: 200 a key may rotate a key whose scopes it holds', async () => {
      const t = makeTestApp();
      const { owner, keyCred } = await ownerWithKey(t, ['keys:write', 'projects:read']);
      const reader = await createKeyHttp(t, bearer(owner.auth), { scopes: ['projects:read'] });
      const r = (await rotate(t, keyCred, reader.id, {}).expect(200)).body.data;
      assert.deepEqual(r.scopes, ['projects:read']);
      await t.http.get('/v1/projects').set(apiKey(r.key)).expect(200);
    });
  });

  describe('400', () => {
    it('rotateApiKey: 400 validation_failed for a bad grace_period_seconds or unknown field, and the key is not rotated', async () => {
      const t = makeTestApp();
      const { owner, created, key } = await ownerWithKey(t, ['projects:read']);
      const cases: [string, unknown][] = [
        ['negative', { grace_period_seconds: -1 }],
        ['over 7 days', { grace_period_seconds: 604_801 }],
        ['fraction', { grace_period_seconds: 1.5 }],
        ['string', { grace_period_seconds: '60' }],
        ['null', { grace_period_seconds: null }],
        ['unknown field', { grace: 60 }],
      ];
      for (const [what, body] of cases) {
        const pointer = what === 'unknown field' ? '/body/grace' : '/body/grace_period_seconds';
        expectErrorFor(what, await rotate(t, bearer(owner.auth), created.id, body), 400, 'validation_failed', pointer);
      }
      expectError(
        await t.http
          .post(`/v1/api-keys/${created.id}/rotate`)
          .set(bearer(owner.auth))
          .set('Content-Type', 'application/json')
          .send('{"grace_period_seconds":'),
        400,
        'malformed_json',
      );
      assert.equal(await works(t, key), true);
      const got = (await t.http.get(`/v1/api-keys/${created.id}`).set(bearer(owner.auth)).expect(200)).body.data;
      assert.equal(got.rotated_at, null);
      // The boundary itself is allowed.
      await rotate(t, bearer(owner.auth), created.id, { grace_period_seconds: 604_800 }).expect(200);
    });

    it('rotateApiKey: 400 validation_failed for a malformed key id', async () => {
      const t = makeTestApp();
      const { owner, created } = await ownerWithKey(t, ['projects:read']);
      for (const id of ['nope', created.id.toLowerCase(), `${created.id}0`]) {
        expectErrorFor(id, await rotate(t, bearer(owner.auth), id, {}), 400, 'validation_failed', '/path/key_id');
      }
    });
  });

  describe('401', () => {
    it('rotateApiKey: 401 without credentials, with a malformed key, or with a key rotated away', async () => {
      const t = makeTestApp();
      const { created, key, keyCred } = await ownerWithKey(t, ['keys:write']);
      expectError(await t.http.post(`/v1/api-keys/${created.id}/rotate`).send({}), 401, 'unauthenticated');
      expectInvalidApiKey(await rotate(t, apiKey(tamper(key)), created.id, {}), 'The API key is malformed.');
      const r = (await rotate(t, keyCred, created.id, {}).expect(200)).body.data;
      // The old secret cannot be used to rotate again (and so take the key back).
      expectInvalidApiKey(await rotate(t, keyCred, created.id, {}));
      assert.equal(await works(t, r.key), true);
    });
  });

  describe('403', () => {
    it('rotateApiKey: 403 insufficient_scope for a key without keys:write and for a member', async () => {
      const t = makeTestApp();
      const { owner, created, keyCred, key } = await ownerWithKey(t, ['projects:read', 'projects:write', 'usage:read', 'webhooks:read', 'webhooks:write']);
      expectInsufficientScope(await rotate(t, keyCred, created.id, {}), 'keys:write');
      const member = await signedIn(t, { role: 'member' });
      await t.store.identity.setMembership(member.userId, owner.workspaceId, 'member');
      const login = await t.http
        .post('/v1/auth/login')
        .send({ email: member.email, password: member.password, workspace_id: owner.workspaceId })
        .expect(200);
      expectInsufficientScope(await rotate(t, bearer(`Bearer ${login.body.data.access_token}`), created.id, {}), 'keys:write');
      assert.equal(await works(t, key), true, 'not rotated');
    });

    it('rotateApiKey: 403 insufficient_scope for a key holding scopes the caller lacks, naming one; nothing changes', async () => {
      const t = makeTestApp();
      const { owner, keyCred } = await ownerWithKey(t, ['keys:write', 'projects:read']);
      const writer = await createKeyHttp(t, bearer(owner.auth), { scopes: ['projects:read', 'projects:write'] });
      expectInsufficientScope(await rotate(t, keyCred, writer.id, { grace_period_seconds: 60 }), 'projects:write');
      const full = await createKeyHttp(t, bearer(owner.auth), { scopes: ['keys:write', 'webhooks:write'] });
      expectInsufficientScope(await rotate(t, keyCred, full.id, {}), 'webhooks:write');
      assert.equal(await works(t, writer.key), true);
      assert.equal(await works(t, full.key), true);
      const got = (await t.http.get(`/v1/api-keys/${writer.id}`).set(bearer(owner.auth)).expect(200)).body.data;
      assert.equal(got.rotated_at, null);
      assertShows(got, writer.key);
    });
  });

  describe('404', () => {
    it('rotateApiKey: 404 not_found for an unknown id, a revoked key, and a key of another workspace (which keeps working)', async () => {
      const t = makeTestApp();
      const a = await signedIn(t);
      const b = await ownerWithKey(t, ['projects:read']);
      const revoked = await createKeyHttp(t, bearer(a.auth));
      await t.http.delete(`/v1/api-keys/${revoked.id}`).set(bearer(a.auth)).expect(204);
      for (const id of [UNKNOWN_KEY_ID, revoked.id, b.created.id]) {
        expectError(await rotate(t, bearer(a.auth), id, {}), 404, 'not_found');
      }
      assert.equal(await works(t, revoked.key), false, 'rotating did not revive the revoked key');
      assert.equal(await works(t, b.key), true);
    });
  });

  describe('413', () => {
    it('rotateApiKey: 413 payload_too_large above BODY_LIMIT_BYTES, and the key is not rotated', async () => {
      const t = makeTestApp({ BODY_LIMIT_BYTES: '1024' });
      const { owner, created, key } = await ownerWithKey(t, ['projects:read']);
      const res = await rotate(t, bearer(owner.auth), created.id, { grace_period_seconds: 60, pad: 'p'.repeat(2000) });
      expectError(res, 413, 'payload_too_large');
      assert.equal(await works(t, key), true);
    });
  });

  describe('415', () => {
    it('rotateApiKey: 415 unsupported_media_type for a text/plain body, and the key is not rotated', async () => {
      const t = makeTestApp();
      const { owner, created, key } = await ownerWithKey(t, ['projects:read']);
      const res = await t.http
        .post(`/v1/api-keys/${created.id}/rotate`)
        .set(bearer(owner.auth))
        .set('Content-Type', 'text/plain')
        .send('{"grace_period_seconds":60}');
      expectError(res, 415, 'unsupported_media_type');
      assert.equal(await works(t, key), true);
    });
  });

  describe('500', () => {
    it('rotateApiKey: 500 internal_error when the store fails, without internals; the old key keeps working', async () => {
      const t = makeAppWith({ store: failingApiKeys('rotate') });
      const { owner, created, key } = await ownerWithKey(t, ['projects:read']);
      const res = await rotate(t, bearer(owner.auth), created.id, {});
      expectInternalError(t, res);
      assert.doesNotMatch(res.text, /cp_(live|test)_/);
      assert.equal(await works(t, key), true);
    });
  });
});
