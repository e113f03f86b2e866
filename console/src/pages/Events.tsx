// Events: what changed in the workspace, filtered by type and date, each payload as formatted JSON.
import type { Event, ListEventsQuery, Page as ApiPage } from '@cloud-api/sdk';
import { useEffect, useState } from 'preact/hooks';
import type { Session } from '../session';
import { ErrorText, useAction, useLatest, when } from '../ui';
import { EVENT_TYPES } from './Webhooks';

/** Each family once (`project.*`), then each type. */
const FILTERS = [...new Set(Object.keys(EVENT_TYPES).filter((t) => t.includes('.')).map((t) => `${t.split('.')[0]}.*`)), ...Object.keys(EVENT_TYPES)];

/** A date input's value (a day) as the instant that day starts or ends, in UTC. */
const dayStart = (day: string) => `${day}T00:00:00Z`;
const dayAfter = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().replace('.000Z', 'Z');

export function Events({ session }: { session: Session }) {
  const [type, setType] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [events, setEvents] = useState<Event[]>([]);
  const [page, setPage] = useState<ApiPage<Event>>();
  const action = useAction();
  const begin = useLatest();

  const load = () =>
    action.run(async () => {
      const current = begin();
      const query: ListEventsQuery = { limit: 25, ...(type && { type }), ...(from && { created_after: dayStart(from) }), ...(to && { created_before: dayAfter(to) }) };
      const first = await session.client.events.list(query).page();
      if (!current()) return;
      setPage(first);
      setEvents(first.data);
    });
  useEffect(() => void load(), []);
  const more = () =>
    action.run(async () => {
      const next = await page?.next();
      if (!next) return;
      setPage(next);
      setEvents((prev) => [...prev, ...next.data]);
    });

  return (
    <>
      <form class="row filters" onSubmit={(e) => (e.preventDefault(), void load())}>
        <label>
          Type{' '}
          <select value={type} onChange={(e) => setType(e.currentTarget.value)}>
            <option value="">All types</option>
            {FILTERS.map((t) => (
              <option key={t} value={t}>
                {t}
              </option>
            ))}
          </select>
        </label>
        <label>
          From{' '}
          <input type="date" value={from} onInput={(e) => setFrom(e.currentTarget.value)} />
        </label>
        <label>
          To{' '}
          <input type="date" value={to} onInput={(e) => setTo(e.currentTarget.value)} />
        </label>
        <button type="submit" disabled={action.busy}>
          Filter
        </button>
      </form>
      <ErrorText error={action.error} />
      {events.length === 0 && !action.busy && <p>No events match.</p>}
      <ul class="cards">
        {events.map((e) => (
          <li key={e.id} class="card">
            <details>
              <summary>
                <code>{e.type}</code> · {when(e.created)} · <span class="meta">{e.id}</span>
              </summary>
              <pre class="json">{JSON.stringify(e, null, 2)}</pre>
            </details>
          </li>
        ))}
      </ul>
      {page?.meta.has_more && (
        <button type="button" onClick={more} disabled={action.busy}>
          Load more
        </button>
      )}
    </>
  );
}
