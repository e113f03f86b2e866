import type { Async } from '../async';
import type { Queryable } from './db';
import { buildEvent, typeRange, type Event, type EventStore } from '../events';
import { newId } from '../../ids';
import { afterPosition, ORDER_NEWEST_FIRST } from './keyset';

/** The outbox on PostgreSQL; `transaction` joins the caller's transaction when there is one. */
export function createPgEventStore(
  db: Queryable,
  transaction: <T>(fn: (tx: Queryable) => Promise<T>) => Promise<T>,
): Async<EventStore> {
  return {
    append: (e) =>
      transaction(async (tx) => {
        const created = new Date().toISOString();
        const event = buildEvent(newId('evt'), created, e);
        await tx.query('INSERT INTO events (id, workspace_id, type, created_at, body) VALUES ($1, $2, $3, $4, $5)', [
          event.id, e.workspaceId, e.type, created, JSON.stringify(event),
        ]);
        if (e.type === 'ping') return event;
        const { rows } = await tx.query<{ id: string }>(
          `SELECT id FROM webhook_endpoints
           WHERE workspace_id = $1 AND status = 'enabled' AND enabled_events && ARRAY[$2::text, '*']`,
          [e.workspaceId, e.type],
        );
        if (rows.length === 0) return event;
        await tx.query(
          `INSERT INTO webhook_deliveries
             (id, workspace_id, endpoint_id, event_id, event_type, status, attempt_count, next_attempt_at, created_at)
           SELECT d.id, $3, d.endpoint_id, $4, $5, 'pending', 0, $6, $6 FROM unnest($1::text[], $2::text[]) AS d (id, endpoint_id)`,
          [rows.map(() => newId('whd')), rows.map((r) => r.id), e.workspaceId, event.id, e.type, created],
        );
        return event;
      }),
    get: async (workspaceId, id) =>
      (await db.query('SELECT body FROM events WHERE workspace_id = $1 AND id = $2', [workspaceId, id])).rows[0]?.body as Event | undefined,
    async list(workspaceId, filters, after, limit) {
      const values: unknown[] = [workspaceId];
      const where = ['workspace_id = $1'];
      const param = (v: unknown) => `$${values.push(v)}`;
      if (filters.type !== undefined) {
        const range = typeRange(filters.type);
        where.push('exact' in range ? `type = ${param(range.exact)}` : `type >= ${param(range.from)} AND type < ${param(range.to)}`);
      }
      if (filters.createdAfter !== undefined) where.push(`created_at >= ${param(filters.createdAfter)}::timestamptz`);
      if (filters.createdBefore !== undefined) where.push(`created_at < ${param(filters.createdBefore)}::timestamptz`);
      if (after) where.push(afterPosition(after, values));
      const text = `SELECT body FROM events WHERE ${where.join(' AND ')} ${ORDER_NEWEST_FIRST} LIMIT ${param(limit)}`;
      return (await db.query(text, values)).rows.map((r) => r.body as Event);
    },
    // Deliveries and their attempts go by ON DELETE CASCADE.
    purge: async (before) => (await db.query('DELETE FROM events WHERE created_at < $1', [before])).rowCount ?? 0,
  };
}
