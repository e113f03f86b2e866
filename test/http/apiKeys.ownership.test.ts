import assert from 'node:assert/strict';
import { createUser, expectError, login, makeTestApp, signedIn, type TestApp } from '../helpers';
import { apiKey, bearer, createKeyHttp, expectInsufficientScope, post, type Cred } from '../support/apiKeys';

// Keys belong to the workspace, as Stripe's do (tag "API keys" in openapi.yaml): what a key may do
// is fixed by its scopes, not by the role its creator holds now, nor by the creator staying.

describe('API keys outlive their creator: createApiKey and listProjects with a key whose creator left', () => {
  let t: TestApp;
  let owner: Awaited<ReturnType<typeof signedIn>>;
  let admin: { userId: string; auth: string };
  let key: Cred;
  beforeEach(async () => {
    t = makeTestApp();
    owner = await signedIn(t, { workspace: 'Acme' });
    // An admin, not the only owner: removing the last owner is refused.
    const user = await createUser(t, { workspace: 'Acme', role: 'admin' });
    admin = { userId: user.userId, auth: `Bearer ${(await login(t, user)).access_token}` };
    key = apiKey((await createKeyHttp(t, bearer(admin.auth), { name: 'deploy', scopes: ['keys:write', 'projects:read'] })).key);
  });

  const keyNames = async () =>
    (await t.http.get('/v1/api-keys').set(bearer(owner.auth)).expect(200)).body.data.map((k: { name: string }) => k.name).sort();

  it('createApiKey: 201 within its scopes and 403 beyond them after its creator is demoted to member', async () => {
    await t.store.identity.setMembership(admin.userId, owner.workspaceId, 'member');
    expectInsufficientScope(await post(t, bearer(admin.auth), { name: 'by the member', scopes: ['projects:read'] }), 'keys:write');

    const created = await createKeyHttp(t, key, { name: 'after demotion', scopes: ['projects:read'] });
    assert.deepEqual(created.scopes, ['projects:read']);
    const res = await post(t, key, { name: 'too strong', scopes: ['projects:read', 'usage:read'] });
    expectInsufficientScope(res, 'usage:read');
    assert.match(res.headers['www-authenticate'], /^ApiKey realm=/, 'a key is challenged as a key');
    assert.deepEqual(await keyNames(), ['after demotion', 'deploy']);
  });

  it('listProjects: 200 and createApiKey: 201 with the key after its creator is removed from the workspace', async () => {
    assert.equal(await t.store.identity.removeMembership(admin.userId, owner.workspaceId), true);
    await t.http.get('/v1/projects').set(key).expect(200);
    await createKeyHttp(t, key, { name: 'after removal', scopes: ['projects:read'] });
    expectInsufficientScope(await post(t, key, { name: 'too strong', scopes: ['usage:read'] }), 'usage:read');
    assert.deepEqual(await keyNames(), ['after removal', 'deploy']);
  });

  it("listProjects: 401 invalid_token with the removed creator's own access token, while the key still works", async () => {
    await t.http.get('/v1/projects').set(bearer(admin.auth)).expect(200);
    await t.store.identity.removeMembership(admin.userId, owner.workspaceId);
    const res = await t.http.get('/v1/projects').set(bearer(admin.auth));
    expectError(res, 401, 'invalid_token');
    assert.match(res.headers['www-authenticate'] ?? '', /^Bearer realm=/);
    expectError(await post(t, bearer(admin.auth), { name: 'by the removed', scopes: ['projects:read'] }), 401, 'invalid_token');
    await t.http.get('/v1/projects').set(key).expect(200);
  });
});
