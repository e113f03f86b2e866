import assert from 'node:assert/strict';
import { SlugTaken, type Project } from '../../../src/store/ports';
import { engines, withWorkspaces } from './engines';

for (const engine of engines) {
  describe(`store engines: projects and API keys (${engine.name})`, () => {
    const s = withWorkspaces(engine);
    const make = (name: string, slug: string, workspaceId = s.ws) =>
      s.store.projects.create(workspaceId, { name, slug, description: null });

    it('projects: create, get, slugExists, update, delete, all scoped to the workspace', async () => {
      const { projects } = s.store;
      const p = await make('Payments', 'payments');
      assert.deepEqual(await projects.get(s.ws, p.id), p);
      assert.equal(await projects.get(s.other, p.id), undefined);
      assert.equal(await projects.slugExists(s.ws, 'payments'), true);
      assert.equal(await projects.slugExists(s.other, 'payments'), false);
      const updated = await projects.update(s.ws, p.id, { description: 'Cards.' });
      assert.equal(updated!.description, 'Cards.');
      assert.equal(updated!.name, 'Payments');
      assert.ok(updated!.updated_at >= p.updated_at);
      assert.equal((await projects.update(s.ws, p.id, { description: null }))!.description, null);
      assert.equal(await projects.update(s.other, p.id, { name: 'x' }), undefined);
      assert.equal(await projects.delete(s.other, p.id), false);
      assert.equal(await projects.delete(s.ws, p.id), true);
      assert.equal(await projects.get(s.ws, p.id), undefined);
    });

    it('projects: SlugTaken on create and update, nothing changed; the same slug elsewhere is fine', async () => {
      const a = await make('A', 'same');
      await make('B', 'same', s.other);
      await assert.rejects(make('C', 'same'), (e: unknown) => e instanceof SlugTaken && e.slug === 'same');
      const b = await make('B', 'bee');
      await assert.rejects(s.store.projects.update(s.ws, b.id, { slug: 'same' }), SlugTaken);
      assert.equal((await s.store.projects.get(s.ws, b.id))!.slug, 'bee');
      assert.equal((await s.store.projects.get(s.ws, a.id))!.slug, 'same');
    });

    it('projects: keyset pages newest first with filters, never repeating an item', async () => {
      const made: Project[] = [];
      for (let i = 0; i < 7; i++) made.push(await make(i % 2 ? `Odd ${i}` : `Even ${i}`, `p${i}`));
      await make('Elsewhere', 'e', s.other);
      const newest = [...made].sort((x, y) => (x.created_at === y.created_at ? (x.id < y.id ? 1 : -1) : x.created_at < y.created_at ? 1 : -1));
      const walked: string[] = [];
      let after: Project | undefined;
      for (;;) {
        const page = await s.store.projects.list(s.ws, {}, after, 3);
        walked.push(...page.map((p) => p.id));
        if (page.length < 3) break;
        after = page.at(-1);
      }
      assert.deepEqual(walked, newest.map((p) => p.id));
      const odd = await s.store.projects.list(s.ws, { name: 'odd' }, undefined, 10);
      assert.deepEqual(odd.map((p) => p.name), newest.filter((p) => p.name.startsWith('Odd')).map((p) => p.name));
      assert.deepEqual((await s.store.projects.list(s.ws, { name: '%' }, undefined, 10)).length, 0, 'no LIKE wildcards');
      assert.deepEqual((await s.store.projects.list(s.ws, { slug: 'p3' }, undefined, 10)).map((p) => p.slug), ['p3']);
      const cut = newest[3].created_at;
      const before = await s.store.projects.list(s.ws, { createdBefore: cut }, undefined, 10);
      assert.ok(before.every((p) => p.created_at < cut));
      const since = await s.store.projects.list(s.ws, { createdAfter: cut }, undefined, 10);
      assert.ok(since.every((p) => p.created_at > cut));
    });

    it('API keys: create, get, list, rotate with a grace period, revoke, look up by secret hash', async () => {
      const { apiKeys } = s.store;
      const secret = (n: number) => ({ hash: Buffer.alloc(32, n), prefix: `cp_live_${n}`, last4: `000${n}` });
      const key = await apiKeys.create(s.ws, { name: 'k', scopes: ['projects:read', 'usage:read'], expiresAt: null, createdBy: 'usr_x' }, secret(1));
      assert.deepEqual(key.scopes, ['projects:read', 'usage:read']);
      assert.deepEqual(await apiKeys.get(s.ws, key.id), key);
      assert.equal(await apiKeys.get(s.other, key.id), undefined);
      const second = await apiKeys.create(s.ws, { name: 'k2', scopes: ['keys:write'], expiresAt: null, createdBy: 'usr_x' }, secret(2));
      assert.deepEqual((await apiKeys.list(s.ws, undefined, 10)).map((k) => k.id), [second.id, key.id]);
      assert.deepEqual((await apiKeys.list(s.ws, second, 10)).map((k) => k.id), [key.id]);

      const until = new Date(Date.now() + 60_000).toISOString();
      const rotated = await apiKeys.rotate(s.ws, key.id, secret(3), until);
      assert.equal(rotated!.prefix, 'cp_live_3');
      assert.ok(rotated!.rotated_at);
      const old = await apiKeys.findBySecretHash(secret(1).hash);
      assert.equal(old!.secret_expires_at, until);
      assert.equal((await apiKeys.findBySecretHash(secret(3).hash))!.secret_expires_at, null);
      assert.equal(await apiKeys.rotate(s.other, key.id, secret(4), until), undefined);

      await apiKeys.touch(key.id, '2026-01-01T00:00:00.000Z');
      assert.equal((await apiKeys.get(s.ws, key.id))!.last_used_at, '2026-01-01T00:00:00.000Z');
      assert.equal(await apiKeys.revoke(s.ws, key.id), true);
      assert.equal(await apiKeys.revoke(s.ws, key.id), false);
      assert.equal(await apiKeys.get(s.ws, key.id), undefined);
      assert.ok((await apiKeys.findBySecretHash(secret(3).hash))!.revoked_at);
    });
  });
}
