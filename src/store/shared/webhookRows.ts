import type { ClaimedDelivery, Event, WebhookAttempt, WebhookDelivery, WebhookEndpoint } from '../ports';

// Rows and their mappers, shared by both engines' webhook stores: the SQL differs, the shapes not.

export const ENDPOINT_COLUMNS = 'id, url, description, enabled_events, status, disabled_reason, failing_since, created_at, updated_at';

export const DELIVERY_COLUMNS = 'id, endpoint_id, event_id, event_type, status, attempt_count, next_attempt_at, created_at';

export const ATTEMPT_COLUMNS = 'attempt, attempted_at, response_status, duration_ms, response_body, error';

/** An endpoint row with its enabled events already an array (SQLite keeps them as JSON text). */
export type EndpointRow = WebhookEndpoint & { enabled_events: string[] };

export const toEndpoint = (r: EndpointRow): WebhookEndpoint => ({
  id: r.id,
  url: r.url,
  description: r.description,
  enabled_events: r.enabled_events,
  status: r.status,
  disabled_reason: r.disabled_reason,
  failing_since: r.failing_since,
  created_at: r.created_at,
  updated_at: r.updated_at,
});

export type DeliveryRow = Omit<WebhookDelivery, 'attempts'>;
export type AttemptRow = WebhookAttempt & { delivery_id: string };

/** Each delivery with its attempts (given newest first per delivery). */
export function withAttempts(deliveries: DeliveryRow[], attempts: AttemptRow[]): WebhookDelivery[] {
  const byDelivery = new Map<string, WebhookAttempt[]>(deliveries.map((d) => [d.id, []]));
  for (const { delivery_id, ...attempt } of attempts) byDelivery.get(delivery_id)?.push(attempt);
  return deliveries.map((d) => ({ ...d, attempts: byDelivery.get(d.id)! }));
}

/** At most this many attempts come with a delivery, the newest. */
export const ATTEMPTS_SHOWN = 10;

/**
 * What a claim reads, `now` being the parameter holding the claim's time: the previous secret
 * only while it still signs.
 */
export const claimColumns = (now: string) => `d.id, d.workspace_id, d.endpoint_id, e.url, e.secret,
  CASE WHEN e.previous_secret_expires_at > ${now} THEN e.previous_secret END AS previous_secret,
  ev.body, ev.traceparent, d.attempt_count, e.failing_since, d.next_attempt_at`;

export interface ClaimRow {
  id: string;
  workspace_id: string;
  endpoint_id: string;
  url: string;
  secret: Buffer;
  previous_secret: Buffer | null;
  /** JSON text (SQLite) or already parsed (PostgreSQL). */
  body: string | Event;
  traceparent: string | null;
  attempt_count: number;
  failing_since: string | null;
  next_attempt_at: string;
}

/** Claimed deliveries, oldest due first. */
export function toClaimed(rows: ClaimRow[]): ClaimedDelivery[] {
  return [...rows]
    .sort((a, b) => (a.next_attempt_at < b.next_attempt_at ? -1 : a.next_attempt_at > b.next_attempt_at ? 1 : 0))
    .map((r) => ({
      id: r.id,
      workspaceId: r.workspace_id,
      endpointId: r.endpoint_id,
      url: r.url,
      secrets: r.previous_secret ? [r.secret, r.previous_secret] : [r.secret],
      event: typeof r.body === 'string' ? (JSON.parse(r.body) as Event) : r.body,
      traceparent: r.traceparent,
      attemptCount: r.attempt_count,
      failingSince: r.failing_since,
    }));
}

/** Marked events turned into deliveries per claim at most: on SQLite a claim holds the event loop (about 2 ms per 100 quiet), so it stays short even after a burst of writes. */
export const FANOUT_BATCH = 100;

/** A due delivery as the per-endpoint claim reads it. */
export interface DueRow {
  id: string;
  next_attempt_at: string;
}

/** The oldest due first (ties by id) across endpoints, up to `limit`. */
export function oldestDue(rows: DueRow[], limit: number): DueRow[] {
  const order = (a: DueRow, b: DueRow) =>
    a.next_attempt_at < b.next_attempt_at ? -1 : a.next_attempt_at > b.next_attempt_at ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  return rows.sort(order).slice(0, limit);
}
