import type { OperationContext } from './context';
import type { Aggregates, EventType } from '../store/ports';

/** What a handler uses to announce its change: the event joins the change's transaction (the outbox). */
export interface Events<T extends EventType = EventType> {
  /** `object` after the change (as it was, for a deletion); `previousAttributes` on updates. */
  emit(type: T, object: object, previousAttributes?: object): Promise<void>;
  /** The handler queued deliveries itself (a ping, a retry): the worker is woken after the commit. */
  queued(): void;
  /**
   * The same, for a change in `workspaceId`: for an operation without a principal (accepting an
   * invitation), whose workspace the handler learns from the request.
   */
  inWorkspace(workspaceId: string): Events<T>;
}

/**
 * The events of one request, written through `store` (the operation's transaction) with the
 * workspace, the request id and the Idempotency-Key that caused them. An operation may emit only
 * the types its `x-events` declares, so the contract says what each operation announces.
 */
export function requestEvents(ctx: OperationContext, store: Aggregates, workspace?: string): Events {
  return {
    async emit(type, object, previousAttributes) {
      if (!ctx.op.events.includes(type)) throw new Error(`${ctx.op.operationId} emits ${type}, which its x-events does not declare`);
      const workspaceId = workspace ?? ctx.principal?.workspaceId;
      if (!workspaceId) throw new Error('an event needs the workspace of an authenticated request, or one named with inWorkspace');
      const key = ctx.req.headers['idempotency-key'];
      await store.events.append({
        type,
        workspaceId,
        object: object as Record<string, unknown>,
        previousAttributes: previousAttributes as Record<string, unknown> | undefined,
        requestId: ctx.requestId,
        idempotencyKey: ctx.op.idempotent && typeof key === 'string' ? key : null,
        traceparent: ctx.traceparent,
      });
      ctx.queuedDeliveries = true;
    },
    queued() {
      ctx.queuedDeliveries = true;
    },
    inWorkspace: (workspaceId) => requestEvents(ctx, store, workspaceId),
  };
}

/**
 * `previous_attributes` of an update event: the old values of those `fields` that changed (compared
 * as JSON, so arrays count by content), or undefined when nothing did (no event is due then).
 */
export function previousAttributes<T extends object>(before: T, after: T, fields: readonly (keyof T)[]): Partial<T> | undefined {
  const previous: Partial<T> = {};
  for (const f of fields) if (JSON.stringify(before[f]) !== JSON.stringify(after[f])) previous[f] = before[f];
  return Object.keys(previous).length ? previous : undefined;
}
