import type { Async, Event, EventStore } from '../ports';
import { buildEvent, typeRange } from '../shared/events';
import { query, type Queryable } from './db';
import { newId } from '../../ids';
import { afterPosition, ORDER_NEWEST_FIRST } from './keyset';

/** The outbox on PostgreSQL (`db` is the caller's transaction when there is one). */
export function createPgEventStore(db: Queryable): Async<EventStore> {
  return {
    // One statement: the event, marked for the worker's fan-out when an enabled endpoint subscribes.
    async append(e) {
      const created = new Date().toISOString();
      const event = buildEvent(newId('evt'), created, e);
      await query(db,
        `INSERT INTO events (id, workspace_id, type, created_at, body, traceparent, fanout)
         VALUES ($1, $2, $3, $4, $5, $6, CASE WHEN $3 <> 'ping' AND EXISTS (
           SELECT 1 FROM webhook_endpoints
           WHERE workspace_id = $2 AND status = 'enabled' AND enabled_events && ARRAY[$3::text, '*']
         ) THEN true END)`,
        [event.id, e.workspaceId, e.type, created, JSON.stringify(event), e.traceparent ?? null],
      );
      return event;
    },
    get: async (workspaceId, id) =>
      (await query(db, 'SELECT body FROM events WHERE workspace_id = $1 AND id = $2', [workspaceId, id])).rows[0]?.body as Event | undefined,
    async list(workspaceId, filters, after, limit) {
      const values: unknown[] = [workspaceId];
      const where = ['workspace_id = $1'];
      const param = (v: unknown) => `$${values.push(v)}`;
      if (filters.type !== undefined) {
        const range = typeRange(filters.type);
        where.push('exact' in range ? `type = ${param(range.exact)}` : `type >= ${param(range.from)} AND type < ${param(range.to)}`);
      }
      if (filters.types !== undefined) where.push(`type = ANY(${param(filters.types)}::text[])`);
      if (filters.createdAfter !== undefined) where.push(`created_at >= ${param(filters.createdAfter)}::timestamptz`);
      if (filters.createdBefore !== undefined) where.push(`created_at < ${param(filters.createdBefore)}::timestamptz`);
      if (after) where.push(afterPosition(after, values));
      const text = `SELECT body FROM events WHERE ${where.join(' AND ')} ${ORDER_NEWEST_FIRST} LIMIT ${param(limit)}`;
      return (await query(db, text, values)).rows.map((r) => r.body as Event);
    },
    // Deliveries and their attempts go by ON DELETE CASCADE.
    purge: async (before) => (await query(db, 'DELETE FROM events WHERE created_at < $1', [before])).rowCount ?? 0,
  };
}
