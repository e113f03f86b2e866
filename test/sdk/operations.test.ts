// Every operation of openapi.yaml has its method in the SDK (OPERATIONS names it; the compiler
// checks the names both ways), and that method sends the operation's method and path: each is
// called here against the real service, which must route it (no 405, no route_not_found).
import assert from 'node:assert/strict';
import { isApiError, OPERATIONS, Paginator, type CloudApi, type OperationId } from '../../sdk/src';
import { makeTestApp } from '../helpers';
import { operationsOf, readSpec } from '../support/specCopy';
import { WEBHOOK_ENV } from '../support/webhooks';
import { live, recorder, type Live } from './harness';

const PRJ = 'prj_01JD3Y8N6V4Q2X7R5T9W1K3M5R';
const KEY = 'key_01JD3Y8N6V4Q2X7R5T9W1K3M5T';
const WHE = 'whe_01JD3Y8N6V4Q2X7R5T9W1K3M5V';
const WHD = 'whd_01JD3Y8N6V4Q2X7R5T9W1K3M5W';
const EVT = 'evt_01JD3Y8N6V4Q2X7R5T9W1K3M5X';

/** The arguments each method is called with: well-formed, though the objects need not exist. */
const ARGS: { [O in OperationId]: unknown[] } = {
  login: [{ email: 'nobody@example.com', password: 'not a real password' }],
  refreshToken: [{ refresh_token: 'rt_not_a_real_refresh_token_value_000000000' }],
  logout: [{ refresh_token: 'rt_not_a_real_refresh_token_value_000000000' }],
  getMe: [],
  listProjects: [{ name: 'x' }],
  createProject: [{ name: 'Reachable' }],
  getProject: [PRJ],
  updateProject: [PRJ, { description: null }],
  deleteProject: [PRJ],
  listApiKeys: [],
  createApiKey: [{ name: 'reachable', scopes: ['projects:read'] }],
  getApiKey: [KEY],
  deleteApiKey: [KEY],
  rotateApiKey: [KEY],
  getUsage: [{ from: '2026-01-01', to: '2026-01-02' }],
  listWebhookEndpoints: [],
  createWebhookEndpoint: [{ url: 'http://127.0.0.1:9/hooks', enabled_events: ['*'] }],
  getWebhookEndpoint: [WHE],
  updateWebhookEndpoint: [WHE, { description: 'x' }],
  deleteWebhookEndpoint: [WHE],
  rotateWebhookSecret: [WHE],
  testWebhookEndpoint: [WHE],
  listWebhookDeliveries: [WHE],
  retryWebhookDelivery: [WHE, WHD],
  recoverWebhookDeliveries: [WHE, { since: '2026-01-01T00:00:00Z' }],
  listEvents: [{ type: 'project.*' }],
  getEvent: [EVT],
};

function method(client: CloudApi, path: string): (...args: unknown[]) => unknown {
  const [namespace, name] = path.split('.');
  const target = (client as unknown as Record<string, Record<string, unknown>>)[namespace];
  const fn = target?.[name];
  assert.equal(typeof fn, 'function', `client.${path} is not a method`);
  return (fn as (...args: unknown[]) => unknown).bind(target);
}

describe('SDK: every operation of the contract', () => {
  let l: Live;
  // Private addresses allowed: the endpoint created points at 127.0.0.1.
  before(async () => (l = await live(makeTestApp(WEBHOOK_ENV))));
  after(() => l.close());

  const spec = operationsOf(readSpec());

  it('OPERATIONS names exactly the operationIds of openapi.yaml', () => {
    assert.deepEqual(Object.keys(OPERATIONS).sort(), spec.map(({ op }) => op.operationId as string).sort());
  });

  for (const { path, method: verb, op } of spec) {
    const id = op.operationId as OperationId;
    it(`${id}: client.${OPERATIONS[id]} sends ${verb.toUpperCase()} /v1${path}`, async () => {
      const rec = recorder();
      const client = l.client({ maxRetries: 0 }, rec);
      const result = method(client, OPERATIONS[id])(...ARGS[id]);
      const settled = await (result instanceof Paginator ? result.page() : (result as Promise<unknown>)).catch((e: unknown) => e);
      if (settled instanceof Error) {
        assert.ok(isApiError(settled), String(settled));
        assert.notEqual(settled.code, 'route_not_found');
        assert.notEqual(settled.status, 405);
        assert.notEqual(settled.code, 'validation_failed', settled.message);
      }
      const template = new RegExp(`^/v1${path.replace(/\{[^}]+\}/g, '[^/?]+')}(\\?.*)?$`);
      assert.equal(rec.sent.length, 1);
      assert.equal(rec.sent[0].method, verb.toUpperCase());
      assert.match(rec.sent[0].path, template);
    });
  }
});
