import type { Async, EndpointMethods } from '../ports';
import { ENDPOINT_COLUMNS, toEndpoint, type EndpointRow } from '../shared/webhookRows';
import { query, type Queryable } from './db';
import { newId } from '../../ids';
import { afterPosition, ORDER_NEWEST_FIRST } from './keyset';

const one = (rows: EndpointRow[]) => (rows[0] ? toEndpoint(rows[0]) : undefined);

/** The PostgreSQL half of WebhookStore that manages endpoints. */
export function createPgEndpointMethods(
  db: Queryable,
  transaction: <T>(fn: (tx: Queryable) => Promise<T>) => Promise<T>,
): Async<EndpointMethods> {
  return {
    async createEndpoint(workspaceId, e) {
      const { rows } = await query(db,
        `INSERT INTO webhook_endpoints (id, workspace_id, url, description, enabled_events, status, secret, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, 'enabled', $6, $7, $7) RETURNING ${ENDPOINT_COLUMNS}`,
        [newId('whe'), workspaceId, e.url, e.description, e.enabledEvents, e.secret, new Date().toISOString()],
      );
      return toEndpoint(rows[0]);
    },
    countEndpoints: async (workspaceId) =>
      (await query(db, 'SELECT count(*) AS n FROM webhook_endpoints WHERE workspace_id = $1', [workspaceId])).rows[0].n,
    getEndpoint: async (workspaceId, id) =>
      one((await query(db, `SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE workspace_id = $1 AND id = $2`, [workspaceId, id])).rows),
    async listEndpoints(workspaceId, after, limit) {
      const values: unknown[] = [workspaceId];
      const where = ['workspace_id = $1', ...(after ? [afterPosition(after, values)] : [])];
      values.push(limit);
      const { rows } = await query(db,
        `SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE ${where.join(' AND ')} ${ORDER_NEWEST_FIRST} LIMIT $${values.length}`,
        values,
      );
      return rows.map(toEndpoint);
    },
    // The status side effects apply on a change of status only: re-sending `enabled` keeps a running failure clock.
    updateEndpoint: async (workspaceId, id, changes) =>
      one((await query(db,
        `UPDATE webhook_endpoints SET
           url = coalesce($3, url),
           description = CASE WHEN $4 THEN $5 ELSE description END,
           enabled_events = coalesce($6, enabled_events),
           status = coalesce($7, status),
           disabled_reason = CASE WHEN $7::text IS NULL OR $7 = status THEN disabled_reason
             WHEN $7 = 'disabled' THEN 'manual' END,
           failing_since = CASE WHEN $7 = 'enabled' AND status = 'disabled' THEN NULL ELSE failing_since END,
           updated_at = $8
         WHERE workspace_id = $1 AND id = $2 RETURNING ${ENDPOINT_COLUMNS}`,
        [
          workspaceId,
          id,
          changes.url ?? null,
          changes.description !== undefined,
          changes.description ?? null,
          changes.enabledEvents ?? null,
          changes.status ?? null,
          new Date().toISOString(),
        ],
      )).rows),
    // Deliveries and attempts go by ON DELETE CASCADE.
    deleteEndpoint: async (workspaceId, id) =>
      (await query(db, 'DELETE FROM webhook_endpoints WHERE workspace_id = $1 AND id = $2', [workspaceId, id])).rowCount === 1,
    rotateSecret: async (workspaceId, id, secret, previousUntil) =>
      one((await query(db,
        `UPDATE webhook_endpoints SET previous_secret = secret, secret = $3, previous_secret_expires_at = $4, updated_at = $5
         WHERE workspace_id = $1 AND id = $2 RETURNING ${ENDPOINT_COLUMNS}`,
        [workspaceId, id, secret, previousUntil, new Date().toISOString()],
      )).rows),
    disableEndpoint: (endpointId, reason) =>
      transaction(async (tx) => {
        const { rows } = await query(tx,
          `UPDATE webhook_endpoints SET status = 'disabled', disabled_reason = $2, updated_at = $3
           WHERE id = $1 AND status = 'enabled' RETURNING workspace_id, ${ENDPOINT_COLUMNS}`,
          [endpointId, reason, new Date().toISOString()],
        );
        if (!rows[0]) return undefined;
        await query(tx,
          `UPDATE webhook_deliveries SET status = 'failed', next_attempt_at = NULL, lease_until = NULL
           WHERE endpoint_id = $1 AND status = 'pending'`,
          [endpointId],
        );
        return { workspaceId: rows[0].workspace_id as string, endpoint: toEndpoint(rows[0]) };
      }),
  };
}
