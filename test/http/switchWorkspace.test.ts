import assert from 'node:assert/strict';
import { expectError, makeTestApp, signedIn, type TestApp } from '../helpers';
import { apiKey, bearer, createKeyHttp } from '../support/apiKeys';
import { acceptHttp, inviteHttp } from '../support/teams';

const UNKNOWN_WORKSPACE_ID = 'ws_01JD3Y8N6V4Q2X7R5T9W1K3M5Y';

const switchTo = (t: TestApp, auth: string, workspaceId: unknown) =>
  t.http.post('/v1/auth/switch').set('Authorization', auth).send({ workspace_id: workspaceId });

const meOf = async (t: TestApp, accessToken: string) =>
  (await t.http.get('/v1/me').set(bearer(`Bearer ${accessToken}`)).expect(200)).body.data;

describe('switchWorkspace (POST /v1/auth/switch)', () => {
  let t: TestApp;
  /** The owner of workspace A who was invited into B as a member (accepted with their password). */
  let user: Awaited<ReturnType<typeof signedIn>>;
  let bOwner: Awaited<ReturnType<typeof signedIn>>;
  beforeEach(async () => {
    t = makeTestApp();
    user = await signedIn(t);
    bOwner = await signedIn(t);
    const invited = await inviteHttp(t, bearer(bOwner.auth), { email: user.email, role: 'member' });
    await acceptHttp(t, invited.token, user.password).expect(200);
  });

  it("switchWorkspace: 200 a token pair for B; the new access token acts in B with B's role; the old session still works", async () => {
    const before = await meOf(t, user.tokens.access_token);
    assert.equal(before.workspace.id, user.workspaceId);
    assert.deepEqual(
      before.memberships.map((m: { workspace_id: string; role: string }) => `${m.workspace_id} ${m.role}`).sort(),
      [`${user.workspaceId} owner`, `${bOwner.workspaceId} member`].sort(),
    );

    const res = await switchTo(t, user.auth, bOwner.workspaceId);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.headers['cache-control'], 'no-store');
    const pair = res.body.data;
    assert.equal(typeof pair.access_token, 'string');
    assert.equal(typeof pair.refresh_token, 'string');
    assert.notEqual(pair.access_token, user.tokens.access_token);

    const inB = await meOf(t, pair.access_token);
    assert.equal(inB.user.id, user.userId);
    assert.equal(inB.workspace.id, bOwner.workspaceId);
    assert.equal(inB.role, 'member');
    assert.ok(!inB.scopes.includes('members:write') && !inB.scopes.includes('keys:write'), 'B grants a member\'s scopes only');
    // B's rights, not A's: a member of B may not invite there.
    const refused = await t.http.post('/v1/invitations').set(bearer(`Bearer ${pair.access_token}`)).send({ email: 'x@example.com', role: 'member' });
    expectError(refused, 403, 'insufficient_scope');

    // The current session stays valid, in A as owner.
    const still = await meOf(t, user.tokens.access_token);
    assert.equal(still.workspace.id, user.workspaceId);
    assert.equal(still.role, 'owner');

    // The refresh token of the switched session stays in B.
    const refreshed = await t.http.post('/v1/auth/refresh').send({ refresh_token: pair.refresh_token });
    assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
    assert.equal((await meOf(t, refreshed.body.data.access_token)).workspace.id, bOwner.workspaceId);
  });

  it('switchWorkspace: back and forth, and to the workspace of the current session (200)', async () => {
    const toB = (await switchTo(t, user.auth, bOwner.workspaceId).expect(200)).body.data;
    const toA = (await switchTo(t, `Bearer ${toB.access_token}`, user.workspaceId).expect(200)).body.data;
    const inA = await meOf(t, toA.access_token);
    assert.equal(inA.workspace.id, user.workspaceId);
    assert.equal(inA.role, 'owner');
    const same = (await switchTo(t, user.auth, user.workspaceId).expect(200)).body.data;
    assert.equal((await meOf(t, same.access_token)).workspace.id, user.workspaceId);
  });

  it('switchWorkspace: 404 not_found, alike, for a workspace that exists but is not theirs and for one that does not exist', async () => {
    const stranger = await signedIn(t);
    const theirs = expectError(await switchTo(t, user.auth, stranger.workspaceId), 404, 'not_found');
    const nobody = expectError(await switchTo(t, user.auth, UNKNOWN_WORKSPACE_ID), 404, 'not_found');
    assert.equal(theirs.message.replace(stranger.workspaceId, UNKNOWN_WORKSPACE_ID), nobody.message);
    assert.deepEqual(theirs.details, nobody.details);
  });

  it('switchWorkspace: 404 not_found once removed from B; the session switched into B ends (401), the one in A goes on', async () => {
    const toB = (await switchTo(t, user.auth, bOwner.workspaceId).expect(200)).body.data;
    await t.http.delete(`/v1/members/${user.userId}`).set(bearer(bOwner.auth)).expect(204);
    expectError(await t.http.get('/v1/me').set(bearer(`Bearer ${toB.access_token}`)), 401, 'invalid_token');
    expectError(await switchTo(t, user.auth, bOwner.workspaceId), 404, 'not_found');
    assert.deepEqual(
      (await meOf(t, user.tokens.access_token)).memberships.map((m: { workspace_id: string }) => m.workspace_id),
      [user.workspaceId],
    );
  });

  it('switchWorkspace: 401 with an API key (x-api-key or as a bearer): an API key belongs to one workspace', async () => {
    const created = await createKeyHttp(t, bearer(user.auth), { name: 'switcher' });
    const viaHeader = await t.http.post('/v1/auth/switch').set(apiKey(created.key)).send({ workspace_id: bOwner.workspaceId });
    assert.equal(viaHeader.status, 401, JSON.stringify(viaHeader.body));
    assert.equal(viaHeader.body.data, undefined);
    const viaBearer = await switchTo(t, `Bearer ${created.key}`, bOwner.workspaceId);
    assert.equal(viaBearer.status, 401, JSON.stringify(viaBearer.body));
    assert.equal(viaBearer.body.data, undefined);
    // The challenge offers only what this operation takes: a user's access token.
    for (const res of [viaHeader, viaBearer]) {
      expectError(res, 401, 'unauthenticated');
      assert.equal(res.headers['www-authenticate'], 'Bearer realm="cloud-api"');
      assert.doesNotMatch(res.body.error.message, /x-api-key/);
    }
  });

  it('switchWorkspace: 401 without a credential or with a revoked session', async () => {
    const anonymous = await t.http.post('/v1/auth/switch').send({ workspace_id: bOwner.workspaceId });
    assert.equal(anonymous.status, 401, JSON.stringify(anonymous.body));
    await t.http.post('/v1/auth/logout').send({ refresh_token: user.tokens.refresh_token }).expect(204);
    expectError(await switchTo(t, user.auth, bOwner.workspaceId), 401, 'invalid_token');
  });

  it('switchWorkspace: 400 validation_failed for a malformed, missing or extra workspace_id field', async () => {
    for (const body of [{ workspace_id: 'ws_nope' }, { workspace_id: bOwner.workspaceId.toLowerCase() }, { workspace_id: 42 }, {}, { workspace_id: bOwner.workspaceId, role: 'owner' }]) {
      const res = await t.http.post('/v1/auth/switch').set('Authorization', user.auth).send(body);
      expectError(res, 400, 'validation_failed');
    }
  });
});
