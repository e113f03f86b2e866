import jwt from 'jsonwebtoken';
import { randomUUID, type KeyObject } from 'node:crypto';
import type { Role, Scope } from './scopes';
import { isRole, isScope } from '../contract/enums';
import { errors } from '../errors';

export interface AccessTokenClaims {
  sub: string;
  workspace_id: string;
  role: Role;
  scope: string;
  sid: string;
}

export interface VerifiedAccessToken {
  userId: string;
  workspaceId: string;
  role: Role;
  scopes: Scope[];
  sessionId: string;
}

export interface AccessTokenService {
  issue(claims: { userId: string; workspaceId: string; role: Role; scopes: readonly Scope[]; sessionId: string }): {
    token: string;
    expiresIn: number;
  };
  /**
   * Throws `invalid_token` for anything but a well-formed, unexpired token (with `exp`) we signed
   * for this audience. The caller still checks the token against its session.
   */
  verify(token: string): VerifiedAccessToken;
}

const ALGORITHM = 'ES256';
const CLOCK_SKEW_SECONDS = 60;
// ES256 verification costs tens of microseconds; a token is presented many times in its 15
// minutes, so verified tokens are remembered until they expire. Revocation is unaffected: the
// session is checked on every request by the caller.
const CACHE_MAX = 10_000;

export function createAccessTokenService(opts: {
  privateKey: KeyObject;
  publicKey: KeyObject;
  keyId: string;
  issuer: string;
  audience: string;
  ttlSeconds: number;
}): AccessTokenService {
  const verified = new Map<string, { token: VerifiedAccessToken; notAfterMs: number }>();
  const remember = (raw: string, token: VerifiedAccessToken, exp: number) => {
    if (verified.size >= CACHE_MAX) verified.delete(verified.keys().next().value as string);
    verified.set(raw, { token, notAfterMs: (exp + CLOCK_SKEW_SECONDS) * 1000 });
  };
  return {
    issue({ userId, workspaceId, role, scopes, sessionId }) {
      const payload = { workspace_id: workspaceId, role, scope: scopes.join(' '), sid: sessionId };
      const token = jwt.sign(payload, opts.privateKey, {
        algorithm: ALGORITHM,
        keyid: opts.keyId,
        issuer: opts.issuer,
        audience: opts.audience,
        subject: userId,
        expiresIn: opts.ttlSeconds,
        jwtid: randomUUID(),
      });
      return { token, expiresIn: opts.ttlSeconds };
    },
    verify(token) {
      const hit = verified.get(token);
      if (hit) {
        if (Date.now() < hit.notAfterMs) return hit.token;
        verified.delete(token);
      }
      let claims: jwt.JwtPayload;
      try {
        claims = jwt.verify(token, opts.publicKey, {
          algorithms: [ALGORITHM],
          issuer: opts.issuer,
          audience: opts.audience,
          clockTolerance: CLOCK_SKEW_SECONDS,
          complete: false,
        }) as jwt.JwtPayload;
      } catch (err) {
        if (err instanceof jwt.TokenExpiredError) throw errors.invalidToken('The access token has expired.');
        throw errors.invalidToken('The access token is invalid.');
      }
      const { sub, workspace_id, role, scope, sid } = claims as Partial<AccessTokenClaims>;
      const scopes = typeof scope === 'string' ? scope.split(' ').filter(Boolean) : [];
      // jsonwebtoken accepts a token without `exp` as never expiring; ours always carry one.
      if (
        typeof claims.exp !== 'number' ||
        typeof sub !== 'string' ||
        typeof workspace_id !== 'string' ||
        typeof sid !== 'string' ||
        !isRole(role) ||
        !scopes.every(isScope)
      ) {
        throw errors.invalidToken('The access token is invalid.');
      }
      const result = { userId: sub, workspaceId: workspace_id, role, scopes: scopes as Scope[], sessionId: sid };
      remember(token, result, claims.exp as number);
      return result;
    },
  };
}
