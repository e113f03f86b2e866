import assert from 'node:assert/strict';
import { expectError, signedIn, type TestApp } from '../helpers';
import { makeAppWith } from '../support/app';
import { apiKey, bearer, createKeyHttp, type Cred } from '../support/apiKeys';
import { appFromSpec, removeSpecCopies, specCopy } from '../support/specCopy';
import { overrideAggregate } from '../support/storeHooks';
import { Busy, RecordLocked, type AsyncStore } from '../../src/store/ports';
import { createEndpointHttp, WEBHOOK_ENV } from '../support/webhooks';

/** Ids a request names: two endpoints of the caller's workspace, a delivery and an event of the first. */
interface Ids {
  endpoint: string;
  other: string;
  delivery: string;
  event: string;
}

interface Call {
  operationId: string;
  method: 'get' | 'post' | 'patch' | 'delete';
  path: (ids: Ids, endpoint?: string) => string;
  body?: Record<string, unknown>;
  /** Takes an Idempotency-Key (and so runs in a transaction). */
  idempotent?: boolean;
}

const CALLS: Call[] = [
  { operationId: 'listWebhookEndpoints', method: 'get', path: () => '/v1/webhook-endpoints' },
  { operationId: 'createWebhookEndpoint', method: 'post', path: () => '/v1/webhook-endpoints', body: { url: 'http://127.0.0.1:9/x', enabled_events: ['*'] }, idempotent: true },
  { operationId: 'getWebhookEndpoint', method: 'get', path: (i) => `/v1/webhook-endpoints/${i.endpoint}` },
  { operationId: 'updateWebhookEndpoint', method: 'patch', path: (i, e = i.endpoint) => `/v1/webhook-endpoints/${e}`, body: { description: 'x' }, idempotent: true },
  { operationId: 'deleteWebhookEndpoint', method: 'delete', path: (i) => `/v1/webhook-endpoints/${i.endpoint}` },
  { operationId: 'rotateWebhookSecret', method: 'post', path: (i, e = i.endpoint) => `/v1/webhook-endpoints/${e}/rotate-secret`, idempotent: true },
  { operationId: 'testWebhookEndpoint', method: 'post', path: (i, e = i.endpoint) => `/v1/webhook-endpoints/${e}/test`, idempotent: true },
  { operationId: 'listWebhookDeliveries', method: 'get', path: (i) => `/v1/webhook-endpoints/${i.endpoint}/deliveries` },
  { operationId: 'retryWebhookDelivery', method: 'post', path: (i, e = i.endpoint) => `/v1/webhook-endpoints/${e}/deliveries/${i.delivery}/retry`, idempotent: true },
  { operationId: 'recoverWebhookDeliveries', method: 'post', path: (i, e = i.endpoint) => `/v1/webhook-endpoints/${e}/recover`, body: { since: '2026-01-01T00:00:00Z' }, idempotent: true },
  { operationId: 'listEvents', method: 'get', path: () => '/v1/events' },
  { operationId: 'getEvent', method: 'get', path: (i) => `/v1/events/${i.event}` },
];

function send(t: TestApp, call: Call, ids: Ids, cred: Cred, opts: { key?: string; endpoint?: string; body?: Record<string, unknown> } = {}) {
  let req = t.http[call.method](call.path(ids, opts.endpoint)).set(cred);
  if (opts.key) req = req.set('Idempotency-Key', opts.key);
  const body = opts.body ?? call.body;
  return body ? req.send(body) : req;
}

/** Well-formed ids nothing has: enough where the request is refused before it finds anything. */
const UNKNOWN: Ids = {
  endpoint: 'whe_01JD3Y8N6V4Q2X7R5T9W1K3M5V',
  other: 'whe_01JD3Y8N6V4Q2X7R5T9W1K3M5W',
  delivery: 'whd_01JD3Y8N6V4Q2X7R5T9W1K3M5W',
  event: 'evt_01JD3Y8N6V4Q2X7R5T9W1K3M5X',
};

/** An owner with two endpoints, a ping delivery to the first and its event. */
async function setUp(t: TestApp) {
  const owner = await signedIn(t);
  const cred = bearer(owner.auth);
  const endpoint = (await createEndpointHttp(t, cred)).id;
  const other = (await createEndpointHttp(t, cred)).id;
  const delivery = (await t.http.post(`/v1/webhook-endpoints/${endpoint}/test`).set(cred).expect(202)).body.data;
  return { owner, cred, ids: { endpoint, other, delivery: delivery.id, event: delivery.event_id } };
}

