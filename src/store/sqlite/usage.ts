import type { UsageCounter, UsageGroupBy, UsageStore, UsageTotals } from '../ports';
import { GROUP_COLUMN } from '../shared/usage';
import type { Db } from './db';

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
