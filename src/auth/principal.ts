import type { components } from '../../generated/openapi';
import type { Role, Scope } from './scopes';

export type PrincipalType = components['schemas']['PrincipalType'];

/**
 * Who is calling, in which workspace, with what rights. A bearer token gives a `user`; an API key
 * an `api_key`; both together an `api_key` that also names the user, with the scopes both hold.
 */
export interface Principal {
  type: PrincipalType;
  workspaceId: string;
  scopes: readonly Scope[];
  userId?: string;
  role?: Role;
  sessionId?: string;
  apiKeyId?: string;
}

/** The id that partitions rate limits and usage: the API key when there is one, else the user. */
export function principalId(p: Principal): string {
  return p.apiKeyId ?? p.userId ?? 'unknown';
}

/**
 * The one rule for managing API keys (create, rotate, revoke): a principal may act only on keys
 * whose every scope it holds now, so no credential can mint, take over or switch off a stronger
 * one. Returns the first scope it lacks.
 */
export function lacksScopeOf(p: Principal, scopes: readonly Scope[]): Scope | undefined {
  return scopes.find((s) => !p.scopes.includes(s));
}
