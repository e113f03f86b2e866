import assert from 'node:assert/strict';
import { expectError, login, makeTestApp, signedIn, type TestApp, type Tokens } from '../helpers';
import { installClock, type FakeClock } from '../clock';
import { decodeJwt } from '../tokens';

const refresh = (t: TestApp, refresh_token: unknown) => t.http.post('/v1/auth/refresh').send({ refresh_token });
const me = (t: TestApp, tokens: Pick<Tokens, 'access_token'>) =>
  t.http.get('/v1/me').set('Authorization', `Bearer ${tokens.access_token}`);

const withoutRequestId = (body: { error: Record<string, unknown> }) => {
  const { request_id: _ignored, ...rest } = body.error;
  return rest;
};

describe('POST /v1/auth/refresh (refreshToken)', () => {
  let clock: FakeClock | undefined;
  afterEach(() => {
    clock?.restore();
    clock = undefined;
  });

  describe('200', () => {
    it('refreshToken: 200 rotates: a new token pair for the same session, and the presented refresh token then fails', async () => {
      const t = makeTestApp();
      const u = await signedIn(t);
      const first = u.tokens;

      const res = await refresh(t, first.refresh_token).expect(200);
      assert.equal(res.headers['cache-control'], 'no-store');
      const second = res.body.data;
      assert.equal(second.token_type, 'Bearer');
      assert.equal(second.expires_in, 900);
      assert.equal(second.scope, 'projects:read projects:write usage:read keys:write webhooks:read webhooks:write members:read members:write');
      assert.ok(second.refresh_expires_in > 0 && second.refresh_expires_in <= 7 * 86400);
      assert.match(second.refresh_token, /^rt_[A-Za-z0-9_-]{43}$/);
      assert.notEqual(second.refresh_token, first.refresh_token);
      assert.notEqual(second.access_token, first.access_token);

      const a = decodeJwt(first.access_token).payload;
      const b = decodeJwt(second.access_token).payload;
      assert.equal(b.sid, a.sid, 'rotation stays in the same session');
      assert.equal(b.sub, u.userId);
      assert.equal(b.workspace_id, u.workspaceId);
      assert.notEqual(b.jti, a.jti);

      // The new access token works and the new refresh token rotates again.
      await me(t, second).expect(200);
      const third = (await refresh(t, second.refresh_token).expect(200)).body.data;
      await me(t, third).expect(200);

      // The first refresh token was used: it fails now.
      expectError(await refresh(t, first.refresh_token), 401, 'invalid_refresh_token');
    });

    it('refreshToken: 200 picks up a role change made since login', async () => {
      const t = makeTestApp();
      // Admin, not owner: the store refuses to demote a workspace's last owner.
      const u = await signedIn(t, { role: 'admin' });
      await t.store.identity.setMembership(u.userId, u.workspaceId, 'member');
      const res = await refresh(t, u.tokens.refresh_token).expect(200);
      assert.equal(res.body.data.scope, 'projects:read projects:write usage:read webhooks:read webhooks:write members:read');
      assert.equal(decodeJwt(res.body.data.access_token).payload.role, 'member');
      const body = (await me(t, res.body.data).expect(200)).body.data;
      assert.equal(body.role, 'member');
      assert.ok(!body.scopes.includes('keys:write'));
    });

    it('refreshToken: 200 before idle expiry, 401 invalid_refresh_token once a refresh token sat unused past REFRESH_TOKEN_IDLE_TTL_SECONDS', async () => {
      clock = installClock();
      const t = makeTestApp({ REFRESH_TOKEN_IDLE_TTL_SECONDS: '60', REFRESH_TOKEN_ABSOLUTE_TTL_SECONDS: '3600' });
      const u = await signedIn(t);
      assert.equal(
        (await t.http.post('/v1/auth/login').send({ email: u.email, password: u.password }).expect(200)).body.data
          .refresh_expires_in,
        60,
      );

      clock.advance(59);
      const second = (await refresh(t, u.tokens.refresh_token).expect(200)).body.data;
      assert.equal(second.refresh_expires_in, 60, 'each rotation restarts the idle window');

      clock.advance(60);
      const res = await refresh(t, second.refresh_token);
      const err = expectError(res, 401, 'invalid_refresh_token');
      assert.equal(err.message, 'The refresh token is not valid.');
    });

    it('refreshToken: 401 invalid_refresh_token once the session reaches REFRESH_TOKEN_ABSOLUTE_TTL_SECONDS, however recently it rotated', async () => {
      clock = installClock();
      const t = makeTestApp({ REFRESH_TOKEN_IDLE_TTL_SECONDS: '60', REFRESH_TOKEN_ABSOLUTE_TTL_SECONDS: '100' });
      const u = await signedIn(t);

      clock.advance(50);
      const second = (await refresh(t, u.tokens.refresh_token).expect(200)).body.data;
      // Idle window would allow 60 s more, but the session ends 50 s from now.
      assert.equal(second.refresh_expires_in, 50);

      clock.advance(49);
      await me(t, second).expect(200);

      clock.advance(1);
      expectError(await refresh(t, second.refresh_token), 401, 'invalid_refresh_token');
      // The access token has 850 s of its own left, but its session is over.
      expectError(await me(t, second), 401, 'invalid_token');
    });
  });

  describe('401', () => {
    it('refreshToken: 401 invalid_refresh_token on reuse of a used token, which revokes the whole session', async () => {
      const t = makeTestApp();
      const u = await signedIn(t);
      const first = u.tokens;
      const second: Tokens = (await refresh(t, first.refresh_token).expect(200)).body.data;
      const third: Tokens = (await refresh(t, second.refresh_token).expect(200)).body.data;
      await me(t, third).expect(200);

      // An attacker replays the first (already used) refresh token.
      const replay = await refresh(t, first.refresh_token);
      const err = expectError(replay, 401, 'invalid_refresh_token');
      assert.equal(err.message, 'The refresh token is not valid.');

      // The newest refresh token of that session fails too ...
      expectError(await refresh(t, third.refresh_token), 401, 'invalid_refresh_token');
      // ... and every access token issued in the session.
      for (const tokens of [first, second, third]) {
        const res = await me(t, tokens);
        const e = expectError(res, 401, 'invalid_token');
        assert.equal(e.message, 'The session of this access token has ended.');
        assert.match(res.headers['www-authenticate'], /^Bearer realm="cloud-api", error="invalid_token"/);
      }
    });

    it('refreshToken: 401 invalid_refresh_token on reuse of the token just rotated, which revokes the new pair', async () => {
      const t = makeTestApp();
      const u = await signedIn(t);
      const second: Tokens = (await refresh(t, u.tokens.refresh_token).expect(200)).body.data;
      expectError(await refresh(t, u.tokens.refresh_token), 401, 'invalid_refresh_token');
      expectError(await refresh(t, second.refresh_token), 401, 'invalid_refresh_token');
      expectError(await me(t, second), 401, 'invalid_token');
    });

    it('refreshToken: 401 for the second of two concurrent refreshes with one token, and the session is revoked', async () => {
      const t = makeTestApp();
      const u = await signedIn(t);
      const [a, b] = await Promise.all([refresh(t, u.tokens.refresh_token), refresh(t, u.tokens.refresh_token)]);
      const [ok, failed] = a.status === 200 ? [a, b] : [b, a];
      assert.equal(ok.status, 200);
      expectError(failed, 401, 'invalid_refresh_token');
      // The token was presented twice: the pair handed out for it is revoked as well.
      expectError(await refresh(t, ok.body.data.refresh_token), 401, 'invalid_refresh_token');
      expectError(await me(t, ok.body.data), 401, 'invalid_token');
    });

    it('refreshToken: 401 reuse in one session does not affect another session of the same user', async () => {
      const t = makeTestApp();
      const u = await signedIn(t);
      const other = await login(t, u);
      await refresh(t, u.tokens.refresh_token).expect(200);
      expectError(await refresh(t, u.tokens.refresh_token), 401, 'invalid_refresh_token');

      await me(t, other).expect(200);
      const rotated = (await refresh(t, other.refresh_token).expect(200)).body.data;
      await me(t, rotated).expect(200);
    });

    it('refreshToken: 401 invalid_refresh_token for an unknown token, indistinguishable from a reused one', async () => {
      const t = makeTestApp();
      const u = await signedIn(t);
      const unknown = await refresh(t, 'rt_' + 'A'.repeat(43));
      expectError(unknown, 401, 'invalid_refresh_token');
      expectError(await refresh(t, 'not-even-shaped-like-one'), 401, 'invalid_refresh_token');

      await refresh(t, u.tokens.refresh_token).expect(200);
      const reused = await refresh(t, u.tokens.refresh_token);
      expectError(reused, 401, 'invalid_refresh_token');
      assert.deepEqual(withoutRequestId(unknown.body), withoutRequestId(reused.body));
      // A refresh token is not a bearer credential: no challenge header.
      assert.equal(unknown.headers['www-authenticate'], undefined);
    });

    it('refreshToken: 401 invalid_refresh_token for a refresh token of an app with other secrets', async () => {
      const t = makeTestApp();
      const elsewhere = makeTestApp();
      const u = await signedIn(elsewhere);
      await signedIn(t);
      expectError(await refresh(t, u.tokens.refresh_token), 401, 'invalid_refresh_token');
    });

    it('refreshToken: 401 invalid_refresh_token after logout', async () => {
      const t = makeTestApp();
      const u = await signedIn(t);
      await t.http.post('/v1/auth/logout').send({ refresh_token: u.tokens.refresh_token }).expect(204);
      expectError(await refresh(t, u.tokens.refresh_token), 401, 'invalid_refresh_token');
    });
  });

  describe('400', () => {
    const cases: { name: string; body: unknown; pointer: string }[] = [
      { name: 'missing refresh_token', body: {}, pointer: '/body/refresh_token' },
      { name: 'an empty refresh_token', body: { refresh_token: '' }, pointer: '/body/refresh_token' },
      { name: 'a refresh_token over 256 characters', body: { refresh_token: 'r'.repeat(257) }, pointer: '/body/refresh_token' },
      { name: 'an extra field', body: { refresh_token: 'rt_x', grant_type: 'refresh_token' }, pointer: '/body/grant_type' },
      { name: 'a null refresh_token', body: { refresh_token: null }, pointer: '/body/refresh_token' },
      { name: 'a JSON array body', body: [], pointer: '/body' },
    ];
    for (const c of cases) {
      it(`refreshToken: 400 validation_failed for ${c.name}`, async () => {
        const t = makeTestApp();
        const res = await t.http.post('/v1/auth/refresh').send(c.body as object);
        const err = expectError(res, 400, 'validation_failed');
        assert.ok(
          (err.details as { pointer?: string }[]).some((d) => d.pointer === c.pointer),
          `expected a detail at ${c.pointer}, got ${JSON.stringify(err.details)}`,
        );
      });
    }

    it('refreshToken: 400 malformed_json for a body that is not JSON', async () => {
      const t = makeTestApp();
      const res = await t.http.post('/v1/auth/refresh').set('Content-Type', 'application/json').send('{"refresh_token"');
      expectError(res, 400, 'malformed_json');
    });

    it('refreshToken: 400 does not consume the refresh token', async () => {
      const t = makeTestApp();
      const u = await signedIn(t);
      const res = await t.http.post('/v1/auth/refresh').send({ refresh_token: u.tokens.refresh_token, extra: 1 });
      expectError(res, 400, 'validation_failed');
      await refresh(t, u.tokens.refresh_token).expect(200);
    });
  });

  describe('413', () => {
    it('refreshToken: 413 payload_too_large for a JSON body over BODY_LIMIT_BYTES', async () => {
      const t = makeTestApp({ BODY_LIMIT_BYTES: '1024' });
      const res = await t.http.post('/v1/auth/refresh').send({ refresh_token: 'r'.repeat(2000) });
      const err = expectError(res, 413, 'payload_too_large');
      assert.equal(err.message, 'The request body exceeds 1 kB.');
    });
  });

  describe('415', () => {
    it('refreshToken: 415 unsupported_media_type for a text/plain body', async () => {
      const t = makeTestApp();
      const u = await signedIn(t);
      const res = await t.http
        .post('/v1/auth/refresh')
        .set('Content-Type', 'text/plain')
        .send(JSON.stringify({ refresh_token: u.tokens.refresh_token }));
      expectError(res, 415, 'unsupported_media_type');
      // The token was not consumed.
      await refresh(t, u.tokens.refresh_token).expect(200);
    });
  });
});
