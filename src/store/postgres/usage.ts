import type { Async, UsageStore, UsageTotals } from '../ports';
import { GROUP_COLUMN } from '../shared/usage';
import { query, type Queryable } from './db';

// An error is any response with status 400 or above.
const SUMS = "coalesce(sum(count), 0) AS requests, coalesce(sum(count) FILTER (WHERE status_class >= '4xx'), 0) AS errors";
const WINDOW = 'workspace_id = $1 AND minute >= $2 AND minute < $3';

export function createPgUsageStore(db: Queryable): Async<UsageStore> {
  return {
    async add(counters) {
      if (!counters.length) return;
      // One statement for the whole batch: atomic, and instances flushing the same counter at once
      // both add (the row lock orders them), so nothing is lost or counted twice. Rows go in key
      // order, so two instances' batches lock shared rows in the same order and cannot deadlock.
      const columns = ['workspaceId', 'minute', 'principalId', 'operationId', 'statusClass', 'count'] as const;
      const key = (c: (typeof counters)[number]) => [c.workspaceId, c.minute, c.principalId, c.operationId, c.statusClass].join('\0');
      counters = [...counters].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
      await query(db,
        `INSERT INTO usage_counters (workspace_id, minute, principal_id, operation_id, status_class, count)
         SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::bigint[])
         ON CONFLICT (workspace_id, minute, principal_id, operation_id, status_class)
         DO UPDATE SET count = usage_counters.count + excluded.count`,
        columns.map((c) => counters.map((counter) => counter[c])),
      );
    },
    totals: async (w) =>
      (await query(db, `SELECT ${SUMS} FROM usage_counters WHERE ${WINDOW}`, [w.workspaceId, w.fromMinute, w.toMinute]))
        .rows[0] as UsageTotals,
    buckets: async (w, size) =>
      (
        await query(db,
          `SELECT (minute - $2) / $4 AS "index", ${SUMS} FROM usage_counters WHERE ${WINDOW} GROUP BY 1 ORDER BY 1`,
          [w.workspaceId, w.fromMinute, w.toMinute, size],
        )
      ).rows,
    groups: async (w, by) =>
      (
        await query(db,
          `SELECT ${GROUP_COLUMN[by]} AS key, ${SUMS} FROM usage_counters WHERE ${WINDOW}
           GROUP BY ${GROUP_COLUMN[by]} ORDER BY requests DESC, key`,
          [w.workspaceId, w.fromMinute, w.toMinute],
        )
      ).rows,
  };
}
