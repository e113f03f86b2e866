import assert from 'node:assert/strict';
import { createServer as createTcpServer, type AddressInfo, type Socket } from 'node:net';
import { createAgents } from '../../src/webhooks/agents';
import { sendWebhook } from '../../src/webhooks/send';
import { startReceiver, status, type Receiver } from './receiver';

const payload = JSON.stringify({ id: 'evt_1', type: 'ping' });
const target = (origin: string, addresses = ['127.0.0.1']) => ({ url: new URL(`${origin}/hook`), addresses });

describe('webhooks: keep-alive agents', () => {
  let receiver: Receiver | undefined;
  const agents = createAgents();
  afterEach(async () => {
    agents.close();
    await receiver?.close();
    receiver = undefined;
  });

  it('one agent per origin and checked addresses: a different address set never shares a pooled socket', () => {
    const a = agents.for(target('http://hooks.example:8080'));
    assert.equal(agents.for(target('http://hooks.example:8080')), a);
    assert.notEqual(agents.for(target('http://hooks.example:8080', ['127.0.0.2'])), a);
    assert.notEqual(agents.for(target('https://hooks.example:8080')), a);
  });

  it('sends through an agent reuse one connection when the answer was read to its end; a cut body closes it', async () => {
    receiver = await startReceiver(status(204));
    const connections = new Set<Socket>();
    receiver.server.on('connection', (socket: Socket) => connections.add(socket));
    const t = target(receiver.origin);
    for (let i = 0; i < 5; i++) {
      const r = await sendWebhook(t, payload, {}, { timeoutMs: 1000, agent: agents.for(t) });
      assert.equal(r.status, 204);
    }
    assert.equal(connections.size, 1, 'five deliveries, one connection');

    receiver.answer = (res) => res.writeHead(200).end('x'.repeat(64 * 1024));
    const big = await sendWebhook(t, payload, {}, { timeoutMs: 1000, agent: agents.for(t) });
    assert.equal(big.body?.length, 1024);
    const after = await sendWebhook(t, payload, {}, { timeoutMs: 1000, agent: agents.for(t) });
    assert.equal(after.status, 200);
    assert.equal(connections.size, 2, 'the body was not read to its end: that connection was not reused');
  });

  it('a pooled connection the receiver dropped is retried once on a new one', async () => {
    // A raw HTTP/1.1 server: answers the first request of each connection with keep-alive, then
    // resets that connection when a second request arrives on it, as a receiver closing idle
    // connections races with the next send.
    let connections = 0;
    let answered = 0;
    const server = createTcpServer((socket) => {
      connections++;
      let requests = 0;
      socket.on('data', () => {
        if (++requests > 1) return void socket.resetAndDestroy();
        answered++;
        socket.write('HTTP/1.1 204 No Content\r\nConnection: keep-alive\r\nKeep-Alive: timeout=30\r\n\r\n');
      });
      socket.on('error', () => {});
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const t = target(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
      const first = await sendWebhook(t, payload, {}, { timeoutMs: 1000, agent: agents.for(t) });
      const second = await sendWebhook(t, payload, {}, { timeoutMs: 1000, agent: agents.for(t) });
      assert.deepEqual([first.status, second.status, second.error], [204, 204, null]);
      assert.deepEqual([connections, answered], [2, 2]);
    } finally {
      server.close();
    }
  });
});
