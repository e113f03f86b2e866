// API keys: create (a name and scopes; the key shown once), rotate with a grace period (the new
// key shown once), revoke with confirmation.
import type { ApiKey, Scope } from '@cloud-api/sdk';
import { useEffect, useState } from 'preact/hooks';
import type { Session } from '../session';
import { Confirm, ErrorText, SecretOnce, useAction, when } from '../ui';

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

const GRACE = [
  { seconds: 0, label: 'none: the old key stops now' },
  { seconds: 3600, label: '1 hour' },
  { seconds: 86_400, label: '24 hours' },
  { seconds: 604_800, label: '7 days' },
];

export function ApiKeys({ session }: { session: Session }) {
  const { client } = session;
  const [keys, setKeys] = useState<ApiKey[]>([]);
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<{ label: string; value: string }>();
  const list = useAction();
  const load = () =>
    list.run(async () => {
      const all: ApiKey[] = [];
      for await (const key of client.apiKeys.list({ limit: 100 })) all.push(key);
      setKeys(all);
    });
  useEffect(() => void load(), []);

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
            void load();
          }}
        />
      ) : (
        <button type="button" onClick={() => setCreating(true)}>
          Create API key
        </button>
      )}
      <section aria-labelledby="key-list">
        <h2 id="key-list">Keys of this workspace</h2>
        <ErrorText error={list.error} />
        {keys.length === 0 && !list.busy && <p>No API keys yet.</p>}
        <ul class="cards">
          {keys.map((k) => (
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
                    list.run(async () => {
                      const rotated = await client.apiKeys.rotate(k.id, { grace_period_seconds: grace });
                      setSecret({ label: `The new key of “${k.name}”`, value: rotated.key });
                      await load();
                    })
                  }
                />
                <Confirm label="Revoke" question={`Revoke the key ${k.name}? Requests with it fail from now on.`} confirmLabel="Revoke key" onConfirm={() => list.run(async () => (await client.apiKeys.delete(k.id), await load()))} />
              </div>
            </li>
          ))}
        </ul>
      </section>
    </>
  );
}

function Rotate({ keyName, onRotate }: { keyName: string; onRotate: (graceSeconds: number) => Promise<void> }) {
  const [grace, setGrace] = useState(86_400);
  const id = `grace-${keyName.replace(/\W+/g, '-')}`;
  return (
    <Confirm label="Rotate" question={`Rotate the key ${keyName}? A new key is made; the old one keeps working for the grace period.`} confirmLabel="Rotate key" onConfirm={() => onRotate(grace)}>
      <label for={id}>Grace period for the old key</label>
      <select id={id} value={grace} onChange={(e) => setGrace(Number(e.currentTarget.value))}>
        {GRACE.map((g) => (
          <option key={g.seconds} value={g.seconds}>
            {g.label}
          </option>
        ))}
      </select>
    </Confirm>
  );
}

function CreateKey({ session, onCancel, onCreated }: { session: Session; onCancel: () => void; onCreated: (name: string, key: string) => void }) {
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Scope[]>([]);
  const action = useAction();
  const held = new Set<string>(session.me.scopes);
  return (
    <section aria-labelledby="create-key">
      <h2 id="create-key">Create an API key</h2>
      <form
        class="stack"
        onSubmit={(e) => {
          e.preventDefault();
          void action.run(async () => {
            const created = await session.client.apiKeys.create({ name: name.trim(), scopes });
            onCreated(created.name, created.key);
          });
        }}
      >
        <label for="key-name">Name</label>
        <input id="key-name" required maxLength={100} value={name} onInput={(e) => setName(e.currentTarget.value)} autoFocus />
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
        <ErrorText error={action.error} />
        <div class="row">
          <button type="submit" disabled={action.busy}>
            Create
          </button>
          <button type="button" class="secondary" onClick={onCancel}>
            Cancel
          </button>
        </div>
      </form>
    </section>
  );
}
