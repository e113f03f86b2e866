import assert from 'node:assert/strict';
import { engines, withStore } from './engines';

for (const engine of engines) {
  describe(`store engines: usage, idempotency, rate limits (${engine.name})`, () => {
    const s = withStore(engine);
    const counter = (minute: number, statusClass: string, count: number, principalId = 'key_a', operationId = 'listProjects') => ({
      workspaceId: 'ws_1',
      principalId,
      operationId,
      statusClass,
      minute,
      count,
    });
    const window = { workspaceId: 'ws_1', fromMinute: 100, toMinute: 220 };

    it('usage: batches add up, also when flushed concurrently; totals, buckets and groups', async () => {
      const batch = [counter(100, '2xx', 5), counter(130, '4xx', 2), counter(179, '5xx', 1, 'key_b', 'getUsage')];
      await Promise.all([s.store.usage.add(batch), s.store.usage.add(batch)]);
      await s.store.usage.add([]);
      assert.deepEqual(await s.store.usage.totals(window), { requests: 16, errors: 6 });
      assert.deepEqual(await s.store.usage.buckets(window, 60), [
        { index: 0, requests: 14, errors: 4 },
        { index: 1, requests: 2, errors: 2 },
      ]);
      assert.deepEqual(await s.store.usage.groups(window, 'api_key'), [
        { key: 'key_a', requests: 14, errors: 4 },
        { key: 'key_b', requests: 2, errors: 2 },
      ]);
      assert.deepEqual(await s.store.usage.totals({ ...window, workspaceId: 'ws_2' }), { requests: 0, errors: 0 });
    });

    it('idempotency: a saved record is found until it expires; expired ones are purged by later saves', async () => {
      const record = { fingerprint: Buffer.alloc(32, 1), status: 201, headers: { Location: '/v1/projects/x' }, body: Buffer.from('sealed') };
      const id = Buffer.alloc(32, 9);
      await s.store.idempotency.save(id, record, '2026-01-01T00:00:00.000Z', '2026-01-02T00:00:00.000Z');
      assert.deepEqual(await s.store.idempotency.find(id, '2026-01-01T12:00:00.000Z'), record);
      assert.equal(await s.store.idempotency.find(id, '2026-01-02T00:00:00.000Z'), undefined);
      const other = Buffer.alloc(32, 8);
      await s.store.idempotency.save(other, { ...record, body: null }, '2026-01-03T00:00:00.000Z', '2026-01-04T00:00:00.000Z');
      assert.deepEqual(await s.store.idempotency.find(other, '2026-01-03T00:00:00.000Z'), { ...record, body: null });
      assert.equal(await s.store.idempotency.find(id, '2026-01-01T12:00:00.000Z'), undefined, 'purged');
    });

    it('rate limits: a bucket in the database admits exactly its limit of concurrent requests', async () => {
      const bucket = s.store.rateLimitBucket({ group: `g${Date.now()}`, limit: 10, window: 60 });
      const outcomes = await Promise.allSettled(Array.from({ length: 20 }, () => bucket.consume('caller')));
      assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 10);
    });
  });
}
