import type { Invitation, Role } from '../ports';

export interface InvitationRow {
  id: string;
  email: string;
  role: Role;
  invited_by: string;
  created_at: string;
  expires_at: string;
  accepted_at: string | null;
  revoked_at: string | null;
}

export const INVITATION_COLUMNS = 'id, email, role, invited_by, created_at, expires_at, accepted_at, revoked_at';

/** The invitation as the API shows it, its status as of `now` (both engines give ISO instants). */
export function toInvitation(row: InvitationRow, now: string): Invitation {
  const status = row.accepted_at ? 'accepted' : row.revoked_at ? 'revoked' : row.expires_at <= now ? 'expired' : 'pending';
  return {
    id: row.id,
    email: row.email,
    role: row.role,
    status,
    invited_by: row.invited_by,
    created_at: row.created_at,
    expires_at: row.expires_at,
  };
}
