import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { expectError, makeTestApp, signedIn, type TestApp } from '../helpers';
import { installClock, type FakeClock } from '../clock';
import { b64url, claimsLike, decodeJwt, nowSeconds, signEs256, signHs256, unsigned } from '../tokens';

const ALL_SCOPES = ['projects:read', 'projects:write', 'usage:read', 'keys:write', 'webhooks:read', 'webhooks:write', 'members:read', 'members:write'];

const getMe = (t: TestApp, authorization?: string) => {
  const req = t.http.get('/v1/me');
  return authorization === undefined ? req : req.set('Authorization', authorization);
};

/** 401 invalid_token with an RFC 6750 challenge naming the error. */
async function expectInvalidToken(t: TestApp, authorization: string, message?: string) {
  const res = await getMe(t, authorization);
  const err = expectError(res, 401, 'invalid_token');
  assert.match(res.headers['www-authenticate'] ?? '', /^Bearer realm="cloud-api", error="invalid_token"/);
  if (message) assert.equal(err.message, message);
  assert.equal(res.body.data, undefined);
  return err;
}

describe('GET /v1/me (getMe)', () => {
  let clock: FakeClock | undefined;
  afterEach(() => {
    clock?.restore();
    clock = undefined;
  });

  describe('200', () => {
    it('getMe: 200 describes the caller: user, workspace, role, scopes and memberships', async () => {
      const t = makeTestApp();
      const u = await signedIn(t, { email: 'Owner@Example.com', workspace: 'Acme' });
      const res = await getMe(t, u.auth).expect(200);
      assert.ok(res.headers['x-request-id']);
      assert.deepEqual(Object.keys(res.body), ['data']);
      const me = res.body.data;
      assert.equal(me.type, 'user');
      assert.deepEqual(Object.keys(me.user).sort(), ['created_at', 'email', 'id']);
      assert.equal(me.user.id, u.userId);
      assert.equal(me.user.email, 'owner@example.com', 'emails are stored lowercased');
      assert.ok(!Number.isNaN(Date.parse(me.user.created_at)));
      assert.equal(me.workspace.id, u.workspaceId);
      assert.equal(me.workspace.name, 'Acme');
      assert.ok(!Number.isNaN(Date.parse(me.workspace.created_at)));
      assert.equal(me.role, 'owner');
      assert.deepEqual(me.scopes, ALL_SCOPES);
      assert.deepEqual(me.memberships, [{ workspace_id: u.workspaceId, workspace_name: 'Acme', role: 'owner' }]);
      // Nothing secret leaks into the description of the caller.
      assert.doesNotMatch(JSON.stringify(res.body), /scrypt|password/i);
    });

    it('getMe: 200 lists every membership, oldest first, and reflects the workspace the token acts in', async () => {
      const t = makeTestApp();
      const u = await signedIn(t, { workspace: 'Home' });
      const second = await t.store.identity.createWorkspace('Guest house');
      await t.store.identity.setMembership(u.userId, second.id, 'member');
      const expected = [
        { workspace_id: u.workspaceId, workspace_name: 'Home', role: 'owner' },
        { workspace_id: second.id, workspace_name: 'Guest house', role: 'member' },
      ];

      const home = (await getMe(t, u.auth).expect(200)).body.data;
      assert.equal(home.workspace.id, u.workspaceId);
      assert.deepEqual(home.memberships, expected);

      const login = await t.http
        .post('/v1/auth/login')
        .send({ email: u.email, password: u.password, workspace_id: second.id })
        .expect(200);
      const guest = (await getMe(t, `Bearer ${login.body.data.access_token}`).expect(200)).body.data;
      assert.equal(guest.workspace.id, second.id);
      assert.equal(guest.workspace.name, 'Guest house');
      assert.equal(guest.role, 'member');
      assert.deepEqual(guest.scopes, ALL_SCOPES.filter((s) => s !== 'keys:write' && s !== 'members:write'));
      assert.deepEqual(guest.memberships, expected);
    });

    it('getMe: 200 accepts the auth scheme case-insensitively ("bearer")', async () => {
      const t = makeTestApp();
      const u = await signedIn(t);
      await getMe(t, `bearer ${u.tokens.access_token}`).expect(200);
      await getMe(t, `BEARER ${u.tokens.access_token}`).expect(200);
    });

    it('getMe: 200 for a token we sign ourselves with the real key and a live session (control for the forgery tests)', async () => {
      const t = makeTestApp();
      const u = await signedIn(t);
      const token = signEs256(t, claimsLike(t, u.tokens.access_token));
      assert.notEqual(token, u.tokens.access_token);
      const me = (await getMe(t, `Bearer ${token}`).expect(200)).body.data;
      assert.equal(me.user.id, u.userId);
    });

    it('getMe: 200 for a token that expired less than 60 s ago (clock skew), 401 invalid_token beyond', async () => {
      clock = installClock();
      const t = makeTestApp();
      const u = await signedIn(t);
      clock.advance(900 + 59);
      await getMe(t, u.auth).expect(200);
      clock.advance(2);
      await expectInvalidToken(t, u.auth, 'The access token has expired.');
    });
  });

  describe('400', () => {
    it('getMe: 400 validation_failed for a query parameter the operation does not define', async () => {
      const t = makeTestApp();
      const u = await signedIn(t);
      const err = expectError(await getMe(t, u.auth).query({ foo: '1' }), 400, 'validation_failed');
      assert.ok(err.details.some((d: any) => d.pointer === '/query/foo'), JSON.stringify(err.details));
    });
  });

  describe('401', () => {
    it('getMe: 401 unauthenticated without an Authorization header, with a challenge naming both schemes', async () => {
      const t = makeTestApp();
      const res = await getMe(t);
      const err = expectError(res, 401, 'unauthenticated');
      assert.match(err.message, /Bearer/);
      assert.ok(res.headers['www-authenticate'].startsWith('Bearer realm='), res.headers['www-authenticate']);
      assert.equal(res.headers['www-authenticate'], 'Bearer realm="cloud-api", ApiKey realm="cloud-api", header="x-api-key"');
    });

    it('getMe: 401 unauthenticated for Authorization: Basic (another scheme carries no bearer credential, RFC 6750 3.1)', async () => {
      const t = makeTestApp();
      const u = await signedIn(t);
      const res = await getMe(t, `Basic ${Buffer.from(`${u.email}:${u.password}`).toString('base64')}`);
      expectError(res, 401, 'unauthenticated');
      assert.ok(res.headers['www-authenticate'].startsWith('Bearer realm='), res.headers['www-authenticate']);
    });

    it('getMe: 401 invalid_token for an alg "none" token with otherwise correct claims', async () => {
      const t = makeTestApp();
      const u = await signedIn(t);
      const claims = claimsLike(t, u.tokens.access_token);
      await expectInvalidToken(t, `Bearer ${unsigned(claims)}`);
      await expectInvalidToken(t, `Bearer ${unsigned(claims, 'None')}`);
      // The real token with its header swapped for alg none and its signature stripped.
      const [, payload] = u.tokens.access_token.split('.');
      await expectInvalidToken(t, `Bearer ${b64url({ alg: 'none', typ: 'JWT' })}.${payload}.`);
      // Nor is stripping the signature of a real ES256 token enough.
      const [header] = u.tokens.access_token.split('.');
      await expectInvalidToken(t, `Bearer ${header}.${payload}.`);
    });

    it('getMe: 401 invalid_token for a token signed with a different EC P-256 key (even with our kid)', async () => {
      const t = makeTestApp();
      const u = await signedIn(t);
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const forged = signEs256(t, claimsLike(t, u.tokens.access_token), privateKey);
      assert.equal(decodeJwt(forged).header.kid, t.secrets.jwtKeyId);
      await expectInvalidToken(t, `Bearer ${forged}`, 'The access token is invalid.');
    });

    it('getMe: 401 invalid_token for a token signed by another instance of the app', async () => {
      const t = makeTestApp();
      const elsewhere = makeTestApp();
      await signedIn(t);
      const u = await signedIn(elsewhere);
      await expectInvalidToken(t, u.auth);
    });

    it('getMe: 401 invalid_token for HS256 signed with our public key as the secret (algorithm confusion)', async () => {
      const t = makeTestApp();
      const u = await signedIn(t);
      const claims = claimsLike(t, u.tokens.access_token);
      const pem = t.secrets.jwtPublicKey.export({ format: 'pem', type: 'spki' }).toString();
      await expectInvalidToken(t, `Bearer ${signHs256(claims, pem, t.secrets.jwtKeyId)}`);
      const der = t.secrets.jwtPublicKey.export({ format: 'der', type: 'spki' });
      await expectInvalidToken(t, `Bearer ${signHs256(claims, der)}`);
    });

    it('getMe: 401 invalid_token for a token signed with our key that expired more than 60 s ago', async () => {
      const t = makeTestApp();
      const u = await signedIn(t);
      const now = nowSeconds();
      const expired = signEs256(t, claimsLike(t, u.tokens.access_token, { iat: now - 1000, exp: now - 120 }));
      await expectInvalidToken(t, `Bearer ${expired}`, 'The access token has expired.');
    });

    it('getMe: 401 invalid_token for a token signed with our key for another audience', async () => {
      const t = makeTestApp();
      const u = await signedIn(t);
      for (const aud of ['https://evil.example', 'http://cloud-api.test', ['https://evil.example']]) {
        await expectInvalidToken(t, `Bearer ${signEs256(t, claimsLike(t, u.tokens.access_token, { aud }))}`);
      }
      await expectInvalidToken(t, `Bearer ${signEs256(t, claimsLike(t, u.tokens.access_token, { aud: undefined }))}`);
    });

    it('getMe: 401 invalid_token for a token signed with our key from another issuer', async () => {
      const t = makeTestApp();
      const u = await signedIn(t);
      for (const iss of ['https://evil.example', 'http://cloud-api.test/v1']) {
        await expectInvalidToken(t, `Bearer ${signEs256(t, claimsLike(t, u.tokens.access_token, { iss }))}`);
      }
      await expectInvalidToken(t, `Bearer ${signEs256(t, claimsLike(t, u.tokens.access_token, { iss: undefined }))}`);
    });

    it('getMe: 401 invalid_token for a token signed with our key that is not valid yet (nbf in the future)', async () => {
      const t = makeTestApp();
      const u = await signedIn(t);
      const token = signEs256(t, claimsLike(t, u.tokens.access_token, { nbf: nowSeconds() + 3600 }));
      await expectInvalidToken(t, `Bearer ${token}`);
    });

    it('getMe: 401 invalid_token for a token signed with our key but missing or bad app claims', async () => {
      const t = makeTestApp();
      const u = await signedIn(t);
      const bad: Record<string, unknown>[] = [
        { sid: undefined },
        { sub: undefined },
        { workspace_id: undefined },
        { role: 'superuser' },
        { scope: 'projects:read admin:all' },
        { sid: 'ses_01JD3Y8N6V4Q2X7R5T9W1K3M5Q' }, // well-formed but no such session
        { sid: 42 },
      ];
      for (const overrides of bad) {
        await expectInvalidToken(t, `Bearer ${signEs256(t, claimsLike(t, u.tokens.access_token, overrides))}`);
      }
    });

    it('getMe: 401 invalid_token for garbage and malformed Bearer credentials', async () => {
      const t = makeTestApp();
      const u = await signedIn(t);
      const [h, p, s] = u.tokens.access_token.split('.');
      const tampered = JSON.parse(Buffer.from(p, 'base64url').toString());
      tampered.role = 'owner';
      tampered.workspace_id = 'ws_01JD3Y8N6V4Q2X7R5T9W1K3M5Q';
      const credentials = [
        'Bearer garbage',
        'Bearer a.b.c',
        'Bearer',
        'Bearer ',
        `Bearer ${u.tokens.refresh_token}`,
        `Bearer ${h}.${b64url(tampered)}.${s}`, // payload changed, signature kept
        `Bearer ${u.tokens.access_token}x`,
        `Bearer ${u.tokens.access_token} extra`,
        `Bearer ${u.tokens.access_token.split('.').slice(0, 2).join('.')}`,
        `Token bearer ${u.tokens.access_token}`,
      ];
      for (const authorization of credentials) await expectInvalidToken(t, authorization);
    });

    it('getMe: 401 invalid_token for an access token of a session ended by logout', async () => {
      const t = makeTestApp();
      const u = await signedIn(t);
      // A self-signed token for the same session is refused too: revocation is by session, not by token.
      const copy = signEs256(t, claimsLike(t, u.tokens.access_token));
      await t.http.post('/v1/auth/logout').send({ refresh_token: u.tokens.refresh_token }).expect(204);
      await expectInvalidToken(t, u.auth, 'The session of this access token has ended.');
      await expectInvalidToken(t, `Bearer ${copy}`, 'The session of this access token has ended.');
    });

    it('getMe: 401 responses reveal nothing about the user', async () => {
      const t = makeTestApp();
      const u = await signedIn(t);
      const token = jwt.sign(claimsLike(t, u.tokens.access_token), 'not-the-key', { algorithm: 'HS256' });
      const res = await getMe(t, `Bearer ${token}`);
      expectError(res, 401, 'invalid_token');
      assert.doesNotMatch(JSON.stringify(res.body), new RegExp(`${u.userId}|${u.workspaceId}|${u.email}`));
    });
  });
});
