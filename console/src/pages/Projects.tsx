// Projects: search by name, a page at a time with "Load more", create, edit under If-Match (a
// conflicting edit is a 412, said in words, with a reload), delete with confirmation.
import { isApiError } from '@cloud-api/sdk';
import { useEffect, useState } from 'preact/hooks';
import type { Session } from '../session';
import { PagedItems, usePagedList } from '../list';
import { ActionForm, Confirm, ErrorText, useAction, when } from '../ui';

const PAGE_SIZE = 20;

export function Projects({ session }: { session: Session }) {
  const { client } = session;
  const [search, setSearch] = useState('');
  const [editing, setEditing] = useState<string>();
  const list = usePagedList(() => client.projects.list({ limit: PAGE_SIZE, ...(search && { name: search }) }), (p) => p.id);
  useEffect(() => void list.load(), []);

  return (
    <>
      <CreateProject session={session} onCreated={list.load} />
      <section aria-labelledby="project-list">
        <h2 id="project-list">Your projects</h2>
        <form
          role="search"
          class="row"
          onSubmit={(e) => {
            e.preventDefault();
            void list.load();
          }}
        >
          <label for="project-search">Search by name</label>
          <input id="project-search" type="search" value={search} onInput={(e) => setSearch(e.currentTarget.value)} />
          <button type="submit">Search</button>
        </form>
        <PagedItems list={list} empty={`No projects${search ? ` matching “${search}”` : ''}.`}>
          {(p) =>
            editing === p.id ? (
              <EditProject key={p.id} session={session} id={p.id} onDone={() => (setEditing(undefined), list.load())} />
            ) : (
              <li key={p.id} class="card">
                <h3>{p.name}</h3>
                <p class="meta">
                  <code>{p.slug}</code> · created {when(p.created_at)}
                </p>
                {p.description && <p>{p.description}</p>}
                <div class="row">
                  <button type="button" class="secondary" onClick={() => setEditing(p.id)}>
                    Edit
                  </button>
                  <Confirm label="Delete" question={`Delete the project ${p.name}?`} confirmLabel="Delete project" onConfirm={() => list.remove(p, () => client.projects.delete(p.id))} />
                </div>
              </li>
            )
          }
        </PagedItems>
      </section>
    </>
  );
}

function CreateProject({ session, onCreated }: { session: Session; onCreated: () => void }) {
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  return (
    <ActionForm
      id="create-project"
      title="Create a project"
      submit="Create project"
      onSubmit={async () => {
        await session.client.projects.create({ name: name.trim(), ...(description.trim() && { description: description.trim() }) });
        setName('');
        setDescription('');
        onCreated();
      }}
    >
      <label for="project-name">Project name</label>
      <input id="project-name" required maxLength={100} value={name} onInput={(e) => setName(e.currentTarget.value)} />
      <label for="project-description">Description (optional)</label>
      <input id="project-description" value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
    </ActionForm>
  );
}

/** Edits the version read when the form opened: its ETag goes in If-Match, so a lost update is a 412. */
function EditProject({ session, id, onDone }: { session: Session; id: string; onDone: () => void }) {
  const [etag, setEtag] = useState<string>();
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [conflict, setConflict] = useState(false);
  const action = useAction();
  const read = () =>
    action.run(async () => {
      const { data, etag } = await session.client.projects.get(id);
      setEtag(etag);
      setName(data.name);
      setDescription(data.description ?? '');
      setConflict(false);
    });
  useEffect(() => void read(), [id]);
  return (
    <li class="card">
      <form
        class="stack"
        aria-label="Edit project"
        onSubmit={(e) => {
          e.preventDefault();
          void action.run(async () => {
            try {
              await session.client.projects.update(id, { name: name.trim(), description: description.trim() || null }, { ifMatch: etag });
              onDone();
            } catch (err) {
              setConflict(isApiError(err, 'precondition_failed'));
              throw err;
            }
          });
        }}
      >
        <label for={`edit-name-${id}`}>Project name</label>
        <input id={`edit-name-${id}`} required value={name} onInput={(e) => setName(e.currentTarget.value)} />
        <label for={`edit-description-${id}`}>Description</label>
        <input id={`edit-description-${id}`} value={description} onInput={(e) => setDescription(e.currentTarget.value)} />
        <ErrorText error={action.error} />
        <div class="row">
          {conflict && (
            <button type="button" onClick={read}>
              Reload the current version
            </button>
          )}
          <button type="submit" disabled={action.busy || !etag}>
            Save
          </button>
          <button type="button" class="secondary" onClick={onDone}>
            Cancel
          </button>
        </div>
      </form>
    </li>
  );
}
