import assert from 'node:assert/strict';
import { createMeter, type UsageEvent } from '../../src/metering/meter';
import { createLogger } from '../../src/logger';
import { openAsyncSqliteStore as openStore } from '../../src/store/sqlite/async';
import type { Async, UsageCounter, UsageStore } from '../../src/store/ports';

const MINUTE_MS = 60_000;
/** A fixed instant, 10 s into a minute. */
const T0 = Date.UTC(2026, 2, 17, 10, 22, 10);
const MINUTE = Math.floor(T0 / MINUTE_MS);

/** A usage store that records every batch it is given (copied), and can be told to fail. */
function recordingStore() {
  const batches: UsageCounter[][] = [];
  let failures = 0;
  const store: Async<UsageStore> = {
    async add(counters) {
      if (failures > 0) {
        failures--;
        throw new Error('database is locked');
      }
      batches.push(counters.map((c) => ({ ...c })));
    },
    totals: async () => ({ requests: 0, errors: 0 }),
    buckets: async () => [],
    groups: async () => [],
  };
  return { store, batches, failNext: (n = 1) => (failures = n) };
}

function logs() {
  const lines: string[] = [];
  return { logger: createLogger('debug', (l) => lines.push(l)), entries: () => lines.map((l) => JSON.parse(l)) };
}

const event = (over: Partial<UsageEvent> = {}): UsageEvent => ({
  workspaceId: 'ws_a',
  principalId: 'usr_a',
  operationId: 'listProjects',
  status: 200,
  ...over,
});

const counter = (over: Partial<UsageCounter>): UsageCounter => ({
  workspaceId: 'ws_a',
  principalId: 'usr_a',
  operationId: 'listProjects',
  statusClass: '2xx',
  minute: MINUTE,
  count: 1,
  ...over,
});

const byKey = (a: UsageCounter, b: UsageCounter) =>
  `${a.workspaceId}${a.principalId}${a.operationId}${a.statusClass}${a.minute}`.localeCompare(
    `${b.workspaceId}${b.principalId}${b.operationId}${b.statusClass}${b.minute}`,
  );

describe('metering: createMeter', () => {
  it('aggregates in memory: 1000 records of two kinds become two counters, written in one batch at flush', async () => {
    const { store, batches } = recordingStore();
    const meter = createMeter(store, logs().logger, { flushIntervalMs: 1000, now: () => T0 });
    for (let i = 0; i < 1000; i++) meter.record(event({ status: i % 4 === 0 ? 404 : 200 }));
    assert.equal(batches.length, 0, 'record never writes');
    await meter.flush();
    assert.equal(batches.length, 1);
    assert.deepEqual(batches[0].sort(byKey), [
      counter({ statusClass: '2xx', count: 750 }),
      counter({ statusClass: '4xx', count: 250 }),
    ]);
  });

  it('keys counters by workspace, principal, operation, status class and minute', async () => {
    const { store, batches } = recordingStore();
    let now = T0;
    const meter = createMeter(store, logs().logger, { flushIntervalMs: 1000, now: () => now });
    meter.record(event());
    meter.record(event({ status: 201 })); // same class as 200
    meter.record(event({ status: 204 }));
    meter.record(event({ workspaceId: 'ws_b' }));
    meter.record(event({ principalId: 'key_a' }));
    meter.record(event({ operationId: 'getProject' }));
    meter.record(event({ status: 400 }));
    meter.record(event({ status: 429 }));
    meter.record(event({ status: 500 }));
    meter.record(event({ status: 503 }));
    now = T0 + 49_999; // 10:22:59.999, still the same minute
    meter.record(event());
    now = T0 + 50_000; // 10:23:00.000, the next minute
    meter.record(event());
    await meter.flush();
    assert.deepEqual(
      batches[0].sort(byKey),
      [
        counter({ count: 4 }),
        counter({ minute: MINUTE + 1 }),
        counter({ workspaceId: 'ws_b' }),
        counter({ principalId: 'key_a' }),
        counter({ operationId: 'getProject' }),
        counter({ statusClass: '4xx', count: 2 }),
        counter({ statusClass: '5xx', count: 2 }),
      ].sort(byKey),
    );
  });

  it('flush with nothing pending writes nothing; a second flush does not repeat the first', async () => {
    const { store, batches } = recordingStore();
    const meter = createMeter(store, logs().logger, { flushIntervalMs: 1000, now: () => T0 });
    await meter.flush();
    assert.equal(batches.length, 0);
    meter.record(event());
    await meter.flush();
    await meter.flush();
    assert.equal(batches.length, 1);
    meter.record(event());
    await meter.flush();
    assert.deepEqual(batches, [[counter({})], [counter({})]]);
  });

  it('a failing store.add keeps the counts: they are logged, merged with newer ones and written by the next flush', async () => {
    const { store, batches, failNext } = recordingStore();
    const log = logs();
    const meter = createMeter(store, log.logger, { flushIntervalMs: 1000, now: () => T0 });
    for (let i = 0; i < 3; i++) meter.record(event());
    meter.record(event({ status: 500 }));
    failNext(2);
    await meter.flush(); // does not throw
    meter.record(event()); // arrives while the failed counts wait
    await meter.flush(); // does not throw // fails again
    assert.equal(batches.length, 0);
    const errors = log.entries().filter((e) => e.level === 'error');
    assert.equal(errors.length, 2);
    assert.equal(errors[0].msg, 'usage flush failed; will retry');
    assert.equal(errors[0].error, 'database is locked');

    await meter.flush();
    assert.equal(batches.length, 1);
    assert.deepEqual(batches[0].sort(byKey), [counter({ count: 4 }), counter({ statusClass: '5xx' })].sort(byKey));
    await meter.flush();
    assert.equal(batches.length, 1, 'written once, not again');
  });

  it('stop() flushes what is pending; start() flushes on its interval', async () => {
    const { store, batches } = recordingStore();
    const meter = createMeter(store, logs().logger, { flushIntervalMs: 50, now: () => T0 });
    meter.record(event());
    await meter.stop(); // never started: still flushes
    assert.equal(batches.length, 1);

    meter.start();
    meter.start(); // idempotent
    try {
      meter.record(event({ status: 404 }));
      for (let i = 0; i < 200 && batches.length < 2; i++) await new Promise((r) => setTimeout(r, 10));
      assert.deepEqual(batches[1], [counter({ statusClass: '4xx' })]);
    } finally {
      await meter.stop();
    }
    meter.record(event());
    await meter.stop();
    assert.equal(batches.length, 3);
  });

  it('with the real SQLite usage store: flushed counts add up and repeated flushes accumulate', async () => {
    const db = openStore(':memory:');
    try {
      const meter = createMeter(db.usage, logs().logger, { flushIntervalMs: 1000, now: () => T0 });
      for (let i = 0; i < 5; i++) meter.record(event());
      meter.record(event({ status: 404 }));
      await meter.flush();
      for (let i = 0; i < 2; i++) meter.record(event());
      await meter.flush();
      const window = { workspaceId: 'ws_a', fromMinute: MINUTE, toMinute: MINUTE + 1 };
      assert.deepEqual(await db.usage.totals(window), { requests: 8, errors: 1 });
      assert.deepEqual(await db.usage.totals({ ...window, workspaceId: 'ws_b' }), { requests: 0, errors: 0 });
      assert.deepEqual(await db.usage.groups(window, 'status_class'), [
        { key: '2xx', requests: 7, errors: 0 },
        { key: '4xx', requests: 1, errors: 1 },
      ]);
    } finally {
      await db.close();
    }
  });
});