/**
 * Every method of the webhooks and events aggregates throws, in and out of transactions, once
 * `on.failing` is set (signing in appends the owner's member.added event, which must work).
 */
const failingWebhooks = (on: { failing: boolean }) => (real: AsyncStore): AsyncStore => {
  const failing = <T extends object>(aggregate: T): T =>
    Object.fromEntries(
      Object.entries(aggregate).map(([k, method]) => [
        k,
        (...args: unknown[]) => (on.failing ? Promise.reject(new Error('secret internal detail')) : method(...args)),
      ]),
    ) as T;
  return overrideAggregate(overrideAggregate(real, 'webhooks', failing), 'events', failing);
};

describe('webhook and event operations: statuses of the shared rules', () => {
  after(removeSpecCopies);

  it('each: 403 insufficient_scope for an API key with neither webhooks scope', async () => {
    const t = makeAppWith({ env: WEBHOOK_ENV });
    const { cred, ids } = await setUp(t);
    const key = await createKeyHttp(t, cred, { scopes: ['projects:read'] });
    for (const call of CALLS) {
      const err = expectError(await send(t, call, ids, apiKey(key.key)), 403, 'insufficient_scope');
      assert.match(err.message, /webhooks:(read|write)/, call.operationId);
    }
  });

  it('each: 429 rate_limited past its declared limit (a copy of the contract allowing one request each)', async () => {
    const path = specCopy((doc) => {
      for (const call of CALLS) {
        for (const item of Object.values<any>(doc.paths)) {
          const op = item[call.method];
          if (op?.operationId === call.operationId) op['x-rate-limit'] = { group: `one-${call.operationId.toLowerCase()}`, limit: 1, window: 60 };
        }
      }
    });
    const t = appFromSpec(path, WEBHOOK_ENV);
    const owner = await signedIn(t);
    for (const call of CALLS) {
      await send(t, call, UNKNOWN, bearer(owner.auth));
      const res = await send(t, call, UNKNOWN, bearer(owner.auth));
      expectError(res, 429, 'rate_limited');
      assert.ok(Number(res.headers['retry-after']) > 0, call.operationId);
    }
  });

  it('each: 500 internal_error when the store fails, revealing nothing', async () => {
    const on = { failing: false };
    const t = makeAppWith({ env: WEBHOOK_ENV, store: failingWebhooks(on) });
    const owner = await signedIn(t);
    on.failing = true;
    for (const call of CALLS) {
      const res = await send(t, call, UNKNOWN, bearer(owner.auth));
      expectError(res, 500, 'internal_error');
      assert.ok(!res.text.includes('secret internal detail'), call.operationId);
    }
  });

  it('each that takes an Idempotency-Key: 503 service_unavailable while the database is busy, 409 idempotency_key_in_use while its key is locked, 422 idempotency_key_reused for another request', async () => {
    const busy = { on: false, locked: false };
    const t = makeAppWith({
      env: WEBHOOK_ENV,
      store: (real) => ({
        ...real,
        transaction: (fn) =>
          busy.on ? Promise.reject(new Busy()) : busy.locked ? Promise.reject(new RecordLocked()) : real.transaction(fn),
      }),
    });
    const { cred, ids } = await setUp(t);
    for (const call of CALLS.filter((c) => c.idempotent)) {
      busy.on = true;
      expectError(await send(t, call, ids, cred, { key: `busy-${call.operationId}` }), 503, 'service_unavailable');
      busy.on = false;
      // The key's own record still locked by its first request: that request is in progress.
      busy.locked = true;
      expectError(await send(t, call, ids, cred, { key: `locked-${call.operationId}` }), 409, 'idempotency_key_in_use');
      busy.locked = false;
      const key = `reused-${call.operationId}`;
      const first = await send(t, call, ids, cred, { key });
      assert.ok(first.status < 300, `${call.operationId}: ${first.status} ${first.text}`);
      // The same key for another request: another endpoint in the path, or another body.
      const again = call.operationId === 'createWebhookEndpoint'
        ? await send(t, call, ids, cred, { key, body: { url: 'http://127.0.0.1:9/other', enabled_events: ['*'] } })
        : await send(t, call, ids, cred, { key, endpoint: ids.other });
      expectError(again, 422, 'idempotency_key_reused');
    }
  });
});
