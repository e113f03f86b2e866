import { randomBytes } from 'node:crypto';
import type { WebhookConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import type { EventType, WebhookDelivery, WebhookEndpoint } from '../../src/store/ports';
import { createWebhookSecrets } from '../../src/webhooks/secrets';
import { createDeliveryWorker, type DeliveryWorker, type DeliveryWorkerDeps } from '../../src/webhooks/worker';
import type { AnyStore, Engine } from '../store/engines/engines';

/** Compressed times: every scenario runs in well under two seconds. */
export const FAST: WebhookConfig = {
  allowPrivate: true,
  requireHttps: false,
  timeoutMs: 300,
  retrySchedule: [0, 0.05, 0.05],
  disableAfterSeconds: 432_000,
  eventRetentionDays: 30,
  concurrency: 16,
  endpointConcurrency: 2,
  pollIntervalMs: 20,
  maxEndpoints: 16,
};

export interface Harness {
  store: AnyStore;
  workspaceId: string;
  secrets: ReturnType<typeof createWebhookSecrets>;
  /** An endpoint subscribed to every type; returns it with its secret in clear. */
  addEndpoint(url: string): Promise<{ endpoint: WebhookEndpoint; secret: string }>;
  /** An event written as a handler would (fanned out to the endpoints); returns its id. */
  emit(type?: EventType): Promise<string>;
  start(config?: Partial<WebhookConfig>, deps?: Partial<DeliveryWorkerDeps>): DeliveryWorker;
  deliveries(endpointId: string): Promise<WebhookDelivery[]>;
  /** Waits until the endpoint has `count` deliveries, all in `status`; returns them. */
  settled(endpointId: string, status: WebhookDelivery['status'], count?: number): Promise<WebhookDelivery[]>;
  /** Polls `check` until it holds (or fails the test after `timeoutMs`). */
  until<T>(check: () => Promise<T | undefined | false>, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

/** A fresh store of `engine` (PostgreSQL: a schema of its own, dropped at close) with one workspace. */
export async function harness(engine: Engine): Promise<Harness> {
  const opened = await engine.open();
  const { store } = opened;
  const workspaceId = (await store.identity.createWorkspace('Hooks')).id;
  const secrets = createWebhookSecrets(randomBytes(32));
  let worker: DeliveryWorker | undefined;
  let n = 0;
  const h: Harness = {
    store,
    workspaceId,
    secrets,
    async addEndpoint(url) {
      const { secret, sealed } = secrets.generate();
      const endpoint = await store.webhooks.createEndpoint(workspaceId, { url, description: null, enabledEvents: ['*'], secret: sealed });
      return { endpoint, secret };
    },
    async emit(type = 'project.created') {
      const event = await store.transaction((tx) =>
        tx.events.append({ type, workspaceId, object: { id: `prj_${++n}`, name: `Project ${n}` }, requestId: `req_${n}`, idempotencyKey: null }),
      );
      worker?.wake();
      return event.id;
    },
    start(config = {}, deps = {}) {
      worker = createDeliveryWorker({ store, secrets, config: { ...FAST, ...config }, logger: createLogger('silent'), ...deps });
      worker.start();
      return worker;
    },
    deliveries: (endpointId) => store.webhooks.listDeliveries(workspaceId, endpointId, undefined, undefined, 100),
    settled(endpointId, status, count = 1) {
      return h.until(async () => {
        const found = await h.deliveries(endpointId);
        return found.length === count && found.every((d) => d.status === status) && found;
      });
    },
    async until(check, timeoutMs = 1500) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = await check();
        if (found) return found;
        if (Date.now() > deadline) throw new Error('condition not reached in time');
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    async close() {
      await worker?.stop();
      await opened.close();
    },
  };
  return h;
}
