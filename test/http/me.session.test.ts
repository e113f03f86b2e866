import assert from 'node:assert/strict';
import { createUser, expectError, login, makeTestApp, signedIn, type TestApp } from '../helpers';
import { claimsLike, signEs256 } from '../tokens';
import { bearer, createKeyHttp, expectInsufficientScope } from '../support/apiKeys';

// Issue #11 items 2 and 3: an access token is only as good as its session and the role held now.

const getMe = (t: TestApp, authorization: string) => t.http.get('/v1/me').set('Authorization', authorization);

async function expectInvalidToken(t: TestApp, authorization: string) {
  const res = await getMe(t, authorization);
  expectError(res, 401, 'invalid_token');
  assert.equal(res.body.data, undefined);
}

describe('access tokens against their session (getMe, createApiKey)', () => {
  it('getMe: 401 invalid_token for a token signed with our key but without exp', async () => {
    const t = makeTestApp();
    const u = await signedIn(t);
    await expectInvalidToken(t, `Bearer ${signEs256(t, claimsLike(t, u.tokens.access_token, { exp: undefined }))}`);
  });

  it("getMe: 401 invalid_token for a token naming one user's session with another user's sub or workspace", async () => {
    const t = makeTestApp();
    const victim = await signedIn(t);
    const attacker = await signedIn(t);
    const attackerSession = claimsLike(t, attacker.tokens.access_token).sid;
    const swaps = [
      { sub: victim.userId, workspace_id: victim.workspaceId, sid: attackerSession },
      { sub: victim.userId, sid: attackerSession },
      { workspace_id: victim.workspaceId, sid: attackerSession },
    ];
    for (const overrides of swaps) {
      await expectInvalidToken(t, `Bearer ${signEs256(t, claimsLike(t, attacker.tokens.access_token, overrides))}`);
    }
    // Control: the same forging with matching claims is accepted, so the refusals above are the check.
    await getMe(t, `Bearer ${signEs256(t, claimsLike(t, attacker.tokens.access_token))}`).expect(200);
  });

  it('createApiKey: 403 insufficient_scope on the next request after an admin is demoted to member', async () => {
    const t = makeTestApp();
    const owner = await signedIn(t);
    const admin = await createUser(t, { workspace: 'Shared' });
    await t.store.identity.setMembership(admin.userId, owner.workspaceId, 'admin');
    const tokens = await login(t, { ...admin, workspace_id: owner.workspaceId });
    const auth = `Bearer ${tokens.access_token}`;
    await createKeyHttp(t, bearer(auth), { name: 'while admin', scopes: ['keys:write'] });

    // What `npm run cli -- add-member --role member` does.
    await t.store.identity.setMembership(admin.userId, owner.workspaceId, 'member');

    const me = await getMe(t, auth).expect(200);
    assert.equal(me.body.data.role, 'member');
    assert.ok(!me.body.data.scopes.includes('keys:write'));
    expectInsufficientScope(
      await t.http.post('/v1/api-keys').set(bearer(auth)).send({ name: 'after demotion', scopes: ['keys:write'] }),
      'keys:write',
    );
    expectInsufficientScope(
      await t.http.post('/v1/api-keys').set(bearer(auth)).send({ name: 'weaker', scopes: ['projects:read'] }),
      'keys:write',
    );
  });

  it('getMe: 200 a promotion takes effect on the next request too', async () => {
    const t = makeTestApp();
    const u = await signedIn(t, { role: 'member' });
    assert.equal((await getMe(t, u.auth).expect(200)).body.data.role, 'member');
    await t.store.identity.setMembership(u.userId, u.workspaceId, 'admin');
    const me = await getMe(t, u.auth).expect(200);
    assert.equal(me.body.data.role, 'admin');
    assert.ok(me.body.data.scopes.includes('keys:write'));
  });

  it('getMe: 401 invalid_token once the user is no longer a member of the workspace', async () => {
    const t = makeTestApp();
    const owner = await signedIn(t);
    const guest = await createUser(t, { workspace: 'Elsewhere' });
    await t.store.identity.setMembership(guest.userId, owner.workspaceId, 'member');
    const tokens = await login(t, { ...guest, workspace_id: owner.workspaceId });
    await getMe(t, `Bearer ${tokens.access_token}`).expect(200);
    await t.store.identity.removeMembership(guest.userId, owner.workspaceId);
    await expectInvalidToken(t, `Bearer ${tokens.access_token}`);
  });
});
