import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectError, makeTestApp, type TestApp } from '../helpers';
import { apiKey, bearer, createKeyHttp, expectInsufficientScope, type Cred } from '../support/apiKeys';
import { acceptHttp, inviteHttp, newEmail, rolesOf, teamOf } from '../support/teams';
import { appFromSpec } from '../support/specCopy';
import type { Scope } from '../../src/auth/scopes';

type Team = Awaited<ReturnType<typeof teamOf>>;

/** A key of the team's workspace with `scopes`, made by its owner. */
async function keyOf(t: TestApp, team: Team, scopes: Scope[]): Promise<Cred> {
  return apiKey((await createKeyHttp(t, bearer(team.owner.auth), { name: `k ${scopes.join(' ')}`, scopes })).key);
}

/** 403 insufficient_role: the owner-only rule, not a scope. */
function expectInsufficientRole(res: Parameters<typeof expectError>[0]) {
  const err = expectError(res, 403, 'insufficient_role');
  assert.deepEqual(err.details, [{ field: 'role', code: 'owner_only', message: 'only an owner may do this' }]);
}

const patchRole = (t: TestApp, cred: Cred, userId: string, role: string) => t.http.patch(`/v1/members/${userId}`).set(cred).send({ role });

describe('members: the role matrix (owner, admin, member, API keys)', () => {
  let t: TestApp;
  let team: Team;
  beforeEach(async () => {
    t = makeTestApp();
    team = await teamOf(t);
  });

  describe('reading the team (members:read)', () => {
    it('listMembers, getMember, listInvitations: 200 for owner, admin and member, and for a key with members:read', async () => {
      await inviteHttp(t, bearer(team.owner.auth));
      const readKey = await keyOf(t, team, ['members:read']);
      for (const cred of [bearer(team.owner.auth), bearer(team.admin.auth), bearer(team.member.auth), readKey]) {
        const list = await t.http.get('/v1/members').set(cred).expect(200);
        assert.equal(list.body.data.length, 3);
        const one = await t.http.get(`/v1/members/${team.owner.userId}`).set(cred).expect(200);
        assert.equal(one.body.data.role, 'owner');
        const invitations = await t.http.get('/v1/invitations').set(cred).expect(200);
        assert.equal(invitations.body.data.length, 1);
      }
    });

    it('listMembers, getMember, listInvitations, deleteMember: 403 insufficient_scope members:read for a key without it', async () => {
      // members:write alone does not imply members:read: every scope is granted by name.
      for (const scopes of [['projects:read'], ['members:write']] as Scope[][]) {
        const key = await keyOf(t, team, scopes);
        expectInsufficientScope(await t.http.get('/v1/members').set(key), 'members:read');
        expectInsufficientScope(await t.http.get(`/v1/members/${team.member.userId}`).set(key), 'members:read');
        expectInsufficientScope(await t.http.get('/v1/invitations').set(key), 'members:read');
        expectInsufficientScope(await t.http.delete(`/v1/members/${team.member.userId}`).set(key), 'members:read');
      }
      assert.equal(Object.keys(await rolesOf(t, bearer(team.owner.auth))).length, 3, 'nobody was removed');
    });
  });

  describe('changing the team (members:write)', () => {
    it('updateMember, createInvitation, deleteInvitation, deleteMember: 403 insufficient_scope members:write for a member', async () => {
      const cred = bearer(team.member.auth);
      const invitation = await inviteHttp(t, bearer(team.owner.auth));
      expectInsufficientScope(await patchRole(t, cred, team.admin.userId, 'member'), 'members:write');
      expectInsufficientScope(await t.http.post('/v1/invitations').set(cred).send({ email: newEmail(), role: 'member' }), 'members:write');
      expectInsufficientScope(await t.http.delete(`/v1/invitations/${invitation.id}`).set(cred), 'members:write');
      // Leaving needs members:read only; removing someone else does not.
      expectInsufficientScope(await t.http.delete(`/v1/members/${team.admin.userId}`).set(cred), 'members:write');
      assert.deepEqual(await rolesOf(t, bearer(team.owner.auth)), {
        [team.owner.userId]: 'owner',
        [team.admin.userId]: 'admin',
        [team.member.userId]: 'member',
      });
      assert.equal((await t.http.get('/v1/invitations').set(cred).expect(200)).body.data.length, 1, 'the invitation stays pending');
    });

    it('updateMember, createInvitation, deleteInvitation, deleteMember: 403 insufficient_scope members:write for a key with members:read only', async () => {
      const key = await keyOf(t, team, ['members:read']);
      const invitation = await inviteHttp(t, bearer(team.owner.auth));
      expectInsufficientScope(await patchRole(t, key, team.member.userId, 'admin'), 'members:write');
      expectInsufficientScope(await t.http.post('/v1/invitations').set(key).send({ email: newEmail(), role: 'member' }), 'members:write');
      expectInsufficientScope(await t.http.delete(`/v1/invitations/${invitation.id}`).set(key), 'members:write');
      expectInsufficientScope(await t.http.delete(`/v1/members/${team.member.userId}`).set(key), 'members:write');
    });

    it('updateMember, createInvitation, deleteInvitation, deleteMember: an admin manages admins and members (200, 201, 204)', async () => {
      const cred = bearer(team.admin.auth);
      assert.equal((await patchRole(t, cred, team.member.userId, 'admin').expect(200)).body.data.role, 'admin');
      assert.equal((await patchRole(t, cred, team.member.userId, 'member').expect(200)).body.data.role, 'member');
      const invitation = await inviteHttp(t, cred, { role: 'admin' });
      await t.http.delete(`/v1/invitations/${invitation.id}`).set(cred).expect(204);
      await t.http.delete(`/v1/members/${team.member.userId}`).set(cred).expect(204);
      assert.deepEqual(Object.keys(await rolesOf(t, cred)).sort(), [team.admin.userId, team.owner.userId].sort());
    });

    it('updateMember: an owner makes another owner (200), who can then demote the first one', async () => {
      const cred = bearer(team.owner.auth);
      assert.equal((await patchRole(t, cred, team.admin.userId, 'owner').expect(200)).body.data.role, 'owner');
      // The new owner's next request carries the owner's rights.
      await patchRole(t, bearer(team.admin.auth), team.owner.userId, 'admin').expect(200);
      assert.deepEqual(await rolesOf(t, cred, '?role=owner'), { [team.admin.userId]: 'owner' });
    });

    it('createInvitation, deleteMember: an owner invites an owner (201) and removes another owner (204)', async () => {
      const cred = bearer(team.owner.auth);
      const invitation = await inviteHttp(t, cred, { role: 'owner' });
      assert.equal(invitation.role, 'owner');
      await patchRole(t, cred, team.admin.userId, 'owner').expect(200);
      await t.http.delete(`/v1/members/${team.admin.userId}`).set(cred).expect(204);
      assert.deepEqual(await rolesOf(t, cred, '?role=owner'), { [team.owner.userId]: 'owner' });
    });

    it('updateMember, createInvitation, deleteMember: 403 insufficient_role for an admin touching an owner', async () => {
      const cred = bearer(team.admin.auth);
      expectInsufficientRole(await patchRole(t, cred, team.member.userId, 'owner'));
      expectInsufficientRole(await patchRole(t, cred, team.admin.userId, 'owner'));
      expectInsufficientRole(await patchRole(t, cred, team.owner.userId, 'admin'));
      expectInsufficientRole(await patchRole(t, cred, team.owner.userId, 'member'));
      expectInsufficientRole(await t.http.delete(`/v1/members/${team.owner.userId}`).set(cred));
      expectInsufficientRole(await t.http.post('/v1/invitations').set(cred).send({ email: newEmail(), role: 'owner' }));
      assert.deepEqual(await rolesOf(t, cred), {
        [team.owner.userId]: 'owner',
        [team.admin.userId]: 'admin',
        [team.member.userId]: 'member',
      });
      assert.equal((await t.http.get('/v1/invitations').set(cred).expect(200)).body.data.length, 0);
    });

    it('updateMember: 403 insufficient_scope members:write for a member promoting themselves; 403 insufficient_role for an admin doing so to owner', async () => {
      expectInsufficientScope(await patchRole(t, bearer(team.member.auth), team.member.userId, 'admin'), 'members:write');
      expectInsufficientRole(await patchRole(t, bearer(team.admin.auth), team.admin.userId, 'owner'));
      assert.equal((await t.http.get('/v1/me').set(bearer(team.member.auth)).expect(200)).body.data.role, 'member');
    });

    it('updateMember, createInvitation: a key with members:write invites a member and promotes to admin, but 403 insufficient_role for anything owner', async () => {
      // The key is the owner's, yet acts as an admin at most: a leaked key cannot take the workspace.
      const key = await keyOf(t, team, ['members:read', 'members:write']);
      const invited = await inviteHttp(t, key, { role: 'member' });
      const listed = (await t.http.get('/v1/invitations').set(key).expect(200)).body.data;
      assert.deepEqual(listed.map((i: { id: string }) => i.id), [invited.id]);
      assert.match(listed[0].invited_by, /^key_/);
      assert.equal((await patchRole(t, key, team.member.userId, 'admin').expect(200)).body.data.role, 'admin');

      expectInsufficientRole(await patchRole(t, key, team.member.userId, 'owner'));
      expectInsufficientRole(await patchRole(t, key, team.owner.userId, 'admin'));
      expectInsufficientRole(await t.http.delete(`/v1/members/${team.owner.userId}`).set(key));
      expectInsufficientRole(await t.http.post('/v1/invitations').set(key).send({ email: newEmail(), role: 'owner' }));

      await t.http.delete(`/v1/invitations/${invited.id}`).set(key).expect(204);
      await t.http.delete(`/v1/members/${team.admin.userId}`).set(key).expect(204);
      assert.deepEqual(await rolesOf(t, key), { [team.owner.userId]: 'owner', [team.member.userId]: 'admin' });
    });
  });

  describe('leaving (deleteMember of oneself)', () => {
    it('deleteMember: a member leaves with members:read only (204); their session ends (401)', async () => {
      const cred = bearer(team.member.auth);
      await t.http.delete(`/v1/members/${team.member.userId}`).set(cred).expect(204);
      expectError(await t.http.get('/v1/me').set(cred), 401, 'invalid_token');
      assert.equal((await rolesOf(t, bearer(team.owner.auth)))[team.member.userId], undefined);
    });

    it('deleteMember: an admin leaves (204); the last owner cannot (409 last_owner)', async () => {
      await t.http.delete(`/v1/members/${team.admin.userId}`).set(bearer(team.admin.auth)).expect(204);
      expectError(await t.http.delete(`/v1/members/${team.owner.userId}`).set(bearer(team.owner.auth)), 409, 'last_owner');
    });

    it('deleteMember: an owner who is not the last one leaves (204)', async () => {
      await patchRole(t, bearer(team.owner.auth), team.admin.userId, 'owner').expect(200);
      await t.http.delete(`/v1/members/${team.owner.userId}`).set(bearer(team.owner.auth)).expect(204);
      assert.deepEqual(await rolesOf(t, bearer(team.admin.auth), '?role=owner'), { [team.admin.userId]: 'owner' });
    });
  });

  describe('effective on the next request', () => {
    it('updateMember: a promotion and a demotion show in the member\'s next GET /v1/me (role and scopes) and rights', async () => {
      const memberCred = bearer(team.member.auth);
      const before = (await t.http.get('/v1/me').set(memberCred).expect(200)).body.data;
      assert.equal(before.role, 'member');
      assert.ok(before.scopes.includes('members:read') && !before.scopes.includes('members:write'));

      await patchRole(t, bearer(team.owner.auth), team.member.userId, 'admin').expect(200);
      const promoted = (await t.http.get('/v1/me').set(memberCred).expect(200)).body.data;
      assert.equal(promoted.role, 'admin');
      assert.ok(promoted.scopes.includes('members:write') && promoted.scopes.includes('keys:write'));
      await inviteHttp(t, memberCred);

      await patchRole(t, bearer(team.owner.auth), team.member.userId, 'member').expect(200);
      const demoted = (await t.http.get('/v1/me').set(memberCred).expect(200)).body.data;
      assert.equal(demoted.role, 'member');
      assert.ok(!demoted.scopes.includes('members:write'));
      expectInsufficientScope(await t.http.post('/v1/invitations').set(memberCred).send({ email: newEmail(), role: 'member' }), 'members:write');
    });

    it('deleteMember: removal ends the member\'s sessions: access token 401 invalid_token, refresh 401', async () => {
      const { tokens } = team.member;
      await t.http.delete(`/v1/members/${team.member.userId}`).set(bearer(team.owner.auth)).expect(204);
      expectError(await t.http.get('/v1/me').set(bearer(team.member.auth)), 401, 'invalid_token');
      const refreshed = await t.http.post('/v1/auth/refresh').send({ refresh_token: tokens.refresh_token });
      expectError(refreshed, 401, 'invalid_refresh_token');
    });

    it('deleteMember: the API keys a removed admin created stay and keep working: keys belong to the workspace', async () => {
      const created = await createKeyHttp(t, bearer(team.admin.auth), { name: 'provisioning', scopes: ['members:read', 'members:write'] });
      await t.http.delete(`/v1/members/${team.admin.userId}`).set(bearer(team.owner.auth)).expect(204);
      const me = (await t.http.get('/v1/me').set(apiKey(created.key)).expect(200)).body.data;
      assert.equal(me.workspace.id, team.owner.workspaceId);
      await t.http.get('/v1/members').set(apiKey(created.key)).expect(200);
    });

    it('deleteMember then acceptInvitation: a removed member who joins again gets new sessions; the old tokens stay dead', async () => {
      const old = team.member.tokens;
      await t.http.delete(`/v1/members/${team.member.userId}`).set(bearer(team.owner.auth)).expect(204);
      const again = await inviteHttp(t, bearer(team.owner.auth), { email: team.member.email });
      const accepted = await acceptHttp(t, again.token, team.member.password).expect(200);
      const me = (await t.http.get('/v1/me').set(bearer(`Bearer ${accepted.body.data.access_token}`)).expect(200)).body.data;
      assert.equal(me.user.id, team.member.userId);
      // Ended sessions must not come back with the membership.
      expectError(await t.http.get('/v1/me').set(bearer(`Bearer ${old.access_token}`)), 401, 'invalid_token');
      expectError(await t.http.post('/v1/auth/refresh').send({ refresh_token: old.refresh_token }), 401, 'invalid_refresh_token');
    });

    it('updateMember: a demoted admin\'s refreshed tokens carry the new role', async () => {
      await patchRole(t, bearer(team.owner.auth), team.admin.userId, 'member').expect(200);
      const refreshed = await t.http.post('/v1/auth/refresh').send({ refresh_token: team.admin.tokens.refresh_token }).expect(200);
      const me = (await t.http.get('/v1/me').set(bearer(`Bearer ${refreshed.body.data.access_token}`)).expect(200)).body.data;
      assert.equal(me.role, 'member');
      assert.ok(!me.scopes.includes('members:write'));
    });

    it('acceptInvitation: an invited admin holds members:write at once', async () => {
      const invited = await inviteHttp(t, bearer(team.owner.auth), { role: 'admin' });
      const accepted = await acceptHttp(t, invited.token).expect(200);
      const me = (await t.http.get('/v1/me').set(bearer(`Bearer ${accepted.body.data.access_token}`)).expect(200)).body.data;
      assert.equal(me.role, 'admin');
      assert.ok(me.scopes.includes('members:write'));
    });
  });

  describe('on every instance', () => {
    let dir: string;
    let apps: TestApp[] = [];
    beforeEach(() => {
      dir = mkdtempSync(join(tmpdir(), 'cloud-api-members-'));
    });
    afterEach(async () => {
      for (const app of apps) await app.store.close();
      apps = [];
      rmSync(dir, { recursive: true, force: true });
    });

    it('updateMember, deleteMember on one instance: the member\'s next request on another instance has the new role, then 401', async () => {
      // Two processes on one database (a SQLite file, or one schema on the PostgreSQL pass), one signing key.
      const env = { DATABASE_PATH: join(dir, 'shared.sqlite') };
      const one = appFromSpec(undefined, env);
      const two = appFromSpec(undefined, env, { secrets: one.secrets });
      apps = [one, two];
      const shared = await teamOf(one);
      const memberCred = bearer(shared.member.auth);
      // Warm whatever the second instance remembers about the member's session.
      assert.equal((await two.http.get('/v1/me').set(memberCred).expect(200)).body.data.role, 'member');
      await patchRole(one, bearer(shared.owner.auth), shared.member.userId, 'admin').expect(200);
      const promoted = (await two.http.get('/v1/me').set(memberCred).expect(200)).body.data;
      assert.equal(promoted.role, 'admin');
      assert.ok(promoted.scopes.includes('members:write'));
      await one.http.delete(`/v1/members/${shared.member.userId}`).set(bearer(shared.owner.auth)).expect(204);
      expectError(await two.http.get('/v1/me').set(memberCred), 401, 'invalid_token');
      expectError(await two.http.post('/v1/auth/refresh').send({ refresh_token: shared.member.tokens.refresh_token }), 401, 'invalid_refresh_token');
    });
  });
});
