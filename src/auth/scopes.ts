import { roleValues, scopeValues, type components } from '../../generated/openapi';

export type Scope = components['schemas']['Scope'];
export type Role = components['schemas']['Role'];

export const ALL_SCOPES: readonly Scope[] = scopeValues;

/** Owners and admins hold every scope; members everything but managing keys. */
export function scopesForRole(role: Role): Scope[] {
  return role === 'member' ? ALL_SCOPES.filter((s) => s !== 'keys:write') : [...ALL_SCOPES];
}

export function isScope(value: string): value is Scope {
  return (ALL_SCOPES as readonly string[]).includes(value);
}

export function isRole(value: unknown): value is Role {
  return (roleValues as readonly unknown[]).includes(value);
}
