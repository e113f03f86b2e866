import type { Async, WebhookStore } from '../ports';
import { FANOUT_BATCH, claimColumns, toClaimed, type ClaimRow } from '../shared/webhookRows';
import { query, type Queryable } from './db';
import { newId } from '../../ids';

/** Turns a batch of marked events into deliveries; instances fanning out at once take disjoint batches. */
async function fanOut(tx: Queryable): Promise<void> {
  // Endpoints created after the event do not get it: they did not exist when it happened.
  const { rows } = await query<{ event_id: string; workspace_id: string; type: string; created_at: string; endpoint_id: string }>(tx,
    `WITH marked AS (
       SELECT id FROM events WHERE fanout ORDER BY created_at, id LIMIT $1 FOR UPDATE SKIP LOCKED
     ), unmarked AS (
       UPDATE events ev SET fanout = NULL FROM marked WHERE ev.id = marked.id
       RETURNING ev.id, ev.workspace_id, ev.type, ev.created_at
     )
     SELECT u.id AS event_id, u.workspace_id, u.type, u.created_at, e.id AS endpoint_id
     FROM unmarked u JOIN webhook_endpoints e ON e.workspace_id = u.workspace_id
     WHERE e.status = 'enabled' AND e.created_at <= u.created_at AND e.enabled_events && ARRAY[u.type::text, '*']`,
    [FANOUT_BATCH],
  );
  if (rows.length === 0) return;
  await query(tx,
    `INSERT INTO webhook_deliveries
       (id, workspace_id, endpoint_id, event_id, event_type, status, attempt_count, next_attempt_at, created_at)
     SELECT d.id, d.workspace_id, d.endpoint_id, d.event_id, d.type, 'pending', 0, d.created_at, d.created_at
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[])
       AS d (id, workspace_id, endpoint_id, event_id, type, created_at)`,
    [
      rows.map(() => newId('whd')), rows.map((r) => r.workspace_id), rows.map((r) => r.endpoint_id),
      rows.map((r) => r.event_id), rows.map((r) => r.type), rows.map((r) => r.created_at),
    ],
  );
}

/** The PostgreSQL claim: fan-out of marked events, then leases endpoint by endpoint, in one transaction. */
export function createPgClaimMethods(
  transaction: <T>(fn: (tx: Queryable) => Promise<T>) => Promise<T>,
): Async<Pick<WebhookStore, 'claimDue'>> {
  return {
    // `eps` walks the endpoints with pending deliveries one index probe each (a loose index scan);
    // for each with room, `due` locks its oldest due deliveries, skipping rows another claim holds
    // instead of waiting. The oldest across endpoints are leased; the leases commit with the locks.
    claimDue: (now, leaseUntil, limit, room) =>
      transaction(async (tx) => {
        await fanOut(tx);
        const { rows } = await query<ClaimRow>(tx,
          `WITH RECURSIVE eps (id) AS (
             (SELECT endpoint_id FROM webhook_deliveries WHERE status = 'pending' ORDER BY endpoint_id LIMIT 1)
             UNION ALL
             SELECT (SELECT endpoint_id FROM webhook_deliveries
                     WHERE status = 'pending' AND endpoint_id > eps.id ORDER BY endpoint_id LIMIT 1)
             FROM eps WHERE eps.id IS NOT NULL
           ), rooms AS (
             SELECT e.id, least($4::int - coalesce(busy.value::int, 0), $3::int) AS free
             FROM eps JOIN webhook_endpoints e ON e.id = eps.id AND e.status = 'enabled'
               LEFT JOIN jsonb_each_text($5::jsonb) busy ON busy.key = e.id
           ), due AS (
             SELECT d.id, d.next_attempt_at FROM rooms r CROSS JOIN LATERAL (
               SELECT id, next_attempt_at FROM webhook_deliveries
               WHERE endpoint_id = r.id AND status = 'pending' AND next_attempt_at <= $1
                 AND (lease_until IS NULL OR lease_until <= $1)
               ORDER BY next_attempt_at, id LIMIT greatest(r.free, 0)
               FOR UPDATE SKIP LOCKED
             ) d
           ), chosen AS (
             SELECT id FROM due ORDER BY next_attempt_at, id LIMIT $3
           )
           UPDATE webhook_deliveries d SET lease_until = $2
           FROM chosen, webhook_endpoints e, events ev
           WHERE d.id = chosen.id AND e.id = d.endpoint_id AND ev.id = d.event_id
           RETURNING ${claimColumns('$1')}`,
          [now, leaseUntil, limit, room?.perEndpoint ?? limit, JSON.stringify(room?.inFlight ?? {})],
        );
        return toClaimed(rows);
      }),
  };
}
