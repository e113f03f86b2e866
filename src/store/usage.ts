import type { Db } from './db';

export interface UsageCounter {
  workspaceId: string;
  principalId: string;
  operationId: string;
  /** `2xx`, `4xx`, ... */
  statusClass: string;
  /** Minutes since the Unix epoch. */
  minute: number;
  count: number;
}

export interface UsageTotals {
  requests: number;
  errors: number;
}

export type UsageGroupBy = 'operation' | 'api_key' | 'status_class';

/** Half-open window [fromMinute, toMinute). */
export interface UsageWindow {
  workspaceId: string;
  fromMinute: number;
  toMinute: number;
}

export interface UsageStore {
  /** Adds the counts in one transaction. */
  add(counters: UsageCounter[]): void;
  totals(window: UsageWindow): UsageTotals;
  /** Non-empty buckets of `size` minutes counted from the window start, by index. */
  buckets(window: UsageWindow, size: number): (UsageTotals & { index: number })[];
  groups(window: UsageWindow, by: UsageGroupBy): (UsageTotals & { key: string })[];
}

export const GROUP_COLUMN: Record<UsageGroupBy, string> = {
  operation: 'operation_id',
  api_key: 'principal_id',
  status_class: 'status_class',
};

// An error is any response with status 400 or above.
const SUMS = "coalesce(sum(count), 0) AS requests, coalesce(sum(CASE WHEN status_class >= '4xx' THEN count END), 0) AS errors";
const WINDOW = 'workspace_id = @workspaceId AND minute >= @fromMinute AND minute < @toMinute';

export function createUsageStore(db: Db): UsageStore {
  const upsert = db.prepare(`INSERT INTO usage_counters
      (workspace_id, minute, principal_id, operation_id, status_class, count)
    VALUES (@workspaceId, @minute, @principalId, @operationId, @statusClass, @count)
    ON CONFLICT (workspace_id, minute, principal_id, operation_id, status_class)
    DO UPDATE SET count = count + excluded.count`);
  const addAll = db.transaction((counters: UsageCounter[]) => {
    for (const c of counters) upsert.run(c);
  });
  const totals = db.prepare(`SELECT ${SUMS} FROM usage_counters WHERE ${WINDOW}`);
  // better-sqlite3 binds JS numbers as REAL: cast, or the division is not an integer division.
  const buckets = db.prepare(`SELECT (minute - CAST(@fromMinute AS INTEGER)) / CAST(@size AS INTEGER) AS "index", ${SUMS}
    FROM usage_counters WHERE ${WINDOW} GROUP BY 1 ORDER BY 1`);
  const groups = Object.fromEntries(
    Object.entries(GROUP_COLUMN).map(([by, column]) => [
      by,
      db.prepare(`SELECT ${column} AS key, ${SUMS} FROM usage_counters WHERE ${WINDOW}
        GROUP BY ${column} ORDER BY requests DESC, key`),
    ]),
  ) as Record<UsageGroupBy, ReturnType<Db['prepare']>>;

  return {
    add: (counters) => addAll(counters),
    totals: (w) => totals.get(w) as UsageTotals,
    buckets: (w, size) => buckets.all({ ...w, size }) as (UsageTotals & { index: number })[],
    groups: (w, by) => groups[by].all(w) as (UsageTotals & { key: string })[],
  };
}
