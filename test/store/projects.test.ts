import assert from 'node:assert/strict';
import { createStore, openStore, type Store } from '../../src/store/sqlite';
import { openDatabase } from '../../src/store/sqlite/db';
import { SlugTaken, type Project } from '../../src/store/ports';
import { afterMillisecond, newestFirst } from '../support/projects';

describe('store: projects (createProjectStore)', () => {
  let store: Store;
  let ws: string;
  let other: string;

  beforeEach(() => {
    store = openStore(':memory:');
    ws = store.identity.createWorkspace('Acme').id;
    other = store.identity.createWorkspace('Other').id;
  });
  afterEach(() => store.close());

  const make = (name: string, slug: string, description: string | null = null, workspaceId = ws) =>
    store.projects.create(workspaceId, { name, slug, description });

  describe('create and get', () => {
    it('create returns the stored project with an id and equal timestamps', () => {
      const p = make('Payments', 'payments', 'Cards.');
      assert.match(p.id, /^prj_[0-9A-HJKMNP-TV-Z]{26}$/);
      assert.equal(p.created_at, p.updated_at);
      assert.match(p.created_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
      assert.deepEqual(store.projects.get(ws, p.id), p);
      assert.deepEqual(Object.keys(store.projects.get(ws, p.id)!).sort(), ['created_at', 'description', 'id', 'name', 'slug', 'updated_at']);
    });

    it('ids are unique and increase in creation order', () => {
      const ids = Array.from({ length: 50 }, (_, i) => make(`p${i}`, `p${i}`).id);
      assert.equal(new Set(ids).size, 50);
      assert.deepEqual([...ids].sort(), ids);
    });

    it('create throws SlugTaken for a slug the workspace has, and stores nothing', () => {
      make('one', 'same');
      assert.throws(
        () => make('two', 'same'),
        (e: unknown) => e instanceof SlugTaken && e.slug === 'same',
      );
      assert.equal(store.projects.list(ws, {}, undefined, 10).length, 1);
    });

    it('the same slug in another workspace is fine', () => {
      make('one', 'same');
      assert.doesNotThrow(() => make('two', 'same', null, other));
    });

    it('create for a workspace that does not exist fails (foreign key), not as SlugTaken', () => {
      assert.throws(
        () => make('x', 'x', null, 'ws_01JD3Y8N6V4Q2X7R5T9W1K3M5Q'),
        (e: unknown) => !(e instanceof SlugTaken) && /FOREIGN KEY/i.test(String((e as Error).message)),
      );
    });

    it('get is scoped to the workspace', () => {
      const p = make('Payments', 'payments');
      assert.equal(store.projects.get(other, p.id), undefined);
      assert.equal(store.projects.get(ws, 'prj_01JD3Y8N6V4Q2X7R5T9W1K3M5R'), undefined);
    });

    it('slugExists is scoped to the workspace', () => {
      make('Payments', 'payments');
      assert.equal(store.projects.slugExists(ws, 'payments'), true);
      assert.equal(store.projects.slugExists(ws, 'payment'), false);
      assert.equal(store.projects.slugExists(other, 'payments'), false);
    });
  });

  describe('update', () => {
    it('changes only the given fields and moves updated_at', async () => {
      const p = make('Payments', 'payments', 'Cards.');
      await afterMillisecond(p.updated_at);
      const u = store.projects.update(ws, p.id, { name: 'Payments v2' })!;
      assert.equal(u.name, 'Payments v2');
      assert.equal(u.slug, 'payments');
      assert.equal(u.description, 'Cards.');
      assert.equal(u.created_at, p.created_at);
      assert.ok(u.updated_at > p.updated_at);
      assert.deepEqual(store.projects.get(ws, p.id), u);
    });

    it('description undefined keeps it, null clears it, a string sets it', () => {
      const p = make('Payments', 'payments', 'Cards.');
      assert.equal(store.projects.update(ws, p.id, { description: undefined })!.description, 'Cards.');
      assert.equal(store.projects.update(ws, p.id, { description: null })!.description, null);
      assert.equal(store.projects.update(ws, p.id, { description: 'Wallets.' })!.description, 'Wallets.');
      assert.equal(store.projects.update(ws, p.id, { description: '' })!.description, '');
    });

    it('throws SlugTaken naming the slug when another project has it, and changes nothing', () => {
      const a = make('A', 'a', 'keep');
      make('B', 'b');
      assert.throws(
        () => store.projects.update(ws, a.id, { name: 'renamed', slug: 'b', description: null }),
        (e: unknown) => e instanceof SlugTaken && e.slug === 'b',
      );
      assert.deepEqual(store.projects.get(ws, a.id), a);
    });

    it('setting a project to its own slug is not a conflict', () => {
      const a = make('A', 'a');
      assert.equal(store.projects.update(ws, a.id, { slug: 'a' })!.slug, 'a');
    });

    it('returns undefined for a missing project or a project of another workspace, changing nothing', () => {
      const p = make('Payments', 'payments');
      assert.equal(store.projects.update(ws, 'prj_01JD3Y8N6V4Q2X7R5T9W1K3M5R', { name: 'x' }), undefined);
      assert.equal(store.projects.update(other, p.id, { name: 'x' }), undefined);
      assert.deepEqual(store.projects.get(ws, p.id), p);
    });
  });

  describe('delete', () => {
    it('deletes once, is scoped to the workspace, and frees the slug', () => {
      const p = make('Payments', 'payments');
      assert.equal(store.projects.delete(other, p.id), false);
      assert.ok(store.projects.get(ws, p.id));
      assert.equal(store.projects.delete(ws, p.id), true);
      assert.equal(store.projects.get(ws, p.id), undefined);
      assert.equal(store.projects.delete(ws, p.id), false);
      assert.equal(store.projects.slugExists(ws, 'payments'), false);
      assert.doesNotThrow(() => make('Payments again', 'payments'));
    });
  });

  describe('list', () => {
    it('newest first (created_at DESC, id DESC), limited, scoped to the workspace', () => {
      const mine = Array.from({ length: 30 }, (_, i) => make(`p${i}`, `p${i}`));
      make('theirs', 'theirs', null, other);
      const all = store.projects.list(ws, {}, undefined, 100);
      assert.deepEqual(all, newestFirst(mine));
      assert.deepEqual(store.projects.list(ws, {}, undefined, 5), newestFirst(mine).slice(0, 5));
      assert.deepEqual(store.projects.list(other, {}, undefined, 100).map((p) => p.slug), ['theirs']);
    });

    it('`after` continues strictly after the given position, also when that project is gone', () => {
      const ordered = newestFirst(Array.from({ length: 20 }, (_, i) => make(`p${i}`, `p${i}`)));
      const pos = (p: Project) => ({ created_at: p.created_at, id: p.id });
      assert.deepEqual(store.projects.list(ws, {}, pos(ordered[4]), 3), ordered.slice(5, 8));
      store.projects.delete(ws, ordered[4].id);
      assert.deepEqual(store.projects.list(ws, {}, pos(ordered[4]), 3), ordered.slice(5, 8));
      assert.deepEqual(store.projects.list(ws, {}, pos(ordered[19]), 3), []);
    });

    it('`after` orders by id within the same created_at', () => {
      const db = openDatabase(':memory:');
      const s = createStore(db);
      const w = s.identity.createWorkspace('Ties').id;
      const made = Array.from({ length: 10 }, (_, i) => s.projects.create(w, { name: `p${i}`, slug: `p${i}`, description: null }));
      // Same millisecond for all, and ids created in an order unrelated to the timestamps.
      db.prepare('UPDATE projects SET created_at = ?').run('2026-03-17T10:22:14.000Z');
      const byIdDesc = made.map((p) => p.id).sort().reverse();
      const walked: string[] = [];
      let after: { created_at: string; id: string } | undefined;
      for (;;) {
        const page = s.projects.list(w, {}, after, 3);
        if (page.length === 0) break;
        walked.push(...page.map((p) => p.id));
        const last = page[page.length - 1];
        after = { created_at: last.created_at, id: last.id };
      }
      assert.deepEqual(walked, byIdDesc);
      s.close();
    });

    it('filters: name is a case-insensitive substring, taken literally', () => {
      for (const [name, slug] of [['Payments API', 'a'], ['payroll', 'b'], ['Search', 'c'], ['100% up', 'd'], ['a_b', 'e']]) {
        make(name, slug);
      }
      const names = (name: string) => store.projects.list(ws, { name }, undefined, 100).map((p) => p.name).sort();
      assert.deepEqual(names('PAY'), ['Payments API', 'payroll']);
      assert.deepEqual(names('%'), ['100% up']);
      assert.deepEqual(names('_'), ['a_b']);
      assert.deepEqual(names("' OR 1=1 --"), []);
    });

    it('filters: slug is exact', () => {
      make('a', 'payments');
      make('b', 'payments-api');
      assert.deepEqual(store.projects.list(ws, { slug: 'payments' }, undefined, 10).map((p) => p.name), ['a']);
    });

    it('filters: createdAfter and createdBefore are exclusive, and everything combines with AND', async () => {
      const a = make('alpha', 'a');
      await afterMillisecond(a.created_at);
      const b = make('beta', 'b');
      await afterMillisecond(b.created_at);
      const c = make('gamma', 'c');
      const names = (f: Parameters<typeof store.projects.list>[1], after?: Project) =>
        store.projects.list(ws, f, after && { created_at: after.created_at, id: after.id }, 10).map((p) => p.name);
      assert.deepEqual(names({ createdAfter: b.created_at }), ['gamma']);
      assert.deepEqual(names({ createdBefore: b.created_at }), ['alpha']);
      assert.deepEqual(names({ createdAfter: a.created_at, createdBefore: c.created_at }), ['beta']);
      assert.deepEqual(names({ createdAfter: a.created_at, name: 'A' }), ['gamma', 'beta']);
      assert.deepEqual(names({ createdAfter: a.created_at, name: 'A' }, c), ['beta']);
      assert.deepEqual(names({ name: 'a', slug: 'c', createdBefore: c.created_at }), []);
    });

    it('every combination of filters and `after` works (statements are prepared per combination)', () => {
      const ps = Array.from({ length: 6 }, (_, i) => make(`Item ${i}`, `item-${i}`));
      const ordered = newestFirst(ps);
      const keys = ['name', 'slug', 'createdAfter', 'createdBefore', 'after'] as const;
      for (let mask = 0; mask < 1 << keys.length; mask++) {
        const on = (k: (typeof keys)[number]) => (mask & (1 << keys.indexOf(k))) !== 0;
        const filters = {
          name: on('name') ? 'item' : undefined,
          slug: on('slug') ? 'item-0' : undefined,
          createdAfter: on('createdAfter') ? '2000-01-01T00:00:00.000Z' : undefined,
          createdBefore: on('createdBefore') ? '9999-01-01T00:00:00.000Z' : undefined,
        };
        const after = on('after') ? { created_at: ordered[1].created_at, id: ordered[1].id } : undefined;
        let expected = ordered;
        if (filters.slug) expected = expected.filter((p) => p.slug === 'item-0');
        if (after) expected = expected.filter((p) => ordered.indexOf(p) > 1);
        assert.deepEqual(store.projects.list(ws, filters, after, 10), expected, `mask ${mask}`);
      }
    });
  });
});
