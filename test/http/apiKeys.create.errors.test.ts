import assert from 'node:assert/strict';
import { expectError, makeTestApp, signedIn } from '../helpers';
import { installClock, type FakeClock } from '../clock';
import { expectErrorFor } from '../support/errors';
import { makeAppWith } from '../support/app';
import {
  apiKey,
  bearer,
  createKeyHttp,
  expectInsufficientScope,
  expectInternalError,
  expectInvalidApiKey,
  failingApiKeys,
  ownerWithKey,
  post,
  tamper,
} from '../support/apiKeys';

describe('POST /v1/api-keys (createApiKey): 400, 401, 403, 413, 415 and 500', () => {
  let clock: FakeClock | undefined;
  afterEach(() => {
    clock?.restore();
    clock = undefined;
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
