import type { Db } from './db';
import type { Role } from './identity';
import { newId } from '../ids';

export interface Session {
  id: string;
  user_id: string;
  workspace_id: string;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
}

/** Who an active session acts for, with the role the user holds there now. */
export interface ActiveSession {
  user_id: string;
  workspace_id: string;
  role: Role;
}

export interface RefreshTokenRecord {
  session: Session;
  expires_at: string;
  used_at: string | null;
}

/** Login sessions and the refresh tokens rotated within them. Tokens are stored only as hashes. */
export interface SessionStore {
  create(userId: string, workspaceId: string, expiresAt: string): Session;
  addRefreshToken(sessionId: string, tokenHash: Buffer, expiresAt: string): void;
  findRefreshToken(tokenHash: Buffer): RefreshTokenRecord | undefined;
  /** Marks the token used; false when it already was (a concurrent or replayed refresh). */
  consumeRefreshToken(tokenHash: Buffer, at: string): boolean;
  revoke(sessionId: string, reason: string): void;
  /** Ends every session of the user (after a password change). */
  revokeAllForUser(userId: string, reason: string): number;
  /**
   * A session that exists, is not revoked, has not reached its absolute expiry and whose user is
   * still a member of its workspace, with the current role: read on every request, so a demotion
   * or removal takes effect at once.
   */
  findActive(sessionId: string, now: string): ActiveSession | undefined;
}

/** A session as `create` stores it, on either engine. */
export const newSession = (userId: string, workspaceId: string, expiresAt: string): Session => ({
  id: newId('ses'),
  user_id: userId,
  workspace_id: workspaceId,
  created_at: new Date().toISOString(),
  expires_at: expiresAt,
  revoked_at: null,
});

/** A refresh token joined with its session, as both engines select it. */
export type RefreshTokenRow = Omit<Session, 'expires_at'> & { expires_at: string; used_at: string | null; session_expires_at: string };

export const toRefreshTokenRecord = (r: RefreshTokenRow): RefreshTokenRecord => ({
  expires_at: r.expires_at,
  used_at: r.used_at,
  session: {
    id: r.id,
    user_id: r.user_id,
    workspace_id: r.workspace_id,
    created_at: r.created_at,
    expires_at: r.session_expires_at,
    revoked_at: r.revoked_at,
  },
});

export function createSessionStore(db: Db): SessionStore {
  const insertSession = db.prepare(
    'INSERT INTO sessions (id, user_id, workspace_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)',
  );
  const insertToken = db.prepare(
    'INSERT INTO refresh_tokens (token_hash, session_id, created_at, expires_at) VALUES (?, ?, ?, ?)',
  );
  const selectToken = db.prepare(`SELECT t.expires_at, t.used_at,
      s.id, s.user_id, s.workspace_id, s.created_at, s.expires_at AS session_expires_at, s.revoked_at
    FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id WHERE t.token_hash = ?`);
  const consume = db.prepare('UPDATE refresh_tokens SET used_at = ? WHERE token_hash = ? AND used_at IS NULL');
  const revoke = db.prepare(
    'UPDATE sessions SET revoked_at = ?, revoked_reason = ? WHERE id = ? AND revoked_at IS NULL',
  );
  const revokeForUser = db.prepare(
    'UPDATE sessions SET revoked_at = ?, revoked_reason = ? WHERE user_id = ? AND revoked_at IS NULL',
  );
  const active = db.prepare(`SELECT s.user_id, s.workspace_id, m.role
    FROM sessions s JOIN memberships m ON m.user_id = s.user_id AND m.workspace_id = s.workspace_id
    WHERE s.id = ? AND s.revoked_at IS NULL AND s.expires_at > ?`);

  return {
    create(userId, workspaceId, expiresAt) {
      const session = newSession(userId, workspaceId, expiresAt);
      insertSession.run(session.id, userId, workspaceId, session.created_at, expiresAt);
      return session;
    },
    addRefreshToken(sessionId, tokenHash, expiresAt) {
      insertToken.run(tokenHash, sessionId, new Date().toISOString(), expiresAt);
    },
    findRefreshToken(tokenHash) {
      const row = selectToken.get(tokenHash) as RefreshTokenRow | undefined;
      return row && toRefreshTokenRecord(row);
    },
    consumeRefreshToken: (tokenHash, at) => consume.run(at, tokenHash).changes === 1,
    revoke(sessionId, reason) {
      revoke.run(new Date().toISOString(), reason, sessionId);
    },
    revokeAllForUser: (userId, reason) => revokeForUser.run(new Date().toISOString(), reason, userId).changes,
    findActive: (sessionId, now) => active.get(sessionId, now) as ActiveSession | undefined,
  };
}
