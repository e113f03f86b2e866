import assert from 'node:assert/strict';
import { expectError, makeTestApp, signedIn, type TestApp } from '../helpers';
import { bearer } from '../support/apiKeys';
import { WEBHOOK_ENV } from '../support/webhooks';
import { acceptHttp, GOOD_PASSWORD, inviteHttp } from '../support/teams';

// The proof, from outside: invite, accept, list, promote, the last-owner rule, remove, reuse.
describe('teams: the path a team walks (createInvitation, acceptInvitation, listMembers, updateMember, deleteMember)', () => {
  let t: TestApp;
  beforeEach(() => {
    t = makeTestApp(WEBHOOK_ENV);
  });

  it('invite, accept, promote, refuse the last owner, remove, refuse the used token, list the join', async () => {
    const owner = await signedIn(t);
    const ownerCred = bearer(owner.auth);
    const invited = await inviteHttp(t, ownerCred, { role: 'member' });

    const accepted = await acceptHttp(t, invited.token, GOOD_PASSWORD);
    assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
    assert.equal(accepted.headers['cache-control'], 'no-store');
    const newcomer = bearer(`Bearer ${accepted.body.data.access_token}`);
    const me = (await t.http.get('/v1/me').set(newcomer).expect(200)).body.data;
    assert.equal(me.role, 'member');
    assert.equal(me.workspace.id, owner.workspaceId);
    assert.ok(me.scopes.includes('members:read') && !me.scopes.includes('members:write'));

    const members = (await t.http.get('/v1/members').set(ownerCred).expect(200)).body.data;
    assert.deepEqual(members.map((m: { email: string }) => m.email), [invited.email, owner.email]);
    const newcomerId = me.user.id as string;

    const promoted = await t.http.patch(`/v1/members/${newcomerId}`).set(ownerCred).send({ role: 'admin' }).expect(200);
    assert.equal(promoted.body.data.role, 'admin');
    assert.equal((await t.http.get('/v1/me').set(newcomer).expect(200)).body.data.role, 'admin', 'effective on the next request');

    expectError(await t.http.delete(`/v1/members/${owner.userId}`).set(ownerCred), 409, 'last_owner');
    expectError(await t.http.patch(`/v1/members/${owner.userId}`).set(ownerCred).send({ role: 'admin' }), 409, 'last_owner');

    await t.http.delete(`/v1/members/${newcomerId}`).set(ownerCred).expect(204);
    expectError(await t.http.get('/v1/me').set(newcomer), 401, 'invalid_token');
    expectError(await acceptHttp(t, invited.token, GOOD_PASSWORD), 401, 'invalid_invitation');

    // Newest first: the join, then the owner's own (the workspace's creation, by the test's setup).
    const joins = (await t.http.get('/v1/events?type=member.added').set(ownerCred).expect(200)).body.data;
    assert.deepEqual(joins.map((e: { data: { object: { user_id: string; role: string } } }) => [e.data.object.user_id, e.data.object.role]), [
      [newcomerId, 'member'],
      [owner.userId, 'owner'],
    ]);
  });
});
