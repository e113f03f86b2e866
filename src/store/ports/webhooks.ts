import type { components } from '../../../generated/openapi';
import type { KeysetPosition } from './keyset';
import type { Event } from './events';

export type WebhookEndpoint = components['schemas']['WebhookEndpoint'];
export type WebhookDelivery = components['schemas']['WebhookDelivery'];
export type WebhookAttempt = components['schemas']['WebhookAttempt'];
export type DeliveryStatus = components['schemas']['WebhookDeliveryStatus'];
export type DisabledReason = components['schemas']['WebhookDisabledReason'];

/** A signing secret as stored: sealed (AES-256-GCM) by the webhooks module; the store never sees it in clear. */
export type SealedSecret = Buffer;

export interface NewEndpoint {
  url: string;
  description: string | null;
  /** Event types, or `*`. */
  enabledEvents: string[];
  secret: SealedSecret;
}

export interface EndpointChanges {
  url?: string;
  description?: string | null;
  enabledEvents?: string[];
  /** A change to `enabled` clears disabled_reason and failing_since; to `disabled` sets disabled_reason `manual`. */
  status?: components['schemas']['WebhookEndpointStatus'];
}

/** What the delivery worker needs for one claimed attempt. */
export interface ClaimedDelivery {
  id: string;
  workspaceId: string;
  endpointId: string;
  url: string;
  /** The current secret and, within 24 h of a rotation, the previous one: both sign. */
  secrets: SealedSecret[];
  event: Event;
  /** The traceparent of the request that emitted the event, when it was traced (the delivery's span links to it). */
  traceparent: string | null;
  /** Attempts made before this one. */
  attemptCount: number;
  /** The endpoint's current run of failures started then (null: its last delivery succeeded). */
  failingSince: string | null;
}

/** What one claimer can still start per endpoint (the bound is per claimer, not across instances). */
export interface ClaimRoom {
  /** At most this many deliveries of one endpoint in flight, counting `inFlight`. */
  perEndpoint: number;
  /** The claimer's deliveries in flight, by endpoint id: an endpoint already at `perEndpoint` is skipped. */
  inFlight?: Record<string, number>;
}

export interface AttemptOutcome {
  attempt: WebhookAttempt;
  /** `succeeded`; `pending` with `nextAttemptAt` to retry; `failed` to give up. */
  status: DeliveryStatus;
  nextAttemptAt: string | null;
}

export interface WebhookStore {
  createEndpoint(workspaceId: string, endpoint: NewEndpoint): WebhookEndpoint;
  countEndpoints(workspaceId: string): number;
  getEndpoint(workspaceId: string, id: string): WebhookEndpoint | undefined;
  /** Newest first. */
  listEndpoints(workspaceId: string, after: KeysetPosition | undefined, limit: number): WebhookEndpoint[];
  /** Undefined when there is no such endpoint. */
  updateEndpoint(workspaceId: string, id: string, changes: EndpointChanges): WebhookEndpoint | undefined;
  /** Also drops its deliveries. */
  deleteEndpoint(workspaceId: string, id: string): boolean;
  /** The new secret signs from now on; the previous one also until `previousUntil`. */
  rotateSecret(workspaceId: string, id: string, secret: SealedSecret, previousUntil: string): WebhookEndpoint | undefined;

  /** A delivery of `eventId` to one endpoint, due at `dueAt` (the test operation's ping). */
  /** Undefined when the endpoint (or the event) is gone, as when another request deleted it meanwhile. */
  queueDelivery(workspaceId: string, endpointId: string, eventId: string, dueAt: string): WebhookDelivery | undefined;
  getDelivery(workspaceId: string, endpointId: string, id: string): WebhookDelivery | undefined;
  /** Newest first, each with its latest 10 attempts, newest first. */
  listDeliveries(workspaceId: string, endpointId: string, status: DeliveryStatus | undefined, after: KeysetPosition | undefined, limit: number): WebhookDelivery[];
  /** Makes the delivery `pending`, due at `dueAt`. */
  retryDelivery(workspaceId: string, endpointId: string, id: string, dueAt: string): WebhookDelivery | undefined;
  /** Makes every `failed` delivery of the endpoint created at or after `since` pending, due at `dueAt`; returns how many. */
  recoverDeliveries(workspaceId: string, endpointId: string, since: string, dueAt: string): number;

  /**
   * First queues the deliveries of events marked for fan-out (a batch of the oldest), one to every
   * enabled endpoint of the workspace subscribed to the type and created by the event's time, due
   * since the event. Then takes up to `limit` pending deliveries due at `now` to enabled endpoints,
   * oldest due first, and leases them until `leaseUntil`: no other claim (in this process or
   * another instance) gets them until the lease ends, so a delivery is in flight once at a time,
   * and one whose claimer died is claimed again after the lease. PostgreSQL: FOR UPDATE SKIP
   * LOCKED, for the fan-out too. With `room`, the claim stays within the claimer's bound per
   * endpoint, so a backlog of one endpoint never fills a claim. Reads each endpoint with pending
   * deliveries in turn: the cost follows those endpoints, not the size of the backlog.
   */
  claimDue(now: string, leaseUntil: string, limit: number, room?: ClaimRoom): ClaimedDelivery[];
  /**
   * Records an attempt of a claimed delivery and its new state; ends the lease. Success clears the endpoint's failing_since;
   * failure sets it (to the attempt's time) if unset. The store numbers the attempt (attempts made + 1): `attempt.attempt`
   * is not read, so two claimers of one delivery (a lease that ran out) never record the same number.
   */
  recordAttempt(deliveryId: string, outcome: AttemptOutcome): void;
  /** Disables the endpoint (410 Gone or failing too long); its pending deliveries become `failed`. Returns the endpoint when it was enabled. */
  disableEndpoint(endpointId: string, reason: DisabledReason): { workspaceId: string; endpoint: WebhookEndpoint } | undefined;
}

/** The half of WebhookStore that manages endpoints: each engine implements it in a module of its own. */
export type EndpointMethods = Pick<
  WebhookStore,
  'createEndpoint' | 'countEndpoints' | 'getEndpoint' | 'listEndpoints' | 'updateEndpoint' | 'deleteEndpoint' | 'rotateSecret' | 'disableEndpoint'
>;

/** The other half: queueing, listing, claiming and recording deliveries. */
export type DeliveryMethods = Omit<WebhookStore, keyof EndpointMethods>;
