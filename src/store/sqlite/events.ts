import type { Statement } from 'better-sqlite3';
import type { Event, EventStore } from '../ports';
import { buildEvent, typeRange } from '../shared/events';
import { iso } from '../shared/time';
import type { Db } from './db';
import { newId } from '../../ids';
import { AFTER_POSITION, ORDER_NEWEST_FIRST, positionParams } from './keyset';

export function createEventStore(db: Db): EventStore {
  const insert = db.prepare(`INSERT INTO events (id, workspace_id, type, created_at, body, traceparent, fanout)
    VALUES (@id, @workspaceId, @type, @created, @body, @traceparent, CASE WHEN @type <> 'ping' AND EXISTS (
      SELECT 1 FROM webhook_endpoints WHERE workspace_id = @workspaceId AND status = 'enabled'
        AND EXISTS (SELECT 1 FROM json_each(enabled_events) WHERE value IN (@type, '*'))
    ) THEN 1 END)`);
  const select = db.prepare('SELECT body FROM events WHERE workspace_id = ? AND id = ?').pluck();
  const purge = db.prepare('DELETE FROM events WHERE created_at < ?');
  const listStatements = new Map<string, Statement>();

  function listStatement(conditions: string[]): Statement {
    const where = ['workspace_id = @workspaceId', ...conditions].join(' AND ');
    let stmt = listStatements.get(where);
    if (!stmt) {
      stmt = db.prepare(`SELECT body FROM events WHERE ${where} ${ORDER_NEWEST_FIRST} LIMIT @limit`).pluck();
      listStatements.set(where, stmt);
    }
    return stmt;
  }

  return {
    append(e) {
      const created = new Date().toISOString();
      const event = buildEvent(newId('evt'), created, e);
      insert.run({ id: event.id, workspaceId: e.workspaceId, type: e.type, created, body: JSON.stringify(event), traceparent: e.traceparent ?? null });
      return event;
    },
    get(workspaceId, id) {
      const body = select.get(workspaceId, id) as string | undefined;
      return body === undefined ? undefined : (JSON.parse(body) as Event);
    },
    list(workspaceId, filters, after, limit) {
      const params: Record<string, string | number> = { workspaceId, limit };
      const conditions: string[] = [];
      if (filters.type !== undefined) {
        const range = typeRange(filters.type);
        if ('exact' in range) {
          conditions.push('type = @type');
          params.type = range.exact;
        } else {
          conditions.push('type >= @typeFrom AND type < @typeTo');
          Object.assign(params, { typeFrom: range.from, typeTo: range.to });
        }
      }
      if (filters.types !== undefined) {
        conditions.push('type IN (SELECT value FROM json_each(@types))');
        params.types = JSON.stringify(filters.types);
      }
      if (filters.createdAfter !== undefined) {
        conditions.push('created_at >= @createdAfter');
        params.createdAfter = iso(filters.createdAfter);
      }
      if (filters.createdBefore !== undefined) {
        conditions.push('created_at < @createdBefore');
        params.createdBefore = iso(filters.createdBefore);
      }
      if (after) {
        conditions.push(AFTER_POSITION);
        Object.assign(params, positionParams(after));
      }
      return (listStatement(conditions).all(params) as string[]).map((body) => JSON.parse(body) as Event);
    },
    // Deliveries and their attempts go by ON DELETE CASCADE.
    purge: (before) => purge.run(iso(before)).changes,
  };
}
