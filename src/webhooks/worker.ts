import type { Async, ClaimedDelivery, DisabledReason, WebhookStore, EventStore } from '../store/ports';
import type { WebhookConfig } from '../config';
import type { Logger } from '../logger';
import { inspectWebhookUrl, type Resolve } from './addressGuard';
import { createAgents } from './agents';
import { attemptOutcome } from './outcome';
import type { WebhookSecrets } from './secrets';
import { sendWebhook, type SendResult } from './send';
import { signatureHeaders } from './sign';
import type { DeliveryTracing } from '../tracing/port';

/** The aggregates the worker uses (the store offers them, and more). */
export interface DeliveryAggregates {
  webhooks: Async<WebhookStore>;
  events: Async<EventStore>;
}

export interface DeliveryStore extends DeliveryAggregates {
  transaction<T>(fn: (tx: DeliveryAggregates) => Promise<T>): Promise<T>;
}

export interface DeliveryWorker {
  /** Polls for due deliveries and purges old events until stopped. */
  start(): void;
  /**
   * Looks for due deliveries soon (after a commit that queued some) instead of at the next poll: at
   * most once per NUDGE_SPACING_MS, so a burst of writes pays for one claim, not one each.
   */
  wake(): void;
  /** Stops claiming and waits for the sends in flight, up to a bound; what is left is claimed again later. */
  stop(): Promise<void>;
}

export interface DeliveryWorkerDeps {
  store: DeliveryStore;
  secrets: WebhookSecrets;
  config: WebhookConfig;
  logger: Logger;
  now?: () => number;
  random?: () => number;
  resolve?: Resolve;
  /** How long stop() waits for sends in flight; by default one timeout and a second. */
  drainTimeoutMs?: number;
  /**
   * True while the process is saturated by API requests (loadGauge.ts): the worker then gives way,
   * with one delivery in flight instead of `concurrency`, started at most every NUDGE_SPACING_MS
   * (about 2% of a core), so that deliveries do not take the core the requests are queueing for,
   * and resumes at full concurrency once they stop queueing.
   */
  saturated?: () => boolean;
  /** Each attempt's outcome (succeeded, pending: a retry is scheduled, failed), for the metrics. */
  attempted?: (outcome: string) => void;
  /** Spans of each delivery and its request to the receiver (with tracing on). */
  tracing?: DeliveryTracing;
}

const PURGE_EVERY_MS = 3_600_000;
// Commits wake the worker at most this often. A claim reads the due backlog, which grows while
// writes outpace delivery; one claim per commit made every write pay for it (bench: POST at 0.5 of
// its throughput without an endpoint). Finished sends still claim at once, to keep slots busy.
const NUDGE_SPACING_MS = 50;
const LEASE_MARGIN_MS = 5_000;

