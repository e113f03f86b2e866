import type { Statement } from 'better-sqlite3';
import type { DeliveryMethods, WebhookDelivery } from '../ports';
import { iso, isoOrNull } from '../shared/time';
import {
  ATTEMPT_COLUMNS, ATTEMPTS_SHOWN, DELIVERY_COLUMNS, withAttempts, type AttemptRow, type DeliveryRow,
} from '../shared/webhookRows';
import type { Db } from './db';
import { newId } from '../../ids';
import { createClaimMethods } from './webhookClaims';
import { AFTER_POSITION, ORDER_NEWEST_FIRST, positionParams } from './keyset';

/** The SQLite half of WebhookStore that queues, lists, claims and records deliveries. */
export function createDeliveryMethods(db: Db): DeliveryMethods {
  const queue = db.prepare(`INSERT INTO webhook_deliveries
      (id, workspace_id, endpoint_id, event_id, event_type, status, attempt_count, next_attempt_at, created_at)
    SELECT @id, e.workspace_id, e.id, ev.id, ev.type, 'pending', 0, @dueAt, @now
    FROM webhook_endpoints e JOIN events ev ON ev.workspace_id = e.workspace_id
    WHERE e.workspace_id = @workspaceId AND e.id = @endpointId AND ev.id = @eventId`);
  const select = db.prepare(`SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries
    WHERE workspace_id = ? AND endpoint_id = ? AND id = ?`);
  const attemptsOf = db.prepare(`SELECT delivery_id, ${ATTEMPT_COLUMNS} FROM (
      SELECT *, row_number() OVER (PARTITION BY delivery_id ORDER BY attempt DESC) AS n
      FROM webhook_attempts WHERE delivery_id IN (SELECT value FROM json_each(?))
    ) WHERE n <= ${ATTEMPTS_SHOWN} ORDER BY delivery_id, attempt DESC`);
  const pages = new Map<string, Statement>();
  const retry = db.prepare(`UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = ?
    WHERE workspace_id = ? AND endpoint_id = ? AND id = ?`);
  const recover = db.prepare(`UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = ?
    WHERE workspace_id = ? AND endpoint_id = ? AND status = 'failed' AND created_at >= ?`);
  const countAttempt = db.prepare(`UPDATE webhook_deliveries
    SET attempt_count = attempt_count + 1, status = ?, next_attempt_at = ?, lease_until = NULL
    WHERE id = ? RETURNING attempt_count, endpoint_id`);
  const insertAttempt = db.prepare(`INSERT INTO webhook_attempts (delivery_id, ${ATTEMPT_COLUMNS})
    VALUES (@deliveryId, @attempt, @attempted_at, @response_status, @duration_ms, @response_body, @error)`);
  const markEndpoint = db.prepare(`UPDATE webhook_endpoints
    SET failing_since = CASE WHEN @succeeded THEN NULL ELSE coalesce(failing_since, @at) END WHERE id = @id`);

  function withTheirAttempts(rows: DeliveryRow[]): WebhookDelivery[] {
    if (rows.length === 0) return [];
    return withAttempts(rows, attemptsOf.all(JSON.stringify(rows.map((r) => r.id))) as AttemptRow[]);
  }

  function page(status: boolean, after: boolean): Statement {
    const key = `${status}${after}`;
    let stmt = pages.get(key);
    if (!stmt) {
      const where = ['workspace_id = @workspaceId', 'endpoint_id = @endpointId'];
      if (status) where.push('status = @status');
      if (after) where.push(AFTER_POSITION);
      stmt = db.prepare(`SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries WHERE ${where.join(' AND ')}
        ${ORDER_NEWEST_FIRST} LIMIT @limit`);
      pages.set(key, stmt);
    }
    return stmt;
  }

  const getDelivery = (workspaceId: string, endpointId: string, id: string) => {
    const row = select.get(workspaceId, endpointId, id) as DeliveryRow | undefined;
    return row && withTheirAttempts([row])[0];
  };

  return {
    ...createClaimMethods(db),
    queueDelivery(workspaceId, endpointId, eventId, dueAt) {
      const id = newId('whd');
      const { changes } = queue.run({ id, workspaceId, endpointId, eventId, dueAt: iso(dueAt), now: new Date().toISOString() });
      if (changes === 0) return undefined;
      return getDelivery(workspaceId, endpointId, id)!;
    },
    getDelivery,
    listDeliveries(workspaceId, endpointId, status, after, limit) {
      const params = { workspaceId, endpointId, status, limit, ...(after && positionParams(after)) };
      return withTheirAttempts(page(status !== undefined, after !== undefined).all(params) as DeliveryRow[]);
    },
    retryDelivery(workspaceId, endpointId, id, dueAt) {
      if (retry.run(iso(dueAt), workspaceId, endpointId, id).changes === 0) return undefined;
      return getDelivery(workspaceId, endpointId, id);
    },
    recoverDeliveries: (workspaceId, endpointId, since, dueAt) =>
      recover.run(iso(dueAt), workspaceId, endpointId, iso(since)).changes,
    recordAttempt(deliveryId, { attempt, status, nextAttemptAt }) {
      db.transaction(() => {
        const row = countAttempt.get(status, isoOrNull(nextAttemptAt), deliveryId) as
          { attempt_count: number; endpoint_id: string } | undefined;
        if (!row) return; // deleted meanwhile, with its endpoint or event
        const attemptedAt = iso(attempt.attempted_at);
        insertAttempt.run({ ...attempt, deliveryId, attempt: row.attempt_count, attempted_at: attemptedAt });
        markEndpoint.run({ succeeded: status === 'succeeded' ? 1 : 0, at: attemptedAt, id: row.endpoint_id });
      })();
    },
  };
}
