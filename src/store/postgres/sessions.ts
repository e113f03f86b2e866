import type { ActiveSession, Async, SessionStore } from '../ports';
import { newSession, toRefreshTokenRecord, type RefreshTokenRow } from '../shared/sessions';
import { query, type Queryable } from './db';
import { sessionTag, userTag, type AuthCache } from './authCache';

type Transaction = <T>(fn: (tx: Queryable) => Promise<T>) => Promise<T>;

/** Sessions on PostgreSQL; active sessions are read through `cache`, which every ending of one invalidates. */
export function createPgSessionStore(db: Queryable, transaction: Transaction, cache: AuthCache): Async<SessionStore> {
  return {
    async create(userId, workspaceId, expiresAt) {
      const session = newSession(userId, workspaceId, expiresAt);
      await query(db, 'INSERT INTO sessions (id, user_id, workspace_id, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)', [
        session.id,
        userId,
        workspaceId,
        session.created_at,
        expiresAt,
      ]);
      return session;
    },
    async addRefreshToken(sessionId, tokenHash, expiresAt) {
      await query(db, 'INSERT INTO refresh_tokens (token_hash, session_id, created_at, expires_at) VALUES ($1, $2, $3, $4)', [
        tokenHash,
        sessionId,
        new Date().toISOString(),
        expiresAt,
      ]);
    },
    async findRefreshToken(tokenHash) {
      const { rows } = await query(db,
        `SELECT t.expires_at, t.used_at, s.id, s.user_id, s.workspace_id, s.created_at,
           s.expires_at AS session_expires_at, s.revoked_at
         FROM refresh_tokens t JOIN sessions s ON s.id = t.session_id WHERE t.token_hash = $1`,
        [tokenHash],
      );
      const row = rows[0] as RefreshTokenRow | undefined;
      return row && toRefreshTokenRecord(row);
    },
    consumeRefreshToken: async (tokenHash, at) =>
      (await query(db, 'UPDATE refresh_tokens SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL', [at, tokenHash]))
        .rowCount === 1,
    revoke: (sessionId, reason) =>
      transaction(async (tx) => {
        const at = new Date().toISOString();
        await query(tx, 'UPDATE sessions SET revoked_at = $1, revoked_reason = $2 WHERE id = $3 AND revoked_at IS NULL', [at, reason, sessionId]);
        await cache.changed(tx, sessionTag(sessionId));
      }),
    revokeAllForUser: (userId, reason) =>
      transaction(async (tx) => {
        const at = new Date().toISOString();
        const { rowCount } = await query(tx, 'UPDATE sessions SET revoked_at = $1, revoked_reason = $2 WHERE user_id = $3 AND revoked_at IS NULL', [
          at,
          reason,
          userId,
        ]);
        await cache.changed(tx, userTag(userId));
        return rowCount ?? 0;
      }),
    async findActive(sessionId, now) {
      const load = async () =>
        (
          await query<ActiveSession & { expires_at: string }>(
            db,
            `SELECT s.user_id, s.workspace_id, m.role, s.expires_at
             FROM sessions s JOIN memberships m ON m.user_id = s.user_id AND m.workspace_id = s.workspace_id
             WHERE s.id = $1 AND s.revoked_at IS NULL AND s.expires_at > $2`,
            [sessionId, now],
          )
        ).rows[0];
      const found = await cache.through(db, `session:${sessionId}`, load, (s) => [sessionTag(sessionId), userTag(s.user_id)]);
      // A remembered session still ends at its expiry (both times are ISO strings in UTC, so they compare as text).
      if (!found || found.expires_at <= now) return undefined;
      return { user_id: found.user_id, workspace_id: found.workspace_id, role: found.role };
    },
  };
}