export function createDeliveryWorker(deps: DeliveryWorkerDeps): DeliveryWorker {
  const { store, config, logger } = deps;
  const now = deps.now ?? Date.now;
  const iso = (ms: number) => new Date(ms).toISOString();
  // A claimed delivery starts at once: the lease covers its exchange (bounded by the timeout), and
  // the margin the address check before it and the recording after.
  const leaseMs = config.timeoutMs + LEASE_MARGIN_MS;

  const agents = createAgents();
  /** Sends in flight, by delivery id. */
  const inFlight = new Map<string, Promise<void>>();
  const perEndpoint = new Map<string, number>();
  let running = false;
  let claiming: Promise<void> | undefined;
  let claimAgain = false;
  let purging: Promise<void> | undefined;
  let timers: NodeJS.Timeout[] = [];
  let nudged: NodeJS.Timeout | undefined;
  let lastLaunch = -Infinity;

  function nudge(): void {
    if (!running || nudged) return;
    nudged = setTimeout(() => {
      nudged = undefined;
      wake();
    }, NUDGE_SPACING_MS);
  }

  // Claims only what can start now, within the total and each endpoint's free slots (the store skips
  // endpoints at their bound): a slow endpoint's backlog stays in the store, never ahead of others.
  // Sends only end during the await, so the slots claimed are still free when the claim returns.
  async function claim(): Promise<void> {
    while (running) {
      const givingWay = deps.saturated?.() ?? false;
      const room = (givingWay ? 1 : config.concurrency) - inFlight.size;
      if (room <= 0) return;
      const at = now();
      if (givingWay && at - lastLaunch < NUDGE_SPACING_MS) return nudge();
      const claimed = await store.webhooks.claimDue(iso(at), iso(at + leaseMs), room, {
        perEndpoint: config.endpointConcurrency,
        inFlight: Object.fromEntries(perEndpoint),
      });
      for (const delivery of claimed) launch(delivery);
      if (claimed.length < room) return;
    }
  }

  function launch(delivery: ClaimedDelivery): void {
    // Claimed again here after its lease ran out mid-send: the send under way records the attempt.
    if (inFlight.has(delivery.id)) return;
    const { endpointId } = delivery;
    lastLaunch = now();
    perEndpoint.set(endpointId, (perEndpoint.get(endpointId) ?? 0) + 1);
    const done: Promise<void> = deliver(delivery)
      .catch((err) => logger.error('webhook delivery failed to complete', { delivery_id: delivery.id, error: String(err) }))
      .finally(() => {
        inFlight.delete(delivery.id);
        const left = (perEndpoint.get(endpointId) ?? 1) - 1;
        if (left) perEndpoint.set(endpointId, left);
        else perEndpoint.delete(endpointId);
        wake();
      });
    inFlight.set(delivery.id, done);
  }

  const { tracing } = deps;
  const deliver = tracing ? (delivery: ClaimedDelivery) => tracing.delivery(delivery, () => deliverOnce(delivery)) : deliverOnce;
  const attemptTraced = (delivery: ClaimedDelivery, attemptedAt: number) =>
    tracing && URL.canParse(delivery.url) ? tracing.attempt(new URL(delivery.url), () => attemptOnce(delivery, attemptedAt)) : attemptOnce(delivery, attemptedAt);

  async function deliverOnce(delivery: ClaimedDelivery): Promise<void> {
    const attempt = delivery.attemptCount + 1;
    const attemptedAt = now();
    const result = await attemptTraced(delivery, attemptedAt);
    const outcome = attemptOutcome(result, attempt, attemptedAt, config.retrySchedule, { nowMs: now(), random: deps.random });
    const fields = { delivery_id: delivery.id, endpoint_id: delivery.endpointId, attempt, status: result.status, error: result.error };
    logger.debug('webhook attempt', { ...fields, outcome: outcome.status, duration_ms: result.durationMs });
    deps.attempted?.(outcome.status);
    const reason = disableReason(delivery, result, outcome.status === 'succeeded');
    if (!reason) return store.webhooks.recordAttempt(delivery.id, outcome);
    // The endpoint's change and its event commit together (the outbox), with the attempt that caused them.
    const disabled = await store.transaction(async (tx) => {
      await tx.webhooks.recordAttempt(delivery.id, outcome);
      const found = await tx.webhooks.disableEndpoint(delivery.endpointId, reason);
      if (found) {
        await tx.events.append({
          type: 'webhook_endpoint.disabled',
          workspaceId: found.workspaceId,
          object: found.endpoint as unknown as Record<string, unknown>,
          previousAttributes: { status: 'enabled' },
          requestId: null,
          idempotencyKey: null,
        });
      }
      return found;
    });
    if (disabled) {
      logger.warn('webhook endpoint disabled', { ...fields, reason });
      wake(); // its event may be due to other endpoints
    }
  }

  function disableReason(delivery: ClaimedDelivery, result: SendResult, succeeded: boolean): DisabledReason | undefined {
    if (result.status === 410) return 'gone';
    if (succeeded || !delivery.failingSince) return undefined;
    return now() - Date.parse(delivery.failingSince) >= config.disableAfterSeconds * 1000 ? 'failing' : undefined;
  }

  async function attemptOnce(delivery: ClaimedDelivery, attemptedAt: number): Promise<SendResult> {
    const failed = (error: string) => ({ status: null, body: null, error, durationMs: Math.max(0, now() - attemptedAt) });
    // Checked again now: DNS may have changed since the endpoint was saved; the send connects only
    // to the addresses checked here.
    const checked = await inspectWebhookUrl(delivery.url, {
      allowPrivate: config.allowPrivate,
      requireHttps: config.requireHttps,
      resolve: deps.resolve,
    });
    if (!checked.ok) return failed(checked.kind === 'unresolved' ? 'host not found' : checked.kind === 'url' ? 'url not allowed' : 'address not allowed');
    let secrets: string[];
    try {
      secrets = delivery.secrets.map((sealed) => deps.secrets.open(sealed));
    } catch {
      return failed('signing secret unreadable');
    }
    const payload = JSON.stringify(delivery.event);
    const headers = signatureHeaders(delivery.event.id, new Date(attemptedAt), payload, secrets);
    return sendWebhook(checked, payload, { ...headers }, { timeoutMs: config.timeoutMs, now, agent: agents.for(checked) });
  }

  function wake(): void {
    if (!running) return;
    if (claiming) {
      claimAgain = true;
      return;
    }
    claiming = claim()
      .catch((err) => logger.error('webhook claim failed', { error: String(err) }))
      .finally(() => {
        claiming = undefined;
        if (claimAgain) {
          claimAgain = false;
          wake();
        }
      });
  }

  function purge(): void {
    if (purging) return;
    const before = iso(now() - config.eventRetentionDays * 86_400_000);
    purging = store.events
      .purge(before)
      .then((count) => void (count && logger.info('purged old events', { count, before })))
      .catch((err) => logger.error('event purge failed', { error: String(err) }))
      .finally(() => (purging = undefined));
  }

  return {
    start() {
      if (running) return;
      running = true;
      // Unreferenced: the server keeps the process alive; these never hold it open on their own.
      timers = [setInterval(wake, config.pollIntervalMs).unref(), setInterval(purge, PURGE_EVERY_MS).unref()];
      purge();
      wake();
    },
    wake: nudge,
    async stop() {
      running = false;
      timers.forEach(clearInterval);
      clearTimeout(nudged);
      await claiming;
      await purging;
      let bound: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled(inFlight.values()),
        new Promise((resolve) => (bound = setTimeout(resolve, deps.drainTimeoutMs ?? config.timeoutMs + 1000))),
      ]);
      clearTimeout(bound);
      agents.close();
    },
  };
}
