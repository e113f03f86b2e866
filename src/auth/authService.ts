import { createHmac, randomBytes } from 'node:crypto';
import type { components } from '../../generated/openapi';
import type { Aggregates, AsyncStore } from '../store/ports';
import type { AccessTokenService } from './accessTokens';
import type { Principal } from './principal';
import { hashPassword, needsRehash } from './passwords';
import type { LoginTiming } from './loginTiming';
import { createCredentialCheck } from './credentialCheck';
import { scopesForRole, type Role } from './scopes';
import { errors } from '../errors';

export type TokenPair = components['schemas']['TokenPair'];

export interface AuthService {
  login(email: string, password: string, workspaceId?: string): Promise<TokenPair>;
  refresh(refreshToken: string): Promise<TokenPair>;
  logout(refreshToken: string): Promise<void>;
  /**
   * A new session of a member in a workspace, and its tokens, written through `tx` (the caller's
   * transaction): after a login, a workspace switch or an accepted invitation.
   */
  startSession(tx: Aggregates, userId: string, workspaceId: string, role: Role): Promise<TokenPair>;
  /** Resolves `Authorization: Bearer ...` to a principal, or rejects with 401. */
  authenticateBearer(authorization: string | undefined): Promise<Principal>;
}

export interface AuthServiceOptions {
  store: AsyncStore;
  accessTokens: AccessTokenService;
  pepper: Buffer;
  passwordHashCost: number;
  refreshIdleTtlSeconds: number;
  refreshAbsoluteTtlSeconds: number;
  now?: () => number;
  /** Equalises the duration of failed logins; tests pass one with a fake clock. */
  timing?: LoginTiming;
}

const BEARER = /^Bearer +([A-Za-z0-9\-_.~+/]+=*) *$/i;

export function createAuthService(opts: AuthServiceOptions): AuthService {
  const { store, accessTokens } = opts;
  const now = opts.now ?? Date.now;
  const iso = (ms: number) => new Date(ms).toISOString();
  const hashRefreshToken = (token: string) => createHmac('sha256', opts.pepper).update(token).digest();
  const check = createCredentialCheck(opts.passwordHashCost, opts.timing);
  /** Checks email and password; on failure waits out the floor, then throws invalid_credentials. */
  async function checkCredentials(email: string, password: string) {
    const started = check.start();
    const found = await store.identity.findUserByEmail(email);
    const ok = await check.verify(password, found?.passwordHash);
    if (found && ok) return { found, started };
    await check.fail(started);
    throw errors.invalidCredentials();
  }
  /** After a successful login: re-hash at the configured cost, unless the password changed meanwhile. */
  async function upgradeHash(userId: string, password: string, stored: string) {
    if (!needsRehash(stored, opts.passwordHashCost)) return;
    const upgraded = await hashPassword(password, opts.passwordHashCost);
    await store.identity.replacePasswordHash(userId, stored, upgraded);
  }

  async function startSession(tx: Aggregates, userId: string, workspaceId: string, role: Role): Promise<TokenPair> {
    const session = await tx.sessions.create(userId, workspaceId, iso(now() + opts.refreshAbsoluteTtlSeconds * 1000));
    return issue(tx, userId, workspaceId, role, session.id, session.expires_at);
  }

  async function issue(
    tx: Aggregates,
    userId: string,
    workspaceId: string,
    role: Role,
    sessionId: string,
    sessionExpiresAt: string,
  ): Promise<TokenPair> {
    const scopes = scopesForRole(role);
    const refreshToken = 'rt_' + randomBytes(32).toString('base64url');
    const refreshExpiresMs = Math.min(now() + opts.refreshIdleTtlSeconds * 1000, Date.parse(sessionExpiresAt));
    await tx.sessions.addRefreshToken(sessionId, hashRefreshToken(refreshToken), iso(refreshExpiresMs));
    const access = accessTokens.issue({ userId, workspaceId, role, scopes, sessionId });
    return {
      access_token: access.token,
      token_type: 'Bearer',
      expires_in: access.expiresIn,
      refresh_token: refreshToken,
      refresh_expires_in: Math.max(1, Math.floor((refreshExpiresMs - now()) / 1000)),
      scope: scopes.join(' '),
    };
  }

  return {
    async login(email, password, workspaceId) {
      const { found, started } = await checkCredentials(email, password);
      const memberships = await store.identity.membershipsOf(found.user.id);
      const membership = workspaceId ? memberships.find((m) => m.workspace_id === workspaceId) : memberships[0];
      // Not being a member of the requested workspace looks the same as a wrong password.
      if (!membership) {
        await check.fail(started);
        throw errors.invalidCredentials();
      }
      await upgradeHash(found.user.id, password, found.passwordHash);
      return store.transaction((tx) => startSession(tx, found.user.id, membership.workspace_id, membership.role));
    },

    startSession,

    async refresh(refreshToken) {
      const hash = hashRefreshToken(refreshToken);
      const outcome = await store.transaction(async (tx): Promise<TokenPair | 'reused' | 'invalid'> => {
        const record = await tx.sessions.findRefreshToken(hash);
        if (!record) return 'invalid';
        const { session } = record;
        if (record.used_at !== null) return 'reused';
        const at = iso(now());
        if (session.revoked_at !== null || session.expires_at <= at || record.expires_at <= at) return 'invalid';
        if (!(await tx.sessions.consumeRefreshToken(hash, at))) return 'reused';
        const role = await tx.identity.getRole(session.user_id, session.workspace_id);
        if (!role) return 'invalid';
        return issue(tx, session.user_id, session.workspace_id, role, session.id, session.expires_at);
      });
      if (outcome === 'reused') {
        // A used token came back: someone holds a copy. End the session for everyone (RFC 9700 4.14.2).
        const record = await store.sessions.findRefreshToken(hash);
        if (record) await store.sessions.revoke(record.session.id, 'refresh_token_reuse');
        throw errors.invalidRefreshToken();
      }
      if (outcome === 'invalid') throw errors.invalidRefreshToken();
      return outcome;
    },

    async logout(refreshToken) {
      const record = await store.sessions.findRefreshToken(hashRefreshToken(refreshToken));
      if (record) await store.sessions.revoke(record.session.id, 'logout');
    },

    async authenticateBearer(authorization) {
      if (!authorization) throw errors.unauthenticated();
      const m = BEARER.exec(authorization);
      if (!m) throw errors.invalidToken('The Authorization header must be "Bearer <access_token>".');
      const token = accessTokens.verify(m[1]);
      const session = await store.sessions.findActive(token.sessionId, iso(now()));
      if (!session) throw errors.invalidToken('The session of this access token has ended.');
      // A token naming someone else's session is forged or corrupt, however well signed.
      if (session.user_id !== token.userId || session.workspace_id !== token.workspaceId) {
        throw errors.invalidToken('The access token does not match its session.');
      }
      // Rights come from the role held now, not the one in the token: a demotion takes effect on
      // the next request.
      return { ...token, type: 'user', role: session.role, scopes: scopesForRole(session.role) };
    },
  };
}
