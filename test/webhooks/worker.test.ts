import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { startReceiver, status, type Receiver } from './receiver';
import { engines } from '../store/engines/engines';
import { harness, type Harness } from './workerHarness';

for (const engine of engines) describe(`webhooks: delivery worker (${engine.name})`, () => {
  let h: Harness;
  let receiver: Receiver;
  beforeEach(async () => {
    h = await harness(engine);
    receiver = await startReceiver();
  });
  afterEach(async () => {
    await h.close();
    await receiver.close();
  });

  it('500 twice then 200: three attempts, delivered once, same webhook-id, the stored event as the body, every signature verifying', async () => {
    receiver.answer = (res, n) => res.writeHead([500, 500, 200][n] ?? 200).end(n < 2 ? 'busy' : 'ok');
    const { endpoint, secret } = await h.addEndpoint(`${receiver.origin}/hook`);
    receiver.secrets = [secret];
    const eventId = await h.emit();
    h.start();
    const received = await receiver.waitFor(3);
    const [delivery] = await h.settled(endpoint.id, 'succeeded');
    const stored = JSON.stringify(await h.store.events.get(h.workspaceId, eventId));
    for (const r of received) {
      assert.equal(r.headers['webhook-id'], eventId);
      assert.equal(r.body, stored);
      assert.deepEqual(r.verifiedWith, [secret]);
    }
    assert.equal(delivery.attempt_count, 3);
    assert.deepEqual(delivery.attempts.map((a) => [a.attempt, a.response_status, a.response_body]), [[3, 200, 'ok'], [2, 500, 'busy'], [1, 500, 'busy']]);
    await new Promise((r) => setTimeout(r, 100));
    assert.equal(receiver.received.length, 3, 'nothing more once delivered');
    const [after] = await h.store.webhooks.listEndpoints(h.workspaceId, undefined, 10);
    assert.equal(after.failing_since, null, 'a success ends the run of failures');
  });

  it('Retry-After on 503 is honoured: the next attempt is not earlier', async () => {
    receiver.answer = (res, n) => (n === 0 ? res.writeHead(503, { 'retry-after': '1' }).end() : res.writeHead(204).end());
    const { endpoint } = await h.addEndpoint(`${receiver.origin}/hook`);
    await h.emit();
    const started = Date.now();
    h.start();
    await receiver.waitFor(1);
    const firstAt = Date.now();
    await receiver.waitFor(2, 2000);
    assert.ok(Date.now() - firstAt >= 950, `retried after ${Date.now() - firstAt} ms, not after the 1 s asked`);
    const [delivery] = await h.settled(endpoint.id, 'succeeded');
    assert.equal(delivery.attempts[1].response_status, 503);
    assert.ok(Date.now() - started < 1900);
  });

  it('410 Gone disables the endpoint (reason gone) with a webhook_endpoint.disabled event, and stops its deliveries', async () => {
    receiver.answer = status(410);
    const { endpoint } = await h.addEndpoint(`${receiver.origin}/gone`);
    await h.emit();
    h.start();
    const disabled = await h.until(async () => {
      const found = await h.store.webhooks.getEndpoint(h.workspaceId, endpoint.id);
      return found?.status === 'disabled' && found;
    });
    assert.equal(disabled.disabled_reason, 'gone');
    const [event] = await h.store.events.list(h.workspaceId, { type: 'webhook_endpoint.disabled' }, undefined, 10);
    assert.ok(event, 'the event was written');
    assert.deepEqual(event.data, { object: disabled, previous_attributes: { status: 'enabled' } });
    assert.deepEqual(event.request, { id: null, idempotency_key: null });
    const deliveries = await h.deliveries(endpoint.id);
    assert.ok(deliveries.every((d) => d.status === 'failed'));
    assert.equal(receiver.received.length, 1, 'a disabled endpoint gets nothing more');
  });

  it('an endpoint failing for longer than WEBHOOK_DISABLE_AFTER_SECONDS is disabled (reason failing) at its next failure', async () => {
    receiver.answer = status(500);
    const { endpoint } = await h.addEndpoint(`${receiver.origin}/down`);
    await h.emit();
    // Its run of failures began six days ago.
    const [claimed] = await h.store.webhooks.claimDue(new Date().toISOString(), new Date(Date.now() + 1000).toISOString(), 10);
    const sixDaysAgo = new Date(Date.now() - 6 * 86_400_000).toISOString();
    await h.store.webhooks.recordAttempt(claimed.id, {
      attempt: { attempt: 1, attempted_at: sixDaysAgo, response_status: 500, duration_ms: 5, response_body: null, error: null },
      status: 'pending',
      nextAttemptAt: new Date().toISOString(),
    });
    h.start();
    const disabled = await h.until(async () => {
      const found = await h.store.webhooks.getEndpoint(h.workspaceId, endpoint.id);
      return found?.status === 'disabled' && found;
    });
    assert.equal(disabled.disabled_reason, 'failing');
    assert.equal((await h.store.events.list(h.workspaceId, { type: 'webhook_endpoint.disabled' }, undefined, 10)).length, 1);
  });

  it('no answer within the timeout is a failed attempt (error timeout); after the last attempt the delivery is failed', async () => {
    receiver.answer = () => {};
    const { endpoint } = await h.addEndpoint(`${receiver.origin}/slow`);
    await h.emit();
    h.start({ timeoutMs: 100, retrySchedule: [0, 0.05] });
    const [delivery] = await h.settled(endpoint.id, 'failed');
    assert.deepEqual(delivery.attempts.map((a) => [a.response_status, a.error]), [[null, 'timeout'], [null, 'timeout']]);
    assert.ok(delivery.attempts.every((a) => a.duration_ms >= 90));
  });

  it('after a rotation both secrets sign: the receiver verifies with the old one and with the new one', async () => {
    const { endpoint, secret: oldSecret } = await h.addEndpoint(`${receiver.origin}/hook`);
    const next = h.secrets.generate();
    await h.store.webhooks.rotateSecret(h.workspaceId, endpoint.id, next.sealed, new Date(Date.now() + 86_400_000).toISOString());
    receiver.secrets = [oldSecret, next.secret];
    await h.emit();
    h.start();
    const [received] = await receiver.waitFor(1);
    assert.equal(String(received.headers['webhook-signature']).split(' ').length, 2);
    assert.deepEqual(received.verifiedWith.sort(), [oldSecret, next.secret].sort());
  });

  it('an address refused at delivery time (a name now resolving to 127.0.0.1) is a failed attempt; nothing is sent', async () => {
    const port = new URL(receiver.origin).port;
    const { endpoint } = await h.addEndpoint(`http://hooks.example.com:${port}/hook`);
    await h.emit();
    h.start({ allowPrivate: false, retrySchedule: [0] }, { resolve: async () => [{ address: '127.0.0.1', family: 4 }] });
    const [delivery] = await h.settled(endpoint.id, 'failed');
    assert.deepEqual(delivery.attempts.map((a) => [a.response_status, a.error]), [[null, 'address not allowed']]);
    assert.equal(receiver.received.length, 0);
  });

  it('a slow receiver holds at most WEBHOOK_ENDPOINT_CONCURRENCY sends and does not stall another endpoint', async () => {
    const held: ServerResponse[] = [];
    let most = 0;
    receiver.answer = (res, _n, path) => {
      if (path !== '/slow') return void res.writeHead(200).end();
      held.push(res);
      most = Math.max(most, held.filter((r) => !r.writableEnded).length);
    };
    const slow = await h.addEndpoint(`${receiver.origin}/slow`);
    const fast = await h.addEndpoint(`${receiver.origin}/fast`);
    for (let i = 0; i < 6; i++) await h.emit();
    h.start({ concurrency: 4, endpointConcurrency: 2, timeoutMs: 1000 });
    await h.settled(fast.endpoint.id, 'succeeded', 6);
    assert.equal(receiver.received.filter((r) => r.path === '/fast').length, 6);
    assert.equal(held.length, 2, 'the slow endpoint has two sends in flight, no more');
    // Answers what is held until all six have come: each answer frees a slot for the next.
    await h.until(async () => {
      held.filter((r) => !r.writableEnded).forEach((r) => r.writeHead(200).end());
      return held.length === 6;
    });
    held.forEach((r) => r.writableEnded || r.writeHead(200).end());
    await h.settled(slow.endpoint.id, 'succeeded', 6);
    assert.equal(most, 2);
    assert.equal(held.length, 6);
  });

  it('a slow receiver with a backlog far past 4 x WEBHOOK_CONCURRENCY holds only its own slots: another endpoint gets all its deliveries promptly', async () => {
    const held: ServerResponse[] = [];
    receiver.answer = (res, _n, path) => (path === '/slow' ? void held.push(res) : void res.writeHead(200).end());
    const slow = await h.addEndpoint(`${receiver.origin}/slow`);
    const fast = await h.addEndpoint(`${receiver.origin}/fast`);
    for (let i = 0; i < 80; i++) await h.emit(); // 80 deliveries each; the slow backlog is 5 x 4 x concurrency
    h.start({ concurrency: 4, endpointConcurrency: 2, timeoutMs: 5000 });
    await h.until(async () => {
      const found = await h.store.webhooks.listDeliveries(h.workspaceId, fast.endpoint.id, 'succeeded', undefined, 100);
      return found.length === 80;
    }, 5000);
    assert.equal(receiver.received.filter((r) => r.path === '/fast').length, 80);
    assert.equal(held.length, 2, 'the slow endpoint has its two sends in flight, no more');
    const stillDue = await h.store.webhooks.claimDue(new Date().toISOString(), new Date().toISOString(), 100);
    assert.equal(stillDue.length, 78, 'the rest of its backlog was never claimed (leased) meanwhile');
    receiver.answer = (res) => void res.writeHead(200).end();
    held.forEach((r) => r.writeHead(200).end());
  });

  it('while API requests saturate the process, one delivery in flight instead of WEBHOOK_CONCURRENCY; all of them once they stop', async () => {
    const held: ServerResponse[] = [];
    receiver.answer = (res) => void held.push(res);
    const { endpoint } = await h.addEndpoint(`${receiver.origin}/hook`);
    for (let i = 0; i < 6; i++) await h.emit();
    let saturated = true;
    h.start({ concurrency: 4, endpointConcurrency: 4 }, { saturated: () => saturated });
    await receiver.waitFor(1);
    await new Promise((r) => setTimeout(r, 100)); // polls and claims meanwhile start nothing more
    assert.equal(held.length, 1);
    saturated = false;
    held[0].writeHead(200).end();
    await h.until(async () => held.length === 5); // four in flight at once again
    receiver.answer = (res) => void res.writeHead(200).end();
    held.forEach((r) => r.writableEnded || r.writeHead(200).end());
    await h.settled(endpoint.id, 'succeeded', 6);
  });

  it('events past EVENT_RETENTION_DAYS are purged at start', async () => {
    const eventId = await h.emit();
    const worker = h.start({ eventRetentionDays: 30 }, { now: () => Date.now() + 31 * 86_400_000 });
    await worker.stop();
    assert.equal(await h.store.events.get(h.workspaceId, eventId), undefined);
  });

  it('stop waits for the send in flight and records its attempt', async () => {
    let release!: () => void;
    receiver.answer = (res) => (release = () => res.writeHead(200).end());
    const { endpoint } = await h.addEndpoint(`${receiver.origin}/hook`);
    await h.emit();
    const worker = h.start({ timeoutMs: 1000 });
    await receiver.waitFor(1);
    setTimeout(() => release(), 50);
    await worker.stop();
    const [delivery] = await h.deliveries(endpoint.id);
    assert.equal(delivery.status, 'succeeded');
  });
});
