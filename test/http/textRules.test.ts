import assert from 'node:assert/strict';
import { expectError, makeTestApp, signedIn, type TestApp } from '../helpers';
import { bearer } from '../support/apiKeys';

// Issue #22: the contract's text and instant rules decide what is valid, before anything is
// stored, counted or used as a key, so SQLite and PostgreSQL answer the same (PostgreSQL answered
// NUL, year 0 and over-long keys with 500 while SQLite stored them).

const CONTROL = ['a\u0000b', 'a\u0001b', 'tab\there', 'line\nbreak', 'del\u007f'];

function expectInvalid(res: Parameters<typeof expectError>[0], pointer: string, code = 'pattern') {
  const err = expectError(res, 400, 'validation_failed');
  assert.ok(
    (err.details as { pointer: string; code: string }[]).some((d) => d.pointer === pointer && d.code === code),
    `${pointer} ${code}: ${JSON.stringify(err.details)}`,
  );
}

describe('text and instant rules of the contract', () => {
  let t: TestApp;
  let auth: Record<string, string>;
  beforeEach(async () => {
    t = makeTestApp();
    auth = bearer((await signedIn(t)).auth);
  });

  it('createProject: 400 validation_failed for a control character in the name or NUL in the description, storing nothing', async () => {
    for (const name of [...CONTROL, '   ']) expectInvalid(await t.http.post('/v1/projects').set(auth).send({ name }), '/body/name');
    // The detail says the rule in words, not the pattern.
    const err = expectError(await t.http.post('/v1/projects').set(auth).send({ name: 'a\u0000' }), 400, 'validation_failed');
    assert.deepEqual(err.details, [{ pointer: '/body/name', code: 'pattern', message: 'must not be only spaces or contain control characters' }]);
    for (const description of ['a\u0000b', 'bell\u0007']) {
      expectInvalid(await t.http.post('/v1/projects').set(auth).send({ name: 'ok', description }), '/body/description');
    }
    const list = await t.http.get('/v1/projects').set(auth).expect(200);
    assert.deepEqual(list.body.data, []);
  });

  it('createProject: 201 a description keeps its line breaks and tabs; a name with inner spaces and Unicode is kept', async () => {
    const res = await t.http.post('/v1/projects').set(auth).send({ name: ' Zahlungs\u00a0API ü ', description: 'one\n\ttwo\r\nthree' }).expect(201);
    assert.equal(res.body.data.name, ' Zahlungs\u00a0API ü ');
    assert.equal(res.body.data.description, 'one\n\ttwo\r\nthree');
  });

  it('updateProject: 400 for NUL in the description; the project is unchanged', async () => {
    const created = await t.http.post('/v1/projects').set(auth).send({ name: 'kept' }).expect(201);
    const id = created.body.data.id;
    expectInvalid(await t.http.patch(`/v1/projects/${id}`).set(auth).send({ description: 'x\u0000' }), '/body/description');
    const now = await t.http.get(`/v1/projects/${id}`).set(auth).expect(200);
    assert.equal(now.body.data.description, null);
  });

  it('createApiKey, createWebhookEndpoint: 400 for control characters in a name or NUL in a description', async () => {
    expectInvalid(await t.http.post('/v1/api-keys').set(auth).send({ name: 'k\u0000', scopes: ['projects:read'] }), '/body/name');
    const hook = { url: 'https://hooks.example.com/x', enabled_events: ['project.created'], description: 'a\u0000b' };
    expectInvalid(await t.http.post('/v1/webhook-endpoints').set(auth).send(hook), '/body/description');
  });

  it('listProjects: 400 for NUL or another control character in the name filter, naming /query/name', async () => {
    expectInvalid(await t.http.get('/v1/projects?name=%00').set(auth), '/query/name');
    expectInvalid(await t.http.get('/v1/projects?name=a%0Ab').set(auth), '/query/name');
  });

  it('listProjects, listEvents, getUsage: instants from 0001-01-01 to 9999-12-31 in UTC, 400 outside', async () => {
    for (const [path, param] of [['/v1/projects', 'created_after'], ['/v1/events', 'created_before'], ['/v1/usage?to=2026-01-01&', 'from']]) {
      for (const bad of ['0000-01-01T00:00:00Z', '0001-01-01T00:00:00+01:00', '9999-12-31T23:59:59-01:00', '2026-06-30T23:59:60Z']) {
        const url = `${path}${path.endsWith('&') ? '' : '?'}${param}=${encodeURIComponent(bad)}`;
        expectInvalid(await t.http.get(url).set(auth), `/query/${param}`, 'format');
      }
    }
    for (const ok of ['0001-01-01T00:00:00Z', '9999-12-31T23:59:59.999Z']) {
      await t.http.get(`/v1/projects?created_after=${encodeURIComponent(ok)}`).set(auth).expect(200);
      await t.http.get(`/v1/events?created_after=${encodeURIComponent(ok)}`).set(auth).expect(200);
    }
    expectInvalid(await t.http.get('/v1/usage?from=0000-01-01&to=2026-01-01').set(auth), '/query/from', 'format');
  });

  it('createApiKey: 400 for an expires_at of year 0 or over 64 characters', async () => {
    for (const expires_at of ['0000-06-01T00:00:00Z', `2099-01-01T00:00:00.${'1'.repeat(60)}Z`]) {
      const res = await t.http.post('/v1/api-keys').set(auth).send({ name: 'k', scopes: ['projects:read'], expires_at });
      expectError(res, 400, 'validation_failed');
    }
  });

  it('getProject, getApiKey: 400 for an id over its maximum length (not a lookup)', async () => {
    expectError(await t.http.get(`/v1/projects/prj_${'0'.repeat(40)}`).set(auth), 400, 'validation_failed');
    expectError(await t.http.get(`/v1/api-keys/key_${'0'.repeat(40)}`).set(auth), 400, 'validation_failed');
  });
});

describe('login: nothing of an unvalidated body becomes a rate-limit key', () => {
  it('login: 400 for an email with NUL or over 254 characters, counted against the client IP only, not the account', async () => {
    const t = makeTestApp();
    const user = await signedIn(t);
    for (const email of ['a\u0000b@x.test', `${'a'.repeat(290)}@x.test`, `${user.email}\u0000`]) {
      const res = await t.http.post('/v1/auth/login').send({ email, password: 'whatever-password' });
      expectInvalid(res, '/body/email', res.body.error?.details?.[0]?.code);
      // The tightest policy shown is the IP's: the account policy did not count this request.
      assert.match(res.headers.ratelimit, /^"auth-login-ip";/, email);
    }
    const ok = await t.http.post('/v1/auth/login').send({ email: user.email, password: user.password }).expect(200);
    // The account's first counted request (1 of 10 in 5 minutes); the digest key works for any case.
    assert.match(ok.headers.ratelimit, /^"auth-login-account";r=8;/);
    const upper = await t.http.post('/v1/auth/login').send({ email: user.email.toUpperCase(), password: 'wrong-password-here' });
    expectError(upper, 401, 'invalid_credentials');
    assert.match(upper.headers.ratelimit, /^"auth-login-account";r=7;/);
  });
});
