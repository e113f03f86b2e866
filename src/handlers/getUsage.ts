import { defineHandler, requirePrincipal } from '../pipeline/handler';
import type { UsageTotals } from '../store/ports';
import { errors } from '../errors';
import { parseInstant } from '../http/instants';

const MINUTE_MS = 60_000;
const BUCKET_MINUTES = { hour: 60, day: 1440 } as const;
const MAX_WINDOW_DAYS = { hour: 31, day: 366 } as const;

/** Minutes since the epoch, rounded down. */
const minuteOf = (value: string, param: 'from' | 'to') => Math.floor(parseInstant(value, `/query/${param}`) / MINUTE_MS);

const counts = (t: UsageTotals) => ({
  requests: t.requests,
  errors: t.errors,
  error_rate: t.requests === 0 ? 0 : t.errors / t.requests,
});

const iso = (minute: number) => new Date(minute * MINUTE_MS).toISOString();

export const getUsage = defineHandler('getUsage', ['store'], async (req, { store }) => {
  const { workspaceId } = requirePrincipal(req);
  const { from, to, granularity = 'day', group_by } = req.query;
  const window = { workspaceId, fromMinute: minuteOf(from, 'from'), toMinute: minuteOf(to, 'to') };
  if (window.toMinute <= window.fromMinute) {
    throw errors.validationFailed([{ pointer: '/query/to', code: 'before_from', message: 'must be later than from' }]);
  }
  const size = BUCKET_MINUTES[granularity];
  if (window.toMinute - window.fromMinute > MAX_WINDOW_DAYS[granularity] * 1440) {
    throw errors.validationFailed([
      {
        pointer: '/query/to',
        code: 'window_too_long',
        message: `the window may span at most ${MAX_WINDOW_DAYS[granularity]} days with granularity=${granularity}`,
      },
    ]);
  }
  const [bucketed, totals, groups] = await Promise.all([
    store.usage.buckets(window, size),
    store.usage.totals(window),
    group_by ? store.usage.groups(window, group_by) : undefined,
  ]);
  const filled = new Map(bucketed.map((b) => [b.index, b]));
  const buckets = [];
  for (let index = 0, start = window.fromMinute; start < window.toMinute; index++, start += size) {
    buckets.push({
      start: iso(start),
      end: iso(Math.min(start + size, window.toMinute)),
      ...counts(filled.get(index) ?? { requests: 0, errors: 0 }),
    });
  }
  return {
    status: 200,
    body: {
      data: {
        from,
        to,
        ...counts(totals),
        granularity,
        buckets,
        ...(group_by && {
          group_by,
          groups: (groups ?? []).map((g) => ({ key: g.key, ...counts(g) })),
        }),
      },
    },
  };
});
