// The smoke scenario every generated client runs against a live server (npm run check:generators).
// Each client's smoke.ts implements Api with its generated, typed calls; this file only drives them.

export interface Page {
  ids: string[];
  nextCursor: string | null;
  hasMore: boolean;
}

export interface Api {
  /** Logs in and returns the access token; from then on every call sends it. */
  login(email: string, password: string): Promise<string>;
  createProject(name: string, idempotencyKey?: string): Promise<{ status: number; id: string; replayed: boolean }>;
  listProjects(name: string, limit: number, cursor?: string): Promise<Page>;
  /** A project that does not exist: the status and the typed error code of the answer. */
  getMissingProject(id: string): Promise<{ status: number; code: string | undefined }>;
}

export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

function setting(name: string): string {
  const value = process.env[name];
  check(value, `${name} is not set`);
  return value;
}

export const settings = {
  /** The deployment's origin, e.g. http://127.0.0.1:8080 (the API is under /v1). */
  url: setting('CLOUD_API_URL'),
  email: setting('CLOUD_API_EMAIL'),
  password: setting('CLOUD_API_PASSWORD'),
  /** Names this client's projects, so the three clients' page walks stay apart. */
  tag: setting('SMOKE_TAG'),
};

const PROJECTS = 7;
const PAGE = 3;
/** Listed by this name: a space, sub-delims and `:` reach the query as each client encodes them (`+` for a space). */
const label = () => `${settings.tag} Payments, O'Brien: API`;

export async function smoke(client: string, api: Api): Promise<void> {
  const token = await api.login(settings.email, settings.password);
  check(token.length > 20, 'login returned no access token');

  const key = `${settings.tag}-${Date.now()}`;
  const first = await api.createProject(`${label()} 0`, key);
  check(first.status === 201, `createProject answered ${first.status}`);
  const again = await api.createProject(`${label()} 0`, key);
  check(again.status === 201 && again.id === first.id && again.replayed, 'a retry with the same Idempotency-Key was not replayed');

  const created = [first.id];
  for (let i = 1; i < PROJECTS; i++) created.push((await api.createProject(`${label()} ${i}`)).id);

  const seen: string[] = [];
  let pages = 0;
  let cursor: string | undefined;
  for (;;) {
    const page = await api.listProjects(label(), PAGE, cursor);
    pages++;
    check(page.ids.length <= PAGE, `a page has ${page.ids.length} items for limit ${PAGE}`);
    seen.push(...page.ids);
    if (!page.hasMore) break;
    check(page.nextCursor, 'has_more without next_cursor');
    cursor = page.nextCursor;
  }
  check(pages === Math.ceil(PROJECTS / PAGE), `walked ${pages} pages`);
  check(JSON.stringify(seen) === JSON.stringify([...created].reverse()), `the walk saw ${seen.join(',')}, not the created projects newest first`);

  const missing = await api.getMissingProject('prj_00000000000000000000000000');
  check(missing.status === 404 && missing.code === 'not_found', `a missing project answered ${missing.status} ${missing.code}`);
  console.log(`${client}: login, idempotent create, ${pages} pages of ${PAGE}, typed 404: ok`);
}

export function run(client: string, api: Api): void {
  smoke(client, api).catch((err: unknown) => {
    console.error(`${client}: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
