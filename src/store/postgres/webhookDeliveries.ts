import type { Async, DeliveryMethods, WebhookDelivery } from '../ports';
import {
  ATTEMPT_COLUMNS, ATTEMPTS_SHOWN, DELIVERY_COLUMNS, withAttempts, type AttemptRow, type DeliveryRow,
} from '../shared/webhookRows';
import { query, type Queryable } from './db';
import { newId } from '../../ids';
import { createPgClaimMethods } from './webhookClaims';
import { afterPosition, ORDER_NEWEST_FIRST } from './keyset';

/** The PostgreSQL half of WebhookStore that queues, lists, claims and records deliveries. */
export function createPgDeliveryMethods(
  db: Queryable,
  transaction: <T>(fn: (tx: Queryable) => Promise<T>) => Promise<T>,
): Async<DeliveryMethods> {
  async function withTheirAttempts(rows: DeliveryRow[]): Promise<WebhookDelivery[]> {
    if (rows.length === 0) return [];
    const attempts = await query<AttemptRow>(db,
      `SELECT delivery_id, ${ATTEMPT_COLUMNS} FROM (
         SELECT *, row_number() OVER (PARTITION BY delivery_id ORDER BY attempt DESC) AS n
         FROM webhook_attempts WHERE delivery_id = ANY($1)
       ) a WHERE n <= ${ATTEMPTS_SHOWN} ORDER BY delivery_id, attempt DESC`,
      [rows.map((r) => r.id)],
    );
    return withAttempts(rows, attempts.rows);
  }

  async function getDelivery(workspaceId: string, endpointId: string, id: string) {
    const { rows } = await query<DeliveryRow>(db,
      `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries WHERE workspace_id = $1 AND endpoint_id = $2 AND id = $3`,
      [workspaceId, endpointId, id],
    );
    return (await withTheirAttempts(rows))[0];
  }

  return {
    ...createPgClaimMethods(transaction),
    async queueDelivery(workspaceId, endpointId, eventId, dueAt) {
      const id = newId('whd');
      const { rowCount } = await query(db,
        `INSERT INTO webhook_deliveries
           (id, workspace_id, endpoint_id, event_id, event_type, status, attempt_count, next_attempt_at, created_at)
         SELECT $1, e.workspace_id, e.id, ev.id, ev.type, 'pending', 0, $5, $6
         FROM webhook_endpoints e JOIN events ev ON ev.workspace_id = e.workspace_id
         WHERE e.workspace_id = $2 AND e.id = $3 AND ev.id = $4`,
        [id, workspaceId, endpointId, eventId, dueAt, new Date().toISOString()],
      );
      if (rowCount === 0) return undefined;
      return (await getDelivery(workspaceId, endpointId, id))!;
    },
    getDelivery,
    async listDeliveries(workspaceId, endpointId, status, after, limit) {
      const values: unknown[] = [workspaceId, endpointId];
      const where = ['workspace_id = $1', 'endpoint_id = $2'];
      if (status !== undefined) where.push(`status = $${values.push(status)}`);
      if (after) where.push(afterPosition(after, values));
      values.push(limit);
      const { rows } = await query<DeliveryRow>(db,
        `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries WHERE ${where.join(' AND ')} ${ORDER_NEWEST_FIRST} LIMIT $${values.length}`,
        values,
      );
      return withTheirAttempts(rows);
    },
    async retryDelivery(workspaceId, endpointId, id, dueAt) {
      const { rowCount } = await query(db,
        `UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = $4
         WHERE workspace_id = $1 AND endpoint_id = $2 AND id = $3`,
        [workspaceId, endpointId, id, dueAt],
      );
      return rowCount === 0 ? undefined : getDelivery(workspaceId, endpointId, id);
    },
    recoverDeliveries: async (workspaceId, endpointId, since, dueAt) =>
      (
        await query(db,
          `UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = $4
           WHERE workspace_id = $1 AND endpoint_id = $2 AND status = 'failed' AND created_at >= $3`,
          [workspaceId, endpointId, since, dueAt],
        )
      ).rowCount ?? 0,
    recordAttempt: (deliveryId, { attempt, status, nextAttemptAt }) =>
      transaction(async (tx) => {
        const { rows } = await query<{ attempt_count: number; endpoint_id: string }>(tx,
          `UPDATE webhook_deliveries SET attempt_count = attempt_count + 1, status = $2, next_attempt_at = $3, lease_until = NULL
           WHERE id = $1 RETURNING attempt_count, endpoint_id`,
          [deliveryId, status, nextAttemptAt],
        );
        if (!rows[0]) return; // deleted meanwhile, with its endpoint or event
        await query(tx,
          `INSERT INTO webhook_attempts (delivery_id, ${ATTEMPT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
          [deliveryId, rows[0].attempt_count, attempt.attempted_at, attempt.response_status, attempt.duration_ms, attempt.response_body, attempt.error],
        );
        await query(tx,
          `UPDATE webhook_endpoints SET failing_since = CASE WHEN $2 THEN NULL ELSE coalesce(failing_since, $3) END WHERE id = $1`,
          [rows[0].endpoint_id, status === 'succeeded', attempt.attempted_at],
        );
      }),
  };
}
