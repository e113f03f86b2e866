import { createHmac, randomBytes } from 'node:crypto';
import type { components } from '../../generated/openapi';
import type { Store } from '../store';
import type { AccessTokenService } from './accessTokens';
import type { Principal } from './principal';
import { hashPassword, verifyPassword } from './passwords';
import { scopesForRole, type Role } from './scopes';
import { errors } from '../errors';

export type TokenPair = components['schemas']['TokenPair'];

export interface AuthService {
  login(email: string, password: string, workspaceId?: string): Promise<TokenPair>;
  refresh(refreshToken: string): TokenPair;
  logout(refreshToken: string): void;
  /** Resolves `Authorization: Bearer ...` to a principal, or throws 401. */
  authenticateBearer(authorization: string | undefined): Principal;
}

export interface AuthServiceOptions {
  store: Store;
  accessTokens: AccessTokenService;
  pepper: Buffer;
  passwordHashCost: number;
  refreshIdleTtlSeconds: number;
  refreshAbsoluteTtlSeconds: number;
  now?: () => number;
}

const BEARER = /^Bearer +([A-Za-z0-9\-_.~+/]+=*) *$/i;

export function createAuthService(opts: AuthServiceOptions): AuthService {
  const { store, accessTokens } = opts;
  const now = opts.now ?? Date.now;
  const iso = (ms: number) => new Date(ms).toISOString();
  const hashRefreshToken = (token: string) => createHmac('sha256', opts.pepper).update(token).digest();
  // Unknown emails still pay for one scrypt, so timing does not tell which accounts exist.
  let decoyHash: Promise<string> | undefined;
  const decoy = () => (decoyHash ??= hashPassword(randomBytes(16).toString('hex'), opts.passwordHashCost));

  function issue(userId: string, workspaceId: string, role: Role, sessionId: string, sessionExpiresAt: string): TokenPair {
    const scopes = scopesForRole(role);
    const refreshToken = 'rt_' + randomBytes(32).toString('base64url');
    const refreshExpiresMs = Math.min(now() + opts.refreshIdleTtlSeconds * 1000, Date.parse(sessionExpiresAt));
    store.sessions.addRefreshToken(sessionId, hashRefreshToken(refreshToken), iso(refreshExpiresMs));
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
      const found = store.identity.findUserByEmail(email);
      const passwordOk = await verifyPassword(password, found?.passwordHash ?? (await decoy()));
      if (!found || !passwordOk) throw errors.invalidCredentials();
      const memberships = store.identity.membershipsOf(found.user.id);
      const membership = workspaceId ? memberships.find((m) => m.workspace_id === workspaceId) : memberships[0];
      // Not being a member of the requested workspace looks the same as a wrong password.
      if (!membership) throw errors.invalidCredentials();
      return store.transaction(() => {
        const session = store.sessions.create(
          found.user.id,
          membership.workspace_id,
          iso(now() + opts.refreshAbsoluteTtlSeconds * 1000),
        );
        return issue(found.user.id, membership.workspace_id, membership.role, session.id, session.expires_at);
      });
    },

    refresh(refreshToken) {
      const hash = hashRefreshToken(refreshToken);
      const outcome = store.transaction((): TokenPair | 'reused' | 'invalid' => {
        const record = store.sessions.findRefreshToken(hash);
        if (!record) return 'invalid';
        const { session } = record;
        if (record.used_at !== null) return 'reused';
        const at = iso(now());
        if (session.revoked_at !== null || session.expires_at <= at || record.expires_at <= at) return 'invalid';
        if (!store.sessions.consumeRefreshToken(hash, at)) return 'reused';
        const role = store.identity.getRole(session.user_id, session.workspace_id);
        if (!role) return 'invalid';
        return issue(session.user_id, session.workspace_id, role, session.id, session.expires_at);
      });
      if (outcome === 'reused') {
        // A used token came back: someone holds a copy. End the session for everyone (RFC 9700 4.14.2).
        const record = store.sessions.findRefreshToken(hash);
        if (record) store.sessions.revoke(record.session.id, 'refresh_token_reuse');
        throw errors.invalidRefreshToken();
      }
      if (outcome === 'invalid') throw errors.invalidRefreshToken();
      return outcome;
    },

    logout(refreshToken) {
      const record = store.sessions.findRefreshToken(hashRefreshToken(refreshToken));
      if (record) store.sessions.revoke(record.session.id, 'logout');
    },

    authenticateBearer(authorization) {
      if (!authorization) throw errors.unauthenticated();
      const m = BEARER.exec(authorization);
      if (!m) throw errors.invalidToken('The Authorization header must be "Bearer <access_token>".');
      const token = accessTokens.verify(m[1]);
      if (!store.sessions.isActive(token.sessionId, iso(now()))) {
        throw errors.invalidToken('The session of this access token has ended.');
      }
      return { type: 'user', ...token };
    },
  };
}
