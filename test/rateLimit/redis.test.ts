import assert from 'node:assert/strict';
import net from 'node:net';
import { REDIS_URL, redisRun } from '../support/redis';
import { createLimiter } from '../../src/http/rateLimit/limiter';
import type { RateLimitPolicy } from '../../src/contract/rateLimits';
import { createRateLimitRedis, redisBuckets } from '../../src/http/rateLimit/redisBuckets';
import { createLogger } from '../../src/logger';

const policy: RateLimitPolicy = { group: 'projects-write', limit: 10, window: 60, by: 'principal' };

/** A TCP proxy to Redis that the test can cut and restore, to play an outage. */
async function cuttableProxy(target: URL) {
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  let port = 0;
  const open = () =>
    new Promise<void>((resolve) => {
      server = net.createServer((client) => {
        const upstream = net.connect(Number(target.port || 6379), target.hostname);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('error', () => s.destroy());
          s.on('close', () => sockets.delete(s));
        }
        client.pipe(upstream).pipe(client);
      });
      server.listen(port, '127.0.0.1', () => {
        port = (server!.address() as net.AddressInfo).port;
        resolve();
      });
    });
  await open();
  return {
    url: () => `redis://127.0.0.1:${port}`,
    cut: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server!.close(() => resolve());
      }),
    restore: open,
  };
}

const until = async (check: () => boolean, what: string) => {
  for (let i = 0; i < 100 && !check(); i++) await new Promise((r) => setTimeout(r, 50));
  assert.ok(check(), what);
};

(REDIS_URL ? describe : describe.skip)('rate limits in Redis (REDIS_URL)', () => {
  const run = redisRun();
  const { prefix } = run;
  const lines: string[] = [];
  const logger = createLogger('info', (l) => lines.push(l));
  const client = (url = REDIS_URL!) => run.track(createRateLimitRedis(url, logger, { retryMs: 100 }));
  const clients = () => run.clients;
  after(() => run.cleanUp());

  it('two instances sharing Redis admit exactly L of 2L concurrent requests', async () => {
    const instances = [client(), client()].map((c) => createLimiter(redisBuckets(c, prefix)));
    await until(() => clients().every((c) => c.status === 'ready'), 'connected');
    const states = await Promise.all(Array.from({ length: 20 }, (_, i) => instances[i % 2].consume(policy, 'key_1')));
    assert.equal(states.filter((s) => s.allowed).length, 10);
    assert.deepEqual(states.filter((s) => s.allowed).map((s) => s.remaining).sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.ok(states.every((s) => s.resetMs > 0 && s.resetMs <= 60_000));
  });

  it('with Redis unreachable the instance keeps answering from its insurance limiter, logged once, and recovers', async () => {
    const proxy = await cuttableProxy(new URL(REDIS_URL!));
    const c = client(proxy.url());
    const limiter = createLimiter(redisBuckets(c, prefix));
    const other = createLimiter(redisBuckets(client(), prefix));
    await until(() => c.status === 'ready', 'connected through the proxy');
    assert.equal((await limiter.consume(policy, 'key_2')).remaining, 9);

    await proxy.cut();
    await until(() => c.status !== 'ready', 'the outage is noticed');
    const during = await Promise.all(Array.from({ length: 12 }, () => limiter.consume(policy, 'key_2')));
    assert.equal(during.filter((s) => s.allowed).length, 10, 'the insurance limiter enforces the same limit locally');
    assert.equal(lines.filter((l) => l.includes('redis unreachable')).length, 1);

    await proxy.restore();
    await until(() => c.status === 'ready', 'reconnected');
    // Back on the shared counter: what another instance counted meanwhile is seen again.
    await other.consume(policy, 'key_2');
    assert.equal((await limiter.consume(policy, 'key_2')).remaining, 7);
    assert.ok(lines.some((l) => l.includes('redis reachable again')));
    c.disconnect();
    await proxy.cut();
  });
});
