import assert from 'node:assert/strict';
import { expectError, makeTestApp, type TestApp } from '../helpers';
import { bearer, ownerWithKey, type Cred } from '../support/apiKeys';
import { acceptHttp, inviteHttp, teamOf, type Invited } from '../support/teams';
import type { Scope } from '../../src/auth/scopes';

const MEMBER_SCOPES: Scope[] = ['members:read', 'members:write'];

describe('members and invitations: tenant isolation (another workspace gets 404)', () => {
  let t: TestApp;
  let a: Awaited<ReturnType<typeof teamOf>>;
  let b: Awaited<ReturnType<typeof ownerWithKey>>;
  let aInvitation: Invited;
  let aMembersBefore: unknown[];
  let aInvitationsBefore: unknown[];

  beforeEach(async () => {
    t = makeTestApp();
    a = await teamOf(t);
    aInvitation = await inviteHttp(t, bearer(a.owner.auth), { role: 'admin' });
    b = await ownerWithKey(t, MEMBER_SCOPES);
    assert.notEqual(a.owner.workspaceId, b.owner.workspaceId);
    await inviteHttp(t, bearer(b.owner.auth));
    aMembersBefore = (await t.http.get('/v1/members').set(bearer(a.owner.auth)).expect(200)).body.data;
    aInvitationsBefore = (await t.http.get('/v1/invitations').set(bearer(a.owner.auth)).expect(200)).body.data;
  });

  /** A's members, invitations and sessions are as they were, and A's invitation still works. */
  async function assertAUnchanged() {
    const cred = bearer(a.owner.auth);
    assert.deepEqual((await t.http.get('/v1/members').set(cred).expect(200)).body.data, aMembersBefore);
    assert.deepEqual((await t.http.get('/v1/invitations').set(cred).expect(200)).body.data, aInvitationsBefore);
    for (const u of [a.owner, a.admin, a.member]) {
      const me = (await t.http.get('/v1/me').set(bearer(u.auth)).expect(200)).body.data;
      assert.equal(me.workspace.id, a.owner.workspaceId);
    }
  }

  const bCreds = (): [string, Cred][] => [
    ["B's owner", bearer(b.owner.auth)],
    ["B's key with members:*", b.keyCred],
  ];

  it("getMember, updateMember, deleteMember: 404 not_found for A's members (A's owner included) as B's owner or B's key", async () => {
    for (const [, cred] of bCreds()) {
      for (const target of [a.owner, a.admin, a.member]) {
        expectError(await t.http.get(`/v1/members/${target.userId}`).set(cred), 404, 'not_found');
        // Even a role B's key may not give is 404, not 403: the answer must not tell A's ids apart.
        for (const role of ['member', 'admin', 'owner']) {
          expectError(await t.http.patch(`/v1/members/${target.userId}`).set(cred).send({ role }), 404, 'not_found');
        }
        expectError(await t.http.delete(`/v1/members/${target.userId}`).set(cred), 404, 'not_found');
      }
    }
    await assertAUnchanged();
  });

  it("getMember: the 404 for A's member reads like the one for a user id nobody has", async () => {
    const unknown = 'usr_01JD3Y8N6V4Q2X7R5T9W1K3M5Z';
    const theirs = expectError(await t.http.get(`/v1/members/${a.member.userId}`).set(b.keyCred), 404, 'not_found');
    const nobody = expectError(await t.http.get(`/v1/members/${unknown}`).set(b.keyCred), 404, 'not_found');
    assert.equal(theirs.message.replace(a.member.userId, unknown), nobody.message);
    assert.deepEqual(theirs.details, nobody.details);
  });

  it("deleteInvitation: 404 not_found for A's invitation as B's owner or B's key; A's token still works", async () => {
    for (const [, cred] of bCreds()) {
      expectError(await t.http.delete(`/v1/invitations/${aInvitation.id}`).set(cred), 404, 'not_found');
    }
    await assertAUnchanged();
    const accepted = await acceptHttp(t, aInvitation.token).expect(200);
    const me = (await t.http.get('/v1/me').set(bearer(`Bearer ${accepted.body.data.access_token}`)).expect(200)).body.data;
    assert.equal(me.workspace.id, a.owner.workspaceId, 'the invitation joins A, whoever tried to revoke it');
    assert.equal(me.role, 'admin');
  });

  it('listMembers, listInvitations: B sees only its own members and invitations', async () => {
    for (const [, cred] of bCreds()) {
      const members = (await t.http.get('/v1/members').set(cred).expect(200)).body.data;
      assert.deepEqual(members.map((m: { user_id: string }) => m.user_id), [b.owner.userId]);
      for (const role of ['owner', 'admin', 'member']) {
        const filtered = (await t.http.get(`/v1/members?role=${role}`).set(cred).expect(200)).body.data;
        assert.deepEqual(filtered.map((m: { user_id: string }) => m.user_id), role === 'owner' ? [b.owner.userId] : []);
      }
      const invitations = (await t.http.get('/v1/invitations').set(cred).expect(200)).body.data;
      assert.equal(invitations.length, 1);
      assert.notEqual(invitations[0].id, aInvitation.id);
      assert.notEqual(invitations[0].email, aInvitation.email);
    }
    await assertAUnchanged();
  });

  it("createInvitation: membership is per workspace: B invites A's member (201, not already_member) and the same email A invited (201, not already_invited)", async () => {
    await inviteHttp(t, b.keyCred, { email: a.member.email });
    await inviteHttp(t, bearer(b.owner.auth), { email: aInvitation.email });
    await assertAUnchanged();
  });

  it("getMember, updateMember, deleteMember: a user in both workspaces, signed in to B, cannot reach A's members through B's session", async () => {
    // A's admin joins B as its admin: B's session carries B's rights only, whatever A's role is.
    const invited = await inviteHttp(t, bearer(b.owner.auth), { email: a.admin.email, role: 'admin' });
    const accepted = await acceptHttp(t, invited.token, a.admin.password).expect(200);
    const inB = bearer(`Bearer ${accepted.body.data.access_token}`);
    assert.equal((await t.http.get('/v1/me').set(inB).expect(200)).body.data.workspace.id, b.owner.workspaceId);
    expectError(await t.http.get(`/v1/members/${a.member.userId}`).set(inB), 404, 'not_found');
    expectError(await t.http.patch(`/v1/members/${a.member.userId}`).set(inB).send({ role: 'admin' }), 404, 'not_found');
    expectError(await t.http.delete(`/v1/members/${a.member.userId}`).set(inB), 404, 'not_found');
    expectError(await t.http.delete(`/v1/invitations/${aInvitation.id}`).set(inB), 404, 'not_found');
    // Leaving B leaves A alone.
    await t.http.delete(`/v1/members/${a.admin.userId}`).set(inB).expect(204);
    await assertAUnchanged();
  });
});
