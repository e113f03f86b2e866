import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLoadGauge } from '../../src/webhooks/loadGauge';

const spin = (ms: number) => {
  const end = performance.now() + ms;
  while (performance.now() < end);
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('webhooks: load gauge', () => {
  it('saturated while requests keep the event loop busy; not when the loop is busy without requests, nor when requests are few', async () => {
    const gauge = createLoadGauge();
    // Each request costs 20 ms of CPU: four clients in a loop keep the process saturated.
    const server = createServer((_req, res) => (spin(20), res.end('ok')));
    gauge.watch(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    try {
      let load = true;
      const client = async () => {
        while (load) await (await fetch(url)).text();
      };
      const clients = [client(), client(), client(), client()];
      await sleep(350);
      assert.equal(gauge.saturated(), true, 'requests queueing on a busy loop');
      load = false;
      await Promise.all(clients);

      await sleep(250);
      assert.equal(gauge.saturated(), false, 'idle');
      for (let i = 0; i < 20; i++) (spin(15), await sleep(0)); // busy with no request: a delivery backlog, say
      assert.equal(gauge.saturated(), false, 'busy without requests');
      for (let i = 0; i < 3; i++) (await (await fetch(url)).text(), await sleep(60));
      assert.equal(gauge.saturated(), false, 'a few requests on a mostly idle loop');
    } finally {
      gauge.stop();
      server.close();
    }
  });
});
