// Webhook endpoints: create with an event picker (the whsec_ secret shown once), enable or
// disable, rotate the secret, send a test event, delete; and per endpoint its deliveries.
import type { EventType, WebhookEndpoint } from '@cloud-api/sdk';
import { useEffect, useState } from 'preact/hooks';
import type { Session } from '../session';
import { PagedItems, usePagedList } from '../list';
import { ActionForm, Confirm, SecretOnce, when } from '../ui';
import { Deliveries } from './Deliveries';

/** Every event type of the contract: `satisfies` makes a new one a compile error here until it is listed. */
export const EVENT_TYPES = {
  'project.created': 'a project was created',
  'project.updated': 'a project was changed',
  'project.deleted': 'a project was deleted',
  'api_key.created': 'an API key was created',
  'api_key.rotated': 'an API key was rotated',
  'api_key.revoked': 'an API key was revoked',
  'webhook_endpoint.created': 'a webhook endpoint was created',
  'webhook_endpoint.updated': 'a webhook endpoint was changed',
  'webhook_endpoint.deleted': 'a webhook endpoint was deleted',
  'webhook_endpoint.disabled': 'a webhook endpoint was disabled',
  ping: 'a test event (Send test event)',
  'member.added': 'a user joined the workspace',
  'member.updated': "a member's role was changed",
  'member.removed': 'a member was removed or left',
  'invitation.created': 'an invitation was created',
  'invitation.accepted': 'an invitation was accepted',
  'invitation.revoked': 'an invitation was revoked',
} satisfies Record<EventType, string>;

export function Webhooks({ session }: { session: Session }) {
  const { client } = session;
  const [secret, setSecret] = useState<{ label: string; value: string }>();
  const [open, setOpen] = useState<string>();
  const list = usePagedList(() => client.webhookEndpoints.list({ limit: 50 }), (e) => e.id);
  useEffect(() => void list.load(), []);

  return (
    <>
      {secret && <SecretOnce label={secret.label} value={secret.value} onDone={() => setSecret(undefined)} />}
      <CreateEndpoint session={session} onCreated={(e) => (setSecret({ label: `Signing secret of ${e.url}`, value: e.secret }), void list.load())} />
      <section aria-labelledby="endpoint-list">
        <h2 id="endpoint-list">Endpoints</h2>
        <PagedItems list={list} empty="No webhook endpoints yet.">
          {(e) => (
            <li key={e.id} class="card" aria-label={`Endpoint ${e.url}`}>
              <h3 class="url">{e.url}</h3>
              <p class="meta">
                <span class={`badge ${e.status}`}>{e.status}</span>
                {e.disabled_reason && ` (${e.disabled_reason})`} · events: {e.enabled_events.join(', ')} · created {when(e.created_at)}
              </p>
              {e.description && <p>{e.description}</p>}
              <div class="row">
                <button type="button" class="secondary" onClick={() => list.act(() => client.webhookEndpoints.update(e.id, { status: e.status === 'enabled' ? 'disabled' : 'enabled' }), `Endpoint ${e.status === 'enabled' ? 'disabled' : 'enabled'}.`)}>
                  {e.status === 'enabled' ? 'Disable' : 'Enable'}
                </button>
                <button type="button" class="secondary" onClick={() => list.act(() => client.webhookEndpoints.test(e.id), 'Test event sent: see its delivery below.').then(() => setOpen(e.id))}>
                  Send test event
                </button>
                <button type="button" class="secondary" aria-expanded={open === e.id} onClick={() => setOpen(open === e.id ? undefined : e.id)}>
                  Deliveries
                </button>
                <Confirm
                  label="Rotate secret"
                  question="Rotate the signing secret? Deliveries carry signatures with both secrets for 24 hours."
                  confirmLabel="Rotate secret now"
                  onConfirm={() =>
                    list.run(async () => {
                      const rotated = await client.webhookEndpoints.rotateSecret(e.id);
                      setSecret({ label: `New signing secret of ${e.url}`, value: rotated.secret });
                    })
                  }
                />
                <Confirm label="Delete" question={`Delete the endpoint ${e.url}? Its pending deliveries are dropped.`} confirmLabel="Delete endpoint" onConfirm={() => list.remove(e, () => client.webhookEndpoints.delete(e.id), 'Endpoint deleted.')} />
              </div>
              {open === e.id && <Deliveries session={session} endpoint={e} />}
            </li>
          )}
        </PagedItems>
      </section>
    </>
  );
}

function CreateEndpoint({ session, onCreated }: { session: Session; onCreated: (e: WebhookEndpoint & { secret: string }) => void }) {
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [all, setAll] = useState(true);
  const [types, setTypes] = useState<EventType[]>([]);
  return (
    <ActionForm
      id="create-endpoint"
      title="Add an endpoint"
      submit="Add endpoint"
      disabled={!all && types.length === 0}
      onSubmit={async () => {
        const created = await session.client.webhookEndpoints.create({ url: url.trim(), enabled_events: all ? ['*'] : types, ...(description.trim() && { description: description.trim() }) });
        setUrl('');
        setDescription('');
        onCreated(created);
      }}
    >
      <label for="endpoint-url">Endpoint URL</label>
      <input id="endpoint-url" type="url" required placeholder="https://example.com/webhooks" value={url} onInput={(e) => setUrl(e.currentTarget.value)} />
      <label for="endpoint-description">Description (optional)</label>
      <input id="endpoint-description" value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
      <fieldset>
        <legend>Events to send</legend>
        <div class="check">
          <input type="checkbox" id="event-all" checked={all} onChange={(e) => setAll(e.currentTarget.checked)} />
          <label for="event-all">All events (*), including types added later</label>
        </div>
        {(Object.keys(EVENT_TYPES) as EventType[]).map((t) => (
          <div key={t} class="check">
            <input type="checkbox" id={`event-${t}`} disabled={all} checked={all || types.includes(t)} onChange={(e) => setTypes((s) => (e.currentTarget.checked ? [...s, t] : s.filter((x) => x !== t)))} />
            <label for={`event-${t}`}>{t}</label>
            <span class="meta">{EVENT_TYPES[t]}</span>
          </div>
        ))}
      </fieldset>
    </ActionForm>
  );
}
