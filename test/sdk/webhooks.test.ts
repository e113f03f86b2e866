// verifyWebhook on real deliveries: the service's delivery worker POSTs signed events to a
// receiver on 127.0.0.1, and the SDK verifies them with the endpoint's secret and types them.
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhook, WebhookVerificationError, type WebhookEvent } from '../../sdk/src';
import { createLogger } from '../../src/logger';
import { createDeliveryWorker, type DeliveryWorker } from '../../src/webhooks/worker';
import { createWebhookSecrets } from '../../src/webhooks/secrets';
import { makeTestApp } from '../helpers';
import { WEBHOOK_ENV } from '../support/webhooks';
import { closeServer, live, type Live } from './harness';

interface Delivery {
  body: Buffer;
  headers: IncomingHttpHeaders;
}

/** A receiver that keeps each delivery's raw bytes and headers, and answers 204. */
async function receiver(): Promise<{ url: string; server: Server; next(): Promise<Delivery> }> {
  const queue: Delivery[] = [];
  const waiting: ((d: Delivery) => void)[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const delivery = { body: Buffer.concat(chunks), headers: req.headers };
      const waiter = waiting.shift();
      if (waiter) waiter(delivery);
      else queue.push(delivery);
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`,
    server,
    next: () => {
      const ready = queue.shift();
      return ready ? Promise.resolve(ready) : new Promise((resolve) => waiting.push(resolve));
    },
  };
}

describe('SDK: verifyWebhook', () => {
  let l: Live;
  let worker: DeliveryWorker;
  let hooks: Awaited<ReturnType<typeof receiver>>;
  beforeEach(async () => {
    l = await live(makeTestApp({ ...WEBHOOK_ENV, WEBHOOK_POLL_INTERVAL_MS: '20' }));
    const { store, secrets, config } = l.t;
    worker = createDeliveryWorker({ store, secrets: createWebhookSecrets(secrets.pepper), config: config.webhooks, logger: createLogger('silent') });
    worker.start();
    hooks = await receiver();
  });
  afterEach(async () => {
    await worker.stop();
    await closeServer(hooks.server);
    await l.close();
  });

  it('createWebhookEndpoint, createProject: the project.created delivery verifies and comes back typed', async () => {
    const client = l.client();
    const endpoint = await client.webhookEndpoints.create({ url: hooks.url, enabled_events: ['project.created'] });
    const { data: project } = await client.projects.create({ name: 'Hooked' });
    const delivery = await hooks.next();

    const event: WebhookEvent = verifyWebhook(delivery.body, delivery.headers, endpoint.secret);
    assert.equal(event.type, 'project.created');
    if (event.type !== 'project.created') return;
    // Narrowed by `type`: the payload of project.created in the contract's webhooks: map.
    const created: string = event.data.object.slug;
    assert.equal(created, project.slug);
    assert.equal(event.data.object.id, project.id);
    assert.equal(event.id, delivery.headers['webhook-id']);
    // The same event through the API.
    assert.deepEqual(await client.events.get(event.id), event);

    // The body as a string and fetch's Headers verify the same.
    const asFetch = new Headers(Object.entries(delivery.headers).map(([k, v]) => [k, String(v)]));
    assert.equal(verifyWebhook(delivery.body.toString('utf8'), asFetch, endpoint.secret).id, event.id);
  });

  it('testWebhookEndpoint: the ping verifies as a ping event', async () => {
    const client = l.client();
    const endpoint = await client.webhookEndpoints.create({ url: hooks.url, enabled_events: ['project.deleted'] });
    await client.webhookEndpoints.test(endpoint.id);
    const delivery = await hooks.next();
    const event = verifyWebhook(delivery.body, delivery.headers, endpoint.secret);
    assert.equal(event.type, 'ping');
    if (event.type === 'ping') assert.equal(event.data.object.endpoint_id, endpoint.id);
  });

  it('refuses a changed body, another secret, a missing header and a stale timestamp', async () => {
    const client = l.client();
    const endpoint = await client.webhookEndpoints.create({ url: hooks.url, enabled_events: ['project.created'] });
    const other = await client.webhookEndpoints.create({ url: `${hooks.url}/other`, enabled_events: ['project.deleted'] });
    await client.projects.create({ name: 'Tampered' });
    const { body, headers } = await hooks.next();
    const refused = (payload: string | Buffer, h: Record<string, unknown>, secret: string) =>
      assert.throws(() => verifyWebhook(payload, h as IncomingHttpHeaders, secret), WebhookVerificationError);

    refused(body.toString('utf8').replace('Tampered', 'Tempered'), headers, endpoint.secret);
    refused(body, headers, other.secret);
    refused(body, { ...headers, 'webhook-signature': undefined }, endpoint.secret);
    const stale = String(Number(headers['webhook-timestamp']) - 600);
    refused(body, { ...headers, 'webhook-timestamp': stale }, endpoint.secret);
    assert.doesNotThrow(() => verifyWebhook(body, headers, endpoint.secret));
  });
});
