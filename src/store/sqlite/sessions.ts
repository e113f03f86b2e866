import type { ActiveSession, SessionStore } from '../ports';
import { newSession, toRefreshTokenRecord, type RefreshTokenRow } from '../shared/sessions';
import type { Db } from './db';

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
