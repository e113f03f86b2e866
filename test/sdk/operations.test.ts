// Every operation of openapi.yaml has its method in the SDK (OPERATIONS names it; the compiler
// checks the names both ways), and that method sends the operation's method and path: each is
// called here against the real service, which must route it (no 405, no route_not_found).
import assert from 'node:assert/strict';
import { isApiError, OPERATIONS, Paginator, type CloudApi, type OperationId } from '../../sdk/src';
import { makeTestApp } from '../helpers';
import { operationsOf, readSpec } from '../support/specCopy';
import { sdkOperations, type SdkOperation } from '../../scripts/contract/sdkModel';
import { WEBHOOK_ENV } from '../support/webhooks';
import { live, recorder, type Live } from './harness';

/**
 * The arguments each method is called with: the contract's own examples of its path parameters and
 * body (well-formed, though the objects need not exist), so a new operation needs no fixture here.
 */
function argsOf(op: SdkOperation): unknown[] {
  return [...op.pathParams.map((p) => p.example), ...(op.body ? [op.body.example] : []), ...(ARGS[op.operationId as OperationId] ?? [])];
}

/** Beyond the examples: a required query, and a webhook URL this closed network can reach (no DNS). */
const ARGS: { [O in OperationId]?: unknown[] } = {
  getUsage: [{ from: '2026-01-01', to: '2026-01-02' }],
};
const BODIES: { [O in OperationId]?: unknown } = {
  createWebhookEndpoint: { url: 'http://127.0.0.1:9/hooks', enabled_events: ['*'] },
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
  const sdk = new Map(sdkOperations(readSpec()).map((op) => [op.operationId, op]));

  it('OPERATIONS names exactly the operationIds of openapi.yaml', () => {
    assert.deepEqual(Object.keys(OPERATIONS).sort(), spec.map(({ op }) => op.operationId as string).sort());
  });

  for (const { path, method: verb, op } of spec) {
    const id = op.operationId as OperationId;
    it(`${id}: client.${OPERATIONS[id]} sends ${verb.toUpperCase()} /v1${path}`, async () => {
      const rec = recorder();
      const client = l.client({ maxRetries: 0 }, rec);
      const op = sdk.get(id)!;
      const args = argsOf(op.body && BODIES[id] ? { ...op, body: { ...op.body, example: BODIES[id] } } : op);
      const result = method(client, OPERATIONS[id])(...args);
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
