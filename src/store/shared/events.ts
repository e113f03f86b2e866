import type { Event, NewEvent } from '../ports';

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
