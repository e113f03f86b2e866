// Usage: requests and error rate over a range, hourly or daily, optionally grouped by operation,
// key or status class; the chart, and the same totals as text.
import type { Usage as UsageData, UsageQuery } from '@cloud-api/sdk';
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Session } from '../session';
import { UsageChart } from '../Chart';
import { ErrorText, Select, useAction, useLatest } from '../ui';

const RANGES = [
  { value: '24h', label: 'Last 24 hours', hours: 24 },
  { value: '7d', label: 'Last 7 days', hours: 7 * 24 },
  { value: '30d', label: 'Last 30 days', hours: 30 * 24 },
] as const;

type Granularity = NonNullable<UsageQuery['granularity']>;
type GroupBy = NonNullable<UsageQuery['group_by']> | '';

const GRANULARITIES: { value: Granularity; label: string }[] = [
  { value: 'hour', label: 'Hourly' },
  { value: 'day', label: 'Daily' },
];

const GROUPS: { value: GroupBy; label: string }[] = [
  { value: '', label: 'Nothing (totals only)' },
  { value: 'operation', label: 'Operation' },
  { value: 'api_key', label: 'API key' },
  { value: 'status_class', label: 'Status class' },
];

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** The window ending with the current hour (hourly) or today (daily), as the API's half-open [from, to). */
export function windowOf(hours: number, granularity: Granularity, now = Date.now()): { from: string; to: string } {
  const step = granularity === 'hour' ? HOUR : DAY;
  const end = Math.floor(now / step) * step + step;
  const start = end - Math.ceil((hours * HOUR) / step) * step;
  const iso = (t: number) => new Date(t).toISOString().replace('.000Z', 'Z');
  return { from: iso(start), to: iso(end) };
}

const percent = (rate: number) => `${(rate * 100).toFixed(rate > 0 && rate < 0.001 ? 2 : 1)}%`;

export function Usage({ session }: { session: Session }) {
  const [range, setRange] = useState<(typeof RANGES)[number]['value']>('24h');
  const [granularity, setGranularity] = useState<Granularity>('hour');
  const [groupBy, setGroupBy] = useState<GroupBy>('');
  const [usage, setUsage] = useState<UsageData>();
  const action = useAction();
  const begin = useLatest();
  const [keyNames, setKeyNames] = useState<Map<string, string>>(new Map());

  const load = () =>
    action.run(async () => {
      const current = begin();
      const hours = RANGES.find((r) => r.value === range)!.hours;
      const query: UsageQuery = { ...windowOf(hours, granularity), granularity, ...(groupBy && { group_by: groupBy }) };
      const answer = await session.client.usage.get(query);
      if (current()) setUsage(answer);
    });
  // Groups by API key are key ids (or a user's id, for signed-in requests): named where the key is known.
  useEffect(() => {
    if (groupBy !== 'api_key' || keyNames.size > 0 || !session.me.scopes.includes('keys:write')) return;
    void (async () => {
      const names = new Map<string, string>();
      for await (const k of session.client.apiKeys.list({ limit: 100 })) names.set(k.id, k.name);
      if (session.me.user) names.set(session.me.user.id, `${session.me.user.email} (signed in)`);
      setKeyNames(names);
    })().catch(() => undefined);
  }, [groupBy]);
  useEffect(() => void load(), [range, granularity, groupBy]);

  const series = useMemo(
    () =>
      usage && {
        times: usage.buckets.map((b) => Date.parse(b.start) / 1000),
        requests: usage.buckets.map((b) => b.requests),
        errorRate: usage.buckets.map((b) => b.error_rate * 100),
      },
    [usage],
  );
  const rangeLabel = RANGES.find((r) => r.value === range)!.label.toLowerCase();

  return (
    <>
      <form class="row filters" onSubmit={(e) => (e.preventDefault(), void load())}>
        <Select label="Range" value={range} options={RANGES} onChange={setRange} />
        <Select label="Buckets" value={granularity} options={GRANULARITIES} onChange={setGranularity} />
        <Select label="Group by" value={groupBy} options={GROUPS} onChange={setGroupBy} />
        <button type="submit" disabled={action.busy}>
          Refresh
        </button>
      </form>
      <ErrorText error={action.error} />
      {usage && series && (
        <>
          <UsageChart
            series={series}
            label={`Requests and error rate, ${rangeLabel}, ${granularity === 'hour' ? 'hourly' : 'daily'}: ${usage.requests} requests, ${usage.errors} errors (${percent(usage.error_rate)} error rate)`}
          />
          <section aria-labelledby="usage-totals">
            <h2 id="usage-totals">Totals</h2>
            <dl class="totals">
              <div>
                <dt>Requests</dt>
                <dd data-testid="usage-requests">{usage.requests}</dd>
              </div>
              <div>
                <dt>Errors</dt>
                <dd>{usage.errors}</dd>
              </div>
              <div>
                <dt>Error rate</dt>
                <dd>{percent(usage.error_rate)}</dd>
              </div>
            </dl>
            <p class="meta">
              From {new Date(usage.from).toLocaleString()} to {new Date(usage.to).toLocaleString()}. Counts are written about once a second.
            </p>
          </section>
          {usage.groups && (
            <section aria-labelledby="usage-groups">
              <h2 id="usage-groups">By {GROUPS.find((g) => g.value === usage.group_by)?.label ?? usage.group_by}</h2>
              {usage.groups.length === 0 ? (
                <p>No requests in this range.</p>
              ) : (
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{GROUPS.find((g) => g.value === usage.group_by)?.label ?? 'Group'}</th>
                      <th scope="col">Requests</th>
                      <th scope="col">Errors</th>
                      <th scope="col">Error rate</th>
                    </tr>
                  </thead>
                  <tbody>
                    {usage.groups.map((g) => (
                      <tr key={g.key}>
                        <th scope="row">
                          {keyNames.get(g.key) && <>{keyNames.get(g.key)} </>}
                          <code>{g.key}</code>
                        </th>
                        <td>{g.requests}</td>
                        <td>{g.errors}</td>
                        <td>{percent(g.error_rate)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </section>
          )}
        </>
      )}
    </>
  );
}
