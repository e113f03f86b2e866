import assert from 'node:assert/strict';
import { expectError, makeTestApp, PUBLIC_URL, signedIn, type TestApp } from '../helpers';
import type { Project } from '../../src/store/ports';
import {
  assertNoDuplicates,
  createProjectHttp,
  linkPath,
  newestFirst,
  nextLink,
  seedProjects,
  walkProjects,
} from '../support/projects';

/** Replaces the character at `i` by another base64url character. */
function flip(s: string, i: number): string {
  const c = s[i] === 'A' ? 'B' : 'A';
  return s.slice(0, i) + c + s.slice(i + 1);
}

describe('GET /v1/projects (listProjects): cursor pagination', () => {
  let t: TestApp;
  let auth: string;
  let workspaceId: string;
  let seeded: Project[];

  beforeEach(async () => {
    t = makeTestApp();
    ({ auth, workspaceId } = await signedIn(t));
    seeded = await seedProjects(t, workspaceId, 250);
  });

  it('listProjects: 200 a walk with limit=7 returns every project exactly once, newest first', async () => {
    const { items, pages } = await walkProjects(t, auth, { query: { limit: 7 } });
    assert.equal(pages.length, Math.ceil(250 / 7));
    for (const page of pages.slice(0, -1)) {
      assert.equal(page.body.data.length, 7);
      assert.equal(page.body.meta.limit, 7);
      assert.equal(page.body.meta.has_more, true);
    }
    const last = pages[pages.length - 1];
    assert.equal(last.body.data.length, 250 % 7);
    assert.equal(last.body.meta.has_more, false);
    assert.equal(last.body.meta.next_cursor, null);
    assert.equal(last.headers.link, undefined);
    assertNoDuplicates(items);
    assert.equal(items.length, 250);
    // created_at DESC, then id DESC, exactly as stored.
    assert.deepEqual(items, newestFirst(seeded));
    for (let i = 1; i < items.length; i++) {
      const [a, b] = [items[i - 1], items[i]];
      assert.ok(a.created_at > b.created_at || (a.created_at === b.created_at && a.id > b.id), `${i}: out of order`);
    }
  });

  it('listProjects: 200 the Link header is absolute under PUBLIC_URL, rel="next", and following it walks everything', async () => {
    const first = await t.http.get('/v1/projects?limit=7').set('Authorization', auth);
    const link = nextLink(first);
    assert.ok(link);
    assert.ok(link.startsWith(`${PUBLIC_URL}/v1/projects?`), link);
    assert.match(first.headers.link, /^<http:\/\/cloud-api\.test\/v1\/projects\?[^>]+>; rel="next"$/);
    const url = new URL(link);
    assert.equal(url.searchParams.get('limit'), '7');
    assert.equal(url.searchParams.get('cursor'), first.body.meta.next_cursor);

    const viaLink = await walkProjects(t, auth, { query: { limit: 7 }, via: 'link' });
    const viaCursor = await walkProjects(t, auth, { query: { limit: 7 } });
    assert.deepEqual(viaLink.items, viaCursor.items);
    assert.equal(viaLink.items.length, 250);
    for (const page of viaLink.pages.slice(0, -1)) assert.ok(page.headers.link);
  });

  it('listProjects: 200 the Link header keeps the filters', async () => {
    await seedProjects(t, workspaceId, 30, (i) => ({ name: `Match ${i}`, slug: `match-${i}` }));
    const query = { name: 'match', created_after: '2000-01-01T00:00:00+02:00', limit: 4 };
    const viaLink = await walkProjects(t, auth, { query, via: 'link' });
    assert.equal(viaLink.items.length, 30);
    assert.ok(viaLink.items.every((p) => p.name.startsWith('Match ')));
    const url = new URL(nextLink(viaLink.pages[0])!);
    assert.equal(url.searchParams.get('name'), 'match');
    assert.equal(url.searchParams.get('created_after'), '2000-01-01T00:00:00+02:00');
  });

  it('listProjects: 200 the default page size walks in pages of 20', async () => {
    const { items, pages } = await walkProjects(t, auth);
    assert.equal(pages.length, 13);
    assert.equal(pages[0].body.meta.limit, 20);
    assert.equal(items.length, 250);
  });

  it('listProjects: 200 a cursor may be used with another limit (limit is not a filter)', async () => {
    const first = await t.http.get('/v1/projects?limit=7').set('Authorization', auth);
    const res = await t.http
      .get('/v1/projects')
      .query({ limit: 50, cursor: first.body.meta.next_cursor })
      .set('Authorization', auth);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.data, newestFirst(seeded).slice(7, 57));
  });

  it('listProjects: 200 projects created during a walk: each original appears exactly once, nothing twice', async () => {
    const created: string[] = [];
    const { items } = await walkProjects(t, auth, {
      query: { limit: 7 },
      between: async (page) => {
        for (let i = 0; i < 3; i++) {
          created.push((await t.store.projects.create(workspaceId, { name: `New ${page}.${i}`, slug: `new-${page}-${i}`, description: null })).id);
        }
        if (page % 5 === 0) created.push((await createProjectHttp(t, auth, { name: `Via HTTP ${page}` })).id);
      },
    });
    assert.ok(created.length > 100);
    assertNoDuplicates(items);
    const seen = new Set(items.map((p) => p.id));
    for (const p of seeded) assert.ok(seen.has(p.id), `${p.id} was skipped`);
    const originals = items.filter((p) => seeded.some((s) => s.id === p.id));
    assert.deepEqual(originals, newestFirst(seeded));
  });

  it('listProjects: 200 projects deleted during a walk: the others appear exactly once, nothing twice', async () => {
    const order = newestFirst(seeded);
    const deleted = new Set<string>();
    const { items } = await walkProjects(t, auth, {
      query: { limit: 7 },
      between: async (page) => {
        // One already seen, one not yet reached, one right at the next page boundary.
        for (const p of [order[page * 7 - 1], order[page * 7 + 10], order[page * 7]]) {
          if (p && !deleted.has(p.id) && (await t.store.projects.delete(workspaceId, p.id))) deleted.add(p.id);
        }
      },
    });
    assertNoDuplicates(items);
    const seen = new Set(items.map((p) => p.id));
    for (const p of seeded) if (!deleted.has(p.id)) assert.ok(seen.has(p.id), `${p.id} was skipped`);
  });

  it('listProjects: 400 invalid_cursor for a cursor whose payload was altered', async () => {
    const first = await t.http.get('/v1/projects?limit=7').set('Authorization', auth);
    const cursor: string = first.body.meta.next_cursor;
    const [payload] = cursor.split('.');
    for (const i of [0, Math.floor(payload.length / 2), payload.length - 2]) {
      const res = await t.http.get('/v1/projects').query({ limit: 7, cursor: flip(cursor, i) }).set('Authorization', auth);
      expectError(res, 400, 'invalid_cursor');
    }
  });

  it('listProjects: 400 invalid_cursor for a cursor whose signature was altered, cut or removed', async () => {
    const first = await t.http.get('/v1/projects?limit=7').set('Authorization', auth);
    const cursor: string = first.body.meta.next_cursor;
    const dot = cursor.indexOf('.');
    const bad = [flip(cursor, dot + 1), flip(cursor, dot + 8), cursor.slice(0, -4), cursor.slice(0, dot), `${cursor}.x`];
    for (const c of bad) {
      const res = await t.http.get('/v1/projects').query({ limit: 7, cursor: c }).set('Authorization', auth);
      expectError(res, 400, 'invalid_cursor');
    }
  });

  it('listProjects: 400 invalid_cursor for a forged cursor (valid structure, wrong key)', async () => {
    const other = makeTestApp();
    const o = await signedIn(other);
    await seedProjects(other, o.workspaceId, 10);
    const foreign = await other.http.get('/v1/projects?limit=2').set('Authorization', o.auth);
    const res = await t.http
      .get('/v1/projects')
      .query({ limit: 2, cursor: foreign.body.meta.next_cursor })
      .set('Authorization', auth);
    expectError(res, 400, 'invalid_cursor');
  });

  it('listProjects: 400 invalid_cursor for a cursor used with different filters', async () => {
    const first = await t.http.get('/v1/projects?limit=7').set('Authorization', auth);
    const cursor = first.body.meta.next_cursor;
    for (const extra of [{ name: 'Seed' }, { slug: 'seed-1' }, { created_after: '2000-01-01T00:00:00Z' }, { created_before: '9999-01-01T00:00:00Z' }]) {
      const res = await t.http.get('/v1/projects').query({ limit: 7, cursor, ...extra }).set('Authorization', auth);
      expectError(res, 400, 'invalid_cursor');
    }
    // And the other way round: a filtered cursor without its filter.
    const filtered = await t.http.get('/v1/projects').query({ limit: 7, name: 'seed' }).set('Authorization', auth);
    const res = await t.http
      .get('/v1/projects')
      .query({ limit: 7, cursor: filtered.body.meta.next_cursor, name: 'other' })
      .set('Authorization', auth);
    expectError(res, 400, 'invalid_cursor');
    const dropped = await t.http
      .get('/v1/projects')
      .query({ limit: 7, cursor: filtered.body.meta.next_cursor })
      .set('Authorization', auth);
    expectError(dropped, 400, 'invalid_cursor');
  });

  it('listProjects: 400 invalid_cursor for a cursor of workspace A used by workspace B', async () => {
    const b = await signedIn(t);
    await seedProjects(t, b.workspaceId, 20, (i) => ({ name: `B ${i}`, slug: `b-${i}` }));
    const first = await t.http.get('/v1/projects?limit=7').set('Authorization', auth);
    const res = await t.http
      .get('/v1/projects')
      .query({ limit: 7, cursor: first.body.meta.next_cursor })
      .set('Authorization', b.auth);
    expectError(res, 400, 'invalid_cursor');
  });

  it('listProjects: 200 a cursor stays valid for another user of the same workspace', async () => {
    const first = await t.http.get('/v1/projects?limit=7').set('Authorization', auth);
    const colleague = await signedIn(t, { workspace: (await t.store.identity.getWorkspace(workspaceId))!.name, role: 'member' });
    assert.equal(colleague.workspaceId, workspaceId);
    const res = await t.http.get(linkPath(nextLink(first)!)).set('Authorization', colleague.auth);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.data, newestFirst(seeded).slice(7, 14));
  });
});
