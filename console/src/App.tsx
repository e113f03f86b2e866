// The shell: sign in, then the navigation and one page at a time, chosen by the URL's fragment
// (#/usage), so that Back, reload and links work without the server knowing the pages.
import type { ComponentType } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { PageProps, Session } from './session';
import { SignIn } from './pages/SignIn';
import { Projects } from './pages/Projects';
import { ApiKeys } from './pages/ApiKeys';
import { Usage } from './pages/Usage';
import { Webhooks } from './pages/Webhooks';
import { Events } from './pages/Events';
import { Members } from './pages/Members';
import { ErrorText, useAction } from './ui';

/** The pages, in navigation order: a page is one line here and its file in pages/. */
const PAGES: readonly { path: string; title: string; page: ComponentType<PageProps> }[] = [
  { path: 'projects', title: 'Projects', page: Projects },
  { path: 'api-keys', title: 'API keys', page: ApiKeys },
  { path: 'usage', title: 'Usage', page: Usage },
  { path: 'webhooks', title: 'Webhooks', page: Webhooks },
  { path: 'events', title: 'Events', page: Events },
  { path: 'members', title: 'Members', page: Members },
];

const current = () => PAGES.find((p) => location.hash === `#/${p.path}`) ?? PAGES[0];

export function App() {
  const [session, setSession] = useState<Session>();
  const [page, setPage] = useState(current);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    const onHash = () => setPage(current());
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  useEffect(() => {
    document.title = `${page.title} · Cloud API console`;
    // A new page: move focus to its heading, so keyboard and screen-reader users start there.
    if (session) heading.current?.focus();
  }, [page, session]);

  if (!session) return <SignIn onSignedIn={setSession} />;
  const Page = page.page;
  return (
    <div class="shell">
      <header class="top">
        <p class="brand">Cloud API console</p>
        <Account session={session} onChange={setSession} />
      </header>
      <nav aria-label="Console">
        <ul>
          {PAGES.map((p) => (
            <li key={p.path}>
              <a href={`#/${p.path}`} aria-current={p === page ? 'page' : undefined}>
                {p.title}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      <main>
        <h1 tabIndex={-1} ref={heading}>
          {page.title}
        </h1>
        <Page key={`${page.path}-${session.me.workspace.id}`} session={session} onSession={setSession} />
      </main>
    </div>
  );
}

/** Who is signed in, where; the workspace switcher when the user belongs to several; Sign out. */
function Account({ session, onChange }: { session: Session; onChange: (s: Session | undefined) => void }) {
  const { me } = session;
  const memberships = me.memberships ?? [];
  const action = useAction();
  return (
    <div class="account">
      <span>
        {me.user?.email} in <strong>{me.workspace.name}</strong>
      </span>
      {memberships.length > 1 && (
        <label>
          Workspace{' '}
          <select
            value={me.workspace.id}
            disabled={action.busy}
            onChange={(e) => {
              const id = (e.target as HTMLSelectElement).value;
              void action.run(async () => onChange(await session.switchTo(id)));
            }}
          >
            {memberships.map((m) => (
              <option key={m.workspace_id} value={m.workspace_id}>
                {m.workspace_name} ({m.role})
              </option>
            ))}
          </select>
        </label>
      )}
      <button
        type="button"
        class="secondary"
        onClick={async () => {
          await session.signOut();
          onChange(undefined);
        }}
      >
        Sign out
      </button>
      <ErrorText error={action.error} />
    </div>
  );
}
