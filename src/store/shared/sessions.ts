import type { RefreshTokenRecord, Session } from '../ports';
import { newId } from '../../ids';

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
