import type { Role } from './identity';

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
