import type { components } from '../../../generated/openapi';
import type { KeysetPosition } from './keyset';

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
  /** The W3C traceparent of the traced request that caused it: its deliveries' spans link there. Never shown. */
  traceparent?: string;
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
