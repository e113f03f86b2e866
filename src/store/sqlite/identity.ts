import { EmailTaken, type IdentityStore, type Member, type Membership, type Role, type Workspace, type User } from '../ports';
import { keepAnOwner } from '../shared/identity';
import type { Db } from './db';
import { newId } from '../../ids';

interface UserRow {
  id: string;
  email: string;
  password_hash: string;
  created_at: string;
}

const toUser = (r: UserRow): User => ({ id: r.id, email: r.email, created_at: r.created_at });

export function createIdentityStore(db: Db): IdentityStore {
  const insertWorkspace = db.prepare('INSERT INTO workspaces (id, name, created_at) VALUES (?, ?, ?)');
  const selectWorkspace = db.prepare('SELECT id, name, created_at FROM workspaces WHERE id = ?');
  const selectWorkspaceByName = db.prepare(
    'SELECT id, name, created_at FROM workspaces WHERE name = ? ORDER BY created_at LIMIT 1',
  );
  const insertUser = db.prepare('INSERT INTO users (id, email, password_hash, created_at) VALUES (?, ?, ?, ?)');
  const selectUser = db.prepare('SELECT id, email, password_hash, created_at FROM users WHERE id = ?');
  const selectUserByEmail = db.prepare('SELECT id, email, password_hash, created_at FROM users WHERE email = ?');
  const updatePassword = db.prepare('UPDATE users SET password_hash = ? WHERE id = ?');
  const replacePassword = db.prepare('UPDATE users SET password_hash = ? WHERE id = ? AND password_hash = ?');
  const selectUsers = db.prepare('SELECT id, email, password_hash, created_at FROM users ORDER BY created_at, id');
  const countUsers = db.prepare('SELECT count(*) AS n FROM users').pluck();
  const upsertMembership = db.prepare(`INSERT INTO memberships (user_id, workspace_id, role, created_at)
    VALUES (?, ?, ?, ?) ON CONFLICT (user_id, workspace_id) DO UPDATE SET role = excluded.role`);
  const insertMembership = db.prepare(`INSERT INTO memberships (user_id, workspace_id, role, created_at)
    VALUES (?, ?, ?, ?) ON CONFLICT (user_id, workspace_id) DO NOTHING`);
  const deleteMembership = db.prepare('DELETE FROM memberships WHERE user_id = ? AND workspace_id = ?');
  const endSessions = db.prepare(`UPDATE sessions SET revoked_at = ?, revoked_reason = 'membership_removed'
    WHERE user_id = ? AND workspace_id = ? AND revoked_at IS NULL`);
  const MEMBER = `SELECT m.user_id, u.email, m.role, m.created_at AS joined_at
    FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.workspace_id = @workspaceId`;
  // The keyset's position is (joined_at, user_id): the membership's (created_at, user_id).
  const AFTER = '(m.created_at < @afterCreatedAt OR (m.created_at = @afterCreatedAt AND m.user_id < @afterId))';
  const ROLE = '(@role IS NULL OR m.role = @role)';
  const ORDER = 'ORDER BY m.created_at DESC, m.user_id DESC LIMIT @limit';
  const firstMembers = db.prepare(`${MEMBER} AND ${ROLE} ${ORDER}`);
  const nextMembers = db.prepare(`${MEMBER} AND ${ROLE} AND ${AFTER} ${ORDER}`);
  const selectMember = db.prepare(`${MEMBER} AND m.user_id = @userId`);
  const selectOwners = db.prepare("SELECT user_id FROM memberships WHERE workspace_id = ? AND role = 'owner'").pluck();
  const guarded = db.transaction((userId: string, workspaceId: string, change: () => unknown) => {
    keepAnOwner(selectOwners.all(workspaceId) as string[], userId, workspaceId);
    return change();
  });
  // IMMEDIATE: another process must not change the owners between this count and the write.
  const keepingAnOwner = <T>(userId: string, workspaceId: string, change: () => T) =>
    guarded.immediate(userId, workspaceId, change) as T;
  const selectRole = db.prepare('SELECT role FROM memberships WHERE user_id = ? AND workspace_id = ?').pluck();
  const selectMemberships = db.prepare(`SELECT m.workspace_id, w.name AS workspace_name, m.role
    FROM memberships m JOIN workspaces w ON w.id = m.workspace_id
    WHERE m.user_id = ? ORDER BY m.created_at, m.workspace_id`);

  return {
    createWorkspace(name) {
      const ws = { id: newId('ws'), name, created_at: new Date().toISOString() };
      insertWorkspace.run(ws.id, ws.name, ws.created_at);
      return ws;
    },
    getWorkspace: (id) => selectWorkspace.get(id) as Workspace | undefined,
    findWorkspaceByName: (name) => selectWorkspaceByName.get(name) as Workspace | undefined,
    createUser(email, passwordHash) {
      const user = { id: newId('usr'), email: email.toLowerCase(), created_at: new Date().toISOString() };
      try {
        insertUser.run(user.id, user.email, passwordHash, user.created_at);
      } catch (err) {
        if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw new EmailTaken(user.email);
        throw err;
      }
      return user;
    },
    getUser(id) {
      const row = selectUser.get(id) as UserRow | undefined;
      return row && toUser(row);
    },
    findUserByEmail(email) {
      const row = selectUserByEmail.get(email.toLowerCase()) as UserRow | undefined;
      return row && { user: toUser(row), passwordHash: row.password_hash };
    },
    setPasswordHash: (userId, hash) => updatePassword.run(hash, userId).changes === 1,
    replacePasswordHash: (userId, expected, hash) => replacePassword.run(hash, userId, expected).changes === 1,
    listUsers: () => (selectUsers.all() as UserRow[]).map(toUser),
    countUsers: () => countUsers.get() as number,
    setMembership(userId, workspaceId, role) {
      const upsert = () => upsertMembership.run(userId, workspaceId, role, new Date().toISOString());
      if (role === 'owner') upsert();
      else keepingAnOwner(userId, workspaceId, upsert);
    },
    addMembership: (userId, workspaceId, role) =>
      insertMembership.run(userId, workspaceId, role, new Date().toISOString()).changes === 1,
    removeMembership: (userId, workspaceId) =>
      keepingAnOwner(userId, workspaceId, () => {
        endSessions.run(new Date().toISOString(), userId, workspaceId);
        return deleteMembership.run(userId, workspaceId).changes === 1;
      }),
    getRole: (userId, workspaceId) => selectRole.get(userId, workspaceId) as Role | undefined,
    membershipsOf: (userId) => selectMemberships.all(userId) as Membership[],
    listMembers(workspaceId, role, after, limit) {
      const params = { workspaceId, role: role ?? null, limit };
      const rows = after
        ? nextMembers.all({ ...params, afterCreatedAt: after.created_at, afterId: after.id })
        : firstMembers.all(params);
      return rows as Member[];
    },
    getMember: (workspaceId, userId) => selectMember.get({ workspaceId, userId }) as Member | undefined,
    // Transactions on SQLite take the write lock at BEGIN (IMMEDIATE): the row cannot change under us.
    getMemberForUpdate: (workspaceId, userId) => selectMember.get({ workspaceId, userId }) as Member | undefined,
  };
}
