import { scopeValues } from '../../generated/openapi';
import type { Role, Scope } from '../contract/enums';

export type { Role, Scope };

export const ALL_SCOPES: readonly Scope[] = scopeValues;

/** Owners and admins hold every scope; members everything but managing keys. */
export function scopesForRole(role: Role): Scope[] {
  return role === 'member' ? ALL_SCOPES.filter((s) => s !== 'keys:write') : [...ALL_SCOPES];
}
