import assert from 'node:assert/strict';
import { openStore, type Store } from '../../src/store/sqlite';
import type { UsageCounter } from '../../src/store/ports';

const DAY = 1440;
/** 2026-03-17T00:00Z in minutes since the epoch. */
const D0 = Date.UTC(2026, 2, 17) / 60_000;

const c = (minute: number, over: Partial<UsageCounter> = {}): UsageCounter => ({
  workspaceId: 'ws_a',
  principalId: 'usr_a',
  operationId: 'listProjects',
  statusClass: '2xx',
  minute,
  count: 1,
  ...over,
});

describe('store: usage (createUsageStore)', () => {
  let store: Store;
  beforeEach(() => {
    store = openStore(':memory:');
  });
  afterEach(() => store.close());

  it('add accumulates counts for the same key across batches', () => {
    store.usage.add([c(D0, { count: 2 }), c(D0 + 1)]);
    store.usage.add([c(D0, { count: 3 })]);
    assert.deepEqual(store.usage.totals({ workspaceId: 'ws_a', fromMinute: D0, toMinute: D0 + 1 }), { requests: 5, errors: 0 });
    assert.deepEqual(store.usage.totals({ workspaceId: 'ws_a', fromMinute: D0, toMinute: D0 + 2 }), { requests: 6, errors: 0 });
  });

  it('totals: the window is half-open [from, to), per workspace; 4xx and 5xx are errors', () => {
    store.usage.add([
      c(D0 - 1),
      c(D0, { statusClass: '4xx' }),
      c(D0 + 59, { statusClass: '5xx', count: 2 }),
      c(D0 + 60),
      c(D0, { workspaceId: 'ws_b', count: 100 }),
    ]);
    const w = (fromMinute: number, toMinute: number) => store.usage.totals({ workspaceId: 'ws_a', fromMinute, toMinute });
    assert.deepEqual(w(D0, D0 + 60), { requests: 3, errors: 3 });
    assert.deepEqual(w(D0 - 1, D0), { requests: 1, errors: 0 });
    assert.deepEqual(w(D0 + 60, D0 + 61), { requests: 1, errors: 0 });
    assert.deepEqual(w(D0 + 61, D0 + 100), { requests: 0, errors: 0 });
  });

  it('buckets: integer indexes from the window start, for counts anywhere inside a bucket', () => {
    store.usage.add([c(D0), c(D0 + 59), c(D0 + 60, { statusClass: '4xx' }), c(D0 + 23 * 60 + 59, { count: 4 }), c(D0 + DAY)]);
    const window = { workspaceId: 'ws_a', fromMinute: D0, toMinute: D0 + DAY };
    assert.deepEqual(store.usage.buckets(window, 60), [
      { index: 0, requests: 2, errors: 0 },
      { index: 1, requests: 1, errors: 1 },
      { index: 23, requests: 4, errors: 0 },
    ]);
    assert.deepEqual(store.usage.buckets({ ...window, toMinute: D0 + 2 * DAY }, DAY), [
      { index: 0, requests: 7, errors: 1 },
      { index: 1, requests: 1, errors: 0 },
    ]);
    // A window that starts mid-hour: buckets count from its start.
    assert.deepEqual(store.usage.buckets({ ...window, fromMinute: D0 + 30 }, 60), [
      { index: 0, requests: 2, errors: 1 },
      { index: 23, requests: 4, errors: 0 },
    ]);
  });

  it('groups: by operation, principal or status class, largest first then by key', () => {
    store.usage.add([
      c(D0, { operationId: 'getProject', count: 2 }),
      c(D0, { operationId: 'createProject', principalId: 'key_b', statusClass: '4xx', count: 2 }),
      c(D0, { count: 5 }),
    ]);
    const window = { workspaceId: 'ws_a', fromMinute: D0, toMinute: D0 + 1 };
    assert.deepEqual(store.usage.groups(window, 'operation'), [
      { key: 'listProjects', requests: 5, errors: 0 },
      { key: 'createProject', requests: 2, errors: 2 },
      { key: 'getProject', requests: 2, errors: 0 },
    ]);
    assert.deepEqual(store.usage.groups(window, 'api_key'), [
      { key: 'usr_a', requests: 7, errors: 0 },
      { key: 'key_b', requests: 2, errors: 2 },
    ]);
    assert.deepEqual(store.usage.groups(window, 'status_class'), [
      { key: '2xx', requests: 7, errors: 0 },
      { key: '4xx', requests: 2, errors: 2 },
    ]);
  });
});
