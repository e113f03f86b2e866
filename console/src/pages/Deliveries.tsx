// One endpoint's deliveries: status, attempts, the last response code and an excerpt of its body;
// Retry one, or Recover every failed one since a time; a page at a time with `Load more`.
import type { WebhookEndpoint } from '@cloud-api/sdk';
import { useEffect, useState } from 'preact/hooks';
import type { Session } from '../session';
import { PagedItems, usePagedList } from '../list';
import { when } from '../ui';

const EXCERPT = 200;
const PAGE_SIZE = 25;

export function Deliveries({ session, endpoint }: { session: Session; endpoint: WebhookEndpoint }) {
  const { client } = session;
  const [since, setSince] = useState(() => new Date(Date.now() - 86_400_000).toISOString().slice(0, 16));
  const list = usePagedList(() => client.webhookEndpoints.listDeliveries(endpoint.id, { limit: PAGE_SIZE }), (d) => d.id);
  useEffect(() => void list.load(), [endpoint.id]);
  const headingId = `deliveries-${endpoint.id}`;

  return (
    <section class="deliveries" aria-labelledby={headingId}>
      <h4 id={headingId}>Deliveries to {endpoint.url}</h4>
      <div class="row">
        <button type="button" class="secondary" onClick={() => void list.load()} disabled={list.busy}>
          Refresh deliveries
        </button>
        <form
          class="row"
          onSubmit={(e) => {
            e.preventDefault();
            void list.act(
              () => client.webhookEndpoints.recover(endpoint.id, { since: new Date(since).toISOString() }),
              ({ requeued }) => `Recovery queued ${requeued} failed ${requeued === 1 ? 'delivery' : 'deliveries'} again.`,
            );
          }}
        >
          <label for={`since-${endpoint.id}`}>Failed since</label>
          <input id={`since-${endpoint.id}`} type="datetime-local" required value={since} onInput={(e) => setSince(e.currentTarget.value)} />
          <button type="submit" disabled={list.busy}>
            Recover
          </button>
        </form>
      </div>
      <PagedItems list={list} empty="No deliveries yet.">
        {(d) => {
          // The latest attempt, whatever order the list is in.
          const last = d.attempts.reduce<(typeof d.attempts)[number] | undefined>((a, b) => (a && a.attempt > b.attempt ? a : b), undefined);
          const excerpt = last?.response_body ?? last?.error ?? '';
          return (
            <li key={d.id} class="delivery" aria-label={`Delivery ${d.event_type} ${d.status}`}>
              <p>
                <span class={`badge ${d.status}`}>{d.status}</span> <code>{d.event_type}</code> · {d.attempt_count} {d.attempt_count === 1 ? 'attempt' : 'attempts'} · response{' '}
                <strong>{last?.response_status ?? 'none'}</strong> · {when(d.created_at)}
                {d.next_attempt_at && <> · next attempt {when(d.next_attempt_at)}</>}
              </p>
              {excerpt && <pre class="excerpt">{excerpt.length > EXCERPT ? `${excerpt.slice(0, EXCERPT)}…` : excerpt}</pre>}
              <button type="button" class="secondary" disabled={list.busy} onClick={() => list.act(() => client.webhookEndpoints.retryDelivery(endpoint.id, d.id), `Retry of the ${d.event_type} delivery queued.`)}>
                Retry
              </button>
            </li>
          );
        }}
      </PagedItems>
    </section>
  );
}
