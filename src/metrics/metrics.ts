import { Counter, Histogram, Registry } from 'prom-client';

/** What the service counts, by the name of what happened; each app has its own registry. */
export interface Metrics {
  registry: Registry;
  /** One finished HTTP request: `operation` is an operationId or one of the fixed REQUEST_LABELS. */
  request(operation: string, method: string, status: number, seconds: number): void;
  rateLimited(operation: string, policy: { group: string; by: string }): void;
  replayed(operation: string): void;
  /** A 401 or 403 of an operation, by its error code (`invalid_api_key`, `insufficient_scope`, ...). */
  authFailed(reason: string): void;
  /** A usage flush: written (with the age of its oldest count) or failed (its counts wait for the next). */
  usageFlushed(outcome: 'written' | 'failed', lagSeconds?: number): void;
  /** A webhook delivery attempt, by what became of the delivery. */
  webhookAttempted(outcome: string): void;
}

/** The `operation` of requests that match no operation: never the raw path, which is unbounded. */
export const REQUEST_LABELS = {
  /** Under /v1 but no operation: 404 route_not_found, 405 method_not_allowed. */
  unmatched: 'unmatched',
  /** A CORS preflight answered for an API path. */
  preflight: 'preflight',
  /** Outside the API: documentation, health, JWKS, the contract, /metrics. */
  site: 'site',
} as const;

// Requests take about a millisecond; logins (scrypt) and webhook tests (an outbound call) seconds.
const DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const LAG_BUCKETS = [0.1, 0.5, 1, 2, 5, 10, 30, 60, 300, 900];
// Node's parser accepts a fixed list of methods; the rarer ones share one label.
const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const STATUS_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx'];

type DurationLabels = 'operation' | 'method' | 'status_class';

export function createMetrics(registry = new Registry()): Metrics {
  const registers = [registry];
  const duration = new Histogram<DurationLabels>({
    name: 'http_request_duration_seconds',
    help: 'Time from the request entering the app to its response finishing, by operationId (or unmatched, preflight, site), method and status class.',
    labelNames: ['operation', 'method', 'status_class'],
    buckets: DURATION_BUCKETS,
    registers,
  });
  const refusals = new Counter({
    name: 'rate_limit_refusals_total',
    help: 'Requests refused with 429 by the rate limits, by operation, policy group and what the policy counts by (principal, ip, account).',
    labelNames: ['operation', 'policy', 'scope'],
    registers,
  });
  const replays = new Counter({
    name: 'idempotent_replays_total',
    help: 'Responses replayed for a repeated Idempotency-Key, by operation.',
    labelNames: ['operation'],
    registers,
  });
  const authFailures = new Counter({
    name: 'auth_failures_total',
    help: 'Requests refused for their credentials (401) or scopes (403), by error code.',
    labelNames: ['reason'],
    registers,
  });
  const flushes = new Counter({
    name: 'usage_flushes_total',
    help: 'Writes of the in-memory usage counts to the database, by outcome (written, failed).',
    labelNames: ['outcome'],
    registers,
  });
  const flushLag = new Histogram({
    name: 'usage_flush_lag_seconds',
    help: 'Age of the oldest usage count of a flush when it was written: how far usage reports trail requests.',
    buckets: LAG_BUCKETS,
    registers,
  });
  const deliveries = new Counter({
    name: 'webhook_delivery_attempts_total',
    help: 'Webhook delivery attempts, by what became of the delivery (succeeded, retrying, failed: no attempts left).',
    labelNames: ['outcome'],
    registers,
  });

  return {
    registry,
    request(operation, method, status, seconds) {
      const status_class = STATUS_CLASSES[Math.floor(status / 100) - 1] ?? '5xx';
      duration.observe({ operation, method: METHODS.has(method) ? method : 'OTHER', status_class }, seconds);
    },
    rateLimited: (operation, policy) => refusals.inc({ operation, policy: policy.group, scope: policy.by }),
    replayed: (operation) => replays.inc({ operation }),
    authFailed: (reason) => authFailures.inc({ reason }),
    usageFlushed(outcome, lagSeconds) {
      flushes.inc({ outcome });
      if (lagSeconds !== undefined) flushLag.observe(lagSeconds);
    },
    webhookAttempted: (outcome) => deliveries.inc({ outcome: outcome === 'pending' ? 'retrying' : outcome }),
  };
}
