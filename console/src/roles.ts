// Roles as the console offers them. The rules themselves are the service's (openapi.yaml, tag
// Members); the console only avoids offering what would be refused.
import type { Role } from '@cloud-api/sdk';
import type { Session } from './session';

/** Every role of the contract: `satisfies` makes a role added to the contract a compile error here until it is described. */
export const ROLES = {
  owner: 'every scope; decides about owners',
  admin: 'every scope; manages admins and members',
  member: 'every scope but keys:write and members:write',
} satisfies Record<Role, string>;

/** The roles this user may give: only an owner makes someone an owner (else 403 insufficient_role). */
export const rolesFor = (session: Session) =>
  (Object.keys(ROLES) as Role[]).filter((r) => r !== 'owner' || session.me.role === 'owner').map((r) => ({ value: r, label: r }));

/** Inviting, changing roles and removing others need members:write (owners and admins hold it). */
export const canManageMembers = (session: Session) => session.me.scopes.includes('members:write');

/** Whether this user may change or remove someone of `role`: members:write, and an owner for an owner. */
export const mayManage = (session: Session, role: string) => canManageMembers(session) && rolesFor(session).some((r) => r.value === role);
