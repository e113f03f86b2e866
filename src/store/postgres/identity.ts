import { EmailTaken, type Async, type IdentityStore, type Member, type Membership, type Role, type User, type Workspace } from '../ports';
import { keepAnOwner } from '../shared/identity';
import { query, type Queryable } from './db';
import { newId } from '../../ids';
import { isUniqueViolation, withSavepoint } from './violations';
import { userTag, type AuthCache } from './authCache';

const USER = 'id, email, created_at';
const MEMBER = `SELECT m.user_id, u.email, m.role, m.created_at AS joined_at
  FROM memberships m JOIN users u ON u.id = m.user_id WHERE m.workspace_id = $1`;

/**
 * Users, workspaces and memberships on PostgreSQL. `transaction` is the store's (one connection,
 * atomic; inside a transaction already, it joins it). A change of membership invalidates the
 * user's sessions in `cache`, where their role is remembered.
 */
export function createPgIdentityStore(
  db: Queryable,
  transaction: <T>(fn: (tx: Queryable) => Promise<T>) => Promise<T>,
  cache: AuthCache,
): Async<IdentityStore> {
  const one = async <T>(text: string, values: unknown[]) => (await query(db, text, values)).rows[0] as T | undefined;
  // The owners' rows stay locked until commit: a concurrent change to the owners waits, then counts
  // again (a demoted owner no longer matches). In one order, so two of these cannot deadlock.
  const keepingAnOwner = <T>(userId: string, workspaceId: string, change: (tx: Queryable) => Promise<T>) =>
    transaction(async (tx) => {
      const { rows } = await query<{ user_id: string }>(tx,
        `SELECT user_id FROM memberships WHERE workspace_id = $1 AND role = 'owner' ORDER BY user_id FOR UPDATE`,
        [workspaceId],
      );
      keepAnOwner(rows.map((r) => r.user_id), userId, workspaceId);
      return change(tx);
    });
  const upsertMembership = async (tx: Queryable, userId: string, workspaceId: string, role: Role) => {
    await query(
      tx,
      `INSERT INTO memberships (user_id, workspace_id, role, created_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (user_id, workspace_id) DO UPDATE SET role = excluded.role`,
      [userId, workspaceId, role, new Date().toISOString()],
    );
    await cache.changed(tx, userTag(userId));
  };
  return {
    async createWorkspace(name) {
      const ws: Workspace = { id: newId('ws'), name, created_at: new Date().toISOString() };
      await query(db, 'INSERT INTO workspaces (id, name, created_at) VALUES ($1, $2, $3)', [ws.id, ws.name, ws.created_at]);
      return ws;
    },
    getWorkspace: (id) => one<Workspace>('SELECT id, name, created_at FROM workspaces WHERE id = $1', [id]),
    findWorkspaceByName: (name) =>
      one<Workspace>('SELECT id, name, created_at FROM workspaces WHERE name = $1 ORDER BY created_at LIMIT 1', [name]),
    async createUser(email, passwordHash) {
      const user: User = { id: newId('usr'), email: email.toLowerCase(), created_at: new Date().toISOString() };
      try {
        await withSavepoint(db, () =>
          query(db, 'INSERT INTO users (id, email, password_hash, created_at) VALUES ($1, $2, $3, $4)', [
            user.id,
            user.email,
            passwordHash,
            user.created_at,
          ]),
        );
      } catch (err) {
        if (isUniqueViolation(err, 'users_email')) throw new EmailTaken(user.email);
        throw err;
      }
      return user;
    },
    getUser: (id) => one<User>(`SELECT ${USER} FROM users WHERE id = $1`, [id]),
    async findUserByEmail(email) {
      const row = await one<User & { password_hash: string }>(
        `SELECT ${USER}, password_hash FROM users WHERE lower(email) = lower($1)`,
        [email],
      );
      return row && { user: { id: row.id, email: row.email, created_at: row.created_at }, passwordHash: row.password_hash };
    },
    setPasswordHash: async (userId, hash) =>
      (await query(db, 'UPDATE users SET password_hash = $1 WHERE id = $2', [hash, userId])).rowCount === 1,
    replacePasswordHash: async (userId, expected, hash) =>
      (await query(db, 'UPDATE users SET password_hash = $1 WHERE id = $2 AND password_hash = $3', [hash, userId, expected]))
        .rowCount === 1,
    listUsers: async () => (await query(db, `SELECT ${USER} FROM users ORDER BY created_at, id`)).rows as User[],
    countUsers: async () => (await one<{ n: number }>('SELECT count(*) AS n FROM users', []))!.n,
    async setMembership(userId, workspaceId, role) {
      if (role === 'owner') await transaction((tx) => upsertMembership(tx, userId, workspaceId, role));
      else await keepingAnOwner(userId, workspaceId, (tx) => upsertMembership(tx, userId, workspaceId, role));
    },
    addMembership: (userId, workspaceId, role) =>
      transaction(async (tx) => {
        const { rowCount } = await query(tx,
          `INSERT INTO memberships (user_id, workspace_id, role, created_at) VALUES ($1, $2, $3, $4)
           ON CONFLICT (user_id, workspace_id) DO NOTHING`,
          [userId, workspaceId, role, new Date().toISOString()],
        );
        await cache.changed(tx, userTag(userId));
        return rowCount === 1;
      }),
    removeMembership: (userId, workspaceId) =>
      keepingAnOwner(userId, workspaceId, async (tx) => {
        await query(tx,
          `UPDATE sessions SET revoked_at = $3, revoked_reason = 'membership_removed'
           WHERE user_id = $1 AND workspace_id = $2 AND revoked_at IS NULL`,
          [userId, workspaceId, new Date().toISOString()],
        );
        const { rowCount } = await query(tx, 'DELETE FROM memberships WHERE user_id = $1 AND workspace_id = $2', [userId, workspaceId]);
        await cache.changed(tx, userTag(userId));
        return rowCount === 1;
      }),
    getRole: async (userId, workspaceId) =>
      (await one<{ role: Role }>('SELECT role FROM memberships WHERE user_id = $1 AND workspace_id = $2', [userId, workspaceId]))
        ?.role,
    membershipsOf: async (userId) =>
      (
        await query(db,
          `SELECT m.workspace_id, w.name AS workspace_name, m.role
           FROM memberships m JOIN workspaces w ON w.id = m.workspace_id
           WHERE m.user_id = $1 ORDER BY m.created_at, m.workspace_id`,
          [userId],
        )
      ).rows as Membership[],
    async listMembers(workspaceId, role, after, limit) {
      const values: unknown[] = [workspaceId, role ?? null, limit];
      // The keyset's position is (joined_at, user_id): the membership's (created_at, user_id).
      const afterRow = after ? ` AND (m.created_at, m.user_id) < ($${values.push(after.created_at)}::timestamptz, $${values.push(after.id)})` : '';
      return (
        await query(db, `${MEMBER} AND ($2::text IS NULL OR m.role = $2)${afterRow} ORDER BY m.created_at DESC, m.user_id DESC LIMIT $3`, values)
      ).rows as Member[];
    },
    getMember: (workspaceId, userId) => one<Member>(`${MEMBER} AND m.user_id = $2`, [workspaceId, userId]),
    // The owners' rows first, in the order keepingAnOwner takes them, then the member's: a change
    // that goes on to keep an owner (setMembership, removeMembership) holds its locks in that one
    // order, so two requests on two owners wait for each other instead of deadlocking.
    async getMemberForUpdate(workspaceId, userId) {
      await query(db, `SELECT user_id FROM memberships WHERE workspace_id = $1 AND role = 'owner' ORDER BY user_id FOR UPDATE`, [workspaceId]);
      return one<Member>(`${MEMBER} AND m.user_id = $2 FOR UPDATE OF m`, [workspaceId, userId]);
    },
  };
}
