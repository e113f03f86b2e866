import type { Principal } from '../auth/principal';
import type { Role } from '../store/ports';
import { errors } from '../errors';

/**
 * Owners decide about owners: only a user signed in as an owner may make, change, invite or
 * remove one. An API key never may, whoever created it (a key acts with an admin's rights at
 * most), so a leaked key cannot take a workspace over or lock its owners out.
 */
export function requireOwnerFor(principal: Principal, ...roles: Role[]): void {
  if (!roles.includes('owner')) return;
  if (principal.type === 'user' && principal.role === 'owner') return;
  throw errors.insufficientRole(
    principal.type === 'user'
      ? 'Only an owner may make, change, invite or remove an owner.'
      : 'Only an owner signed in as a user may make, change, invite or remove an owner; an API key may not.',
  );
}
