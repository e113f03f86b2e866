import assert from 'node:assert/strict';
import { expectError, login, makeTestApp, signedIn, type TestApp, type Tokens } from '../helpers';

const logout = (t: TestApp, refresh_token: unknown) => t.http.post('/v1/auth/logout').send({ refresh_token });
const refresh = (t: TestApp, refresh_token: string) => t.http.post('/v1/auth/refresh').send({ refresh_token });
const me = (t: TestApp, tokens: Pick<Tokens, 'access_token'>) =>
  t.http.get('/v1/me').set('Authorization', `Bearer ${tokens.access_token}`);

describe('POST /v1/auth/logout (logout)', () => {
  describe('204', () => {
    it('logout: 204 ends the session: its refresh token fails and its access tokens get 401 invalid_token', async () => {
      const t = makeTestApp();
      const u = await signedIn(t);
      const first = u.tokens;
      const second: Tokens = (await refresh(t, first.refresh_token).expect(200)).body.data;
      await me(t, first).expect(200);
      await me(t, second).expect(200);

      const res = await logout(t, second.refresh_token).expect(204);
      assert.equal(res.text, '');
      assert.ok(res.headers['x-request-id']);

      expectError(await refresh(t, second.refresh_token), 401, 'invalid_refresh_token');
      for (const tokens of [first, second]) {
        const r = await me(t, tokens);
        const err = expectError(r, 401, 'invalid_token');
        assert.equal(err.message, 'The session of this access token has ended.');
      }
    });

    it('logout: 204 with an earlier (already rotated) refresh token also ends the session', async () => {
      const t = makeTestApp();
      const u = await signedIn(t);
      const second: Tokens = (await refresh(t, u.tokens.refresh_token).expect(200)).body.data;
      await logout(t, u.tokens.refresh_token).expect(204);
      expectError(await refresh(t, second.refresh_token), 401, 'invalid_refresh_token');
      expectError(await me(t, second), 401, 'invalid_token');
    });

    it('logout: 204 for an unknown refresh token', async () => {
      const t = makeTestApp();
      const u = await signedIn(t);
      const res = await logout(t, 'rt_' + 'A'.repeat(43)).expect(204);
      assert.equal(res.text, '');
      await logout(t, 'whatever').expect(204);
      // Nothing else was affected.
      await me(t, u.tokens).expect(200);
      await refresh(t, u.tokens.refresh_token).expect(200);
    });

    it('logout: 204 again for a session that is already over (safe to retry)', async () => {
      const t = makeTestApp();
      const u = await signedIn(t);
      await logout(t, u.tokens.refresh_token).expect(204);
      await logout(t, u.tokens.refresh_token).expect(204);
      expectError(await me(t, u.tokens), 401, 'invalid_token');
    });

    it('logout: 204 of one session does not affect another login of the same user', async () => {
      const t = makeTestApp();
      const u = await signedIn(t);
      const other = await login(t, u);
      await logout(t, u.tokens.refresh_token).expect(204);

      expectError(await me(t, u.tokens), 401, 'invalid_token');
      await me(t, other).expect(200);
      const rotated: Tokens = (await refresh(t, other.refresh_token).expect(200)).body.data;
      await me(t, rotated).expect(200);
    });

    it('logout: 204 does not touch sessions of other users', async () => {
      const t = makeTestApp();
      const alice = await signedIn(t);
      const bob = await signedIn(t);
      await logout(t, alice.tokens.refresh_token).expect(204);
      await me(t, bob.tokens).expect(200);
      await refresh(t, bob.tokens.refresh_token).expect(200);
    });

    it('logout: 204 then logging in again starts a working new session', async () => {
      const t = makeTestApp();
      const u = await signedIn(t);
      await logout(t, u.tokens.refresh_token).expect(204);
      const again = await login(t, u);
      await me(t, again).expect(200);
    });
  });

  describe('400', () => {
    const cases: { name: string; body: unknown; pointer: string }[] = [
      { name: 'missing refresh_token', body: {}, pointer: '/body/refresh_token' },
      { name: 'an empty refresh_token', body: { refresh_token: '' }, pointer: '/body/refresh_token' },
      { name: 'a refresh_token over 256 characters', body: { refresh_token: 'r'.repeat(257) }, pointer: '/body/refresh_token' },
      { name: 'an extra field', body: { refresh_token: 'rt_x', everywhere: true }, pointer: '/body/everywhere' },
      { name: 'a JSON array body', body: [], pointer: '/body' },
    ];
    for (const c of cases) {
      it(`logout: 400 validation_failed for ${c.name}`, async () => {
        const t = makeTestApp();
        const res = await t.http.post('/v1/auth/logout').send(c.body as object);
        const err = expectError(res, 400, 'validation_failed');
        assert.ok(
          (err.details as { pointer?: string }[]).some((d) => d.pointer === c.pointer),
          `expected a detail at ${c.pointer}, got ${JSON.stringify(err.details)}`,
        );
      });
    }

    it('logout: 400 malformed_json for a body that is not JSON', async () => {
      const t = makeTestApp();
      const res = await t.http.post('/v1/auth/logout').set('Content-Type', 'application/json').send('{');
      expectError(res, 400, 'malformed_json');
    });

    it('logout: 400 leaves the session alive', async () => {
      const t = makeTestApp();
      const u = await signedIn(t);
      const res = await t.http.post('/v1/auth/logout').send({ refresh_token: u.tokens.refresh_token, all: true });
      expectError(res, 400, 'validation_failed');
      await me(t, u.tokens).expect(200);
    });
  });

  describe('413', () => {
    it('logout: 413 payload_too_large for a JSON body over BODY_LIMIT_BYTES', async () => {
      const t = makeTestApp({ BODY_LIMIT_BYTES: '1024' });
      const res = await t.http.post('/v1/auth/logout').send({ refresh_token: 'r'.repeat(2000) });
      const err = expectError(res, 413, 'payload_too_large');
      assert.equal(err.message, 'The request body exceeds 1 kB.');
    });
  });

  describe('415', () => {
    it('logout: 415 unsupported_media_type for a text/plain body, and the session stays alive', async () => {
      const t = makeTestApp();
      const u = await signedIn(t);
      const res = await t.http
        .post('/v1/auth/logout')
        .set('Content-Type', 'text/plain')
        .send(JSON.stringify({ refresh_token: u.tokens.refresh_token }));
      const err = expectError(res, 415, 'unsupported_media_type');
      assert.match(err.message, /text\/plain/);
      await me(t, u.tokens).expect(200);
    });

    it('logout: 415 unsupported_media_type for a POST without a body or Content-Type', async () => {
      const t = makeTestApp();
      const res = await t.http.post('/v1/auth/logout');
      expectError(res, 415, 'unsupported_media_type');
    });
  });
});
