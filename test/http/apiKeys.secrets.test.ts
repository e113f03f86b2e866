import assert from 'node:assert/strict';
import type { Response } from 'supertest';
import { makeTestApp, signedIn } from '../helpers';
import { hashApiKey } from '../../src/auth/apiKeys';
import { apiKey, bearer, createKeyHttp, tamper } from '../support/apiKeys';

describe('API keys: secrets hygiene', () => {
  it('createApiKey, rotateApiKey: the full key appears in exactly one response ever (its create or rotate response)', async () => {
    const t = makeTestApp();
    const owner = await signedIn(t);
    const auth = bearer(owner.auth);
    const responses: [string, Response][] = [];
    const record = async (what: string, req: PromiseLike<Response>) => {
      const res = await req;
      assert.ok(res.status < 500, `${what}: ${res.status}`);
      responses.push([what, res]);
      return res;
    };

    const create = await record('create', t.http.post('/v1/api-keys').set(auth).send({ name: 'k', scopes: ['projects:read', 'keys:write'] }));
    assert.equal(create.status, 201);
    const first: string = create.body.data.key;
    const id: string = create.body.data.id;
    await record('list', t.http.get('/v1/api-keys').set(auth));
    await record('get', t.http.get(`/v1/api-keys/${id}`).set(auth));
    await record('me with the key', t.http.get('/v1/me').set(apiKey(first)));
    await record('list with the key', t.http.get('/v1/api-keys').set(apiKey(first)));
    await record('projects with the key', t.http.get('/v1/projects').set(apiKey(first)));
    await record('me with token and key', t.http.get('/v1/me').set({ ...auth, ...apiKey(first) }));
    await record('refused near-miss of the key', t.http.get('/v1/me').set(apiKey(tamper(first))));
    await record('refused key as bearer', t.http.get('/v1/me').set(bearer(`Bearer ${first}`)));

    const rotate = await record('rotate', t.http.post(`/v1/api-keys/${id}/rotate`).set(auth).send({ grace_period_seconds: 600 }));
    assert.equal(rotate.status, 200);
    const second: string = rotate.body.data.key;
    assert.notEqual(second, first);
    await record('list again', t.http.get('/v1/api-keys').set(auth));
    await record('get again', t.http.get(`/v1/api-keys/${id}`).set(auth));
    await record('me with the new key', t.http.get('/v1/me').set(apiKey(second)));
    await record('me with the old key in grace', t.http.get('/v1/me').set(apiKey(first)));
    await record('list with the new key', t.http.get('/v1/api-keys').set(apiKey(second)));
    await record('me as the owner', t.http.get('/v1/me').set(auth));
    await record('delete', t.http.delete(`/v1/api-keys/${id}`).set(auth));
    await record('refused revoked key', t.http.get('/v1/me').set(apiKey(second)));

    const holding = (key: string) =>
      responses.filter(([, res]) => `${res.text}\n${JSON.stringify(res.headers)}`.includes(key)).map(([what]) => what);
    assert.deepEqual(holding(first), ['create']);
    assert.deepEqual(holding(second), ['rotate']);
    assert.ok(create.text.includes(first) && rotate.text.includes(second), 'in the body, under data.key');
    // Nor does any other response carry the secret part (what prefix and last4 leave out).
    assert.deepEqual(holding(first.slice(12, -4)), ['create']);
    assert.deepEqual(holding(second.slice(12, -4)), ['rotate']);
  });

  it('createApiKey, rotateApiKey, getMe, listProjects: the log holds neither key, nor its hash, nor a near miss', async () => {
    const t = makeTestApp({ LOG_LEVEL: 'debug' });
    const owner = await signedIn(t);
    const auth = bearer(owner.auth);
    const created = await createKeyHttp(t, auth, { scopes: ['projects:read', 'keys:write'] });
    const first = created.key;
    const nearMiss = tamper(first);
    for (let i = 0; i < 3; i++) {
      await t.http.get('/v1/me').set(apiKey(first)).expect(200);
      await t.http.get('/v1/projects').set(apiKey(first)).expect(200);
    }
    await t.http.get('/v1/api-keys').set(apiKey(first)).expect(200);
    await t.http.post('/v1/projects').set(apiKey(first)).send({ name: 'nope' }).expect(403);
    await t.http.get('/v1/me').set(apiKey(nearMiss)).expect(401);
    await t.http.get('/v1/me').set(bearer(`Bearer ${nearMiss}`)).expect(401);
    await t.http.get('/v1/me').query({ api_key: first });
    const second = (
      await t.http.post(`/v1/api-keys/${created.id}/rotate`).set(apiKey(first)).send({ grace_period_seconds: 60 }).expect(200)
    ).body.data.key as string;
    await t.http.get('/v1/me').set(apiKey(second)).expect(200);
    await t.http.get('/v1/me').set(apiKey(first)).expect(200);
    await t.http.delete(`/v1/api-keys/${created.id}`).set(apiKey(second)).expect(204);
    await t.http.get('/v1/me').set(apiKey(second)).expect(401);

    const log = t.rawLog();
    // Control: the requests were logged, so the absence below means something.
    assert.ok(t.logs.filter((l) => l.route === '/v1/me').length >= 6, 'requests were logged');
    assert.ok(t.logs.some((l) => l.route === '/v1/api-keys' && l.status === 201), 'the creation was logged');

    const secrets: Record<string, string> = {};
    for (const [name, key] of Object.entries({ first, second })) {
      const hash = hashApiKey(key, t.secrets.pepper);
      secrets[`${name} key`] = key;
      secrets[`${name} key's hidden part`] = key.slice(12, -4);
      secrets[`${name} key's hash (hex)`] = hash.toString('hex');
      secrets[`${name} key's hash (base64)`] = hash.toString('base64');
      secrets[`${name} key's hash (base64url)`] = hash.toString('base64url');
    }
    secrets['near miss'] = nearMiss;
    for (const [what, value] of Object.entries(secrets)) {
      assert.ok(!log.includes(value), `the log contains the ${what}`);
      assert.ok(!log.toLowerCase().includes(value.toLowerCase()), `the log contains the ${what} (any case)`);
    }
  });
});
