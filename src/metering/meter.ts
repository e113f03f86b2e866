import type { UsageCounter, UsageStore, Async } from '../store/ports';
import type { Logger } from '../logger';
import type { Around } from '../tracing/port';

export interface UsageEvent {
  workspaceId: string;
  /** API key id, or user id for bearer-token requests. */
  principalId: string;
  operationId: string;
  status: number;
}

/**
 * Counts requests in memory and writes the counts in one transaction per flush, so the hot path
 * never waits on the database. A crash loses at most one flush interval of counts.
 */
export interface Meter {
  record(event: UsageEvent): void;
  /** Writes the pending counts; a failed write keeps them for the next flush. */
  flush(): Promise<void>;
  /** Starts the periodic flush (not started by construction: no timers at import or build time). */
  start(): void;
  /** Stops the timer and flushes what is pending. */
  stop(): Promise<void>;
}

const statusClass = (status: number) => `${Math.floor(status / 100)}xx`;

export interface MeterOptions {
  flushIntervalMs: number;
  now?: () => number;
  /** Each flush that had counts to write: written, with the age of its oldest count then, or failed. */
  flushed?: (outcome: 'written' | 'failed', lagSeconds?: number) => void;
  /** Each write as a span (tracing on): off any request, a trace of its own. */
  around?: Around;
}

export function createMeter(store: Async<UsageStore>, logger: Logger, opts: MeterOptions): Meter {
  const now = opts.now ?? Date.now;
  let pending = new Map<string, UsageCounter>();
  /** When the oldest count not yet written was recorded. */
  let oldestAt: number | undefined;
  let timer: NodeJS.Timeout | undefined;

  const flush = async () => {
    if (pending.size === 0) return;
    const batch = [...pending.values()];
    const batchOldestAt = oldestAt ?? now();
    pending = new Map();
    oldestAt = undefined;
    try {
      await (opts.around ? opts.around('usage flush', () => store.add(batch), { 'cloud_api.usage.counters': batch.length }) : store.add(batch));
      opts.flushed?.('written', Math.max(0, now() - batchOldestAt) / 1000);
    } catch (err) {
      opts.flushed?.('failed');
      // The batch's counts are older than any recorded since.
      oldestAt = batchOldestAt;
      // Put the counts back so the next flush retries them.
      for (const c of batch) {
        const key = keyOf(c);
        const existing = pending.get(key);
        if (existing) existing.count += c.count;
        else pending.set(key, c);
      }
      logger.error('usage flush failed; will retry', { error: (err as Error).message, counters: batch.length });
    }
  };

  return {
    record(e) {
      oldestAt ??= now();
      const c: UsageCounter = {
        workspaceId: e.workspaceId,
        principalId: e.principalId,
        operationId: e.operationId,
        statusClass: statusClass(e.status),
        minute: Math.floor(now() / 60_000),
        count: 1,
      };
      const key = keyOf(c);
      const existing = pending.get(key);
      if (existing) existing.count += 1;
      else pending.set(key, c);
    },
    flush,
    start() {
      if (timer) return;
      timer = setInterval(() => void flush(), opts.flushIntervalMs);
      timer.unref();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      return flush();
    },
  };
}

function keyOf(c: UsageCounter): string {
  return `${c.workspaceId}\0${c.principalId}\0${c.operationId}\0${c.statusClass}\0${c.minute}`;
}
