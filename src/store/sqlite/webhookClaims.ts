import type { WebhookStore } from '../ports';
import { iso } from '../shared/time';
import { FANOUT_BATCH, claimColumns, oldestDue, toClaimed, type ClaimRow, type DueRow } from '../shared/webhookRows';
import type { Db } from './db';
import { newId } from '../../ids';

/** The SQLite claim: fan-out of marked events, then leases endpoint by endpoint. */
export function createClaimMethods(db: Db): Pick<WebhookStore, 'claimDue'> {
  const marked = db.prepare('SELECT id FROM events WHERE fanout = 1 ORDER BY created_at, id LIMIT ?').pluck();
  // Endpoints created after the event do not get it: they did not exist when it happened.
  const subscribers = db.prepare(`SELECT ev.id AS event_id, ev.workspace_id, ev.type, ev.created_at, e.id AS endpoint_id
    FROM events ev JOIN webhook_endpoints e ON e.workspace_id = ev.workspace_id
    WHERE ev.id IN (SELECT value FROM json_each(?)) AND e.status = 'enabled' AND e.created_at <= ev.created_at
      AND EXISTS (SELECT 1 FROM json_each(e.enabled_events) WHERE value IN (ev.type, '*'))`);
  const queue = db.prepare(`INSERT INTO webhook_deliveries
    (id, workspace_id, endpoint_id, event_id, event_type, status, attempt_count, next_attempt_at, created_at)
    VALUES (?, ?, ?, ?, ?, 'pending', 0, ?, ?)`);
  const unmark = db.prepare('UPDATE events SET fanout = NULL WHERE id IN (SELECT value FROM json_each(?))');
  // A loose index scan: each step is one probe of the pending index for the next endpoint id.
  const endpointsWithPending = db.prepare(`WITH RECURSIVE eps (id) AS (
      SELECT min(endpoint_id) FROM webhook_deliveries WHERE status = 'pending'
      UNION ALL
      SELECT (SELECT min(endpoint_id) FROM webhook_deliveries WHERE status = 'pending' AND endpoint_id > eps.id)
      FROM eps WHERE eps.id IS NOT NULL
    ) SELECT e.id FROM eps JOIN webhook_endpoints e ON e.id = eps.id WHERE e.status = 'enabled'`).pluck();
  const dueOf = db.prepare(`SELECT id, next_attempt_at FROM webhook_deliveries
    WHERE endpoint_id = @endpointId AND status = 'pending' AND next_attempt_at <= @now
      AND (lease_until IS NULL OR lease_until <= @now)
    ORDER BY next_attempt_at, id LIMIT @room`);
  const lease = db.prepare('UPDATE webhook_deliveries SET lease_until = @leaseUntil WHERE id IN (SELECT value FROM json_each(@ids))');
  const claimed = db.prepare(`SELECT ${claimColumns('@now')}
    FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id JOIN events ev ON ev.id = d.event_id
    WHERE d.id IN (SELECT value FROM json_each(@ids))`);

  function fanOut(): void {
    const ids = marked.all(FANOUT_BATCH) as string[];
    if (ids.length === 0) return;
    const list = JSON.stringify(ids);
    type Pair = { event_id: string; workspace_id: string; type: string; created_at: string; endpoint_id: string };
    for (const p of subscribers.all(list) as Pair[]) {
      queue.run(newId('whd'), p.workspace_id, p.endpoint_id, p.event_id, p.type, p.created_at, p.created_at);
    }
    unmark.run(list);
  }

  return {
    claimDue(now, leaseUntil, limit, room) {
      const at = iso(now);
      const perEndpoint = room?.perEndpoint ?? limit;
      // IMMEDIATE: the claim reads before it writes, and another process's claim must not read the
      // same rows in between (SQLite's single writer makes the whole claim atomic across processes).
      return db.transaction(() => {
        fanOut();
        const due: DueRow[] = [];
        for (const endpointId of endpointsWithPending.all() as string[]) {
          const free = Math.min(perEndpoint - (room?.inFlight?.[endpointId] ?? 0), limit);
          if (free > 0) due.push(...(dueOf.all({ endpointId, now: at, room: free }) as DueRow[]));
        }
        const ids = JSON.stringify(oldestDue(due, limit).map((d) => d.id));
        if (ids === '[]') return [];
        lease.run({ leaseUntil: iso(leaseUntil), ids });
        return toClaimed(claimed.all({ now: at, ids }) as ClaimRow[]);
      }).immediate();
    },
  };
}
