import assert from 'node:assert/strict';
import type { Response } from 'supertest';
import { PUBLIC_URL, type TestApp } from '../helpers';
import type { NewProject, Project } from '../../src/store/ports';

export const PROJECT_ID = /^prj_[0-9A-HJKMNP-TV-Z]{26}$/;
/** The stored and served timestamp format. */
export const ISO_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
export const PROJECT_KEYS = ['created_at', 'description', 'id', 'name', 'slug', 'updated_at'];
/** A well-formed project id that no project has. */
export const UNKNOWN_PROJECT_ID = 'prj_01JD3Y8N6V4Q2X7R5T9W1K3M5R';

/** Asserts a project as the contract describes it. */
export function assertProjectShape(p: Record<string, unknown>): void {
  assert.deepEqual(Object.keys(p).sort(), PROJECT_KEYS);
  assert.match(String(p.id), PROJECT_ID);
  assert.match(String(p.created_at), ISO_MS);
  assert.match(String(p.updated_at), ISO_MS);
  assert.equal(typeof p.name, 'string');
  assert.equal(typeof p.slug, 'string');
  assert.ok(p.description === null || typeof p.description === 'string');
}

/** POST /v1/projects, asserting 201; returns `data`. */
export async function createProjectHttp(t: TestApp, auth: string, body: Record<string, unknown>): Promise<Project> {
  const res = await t.http.post('/v1/projects').set('Authorization', auth).send(body);
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.data;
}

export async function getProjectHttp(t: TestApp, auth: string, id: string): Promise<Response> {
  return t.http.get(`/v1/projects/${id}`).set('Authorization', auth);
}

/** Seeds through the store (fast); returns the projects in creation order. */
export async function seedProjects(
  t: TestApp,
  workspaceId: string,
  count: number,
  make: (i: number) => Partial<NewProject> = () => ({}),
): Promise<Project[]> {
  const out: Project[] = [];
  for (let i = 0; i < count; i++) {
    out.push(await t.store.projects.create(workspaceId, { name: `Seed ${i}`, slug: `seed-${i}`, description: null, ...make(i) }));
  }
  return out;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Waits until the clock shows a later millisecond than `after`, so timestamps differ. */
export async function afterMillisecond(after: string): Promise<void> {
  while (new Date().toISOString() <= after) await sleep(1);
}

/** `created_at DESC, id DESC`, the documented list order. */
export function newestFirst<T extends { created_at: string; id: string }>(items: T[]): T[] {
  return [...items].sort((a, b) =>
    a.created_at === b.created_at ? (a.id < b.id ? 1 : -1) : a.created_at < b.created_at ? 1 : -1,
  );
}

/** The URL of the `rel="next"` link, or undefined when there is no Link header. */
export function nextLink(res: { headers: Record<string, string> }): string | undefined {
  const header = res.headers.link;
  if (header === undefined) return undefined;
  const m = /^<([^>]+)>;\s*rel="next"$/.exec(header);
  assert.ok(m, `unexpected Link header: ${header}`);
  return m[1];
}

/** Path and query of an absolute Link URL under PUBLIC_URL. */
export function linkPath(url: string): string {
  assert.ok(url.startsWith(`${PUBLIC_URL}/v1/projects?`), `Link must be absolute under ${PUBLIC_URL}: ${url}`);
  return url.slice(PUBLIC_URL.length);
}

export interface Walk {
  items: Project[];
  pages: Response[];
}

/**
 * Lists every page. `via: 'cursor'` passes meta.next_cursor with the same query, `via: 'link'`
 * follows the Link header. Checks the page invariants on the way; `between` runs before each
 * request after the first.
 */
export async function walkProjects(
  t: TestApp,
  auth: string,
  opts: { query?: Record<string, string | number>; via?: 'cursor' | 'link'; between?: (page: number) => unknown } = {},
): Promise<Walk> {
  const via = opts.via ?? 'cursor';
  const items: Project[] = [];
  const pages: Response[] = [];
  let res = await t.http.get('/v1/projects').query(opts.query ?? {}).set('Authorization', auth);
  for (;;) {
    assert.equal(res.status, 200, JSON.stringify(res.body));
    pages.push(res);
    items.push(...res.body.data);
    const { meta } = res.body;
    const link = nextLink(res);
    if (!meta.has_more) {
      assert.equal(meta.next_cursor, null);
      assert.equal(link, undefined, 'no Link header on the last page');
      return { items, pages };
    }
    assert.equal(typeof meta.next_cursor, 'string');
    assert.ok(link, `page ${pages.length} has more but no Link header`);
    const linkUrl = new URL(link);
    assert.equal(linkUrl.searchParams.get('cursor'), meta.next_cursor, 'Link carries the same cursor as meta');
    assert.ok(pages.length < 1000, 'the walk does not end');
    await opts.between?.(pages.length);
    res =
      via === 'link'
        ? await t.http.get(linkPath(link)).set('Authorization', auth)
        : await t.http
            .get('/v1/projects')
            .query({ ...opts.query, cursor: meta.next_cursor })
            .set('Authorization', auth);
  }
}

/** Asserts that no id occurs twice. */
export function assertNoDuplicates(items: { id: string }[]): void {
  const seen = new Set<string>();
  for (const { id } of items) {
    assert.ok(!seen.has(id), `${id} returned twice`);
    seen.add(id);
  }
}
