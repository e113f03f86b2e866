import type { EndpointMethods, WebhookEndpoint } from '../ports';
import { iso } from '../shared/time';
import { ENDPOINT_COLUMNS, toEndpoint, type EndpointRow } from '../shared/webhookRows';
import type { Db } from './db';
import { newId } from '../../ids';
import { AFTER_POSITION, ORDER_NEWEST_FIRST, positionParams } from './keyset';

type Row = Omit<EndpointRow, 'enabled_events'> & { enabled_events: string };

const fromRow = (r: Row | undefined): WebhookEndpoint | undefined =>
  r && toEndpoint({ ...r, enabled_events: JSON.parse(r.enabled_events) as string[] });

/** The SQLite half of WebhookStore that manages endpoints. */
export function createEndpointMethods(db: Db): EndpointMethods {
  const insert = db.prepare(`INSERT INTO webhook_endpoints
    (id, workspace_id, url, description, enabled_events, status, secret, created_at, updated_at)
    VALUES (@id, @workspaceId, @url, @description, @enabledEvents, 'enabled', @secret, @now, @now)
    RETURNING ${ENDPOINT_COLUMNS}`);
  const count = db.prepare('SELECT count(*) FROM webhook_endpoints WHERE workspace_id = ?').pluck();
  const select = db.prepare(`SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE workspace_id = ? AND id = ?`);
  const firstPage = db.prepare(`SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE workspace_id = @workspaceId
    ${ORDER_NEWEST_FIRST} LIMIT @limit`);
  const nextPage = db.prepare(`SELECT ${ENDPOINT_COLUMNS} FROM webhook_endpoints WHERE workspace_id = @workspaceId
    AND ${AFTER_POSITION} ${ORDER_NEWEST_FIRST} LIMIT @limit`);
  // The status side effects apply on a change of status only: re-sending `enabled` keeps a running failure clock.
  const update = db.prepare(`UPDATE webhook_endpoints SET
      url = coalesce(@url, url),
      description = CASE WHEN @setDescription THEN @description ELSE description END,
      enabled_events = coalesce(@enabledEvents, enabled_events),
      status = coalesce(@status, status),
      disabled_reason = CASE WHEN @status IS NULL OR @status = status THEN disabled_reason
        WHEN @status = 'disabled' THEN 'manual' END,
      failing_since = CASE WHEN @status = 'enabled' AND status = 'disabled' THEN NULL ELSE failing_since END,
      updated_at = @now
    WHERE workspace_id = @workspaceId AND id = @id RETURNING ${ENDPOINT_COLUMNS}`);
  const remove = db.prepare('DELETE FROM webhook_endpoints WHERE workspace_id = ? AND id = ?');
  const rotate = db.prepare(`UPDATE webhook_endpoints
    SET previous_secret = secret, secret = ?, previous_secret_expires_at = ?, updated_at = ?
    WHERE workspace_id = ? AND id = ? RETURNING ${ENDPOINT_COLUMNS}`);
  const disable = db.prepare(`UPDATE webhook_endpoints SET status = 'disabled', disabled_reason = ?, updated_at = ?
    WHERE id = ? AND status = 'enabled' RETURNING workspace_id, ${ENDPOINT_COLUMNS}`);
  const failPending = db.prepare(`UPDATE webhook_deliveries SET status = 'failed', next_attempt_at = NULL, lease_until = NULL
    WHERE endpoint_id = ? AND status = 'pending'`);

  return {
    createEndpoint: (workspaceId, e) =>
      fromRow(insert.get({
        id: newId('whe'),
        workspaceId,
        url: e.url,
        description: e.description,
        enabledEvents: JSON.stringify(e.enabledEvents),
        secret: e.secret,
        now: new Date().toISOString(),
      }) as Row)!,
    countEndpoints: (workspaceId) => count.get(workspaceId) as number,
    getEndpoint: (workspaceId, id) => fromRow(select.get(workspaceId, id) as Row | undefined),
    listEndpoints(workspaceId, after, limit) {
      const rows = after
        ? nextPage.all({ workspaceId, limit, ...positionParams(after) })
        : firstPage.all({ workspaceId, limit });
      return (rows as Row[]).map((r) => fromRow(r)!);
    },
    updateEndpoint: (workspaceId, id, changes) =>
      fromRow(update.get({
        workspaceId,
        id,
        url: changes.url ?? null,
        setDescription: changes.description !== undefined ? 1 : 0,
        description: changes.description ?? null,
        enabledEvents: changes.enabledEvents ? JSON.stringify(changes.enabledEvents) : null,
        status: changes.status ?? null,
        now: new Date().toISOString(),
      }) as Row | undefined),
    // Deliveries and attempts go by ON DELETE CASCADE.
    deleteEndpoint: (workspaceId, id) => remove.run(workspaceId, id).changes === 1,
    rotateSecret: (workspaceId, id, secret, previousUntil) =>
      fromRow(rotate.get(secret, iso(previousUntil), new Date().toISOString(), workspaceId, id) as Row | undefined),
    disableEndpoint: (endpointId, reason) =>
      db.transaction(() => {
        const row = disable.get(reason, new Date().toISOString(), endpointId) as (Row & { workspace_id: string }) | undefined;
        if (!row) return undefined;
        failPending.run(endpointId);
        return { workspaceId: row.workspace_id, endpoint: fromRow(row)! };
      })(),
  };
}
