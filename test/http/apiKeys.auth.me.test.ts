import assert from 'node:assert/strict';
import { expectError, makeTestApp, signedIn } from '../helpers';
import { generateApiKey } from '../../src/auth/apiKeys';
import {
  ALL_SCOPES,
  apiKey,
  assertApiKeyShape,
  bearer,
  createKeyHttp,
  expectInvalidApiKey,
  me,
  ownerWithKey,
  tamper,
} from '../support/apiKeys';

describe('x-api-key authentication (apiKeyAuth): a key with a bearer token, and GET /v1/me with a key', () => {
  describe('both headers at once', () => {
    it('getMe: 200 token and key of the same workspace: type api_key with user and api_key, scopes the intersection', async () => {
      const t = makeTestApp();
      const { owner, created, keyCred } = await ownerWithKey(t, ['projects:read', 'keys:write']);
      const res = await me(t, { ...bearer(owner.auth), ...keyCred }).expect(200);
      const data = res.body.data;
      assert.equal(data.type, 'api_key');
      assert.equal(data.user.id, owner.userId);
      assert.equal(data.api_key.id, created.id);
      assert.equal(data.workspace.id, owner.workspaceId);
      assert.deepEqual([...data.scopes].sort(), ['keys:write', 'projects:read']);

      // A member's token (no keys:write) with the same key: only what both hold.
      const member = await signedIn(t, { role: 'member' });
      await t.store.identity.setMembership(member.userId, owner.workspaceId, 'member');
      const login = await t.http
        .post('/v1/auth/login')
        .send({ email: member.email, password: member.password, workspace_id: owner.workspaceId })
        .expect(200);
      const both = await me(t, { ...bearer(`Bearer ${login.body.data.access_token}`), ...keyCred }).expect(200);
      assert.equal(both.body.data.type, 'api_key');
      assert.equal(both.body.data.user.id, member.userId);
      assert.equal(both.body.data.api_key.id, created.id);
      assert.deepEqual(both.body.data.scopes, ['projects:read']);
      // And the intersection is what is enforced.
      await t.http.get('/v1/projects').set({ ...bearer(`Bearer ${login.body.data.access_token}`), ...keyCred }).expect(200);
      expectError(
        await t.http.get('/v1/api-keys').set({ ...bearer(`Bearer ${login.body.data.access_token}`), ...keyCred }),
        403,
        'insufficient_scope',
      );
    });

    it('getMe: 401 invalid_api_key for a token of workspace A with a key of workspace B', async () => {
      const t = makeTestApp();
      const a = await signedIn(t);
      const b = await ownerWithKey(t);
      const res = await me(t, { ...bearer(a.auth), ...b.keyCred });
      expectInvalidApiKey(res);
      assert.doesNotMatch(res.text, new RegExp(`${b.owner.workspaceId}|${a.workspaceId}`));
      // Also on an operation that each credential alone could do.
      expectInvalidApiKey(await t.http.get('/v1/projects').set({ ...bearer(a.auth), ...b.keyCred }));
      // The same user as a member of both workspaces, token acting in A, key of B: still refused.
      await t.store.identity.setMembership(a.userId, b.owner.workspaceId, 'admin');
      expectInvalidApiKey(await me(t, { ...bearer(a.auth), ...b.keyCred }));
    });

    it('getMe: 401 invalid_token for a valid key with an invalid bearer token', async () => {
      const t = makeTestApp();
      const { owner, keyCred } = await ownerWithKey(t);
      for (const authorization of ['Bearer garbage', `${owner.auth}x`, 'Bearer a.b.c']) {
        expectError(await me(t, { Authorization: authorization, ...keyCred }), 401, 'invalid_token');
      }
      // Logged out: the token's session ended.
      await t.http.post('/v1/auth/logout').send({ refresh_token: owner.tokens.refresh_token }).expect(204);
      expectError(await me(t, { ...bearer(owner.auth), ...keyCred }), 401, 'invalid_token');
      await me(t, keyCred).expect(200); // control: the key alone works
    });

    it('getMe: 401 invalid_api_key for a valid token with a malformed, unknown or revoked key', async () => {
      const t = makeTestApp();
      const { owner, key, created } = await ownerWithKey(t);
      expectInvalidApiKey(await me(t, { ...bearer(owner.auth), ...apiKey(tamper(key)) }), 'The API key is malformed.');
      expectInvalidApiKey(await me(t, { ...bearer(owner.auth), ...apiKey(generateApiKey()) }));
      await t.http.delete(`/v1/api-keys/${created.id}`).set(bearer(owner.auth)).expect(204);
      expectInvalidApiKey(await me(t, { ...bearer(owner.auth), ...apiKey(key) }));
      await me(t, bearer(owner.auth)).expect(200); // control: the token alone works
    });
  });

  describe('GET /v1/me with a key', () => {
    it('getMe: 200 type api_key with the api_key, workspace and scopes; no user, role or memberships', async () => {
      const t = makeTestApp();
      const { owner, created, keyCred } = await ownerWithKey(t, ['projects:read', 'usage:read'], { workspace: 'Acme' });
      const res = await me(t, keyCred).expect(200);
      assert.deepEqual(Object.keys(res.body), ['data']);
      const data = res.body.data;
      assert.deepEqual(Object.keys(data).sort(), ['api_key', 'scopes', 'type', 'workspace']);
      assert.equal(data.type, 'api_key');
      assert.equal(data.user, undefined);
      assert.equal(data.role, undefined);
      assert.equal(data.memberships, undefined);
      assert.deepEqual(data.scopes, ['projects:read', 'usage:read']);
      assert.equal(data.workspace.id, owner.workspaceId);
      assert.equal(data.workspace.name, 'Acme');
      assertApiKeyShape(data.api_key);
      const { key, ...shown } = created;
      assert.deepEqual({ ...data.api_key, last_used_at: null }, shown);
      assert.notEqual(data.api_key.last_used_at, null, 'this request used the key');
      assert.ok(!res.text.includes(key));
    });

    it('getMe: 200 with a key of any scopes (getMe needs no scope)', async () => {
      const t = makeTestApp();
      const owner = await signedIn(t);
      for (const scope of ALL_SCOPES) {
        const k = await createKeyHttp(t, bearer(owner.auth), { scopes: [scope] });
        const res = await me(t, apiKey(k.key)).expect(200);
        assert.deepEqual(res.body.data.scopes, [scope]);
      }
    });
  });
});
