import { createHmac, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { TestApp } from './helpers';

/** Helpers to decode real access tokens and to forge others, for tests of token verification. */

export const b64url = (value: unknown): string =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

export function decodeJwt(token: string): { header: Record<string, unknown>; payload: Record<string, any> } {
  const [h, p] = token.split('.');
  return {
    header: JSON.parse(Buffer.from(h, 'base64url').toString()),
    payload: JSON.parse(Buffer.from(p, 'base64url').toString()),
  };
}

export const nowSeconds = () => Math.floor(Date.now() / 1000);

/** The claims the app puts in an access token, for the session of `accessToken`, fresh iat/exp. */
export function claimsLike(t: TestApp, accessToken: string, overrides: Record<string, unknown> = {}) {
  const real = decodeJwt(accessToken).payload;
  const iat = nowSeconds();
  const claims: Record<string, unknown> = {
    iss: t.config.publicUrl,
    aud: `${t.config.publicUrl}/v1`,
    sub: real.sub,
    workspace_id: real.workspace_id,
    role: real.role,
    scope: real.scope,
    sid: real.sid,
    iat,
    exp: iat + 900,
    jti: 'forged-' + Math.random().toString(36).slice(2),
    ...overrides,
  };
  for (const [k, v] of Object.entries(claims)) if (v === undefined) delete claims[k];
  return claims;
}

/** ES256 with the given key (the app's own key by default); claims are taken as they are. */
export function signEs256(t: TestApp, claims: Record<string, unknown>, key: KeyObject = t.secrets.jwtPrivateKey): string {
  return jwt.sign(claims, key, { algorithm: 'ES256', keyid: t.secrets.jwtKeyId });
}

/** `alg: none`, empty signature. */
export function unsigned(claims: Record<string, unknown>, alg = 'none'): string {
  return `${b64url({ alg, typ: 'JWT' })}.${b64url(claims)}.`;
}

/** HS256 by hand, so no library refuses to make it (used for algorithm-confusion attacks). */
export function signHs256(claims: Record<string, unknown>, secret: string | Buffer, kid?: string): string {
  const input = `${b64url({ alg: 'HS256', typ: 'JWT', ...(kid ? { kid } : {}) })}.${b64url(claims)}`;
  return `${input}.${createHmac('sha256', secret).update(input).digest('base64url')}`;
}
