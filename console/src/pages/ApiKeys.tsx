// API keys: create (a name and scopes; the key shown once), rotate with a grace period (the new
// key shown once), revoke with confirmation.
import type { Scope } from '@cloud-api/sdk';
import { useEffect, useState } from 'preact/hooks';
import type { Session } from '../session';
import { PagedItems, usePagedList } from '../list';
import { ActionForm, Confirm, SecretOnce, Select, when } from '../ui';

/** Every scope of the contract: `satisfies` makes a scope added to the contract a compile error here until it is described. */
const SCOPES = {
  'projects:read': 'list and read projects',
  'projects:write': 'create, change and delete projects',
  'usage:read': 'read usage',
  'keys:write': 'create, rotate and revoke API keys',
  'webhooks:read': 'read webhook endpoints, deliveries and events',
  'webhooks:write': 'manage webhook endpoints',
  'members:read': 'list members and pending invitations',
  'members:write': 'invite, change roles and remove members',
} satisfies Record<Scope, string>;

/** Grace periods for the old key of a rotation, in seconds. */
const GRACE = [
  { value: 0, label: 'none: the old key stops now' },
  { value: 3600, label: '1 hour' },
  { value: 86_400, label: '24 hours' },
  { value: 604_800, label: '7 days' },
];

export function ApiKeys({ session }: { session: Session }) {
  const { client } = session;
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<{ label: string; value: string }>();
  const list = usePagedList(() => client.apiKeys.list({ limit: 50 }), (k) => k.id);
  useEffect(() => void list.load(), []);

  return (
    <>
      {secret && <SecretOnce label={secret.label} value={secret.value} onDone={() => setSecret(undefined)} />}
      {creating ? (
        <CreateKey
          session={session}
          onCancel={() => setCreating(false)}
          onCreated={(name, key) => {
            setCreating(false);
            setSecret({ label: `Your new API key “${name}”`, value: key });
            void list.load();
          }}
        />
      ) : (
        <button type="button" onClick={() => setCreating(true)}>
          Create API key
        </button>
      )}
      <section aria-labelledby="key-list">
        <h2 id="key-list">Keys of this workspace</h2>
        <PagedItems list={list} empty="No API keys yet.">
          {(k) => (
            <li key={k.id} class="card">
              <h3>{k.name}</h3>
              <p class="meta">
                <code>
                  {k.prefix}…{k.last4}
                </code>{' '}
                · created {when(k.created_at)} · last used {when(k.last_used_at)}
                {k.expires_at && <> · expires {when(k.expires_at)}</>}
              </p>
              <p>Scopes: {k.scopes.join(', ')}</p>
              <div class="row">
                <Rotate
                  keyName={k.name}
                  onRotate={(grace) =>
                    list.act(async () => {
                      const rotated = await client.apiKeys.rotate(k.id, { grace_period_seconds: grace });
                      setSecret({ label: `The new key of “${k.name}”`, value: rotated.key });
                    })
                  }
                />
                <Confirm label="Revoke" question={`Revoke the key ${k.name}? Requests with it fail from now on.`} confirmLabel="Revoke key" onConfirm={() => list.remove(k, () => client.apiKeys.delete(k.id))} />
              </div>
            </li>
          )}
        </PagedItems>
      </section>
    </>
  );
}

function Rotate({ keyName, onRotate }: { keyName: string; onRotate: (graceSeconds: number) => Promise<unknown> }) {
  const [grace, setGrace] = useState(86_400);
  return (
    <Confirm label="Rotate" question={`Rotate the key ${keyName}? A new key is made; the old one keeps working for the grace period.`} confirmLabel="Rotate key" onConfirm={() => onRotate(grace)}>
      <Select label="Grace period for the old key" value={grace} options={GRACE} onChange={setGrace} />
    </Confirm>
  );
}

function CreateKey({ session, onCancel, onCreated }: { session: Session; onCancel: () => void; onCreated: (name: string, key: string) => void }) {
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Scope[]>([]);
  const held = new Set<string>(session.me.scopes);
  return (
    <ActionForm
      id="create-key"
      title="Create an API key"
      submit="Create"
      onCancel={onCancel}
      onSubmit={async () => {
        const created = await session.client.apiKeys.create({ name: name.trim(), scopes });
        onCreated(created.name, created.key);
      }}
    >
      <label for="key-name">Name</label>
      <input id="key-name" required maxLength={100} value={name} onInput={(e) => setName(e.currentTarget.value)} />
      <fieldset>
        <legend>Scopes</legend>
        {(Object.keys(SCOPES) as Scope[]).map((scope) => (
          <div key={scope} class="check">
            <input
              type="checkbox"
              id={`scope-${scope}`}
              checked={scopes.includes(scope)}
              disabled={!held.has(scope)}
              aria-describedby={`scope-${scope}-help`}
              onChange={(e) => setScopes((s) => (e.currentTarget.checked ? [...s, scope] : s.filter((x) => x !== scope)))}
            />
            <label for={`scope-${scope}`}>{scope}</label>
            <span id={`scope-${scope}-help`} class="meta">
              {SCOPES[scope]}
              {!held.has(scope) && ' (you do not hold it, so you cannot give it)'}
            </span>
          </div>
        ))}
      </fieldset>
    </ActionForm>
  );
}
