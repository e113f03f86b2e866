// Events: what changed in the workspace, filtered by type and date, each payload as formatted JSON.
import type { ListEventsQuery } from '@cloud-api/sdk';
import { useEffect, useState } from 'preact/hooks';
import type { Session } from '../session';
import { PagedItems, usePagedList } from '../list';
import { Select, when } from '../ui';
import { EVENT_TYPES } from './Webhooks';

/** All types, then each family once (`project.*`), then each type. */
const FILTERS = [
  { value: '', label: 'All types' },
  ...[...new Set(Object.keys(EVENT_TYPES).filter((t) => t.includes('.')).map((t) => `${t.split('.')[0]}.*`)), ...Object.keys(EVENT_TYPES)].map((t) => ({ value: t, label: t })),
];

/** A date input's value (a day) as the instant that day starts or ends, in UTC. */
const dayStart = (day: string) => `${day}T00:00:00Z`;
const dayAfter = (day: string) => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().replace('.000Z', 'Z');

export function Events({ session }: { session: Session }) {
  const [type, setType] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const list = usePagedList(() => {
    const query: ListEventsQuery = { limit: 25, ...(type && { type }), ...(from && { created_after: dayStart(from) }), ...(to && { created_before: dayAfter(to) }) };
    return session.client.events.list(query);
  }, (e) => e.id);
  useEffect(() => void list.load(), []);

  return (
    <>
      <form class="row filters" onSubmit={(e) => (e.preventDefault(), void list.load())}>
        <Select label="Type" value={type} options={FILTERS} onChange={setType} />
        <label>
          From{' '}
          <input type="date" value={from} onInput={(e) => setFrom(e.currentTarget.value)} />
        </label>
        <label>
          To{' '}
          <input type="date" value={to} onInput={(e) => setTo(e.currentTarget.value)} />
        </label>
        <button type="submit" disabled={list.busy}>
          Filter
        </button>
      </form>
      <PagedItems list={list} empty="No events match.">
        {(e) => (
          <li key={e.id} class="card">
            <details>
              <summary>
                <code>{e.type}</code> · {when(e.created)} · <span class="meta">{e.id}</span>
              </summary>
              <pre class="json">{JSON.stringify(e, null, 2)}</pre>
            </details>
          </li>
        )}
      </PagedItems>
    </>
  );
}
