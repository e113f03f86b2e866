import type { components } from '../../generated/openapi';
import type { Statement } from 'better-sqlite3';
import type { Db } from './db';
import { newId } from '../ids';
import { iso } from './time';
import { AFTER_POSITION, ORDER_NEWEST_FIRST, positionParams, type KeysetPosition } from './keyset';

/** An event as the API shows it and webhooks deliver it. */
export type Event = components['schemas']['Event'];
export type EventType = components['schemas']['EventType'];

export interface NewEvent {
  type: EventType;
  workspaceId: string;
  /** The resource after the change (for a deletion: as it was). */
  object: Record<string, unknown>;
  /** On updates: the old values of the fields that changed. */
  previousAttributes?: Record<string, unknown>;
  requestId: string | null;
  idempotencyKey: string | null;
}

export interface EventFilters {
  /** An exact type (`project.created`) or a family (`project.*`). */
  type?: string;
  /** Only these types (those the reader's scopes may read); every type when undefined. */
  types?: readonly string[];
  /** Inclusive lower bound, RFC 3339 UTC with milliseconds. */
  createdAfter?: string;
  /** Exclusive upper bound. */
  createdBefore?: string;
}

/**
 * The outbox. `append` runs in the transaction of the change that caused the event (the pipeline
 * owns it), so a rolled-back change has no event and a committed one always has one. It queues no
 * delivery itself: when an enabled endpoint of the workspace subscribes to the type (or to `*`), it
 * marks the event for fan-out, and the worker's claim (`WebhookStore.claimDue`) later turns marked
 * events into deliveries in batches, off the request. `ping` events are never marked (the test
 * operation queues its own delivery).
 */
export interface EventStore {
  append(event: NewEvent): Event;
  get(workspaceId: string, id: string): Event | undefined;
  /** Newest first (created DESC, id DESC), up to `limit` after `after`. */
  list(workspaceId: string, filters: EventFilters, after: KeysetPosition | undefined, limit: number): Event[];
  /** Deletes events created before `before`, with their deliveries and attempts; returns how many events. */
  purge(before: string): number;
}

/** The event as stored and shown: the contract's key order, no `previous_attributes` key when there are none. */
export function buildEvent(id: string, created: string, e: NewEvent): Event {
  const data = e.previousAttributes === undefined
    ? { object: e.object }
    : { object: e.object, previous_attributes: e.previousAttributes };
  return {
    id,
    type: e.type,
    created,
    workspace_id: e.workspaceId,
    data,
    request: { id: e.requestId, idempotency_key: e.idempotencyKey },
  } as Event;
}

/**
 * The `type` filter as a condition on one column: an exact type, or for `family.*` the range
 * [`family.`, `family/`) (`/` follows `.`), which an index on the type serves where LIKE may not.
 */
export function typeRange(type: string): { from: string; to: string } | { exact: string } {
  if (!type.endsWith('.*')) return { exact: type };
  const prefix = type.slice(0, -1);
  return { from: prefix, to: `${prefix.slice(0, -1)}/` };
}

export function createEventStore(db: Db): EventStore {
  const insert = db.prepare(`INSERT INTO events (id, workspace_id, type, created_at, body, fanout)
    VALUES (@id, @workspaceId, @type, @created, @body, CASE WHEN @type <> 'ping' AND EXISTS (
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
      insert.run({ id: event.id, workspaceId: e.workspaceId, type: e.type, created, body: JSON.stringify(event) });
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
