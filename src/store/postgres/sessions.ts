import type { ActiveSession, Async, SessionStore } from '../ports';
import { newSession, toRefreshTokenRecord, type RefreshTokenRow } from '../shared/sessions';
import type { Queryable } from './db';

export function createPgSessionStore(db: Queryable): Async<SessionStore> {
  return {
    async create(userId, workspaceId, expiresAt) {
      const session = newSession(userId, workspaceId, expiresAt);
      await db.query('INSERT INTO sessions (id, user_id, workspace_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)', [
        session.id,
        userId,
        workspaceId,
        session.created_at,
        expiresAt,
      ]);
      return session;
    },
    async addRefreshToken(sessionId, tokenHash, expiresAt) {
      await db.query('INSERT INTO refresh_tokens (token_hash, session_id, created_at, expires_at) VALUES ($1, $2, $3, $4)', [
        tokenHash,
        sessionId,
        new Date().toISOString(),
        expiresAt,
      ]);
    },
    async findRefreshToken(tokenHash) {
      const { rows } = await db.query(
        `SELECT t.expires_at, t.used_at, s.id, s.user_id, s.workspace_id, s.created_at,
           s.expires_at AS session_expires_at, s.revoked_at
         FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id WHERE t.token_hash = $1`,
        [tokenHash],
      );
      const row = rows[0] as RefreshTokenRow | undefined;
      return row && toRefreshTokenRecord(row);
    },
    consumeRefreshToken: async (tokenHash, at) =>
      (await db.query('UPDATE refresh_tokens SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL', [at, tokenHash]))
        .rowCount === 1,
    async revoke(sessionId, reason) {
      await db.query('UPDATE sessions SET revoked_at = $1, revoked_reason = $2 WHERE id = $3 AND revoked_at IS NULL', [
        new Date().toISOString(),
        reason,
        sessionId,
      ]);
    },
    revokeAllForUser: async (userId, reason) =>
      (
        await db.query('UPDATE sessions SET revoked_at = $1, revoked_reason = $2 WHERE user_id = $3 AND revoked_at IS NULL', [
          new Date().toISOString(),
          reason,
          userId,
        ])
      ).rowCount ?? 0,
    async findActive(sessionId, now) {
      const { rows } = await db.query(
        `SELECT s.user_id, s.workspace_id, m.role
         FROM sessions s JOIN memberships m ON m.user_id = s.user_id AND m.workspace_id = s.workspace_id
         WHERE s.id = $1 AND s.revoked_at IS NULL AND s.expires_at > $2`,
        [sessionId, now],
      );
      return rows[0] as ActiveSession | undefined;
    },
  };
}
