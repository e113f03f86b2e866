import { scopeValues } from '../../generated/openapi';
import type { Role, Scope } from '../contract/enums';

export type { Role, Scope };

export const ALL_SCOPES: readonly Scope[] = scopeValues;

/** What only owners and admins may do: manage keys and the team. */
const MANAGING: readonly Scope[] = ['keys:write', 'members:write'];

/** Owners and admins hold every scope; members everything but managing keys and members. */
export function scopesForRole(role: Role): Scope[] {
  return role === 'member' ? ALL_SCOPES.filter((s) => !MANAGING.includes(s)) : [...ALL_SCOPES];
}
