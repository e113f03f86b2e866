import type { components } from '../../../generated/openapi';
import type { Role } from './identity';
import type { KeysetPosition } from './keyset';

export type InvitationStatus = components['schemas']['InvitationStatus'];
// Role and status are open enums in the contract; a stored invitation holds values this version knows.
export type Invitation = Omit<components['schemas']['Invitation'], 'role' | 'status'> & { role: Role; status: InvitationStatus };

export interface NewInvitation {
  email: string;
  role: Role;
  /** The user or API key that invites. */
  invitedBy: string;
  /** The peppered hash of the token; the token itself is never stored. */
  tokenHash: Buffer;
  expiresAt: string;
}

/**
 * Invitations to join a workspace. An invitation is open until it is accepted or revoked; its
 * status at a given instant (`now`, passed in so that both engines and the caller agree) is
 * `expired` once `expires_at` has passed while still open.
 */
export interface InvitationStore {
  /**
   * Throws AlreadyInvited when the workspace has a pending invitation for the email (in any letter
   * case). One that has expired meanwhile is closed first and does not count.
   */
  create(workspaceId: string, invitation: NewInvitation, now: string): Invitation;
  /** The pending invitations (open, not expired at `now`), newest first. */
  listPending(workspaceId: string, now: string, after: KeysetPosition | undefined, limit: number): Invitation[];
  /** The invitation whose token has this hash, whatever its status, with its workspace. */
  findByTokenHash(tokenHash: Buffer, now: string): { invitation: Invitation; workspaceId: string } | undefined;
  /** Accepts it if it is still pending at `at`: the invitation as accepted, or undefined (it was not). */
  accept(id: string, at: string): Invitation | undefined;
  /** Revokes it if it is still pending at `at`: the invitation as revoked, or undefined. */
  revoke(workspaceId: string, id: string, at: string): Invitation | undefined;
}
