import { AlreadyInvited, type Async, type InvitationStore } from '../ports';
import { INVITATION_COLUMNS as COLUMNS, toInvitation, type InvitationRow } from '../shared/invitations';
import { query, type Queryable } from './db';
import { afterPosition, ORDER_NEWEST_FIRST } from './keyset';
import { isUniqueViolation, withSavepoint } from './violations';
import { newId } from '../../ids';

/** Invitations on PostgreSQL (see InvitationStore). */
export function createPgInvitationStore(db: Queryable, transaction: <T>(fn: (tx: Queryable) => Promise<T>) => Promise<T>): Async<InvitationStore> {
  const OPEN = 'closed_at IS NULL AND expires_at > $2::timestamptz';
  return {
    create: (workspaceId, inv, now) =>
      transaction(async (tx) => {
        const email = inv.email.toLowerCase();
        await query(tx,
          `UPDATE invitations SET closed_at = $3 WHERE workspace_id = $1 AND lower(email) = $2
             AND closed_at IS NULL AND expires_at <= $3::timestamptz`,
          [workspaceId, email, now],
        );
        const id = newId('inv');
        try {
          await withSavepoint(tx, () => query(tx,
            `INSERT INTO invitations (id, workspace_id, email, role, token_hash, invited_by, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
            [id, workspaceId, email, inv.role, inv.tokenHash, inv.invitedBy, now, inv.expiresAt],
          ));
        } catch (err) {
          if (isUniqueViolation(err, 'invitations_open_email')) throw new AlreadyInvited(email);
          throw err;
        }
        const row = { id, email, role: inv.role, invited_by: inv.invitedBy, created_at: now, expires_at: inv.expiresAt, accepted_at: null, revoked_at: null };
        return toInvitation(row, now);
      }),
    async listPending(workspaceId, now, after, limit) {
      const values: unknown[] = [workspaceId, now];
      const where = [`workspace_id = $1 AND ${OPEN}`];
      if (after) where.push(afterPosition(after, values));
      values.push(limit);
      const text = `SELECT ${COLUMNS} FROM invitations WHERE ${where.join(' AND ')} ${ORDER_NEWEST_FIRST} LIMIT $${values.length}`;
      return ((await query(db, text, values)).rows as InvitationRow[]).map((r) => toInvitation(r, now));
    },
    async findByTokenHash(tokenHash, now) {
      const row = (await query(db, `SELECT ${COLUMNS}, workspace_id FROM invitations WHERE token_hash = $1`, [tokenHash]))
        .rows[0] as (InvitationRow & { workspace_id: string }) | undefined;
      return row && { invitation: toInvitation(row, now), workspaceId: row.workspace_id };
    },
    async accept(id, at) {
      const { rows } = await query(db,
        `UPDATE invitations SET accepted_at = $2, closed_at = $2 WHERE id = $1 AND ${OPEN} RETURNING ${COLUMNS}`,
        [id, at],
      );
      return rows[0] && toInvitation(rows[0] as InvitationRow, at);
    },
    async revoke(workspaceId, id, at) {
      const { rows } = await query(db,
        `UPDATE invitations SET revoked_at = $2, closed_at = $2 WHERE id = $3 AND workspace_id = $1 AND ${OPEN} RETURNING ${COLUMNS}`,
        [workspaceId, at, id],
      );
      return rows[0] && toInvitation(rows[0] as InvitationRow, at);
    },
  };
}
