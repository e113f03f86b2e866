import { AlreadyInvited, type Invitation, type InvitationStore } from '../ports';
import { INVITATION_COLUMNS as COLUMNS, toInvitation, type InvitationRow } from '../shared/invitations';
import { AFTER_POSITION, ORDER_NEWEST_FIRST, positionParams } from './keyset';
import type { Db } from './db';
import { newId } from '../../ids';

export function createInvitationStore(db: Db): InvitationStore {
  const closeExpired = db.prepare(`UPDATE invitations SET closed_at = @now
    WHERE workspace_id = @workspaceId AND email = @email AND closed_at IS NULL AND expires_at <= @now`);
  const insert = db.prepare(`INSERT INTO invitations
    (id, workspace_id, email, role, token_hash, invited_by, created_at, expires_at)
    VALUES (@id, @workspaceId, @email, @role, @tokenHash, @invitedBy, @now, @expiresAt)`);
  const PENDING = `SELECT ${COLUMNS} FROM invitations
    WHERE workspace_id = @workspaceId AND closed_at IS NULL AND expires_at > @now`;
  const firstPage = db.prepare(`${PENDING} ${ORDER_NEWEST_FIRST} LIMIT @limit`);
  const nextPage = db.prepare(`${PENDING} AND ${AFTER_POSITION} ${ORDER_NEWEST_FIRST} LIMIT @limit`);
  const byTokenHash = db.prepare(`SELECT ${COLUMNS}, workspace_id FROM invitations WHERE token_hash = ?`);
  const OPEN = 'closed_at IS NULL AND expires_at > @at';
  const markAccepted = db.prepare(
    `UPDATE invitations SET accepted_at = @at, closed_at = @at WHERE id = @id AND ${OPEN} RETURNING ${COLUMNS}`,
  );
  const markRevoked = db.prepare(`UPDATE invitations SET revoked_at = @at, closed_at = @at
    WHERE workspace_id = @workspaceId AND id = @id AND ${OPEN} RETURNING ${COLUMNS}`);

  const create = db.transaction((workspaceId: string, inv: Parameters<InvitationStore['create']>[1], now: string): Invitation => {
    const email = inv.email.toLowerCase();
    closeExpired.run({ workspaceId, email, now });
    const id = newId('inv');
    try {
      insert.run({ id, workspaceId, email, role: inv.role, tokenHash: inv.tokenHash, invitedBy: inv.invitedBy, now, expiresAt: inv.expiresAt });
    } catch (err) {
      if ((err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE') throw new AlreadyInvited(email);
      throw err;
    }
    return toInvitation({ id, email, role: inv.role, invited_by: inv.invitedBy, created_at: now, expires_at: inv.expiresAt, accepted_at: null, revoked_at: null }, now);
  });

  return {
    create: (workspaceId, invitation, now) => create(workspaceId, invitation, now),
    listPending(workspaceId, now, after, limit) {
      const rows = after ? nextPage.all({ workspaceId, now, limit, ...positionParams(after) }) : firstPage.all({ workspaceId, now, limit });
      return (rows as InvitationRow[]).map((r) => toInvitation(r, now));
    },
    findByTokenHash(tokenHash, now) {
      const row = byTokenHash.get(tokenHash) as (InvitationRow & { workspace_id: string }) | undefined;
      return row && { invitation: toInvitation(row, now), workspaceId: row.workspace_id };
    },
    accept(id, at) {
      const row = markAccepted.get({ id, at }) as InvitationRow | undefined;
      return row && toInvitation(row, at);
    },
    revoke(workspaceId, id, at) {
      const row = markRevoked.get({ workspaceId, id, at }) as InvitationRow | undefined;
      return row && toInvitation(row, at);
    },
  };
}
