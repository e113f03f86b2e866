import assert from 'node:assert/strict';
import { createMetrics } from '../../src/metrics/metrics';
import { createMeter } from '../../src/metering/meter';
import { createLogger } from '../../src/logger';
import type { Async, UsageStore } from '../../src/store/ports';
import { engines } from '../store/engines/engines';
import { harness, type Harness } from '../webhooks/workerHarness';
import { startReceiver, type Receiver } from '../webhooks/receiver';
import { parseSamples, total } from './prometheusText';

const T0 = Date.UTC(2026, 2, 17, 10, 22, 10);

describe('metrics: what the hooks outside the request path count', () => {
  it('usage flushes: a failed one is counted; the next written one reports the lag of the counts it carried over', async () => {
    const metrics = createMetrics();
    let now = T0;
    let failures = 1;
    const store: Async<UsageStore> = {
      add: async () => {
        if (failures-- > 0) throw new Error('database is locked');
      },
      totals: async () => ({ requests: 0, errors: 0 }),
      buckets: async () => [],
      groups: async () => [],
    };
    const meter = createMeter(store, createLogger('silent'), { flushIntervalMs: 1000, now: () => now, flushed: metrics.usageFlushed });
    meter.record({ workspaceId: 'ws_a', principalId: 'usr_a', operationId: 'getMe', status: 200 });
    now += 1000;
    await meter.flush();
    now += 29_000;
    meter.record({ workspaceId: 'ws_a', principalId: 'usr_a', operationId: 'getMe', status: 200 });
    await meter.flush();
    const samples = parseSamples(await metrics.registry.metrics());
    assert.equal(total(samples, 'usage_flushes_total', { outcome: 'failed' }), 1);
    assert.equal(total(samples, 'usage_flushes_total', { outcome: 'written' }), 1);
    assert.equal(total(samples, 'usage_flush_lag_seconds_sum'), 30, 'the oldest count waited 30 s for its write');
    assert.equal(total(samples, 'usage_flush_lag_seconds_bucket', { le: '10' }), 0);
    assert.equal(total(samples, 'usage_flush_lag_seconds_bucket', { le: '30' }), 1);
  });

  describe('webhook delivery attempts (the worker reports each outcome)', () => {
    let h: Harness;
    let receiver: Receiver;
    beforeEach(async () => {
      h = await harness(engines[0]);
      receiver = await startReceiver();
    });
    afterEach(async () => {
      await h.close();
      await receiver.close();
    });

    it('two attempts each: 500 then 200 is retrying then succeeded; 500 twice is retrying then failed', async () => {
      const metrics = createMetrics();
      receiver.answer = (res, n, path) => res.writeHead(path === '/hook' && n > 0 ? 200 : 500).end();
      const { endpoint: recovering } = await h.addEndpoint(`${receiver.origin}/hook`);
      const { endpoint: down } = await h.addEndpoint(`${receiver.origin}/down`);
      await h.emit();
      h.start({ retrySchedule: [0, 0.05] }, { attempted: metrics.webhookAttempted });
      await h.settled(recovering.id, 'succeeded');
      await h.settled(down.id, 'failed');
      const samples = parseSamples(await metrics.registry.metrics());
      assert.equal(total(samples, 'webhook_delivery_attempts_total', { outcome: 'retrying' }), 2);
      assert.equal(total(samples, 'webhook_delivery_attempts_total', { outcome: 'succeeded' }), 1);
      assert.equal(total(samples, 'webhook_delivery_attempts_total', { outcome: 'failed' }), 1);
    });
  });
});
