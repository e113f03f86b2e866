import assert from 'node:assert/strict';
import { makeTestApp, type TestApp } from '../helpers';
import { apiKey, bearer, createKeyHttp, expectInsufficientScope, expectInvalidApiKey, ownerWithKey, tamper } from '../support/apiKeys';

// Issue #23 item 2: the seed's first example sends the key as a bearer token, as GitHub, Stripe
// and OpenAI accept theirs. `Bearer cp_live_...` is the same credential as x-api-key.

describe('an API key as Authorization: Bearer', () => {
  let t: TestApp;
  beforeEach(() => {
    t = makeTestApp();
  });
  const asBearer = (key: string) => ({ Authorization: `Bearer ${key}` });

  it('listProjects: 200 with the key as a bearer token, the seed\'s curl example', async () => {
    const { key, owner } = await ownerWithKey(t, ['projects:read']);
    await t.http.post('/v1/projects').set(bearer(owner.auth)).send({ name: 'seen' }).expect(201);
    const res = await t.http.get('/v1/projects?limit=10').set(asBearer(key)).expect(200);
    assert.deepEqual(res.body.data.map((p: { name: string }) => p.name), ['seen']);
  });

  it('getMe: 200 type api_key, as with x-api-key; the key\'s last use is recorded', async () => {
    const { key, created, owner } = await ownerWithKey(t, ['projects:read']);
    const me = await t.http.get('/v1/me').set(asBearer(key)).expect(200);
    assert.equal(me.body.data.type, 'api_key');
    assert.equal(me.body.data.api_key.id, created.id);
    const listed = await t.http.get(`/v1/api-keys/${created.id}`).set(bearer(owner.auth)).expect(200);
    assert.notEqual(listed.body.data.last_used_at, null);
  });

  it('createProject: 403 insufficient_scope naming the scope, with the ApiKey challenge, for a key without it', async () => {
    const { key } = await ownerWithKey(t, ['projects:read']);
    const res = await t.http.post('/v1/projects').set(asBearer(key)).send({ name: 'no' });
    expectInsufficientScope(res, 'projects:write');
    assert.match(res.headers['www-authenticate'], /^ApiKey realm=/);
  });

  it('listProjects: 401 invalid_api_key for a malformed, tampered or revoked key as a bearer token (never read as a JWT)', async () => {
    const { key, created, owner } = await ownerWithKey(t, ['projects:read']);
    for (const bad of ['cp_live_short', tamper(key), `cp_test_${key.slice(8)}`]) {
      expectInvalidApiKey(await t.http.get('/v1/projects').set(asBearer(bad)));
    }
    await t.http.delete(`/v1/api-keys/${created.id}`).set(bearer(owner.auth)).expect(204);
    expectInvalidApiKey(await t.http.get('/v1/projects').set(asBearer(key)));
  });

  it('listProjects: the same key in both x-api-key and the bearer token is one credential (200); two different keys are 401', async () => {
    const { key, owner } = await ownerWithKey(t, ['projects:read']);
    await t.http.get('/v1/projects').set(asBearer(key)).set(apiKey(key)).expect(200);
    const other = await createKeyHttp(t, bearer(owner.auth), { scopes: ['projects:read'] });
    expectInvalidApiKey(await t.http.get('/v1/projects').set(asBearer(key)).set(apiKey(other.key)), /two different API keys/);
  });

  it('listProjects: an access token with x-api-key still works as before (both valid, same workspace)', async () => {
    const { keyCred, owner } = await ownerWithKey(t, ['projects:read']);
    await t.http.get('/v1/projects').set(bearer(owner.auth)).set(keyCred).expect(200);
  });
});
