import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { sendWebhook } from '../../src/webhooks/send';
import { startReceiver, status, type Receiver } from './receiver';

const payload = JSON.stringify({ id: 'evt_1', type: 'ping' });
const target = (origin: string, path = '/hook') => ({ url: new URL(origin + path), addresses: ['127.0.0.1'] });
const send = (origin: string, timeoutMs = 1000, path = '/hook') =>
  sendWebhook(target(origin, path), payload, { 'webhook-id': 'evt_1' }, { timeoutMs });

describe('webhooks: send', () => {
  let receiver: Receiver;
  afterEach(() => receiver?.close());

  it('POSTs the JSON with its headers and returns status, body and duration', async () => {
    receiver = await startReceiver(status(202, { 'content-type': 'text/plain' }, 'thanks'));
    const result = await send(receiver.origin);
    assert.deepEqual({ ...result, durationMs: 0 }, { status: 202, body: 'thanks', error: null, durationMs: 0 });
    assert.ok(result.durationMs >= 0 && result.durationMs < 1000);
    const [req] = receiver.received;
    assert.equal(req.path, '/hook');
    assert.equal(req.body, payload);
    assert.equal(req.headers['content-type'], 'application/json');
    assert.equal(req.headers['user-agent'], 'CloudAPI-Webhooks/1');
    assert.equal(req.headers['webhook-id'], 'evt_1');
  });

  it('connects to the checked address whatever the host name says (no second DNS answer)', async () => {
    receiver = await startReceiver();
    const port = new URL(receiver.origin).port;
    const result = await sendWebhook(
      { url: new URL(`http://rebind.invalid:${port}/x`), addresses: ['127.0.0.1'] },
      payload,
      {},
      { timeoutMs: 1000 },
    );
    assert.equal(result.status, 200);
    assert.equal(receiver.received[0].headers.host, `rebind.invalid:${port}`);
  });

  it('a redirect is not followed: the 3xx is the answer, with its error', async () => {
    receiver = await startReceiver((res, _n, path) =>
      path === '/hook' ? res.writeHead(307, { location: '/elsewhere' }).end() : res.writeHead(200).end(),
    );
    const result = await send(receiver.origin);
    assert.equal(result.status, 307);
    assert.equal(result.error, 'redirect not followed');
    assert.equal(receiver.received.length, 1);
  });

  it('Retry-After is read on 429 and 503 only', async () => {
    receiver = await startReceiver((res, n) => res.writeHead([429, 503, 500][n], { 'retry-after': '42' }).end());
    assert.equal((await send(receiver.origin)).retryAfterSeconds, 42);
    assert.equal((await send(receiver.origin)).retryAfterSeconds, 42);
    assert.equal((await send(receiver.origin)).retryAfterSeconds, undefined);
  });

  it('only the first kilobyte of the body is kept', async () => {
    receiver = await startReceiver(status(500, {}, 'é'.repeat(2000)));
    const result = await send(receiver.origin);
    assert.equal(result.status, 500);
    assert.ok(result.body!.length <= 1024 && result.body!.startsWith('éé'));
    assert.equal(Buffer.byteLength(result.body!), 1024);
  });

  describe('receivers that misbehave', () => {
    let server: Server;
    const sockets = new Set<Socket>();
    const start = async (handler: Parameters<typeof createServer>[1]) => {
      server = createServer(handler);
      server.on('connection', (s) => (sockets.add(s), s.on('close', () => sockets.delete(s))));
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    };
    afterEach(async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    });

    it('no answer within the timeout: error timeout, no status', async () => {
      const origin = await start(() => {});
      const result = await send(origin, 100);
      assert.deepEqual([result.status, result.error], [null, 'timeout']);
      assert.ok(result.durationMs >= 90 && result.durationMs < 500, `${result.durationMs} ms`);
    });

    it('an endless body does not hang: the read stops at a kilobyte and the socket is closed', async () => {
      let closed!: Promise<void>;
      const origin = await start((req, res) => {
        closed = new Promise((r) => res.on('close', () => r()));
        res.writeHead(200);
        const chunk = Buffer.alloc(64 * 1024, 'a');
        const pump = () => {
          while (res.write(chunk));
        };
        res.on('drain', pump);
        pump();
      });
      const result = await send(origin, 2000);
      assert.equal(result.status, 200);
      assert.equal(result.body!.length, 1024);
      assert.ok(result.durationMs < 1000);
      await closed;
    });

    it('a status then a stalled body: the status counts, the body is what came by the deadline', async () => {
      const origin = await start((req, res) => {
        res.writeHead(200);
        res.write('partial');
      });
      const result = await send(origin, 150);
      assert.deepEqual([result.status, result.body, result.error], [200, 'partial', null]);
    });

    it('a refused connection is a network error', async () => {
      const origin = await start(() => {});
      await new Promise((r) => server.close(r));
      server = createServer().listen(0);
      const result = await send(origin, 1000);
      assert.equal(result.status, null);
      assert.match(result.error!, /ECONNREFUSED/);
    });
  });
});
