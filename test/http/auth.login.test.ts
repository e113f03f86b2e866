import assert from 'node:assert/strict';
import { createUser, expectError, makeTestApp } from '../helpers';
import { installClock, type FakeClock } from '../clock';
import { decodeJwt } from '../tokens';

const ALL_SCOPES = 'projects:read projects:write usage:read keys:write webhooks:read webhooks:write members:read members:write';
const MEMBER_SCOPES = 'projects:read projects:write usage:read webhooks:read webhooks:write members:read';

/** The error body without the per-request id, for comparing two failures. */
const withoutRequestId = (body: { error: Record<string, unknown> }) => {
  const { request_id: _ignored, ...rest } = body.error;
  return rest;
};

describe('POST /v1/auth/login (login)', () => {
  let clock: FakeClock | undefined;
  afterEach(() => {
    clock?.restore();
    clock = undefined;
  });

  describe('200', () => {
    it('login: 200 returns a token pair (Bearer, 900 s access, 7-day refresh, all scopes) with Cache-Control: no-store', async () => {
      clock = installClock();
      const t = makeTestApp();
      const user = await createUser(t);
      const res = await t.http.post('/v1/auth/login').send({ email: user.email, password: user.password }).expect(200);

      assert.equal(res.headers['cache-control'], 'no-store');
      assert.ok(res.headers['x-request-id']);
      assert.deepEqual(Object.keys(res.body).sort(), ['data']);
      const data = res.body.data;
      assert.deepEqual(Object.keys(data).sort(), [
        'access_token',
        'expires_in',
        'refresh_expires_in',
        'refresh_token',
        'scope',
        'token_type',
      ]);
      assert.equal(data.token_type, 'Bearer');
      assert.equal(data.expires_in, 900);
      assert.equal(data.refresh_expires_in, 7 * 86400);
      assert.equal(data.scope, ALL_SCOPES);
      // Opaque refresh token carrying 256 random bits.
      assert.match(data.refresh_token, /^rt_[A-Za-z0-9_-]{43}$/);

      const { header, payload } = decodeJwt(data.access_token);
      assert.equal(header.alg, 'ES256');
      assert.equal(header.kid, t.secrets.jwtKeyId);
      assert.equal(payload.iss, 'http://cloud-api.test');
      assert.equal(payload.aud, 'http://cloud-api.test/v1');
      assert.equal(payload.sub, user.userId);
      assert.equal(payload.workspace_id, user.workspaceId);
      assert.equal(payload.role, 'owner');
      assert.equal(payload.scope, ALL_SCOPES);
      assert.match(payload.sid, /^ses_/);
      assert.equal(typeof payload.jti, 'string');
      assert.equal(payload.exp - payload.iat, 900);

      // The access token works.
      const me = await t.http.get('/v1/me').set('Authorization', `Bearer ${data.access_token}`).expect(200);
      assert.equal(me.body.data.user.id, user.userId);
    });

    it('login: 200 treats the email case-insensitively', async () => {
      const t = makeTestApp();
      const user = await createUser(t, { email: 'Mixed.Case@Example.com' });
      for (const email of ['mixed.case@example.com', 'MIXED.CASE@EXAMPLE.COM', 'Mixed.Case@Example.com']) {
        const res = await t.http.post('/v1/auth/login').send({ email, password: user.password }).expect(200);
        assert.equal(decodeJwt(res.body.data.access_token).payload.sub, user.userId);
      }
    });

    it('login: 200 each login is a separate session with its own tokens', async () => {
      const t = makeTestApp();
      const user = await createUser(t);
      const body = { email: user.email, password: user.password };
      const a = (await t.http.post('/v1/auth/login').send(body).expect(200)).body.data;
      const b = (await t.http.post('/v1/auth/login').send(body).expect(200)).body.data;
      assert.notEqual(a.refresh_token, b.refresh_token);
      assert.notEqual(decodeJwt(a.access_token).payload.sid, decodeJwt(b.access_token).payload.sid);
    });

    it('login: 200 without workspace_id uses the oldest membership; workspace_id selects another one', async () => {
      const t = makeTestApp();
      const user = await createUser(t);
      const second = await t.store.identity.createWorkspace('Second workspace');
      await t.store.identity.setMembership(user.userId, second.id, 'member');

      const byDefault = await t.http.post('/v1/auth/login').send({ email: user.email, password: user.password }).expect(200);
      const d = decodeJwt(byDefault.body.data.access_token).payload;
      assert.equal(d.workspace_id, user.workspaceId);
      assert.equal(d.role, 'owner');
      assert.equal(byDefault.body.data.scope, ALL_SCOPES);

      const chosen = await t.http
        .post('/v1/auth/login')
        .send({ email: user.email, password: user.password, workspace_id: second.id })
        .expect(200);
      const c = decodeJwt(chosen.body.data.access_token).payload;
      assert.equal(c.workspace_id, second.id);
      assert.equal(c.role, 'member');
      // Members hold every scope but keys:write.
      assert.equal(chosen.body.data.scope, MEMBER_SCOPES);
      assert.equal(c.scope, MEMBER_SCOPES);

      const me = await t.http.get('/v1/me').set('Authorization', `Bearer ${chosen.body.data.access_token}`).expect(200);
      assert.equal(me.body.data.workspace.id, second.id);
      assert.equal(me.body.data.role, 'member');

      // Explicitly choosing the first workspace works too.
      const first = await t.http
        .post('/v1/auth/login')
        .send({ email: user.email, password: user.password, workspace_id: user.workspaceId })
        .expect(200);
      assert.equal(decodeJwt(first.body.data.access_token).payload.workspace_id, user.workspaceId);
    });
  });

  describe('401', () => {
    it('login: 401 invalid_credentials does not reveal whether the email exists', async () => {
      const t = makeTestApp();
      const user = await createUser(t);
      const wrongPassword = await t.http.post('/v1/auth/login').send({ email: user.email, password: 'not-the-password' });
      const unknownEmail = await t.http
        .post('/v1/auth/login')
        .send({ email: 'nobody@example.com', password: 'not-the-password' });
      const a = expectError(wrongPassword, 401, 'invalid_credentials');
      const b = expectError(unknownEmail, 401, 'invalid_credentials');
      assert.equal(a.message, 'Email or password is incorrect.');
      assert.deepEqual(a.details, []);
      assert.notEqual(a.request_id, b.request_id);
      assert.deepEqual(withoutRequestId(wrongPassword.body), withoutRequestId(unknownEmail.body));
      // Same headers that matter, too: neither is a bearer challenge.
      assert.equal(wrongPassword.headers['www-authenticate'], undefined);
      assert.equal(unknownEmail.headers['www-authenticate'], undefined);
      assert.equal(wrongPassword.headers['content-type'], unknownEmail.headers['content-type']);
    });

    it('login: 401 invalid_credentials when the password differs only in case or has extra whitespace', async () => {
      const t = makeTestApp();
      const user = await createUser(t, { password: 'Correct-Horse-Battery' });
      for (const password of ['correct-horse-battery', 'Correct-Horse-Battery ', ' Correct-Horse-Battery']) {
        expectError(await t.http.post('/v1/auth/login').send({ email: user.email, password }), 401, 'invalid_credentials');
      }
      // Control: the exact password works.
      await t.http.post('/v1/auth/login').send({ email: user.email, password: 'Correct-Horse-Battery' }).expect(200);
    });

    it('login: 401 invalid_credentials for a workspace_id the user is not a member of, same body as a wrong password', async () => {
      const t = makeTestApp();
      const user = await createUser(t);
      const other = await createUser(t); // another user's workspace: exists, but user is not a member
      const notMember = await t.http
        .post('/v1/auth/login')
        .send({ email: user.email, password: user.password, workspace_id: other.workspaceId });
      expectError(notMember, 401, 'invalid_credentials');

      const unknownWorkspace = await t.http
        .post('/v1/auth/login')
        .send({ email: user.email, password: user.password, workspace_id: 'ws_01JD3Y8N6V4Q2X7R5T9W1K3M5Q' });
      expectError(unknownWorkspace, 401, 'invalid_credentials');

      const wrongPassword = await t.http.post('/v1/auth/login').send({ email: user.email, password: 'wrong-password' });
      expectError(wrongPassword, 401, 'invalid_credentials');
      assert.deepEqual(withoutRequestId(notMember.body), withoutRequestId(wrongPassword.body));
      assert.deepEqual(withoutRequestId(unknownWorkspace.body), withoutRequestId(wrongPassword.body));
    });

    it('login: 401 invalid_credentials for a wrong password even with a valid workspace_id', async () => {
      const t = makeTestApp();
      const user = await createUser(t);
      const res = await t.http
        .post('/v1/auth/login')
        .send({ email: user.email, password: 'wrong-password', workspace_id: user.workspaceId });
      expectError(res, 401, 'invalid_credentials');
    });
  });

  describe('400', () => {
    const cases: { name: string; body: (u: { email: string; password: string }) => unknown; pointer: string }[] = [
      { name: 'missing password', body: (u) => ({ email: u.email }), pointer: '/body/password' },
      { name: 'missing email', body: (u) => ({ password: u.password }), pointer: '/body/email' },
      { name: 'an extra field', body: (u) => ({ ...u, remember_me: true }), pointer: '/body/remember_me' },
      { name: 'a malformed email', body: (u) => ({ email: 'not-an-email', password: u.password }), pointer: '/body/email' },
      { name: 'an empty password', body: (u) => ({ email: u.email, password: '' }), pointer: '/body/password' },
      { name: 'a password over 1024 characters', body: (u) => ({ email: u.email, password: 'p'.repeat(1025) }), pointer: '/body/password' },
      { name: 'an email over 254 characters', body: (u) => ({ email: `${'a'.repeat(250)}@example.com`, password: u.password }), pointer: '/body/email' },
      { name: 'a malformed workspace_id', body: (u) => ({ ...u, workspace_id: 'ws_nope' }), pointer: '/body/workspace_id' },
      { name: 'a non-string email', body: (u) => ({ email: { $ne: null }, password: u.password }), pointer: '/body/email' },
      { name: 'a JSON array body', body: () => [], pointer: '/body' },
    ];
    for (const c of cases) {
      it(`login: 400 validation_failed for ${c.name}`, async () => {
        const t = makeTestApp();
        const user = await createUser(t);
        const res = await t.http.post('/v1/auth/login').send(c.body({ email: user.email, password: user.password }) as object);
        const err = expectError(res, 400, 'validation_failed');
        assert.ok(
          (err.details as { pointer?: string }[]).some((d) => d.pointer === c.pointer),
          `expected a detail at ${c.pointer}, got ${JSON.stringify(err.details)}`,
        );
      });
    }

    it('login: 400 validation_failed for an empty application/json body', async () => {
      const t = makeTestApp();
      const res = await t.http.post('/v1/auth/login').set('Content-Type', 'application/json');
      expectError(res, 400, 'validation_failed');
    });

    it('login: 400 malformed_json for a body that is not JSON', async () => {
      const t = makeTestApp();
      const res = await t.http.post('/v1/auth/login').set('Content-Type', 'application/json').send('{"email":');
      const err = expectError(res, 400, 'malformed_json');
      assert.equal((err.details[0] as { pointer: string }).pointer, '/body');
    });
  });

  describe('413', () => {
    it('login: 413 payload_too_large for a JSON body over BODY_LIMIT_BYTES', async () => {
      const t = makeTestApp({ BODY_LIMIT_BYTES: '1024' });
      const user = await createUser(t);
      const res = await t.http.post('/v1/auth/login').send({ email: user.email, password: 'p'.repeat(2000) });
      const err = expectError(res, 413, 'payload_too_large');
      assert.equal(err.message, 'The request body exceeds 1 kB.');
      // Control: the same limit lets a normal login through.
      await t.http.post('/v1/auth/login').send({ email: user.email, password: user.password }).expect(200);
    });
  });

  describe('415', () => {
    it('login: 415 unsupported_media_type for a text/plain body', async () => {
      const t = makeTestApp();
      const user = await createUser(t);
      const res = await t.http
        .post('/v1/auth/login')
        .set('Content-Type', 'text/plain')
        .send(JSON.stringify({ email: user.email, password: user.password }));
      const err = expectError(res, 415, 'unsupported_media_type');
      assert.match(err.message, /text\/plain/);
    });

    it('login: 415 unsupported_media_type for a form-encoded body', async () => {
      const t = makeTestApp();
      const user = await createUser(t);
      const res = await t.http
        .post('/v1/auth/login')
        .type('form')
        .send({ email: user.email, password: user.password });
      expectError(res, 415, 'unsupported_media_type');
    });
  });
});
