import assert from 'node:assert/strict';
import { EmailTaken, LastOwner } from '../../../src/store/ports';
import { engines, withStore } from './engines';

for (const engine of engines) {
  describe(`store engines: identity and sessions (${engine.name})`, () => {
    const s = withStore(engine);

    it('workspaces, users and memberships: create, find, roles, remove', async () => {
      const { identity } = s.store;
      const ws = await identity.createWorkspace('Acme');
      assert.deepEqual(await identity.getWorkspace(ws.id), ws);
      assert.deepEqual(await identity.findWorkspaceByName('Acme'), ws);
      assert.equal(await identity.findWorkspaceByName('Nope'), undefined);
      const user = await identity.createUser('Ana@Example.com', 'hash-1');
      assert.equal(user.email, 'ana@example.com');
      assert.deepEqual(await identity.getUser(user.id), user);
      assert.deepEqual(await identity.findUserByEmail('ANA@example.com'), { user, passwordHash: 'hash-1' });
      assert.equal(await identity.countUsers(), 1);
      await identity.setMembership(user.id, ws.id, 'admin');
      await identity.setMembership(user.id, ws.id, 'member');
      assert.equal(await identity.getRole(user.id, ws.id), 'member');
      assert.deepEqual(await identity.membershipsOf(user.id), [{ workspace_id: ws.id, workspace_name: 'Acme', role: 'member' }]);
      assert.equal(await identity.removeMembership(user.id, ws.id), true);
      assert.equal(await identity.removeMembership(user.id, ws.id), false);
      assert.equal(await identity.getRole(user.id, ws.id), undefined);
      assert.deepEqual(await identity.listUsers(), [user]);
    });

    it('createUser throws EmailTaken for an email taken in any letter case', async () => {
      await s.store.identity.createUser('bo@example.com', 'h');
      await assert.rejects(s.store.identity.createUser('BO@example.com', 'h'), EmailTaken);
      assert.equal(await s.store.identity.countUsers(), 1);
    });

    it('replacePasswordHash is a compare-and-set; setPasswordHash is not', async () => {
      const user = await s.store.identity.createUser('c@example.com', 'old');
      assert.equal(await s.store.identity.replacePasswordHash(user.id, 'stale', 'new'), false);
      assert.equal(await s.store.identity.replacePasswordHash(user.id, 'old', 'new'), true);
      assert.equal((await s.store.identity.findUserByEmail('c@example.com'))!.passwordHash, 'new');
      assert.equal(await s.store.identity.setPasswordHash(user.id, 'newer'), true);
    });

    it('sessions: findActive gives the current role; revoked, expired or removed members are not active', async () => {
      const { identity, sessions } = s.store;
      const ws = await identity.createWorkspace('W');
      const user = await identity.createUser('d@example.com', 'h');
      await identity.setMembership(user.id, ws.id, 'admin');
      const future = new Date(Date.now() + 3600_000).toISOString();
      const now = new Date().toISOString();
      const a = await sessions.create(user.id, ws.id, future);
      assert.deepEqual(await sessions.findActive(a.id, now), { user_id: user.id, workspace_id: ws.id, role: 'admin' });
      await identity.setMembership(user.id, ws.id, 'member');
      assert.equal((await sessions.findActive(a.id, now))!.role, 'member');
      assert.equal(await sessions.findActive(a.id, future), undefined, 'past its absolute expiry');
      await identity.removeMembership(user.id, ws.id);
      assert.equal(await sessions.findActive(a.id, now), undefined);
      await identity.setMembership(user.id, ws.id, 'member');
      await sessions.revoke(a.id, 'logout');
      assert.equal(await sessions.findActive(a.id, now), undefined);
      const b = await sessions.create(user.id, ws.id, future);
      assert.equal(await sessions.revokeAllForUser(user.id, 'password_changed'), 1);
      assert.equal(await sessions.findActive(b.id, now), undefined);
    });

    it('setMembership and removeMembership throw LastOwner for the last owner, changing nothing; other owners and members change', async () => {
      const { identity } = s.store;
      const ws = await identity.createWorkspace('W');
      const other = await identity.createWorkspace('Other');
      const [a, b] = [await identity.createUser('a@example.com', 'h'), await identity.createUser('b@example.com', 'h')];
      await identity.setMembership(a.id, ws.id, 'owner');
      await identity.setMembership(b.id, other.id, 'owner');
      await assert.rejects(identity.removeMembership(a.id, ws.id), LastOwner);
      await assert.rejects(identity.setMembership(a.id, ws.id, 'admin'), LastOwner);
      await assert.rejects(identity.setMembership(a.id, ws.id, 'member'), LastOwner);
      await identity.setMembership(a.id, ws.id, 'owner');
      assert.equal(await identity.getRole(a.id, ws.id), 'owner');

      await identity.setMembership(b.id, ws.id, 'member');
      await identity.setMembership(b.id, ws.id, 'admin');
      assert.equal(await identity.removeMembership(b.id, ws.id), true, 'a non-owner leaves freely');
      await identity.setMembership(b.id, ws.id, 'owner');
      await identity.setMembership(a.id, ws.id, 'admin');
      await assert.rejects(identity.setMembership(b.id, ws.id, 'member'), LastOwner);
      await assert.rejects(identity.removeMembership(b.id, ws.id), LastOwner);
      // Inside a transaction too; there the check sees the transaction's own changes.
      await assert.rejects(s.store.transaction((tx) => tx.identity.removeMembership(b.id, ws.id)), LastOwner);
      await s.store.transaction(async (tx) => {
        await tx.identity.setMembership(a.id, ws.id, 'owner');
        assert.equal(await tx.identity.removeMembership(b.id, ws.id), true);
      });
      assert.deepEqual([await identity.getRole(a.id, ws.id), await identity.getRole(b.id, ws.id)], ['owner', undefined]);
      assert.equal(await identity.getRole(b.id, other.id), 'owner');
    });

    it('two concurrent demotions or removals of the two owners: one throws LastOwner, exactly one owner remains', async () => {
      const { identity } = s.store;
      const [a, b] = [await identity.createUser('a@example.com', 'h'), await identity.createUser('b@example.com', 'h')];
      for (let round = 0; round < 6; round++) {
        const ws = await identity.createWorkspace(`W${round}`);
        await identity.setMembership(a.id, ws.id, 'owner');
        await identity.setMembership(b.id, ws.id, 'owner');
        const outcomes = await Promise.allSettled([
          identity.setMembership(a.id, ws.id, 'admin'),
          round % 2 ? identity.removeMembership(b.id, ws.id) : identity.setMembership(b.id, ws.id, 'member'),
        ]);
        const failed = outcomes.filter((o) => o.status === 'rejected') as PromiseRejectedResult[];
        assert.equal(failed.length, 1, `round ${round}: ${outcomes.map((o) => o.status)}`);
        assert.ok(failed[0].reason instanceof LastOwner, String(failed[0].reason));
        const roles = [await identity.getRole(a.id, ws.id), await identity.getRole(b.id, ws.id)];
        assert.equal(roles.filter((r) => r === 'owner').length, 1, `round ${round}: ${roles}`);
      }
    });

    it('refresh tokens: found by hash with their session, consumed exactly once', async () => {
      const { identity, sessions } = s.store;
      const ws = await identity.createWorkspace('W');
      const user = await identity.createUser('e@example.com', 'h');
      const future = new Date(Date.now() + 3600_000).toISOString();
      const session = await sessions.create(user.id, ws.id, future);
      const hash = Buffer.alloc(32, 7);
      await sessions.addRefreshToken(session.id, hash, future);
      const found = await sessions.findRefreshToken(hash);
      assert.deepEqual(found, { expires_at: future, used_at: null, session });
      const at = new Date().toISOString();
      const outcomes = await Promise.all([sessions.consumeRefreshToken(hash, at), sessions.consumeRefreshToken(hash, at)]);
      assert.deepEqual(outcomes.sort(), [false, true]);
      assert.equal((await sessions.findRefreshToken(hash))!.used_at, at);
      assert.equal(await sessions.findRefreshToken(Buffer.alloc(32, 8)), undefined);
    });
  });
}
