import assert from 'node:assert/strict';
import { expectError, makeTestApp, signedIn } from '../helpers';
import { installClock, type FakeClock } from '../clock';
import { generateApiKey } from '../../src/auth/apiKeys';
import {
  KEY_FORMAT,
  apiKey,
  bearer,
  createKeyHttp,
  expectInvalidApiKey,
  me,
  ownerWithKey,
  spyOn,
  tamper,
} from '../support/apiKeys';

describe('x-api-key authentication (apiKeyAuth)', () => {
  let clock: FakeClock | undefined;
  afterEach(() => {
    clock?.restore();
    clock = undefined;
  });

  describe('key format and checksum', () => {
    it('createApiKey: 201 keys match the documented format ^cp_(live|test)_[0-9A-Za-z]{32}[0-9A-Za-z]{6}$', async () => {
      const t = makeTestApp();
      const u = await signedIn(t);
      for (let i = 0; i < 5; i++) {
        const k = await createKeyHttp(t, bearer(u.auth), { scopes: ['projects:read'] });
        assert.match(k.key, KEY_FORMAT);
        assert.match(k.key, /^cp_(live|test)_[0-9A-Za-z]{32}[0-9A-Za-z]{6}$/);
      }
    });

    it('getMe: 401 invalid_api_key "malformed" for a key with a bad checksum, without any database lookup', async () => {
      const t = makeTestApp();
      const { key } = await ownerWithKey(t);
      await me(t, apiKey(key)).expect(200); // control: the untouched key works
      const lookups = spyOn(t, 'findBySecretHash');
      try {
        for (let i = 0; i < 20; i++) {
          const bad = tamper(key);
          expectInvalidApiKey(await me(t, apiKey(bad)), 'The API key is malformed.');
        }
        // The checksum part changed, or a key that is not ours at all and does not check out.
        const lastChanged = key.slice(0, -1) + (key.at(-1) === 'A' ? 'B' : 'A');
        expectInvalidApiKey(await me(t, apiKey(lastChanged)), 'The API key is malformed.');
        expectInvalidApiKey(await me(t, apiKey(`cp_live_${'a'.repeat(38)}`)), 'The API key is malformed.');
        assert.equal(lookups.calls, 0, 'a malformed key never reaches the database');
        // Control: the spy does see the lookup of a well-formed key.
        await me(t, apiKey(key)).expect(200);
        assert.equal(lookups.calls, 1);
      } finally {
        lookups.restore();
      }
    });

    it('getMe: 401 invalid_api_key "malformed" for anything outside the format, without a lookup', async () => {
      const t = makeTestApp();
      const { key } = await ownerWithKey(t);
      const lookups = spyOn(t, 'findBySecretHash');
      try {
        const bad = [
          'garbage',
          key.slice(0, -1),
          `${key}0`,
          key.replace('cp_live_', 'cp_prod_'),
          key.replace('cp_live_', 'cp_test_'), // right shape, but the checksum covers the prefix
          key.toLowerCase(),
          `Bearer ${key}`,
          `${key},${key}`,
        ];
        for (const value of bad) expectInvalidApiKey(await me(t, apiKey(value)), 'The API key is malformed.');
        assert.equal(lookups.calls, 0);
      } finally {
        lookups.restore();
      }
    });

    it('getMe: 401 invalid_api_key for a well-formed unknown key, after exactly one lookup', async () => {
      const t = makeTestApp();
      await ownerWithKey(t);
      const unknown = generateApiKey();
      const lookups = spyOn(t, 'findBySecretHash');
      try {
        const err = expectInvalidApiKey(await me(t, apiKey(unknown)));
        assert.notEqual(err.message, 'The API key is malformed.');
        assert.equal(lookups.calls, 1);
        // A real key of another deployment (another pepper) is just as unknown here.
        const elsewhere = makeTestApp();
        const foreign = await ownerWithKey(elsewhere);
        expectInvalidApiKey(await me(t, apiKey(foreign.key)));
        assert.equal(lookups.calls, 2);
      } finally {
        lookups.restore();
      }
    });

    it('getMe: 401 invalid_api_key when two x-api-key headers are sent, even of the same valid key', async () => {
      const t = makeTestApp();
      const { key } = await ownerWithKey(t);
      expectInvalidApiKey(await me(t, { 'x-api-key': [key, key] }));
    });

    it('getMe: 200 the header name is case-insensitive and surrounding whitespace is not part of the key', async () => {
      const t = makeTestApp();
      const { key, created } = await ownerWithKey(t);
      for (const name of ['X-API-Key', 'X-Api-Key', 'x-api-key']) {
        const res = await me(t, { [name]: key }).expect(200);
        assert.equal(res.body.data.api_key.id, created.id);
      }
      await me(t, { 'x-api-key': `  ${key}  ` }).expect(200);
    });

    it('getMe: 401 unauthenticated for an empty x-api-key, invalid_api_key for a tampered key sent as a bearer token', async () => {
      const t = makeTestApp();
      const { key } = await ownerWithKey(t);
      expectError(await me(t, { 'x-api-key': '' }), 401, 'unauthenticated');
      // A key as a bearer token is an API key (apiKeys.bearer.test.ts): its checksum is checked.
      expectError(await me(t, bearer(`Bearer ${tamper(key)}`)), 401, 'invalid_api_key');
      // Nor does a key in the query string authenticate.
      const res = await t.http.get('/v1/me').query({ api_key: key });
      assert.ok(res.status === 400 || res.status === 401, String(res.status));
    });
  });

  describe('refused keys: 401 invalid_api_key with a WWW-Authenticate challenge', () => {
    it('listProjects: 401 invalid_api_key for a revoked key', async () => {
      const t = makeTestApp();
      const { owner, created, keyCred } = await ownerWithKey(t, ['projects:read']);
      await t.http.get('/v1/projects').set(keyCred).expect(200);
      await t.http.delete(`/v1/api-keys/${created.id}`).set(bearer(owner.auth)).expect(204);
      const res = await t.http.get('/v1/projects').set(keyCred);
      expectInvalidApiKey(res);
      assert.equal(res.headers['www-authenticate'], 'ApiKey realm="cloud-api", header="x-api-key", error="invalid_key"');
      expectInvalidApiKey(await me(t, keyCred));
    });

    it('listProjects: 401 invalid_api_key for a key past its expires_at (fake clock), not before', async () => {
      clock = installClock();
      const t = makeTestApp();
      const owner = await signedIn(t);
      const expiresAt = new Date(Date.now() + 5000).toISOString();
      const k = await createKeyHttp(t, bearer(owner.auth), { scopes: ['projects:read'], expires_at: expiresAt });
      const forever = await createKeyHttp(t, bearer(owner.auth), { scopes: ['projects:read'] });
      assert.equal(k.expires_at, expiresAt);
      await t.http.get('/v1/projects').set(apiKey(k.key)).expect(200);
      clock.advance(4);
      await t.http.get('/v1/projects').set(apiKey(k.key)).expect(200);
      clock.advance(1);
      expectInvalidApiKey(await t.http.get('/v1/projects').set(apiKey(k.key)));
      clock.advance(600);
      expectInvalidApiKey(await me(t, apiKey(k.key)));
      // A key without expiry, created at the same time, still works.
      await t.http.get('/v1/projects').set(apiKey(forever.key)).expect(200);
    });

    it('listProjects: 401 invalid_api_key for a rotated key after its grace period (fake clock)', async () => {
      clock = installClock();
      const t = makeTestApp();
      const { owner, created, key } = await ownerWithKey(t, ['projects:read']);
      await t.http.post(`/v1/api-keys/${created.id}/rotate`).set(bearer(owner.auth)).send({ grace_period_seconds: 30 }).expect(200);
      await t.http.get('/v1/projects').set(apiKey(key)).expect(200);
      clock.advance(30);
      expectInvalidApiKey(await t.http.get('/v1/projects').set(apiKey(key)));
    });

    it('listProjects: 401 invalid_api_key for a malformed key', async () => {
      const t = makeTestApp();
      const { key } = await ownerWithKey(t, ['projects:read']);
      expectInvalidApiKey(await t.http.get('/v1/projects').set(apiKey(tamper(key))), 'The API key is malformed.');
    });

    it('getMe: 401 refusals of unknown, revoked, expired and rotated keys are indistinguishable', async () => {
      clock = installClock();
      const t = makeTestApp();
      const owner = await signedIn(t);
      const revoked = await createKeyHttp(t, bearer(owner.auth));
      await t.http.delete(`/v1/api-keys/${revoked.id}`).set(bearer(owner.auth)).expect(204);
      const expiring = await createKeyHttp(t, bearer(owner.auth), { expires_at: new Date(Date.now() + 1000).toISOString() });
      const rotated = await createKeyHttp(t, bearer(owner.auth));
      await t.http.post(`/v1/api-keys/${rotated.id}/rotate`).set(bearer(owner.auth)).send({}).expect(200);
      clock.advance(2);
      const errs = [];
      for (const key of [generateApiKey(), revoked.key, expiring.key, rotated.key]) {
        const res = await me(t, apiKey(key));
        const err = expectInvalidApiKey(res);
        errs.push([err.message, err.details, res.headers['www-authenticate']]);
      }
      for (const e of errs) assert.deepEqual(e, errs[0]);
    });
  });

  describe('last_used_at is written at most once a minute', () => {
    it('getMe, listProjects: 200 1,000 requests with one key write last_used_at once; 61 s later the next request writes again', async () => {
      clock = installClock();
      const t = makeTestApp();
      const { owner, created, keyCred } = await ownerWithKey(t, ['projects:read']);
      const touches = spyOn(t, 'touch');
      try {
        // Half on each of two operations, so per-operation budgets (600/min) are never in the way.
        for (let i = 0; i < 1000; i++) {
          const res = await (i % 2 ? t.http.get('/v1/projects?limit=1') : t.http.get('/v1/me')).set(keyCred);
          if (res.status !== 200) assert.fail(`request ${i}: ${res.status} ${res.text}`);
        }
        assert.ok(touches.calls <= 2, `${touches.calls} writes`);
        assert.equal(touches.calls, 1, 'with the clock frozen, exactly one write');
        const firstUse = new Date(Date.now()).toISOString();
        const shown = await t.http.get(`/v1/api-keys/${created.id}`).set(bearer(owner.auth)).expect(200);
        assert.equal(shown.body.data.last_used_at, firstUse);

        clock.advance(59);
        await me(t, keyCred).expect(200);
        assert.equal(touches.calls, 1, 'still within the minute');
        clock.advance(2);
        await me(t, keyCred).expect(200);
        assert.equal(touches.calls, 2, '61 s after the first write, the next request writes again');
        const later = await t.http.get(`/v1/api-keys/${created.id}`).set(bearer(owner.auth)).expect(200);
        assert.equal(later.body.data.last_used_at, new Date(Date.now()).toISOString());
        assert.ok(later.body.data.last_used_at > firstUse);
      } finally {
        touches.restore();
      }
    });

    it('getMe: 200 refused requests never write last_used_at', async () => {
      const t = makeTestApp();
      const { key, owner, created } = await ownerWithKey(t);
      const touches = spyOn(t, 'touch');
      try {
        await me(t, apiKey(tamper(key))).expect(401);
        await me(t, apiKey(generateApiKey())).expect(401);
        await me(t, { Authorization: 'Bearer garbage', 'x-api-key': key }).expect(401);
        assert.equal(touches.calls, 0);
      } finally {
        touches.restore();
      }
      const shown = await t.http.get(`/v1/api-keys/${created.id}`).set(bearer(owner.auth)).expect(200);
      assert.equal(shown.body.data.last_used_at, null);
    });
  });
});
