import assert from 'node:assert/strict';
import { SlugTaken, Busy } from '../../../src/store/ports';
import { engines, withStore } from './engines';

const key = (n: number) => ({ hash: Buffer.alloc(32, n), prefix: `cp_live_${n}`, last4: `000${n}` });
const tick = () => new Promise((r) => setImmediate(r));

for (const engine of engines) {
  describe(`store engines: transactions (${engine.name})`, () => {
    const s = withStore(engine);

    it('transaction commits everything across awaits or, when fn throws, nothing', async () => {
      const ws = await s.store.identity.createWorkspace('W');
      await assert.rejects(
        s.store.transaction(async (tx) => {
          await tx.projects.create(ws.id, { name: 'a', slug: 'a', description: null });
          await tick();
          await tx.projects.create(ws.id, { name: 'b', slug: 'a', description: null });
        }),
        SlugTaken,
      );
      assert.deepEqual(await s.store.projects.list(ws.id, {}, undefined, 10), []);
      await s.store.transaction(async (tx) => {
        await tx.projects.create(ws.id, { name: 'a', slug: 'a', description: null });
        await tick();
        await tx.apiKeys.create(ws.id, { name: 'k', scopes: ['projects:read'], expiresAt: null, createdBy: 'usr_x' }, key(1));
      });
      assert.equal((await s.store.projects.list(ws.id, {}, undefined, 10)).length, 1);
      assert.equal((await s.store.apiKeys.list(ws.id, undefined, 10)).length, 1);
    });

    it("calls outside a transaction and other transactions see all of its work or none", async () => {
      const ws = await s.store.identity.createWorkspace('W');
      let resume!: () => void;
      const paused = new Promise<void>((r) => (resume = r));
      const first = s.store.transaction(async (tx) => {
        await tx.projects.create(ws.id, { name: 'one', slug: 'one', description: null });
        await paused;
        await tx.projects.create(ws.id, { name: 'two', slug: 'two', description: null });
      });
      await tick();
      const seen = s.store.projects.list(ws.id, {}, undefined, 10);
      const second = s.store.transaction(async (tx) => {
        const before = await tx.projects.list(ws.id, {}, undefined, 10);
        await tx.projects.create(ws.id, { name: 'three', slug: 'three', description: null });
        return before.length;
      });
      await tick();
      resume();
      await first;
      // The outside read saw both or neither of the first transaction's rows, never one. (On
      // PostgreSQL the second transaction may commit `three` before this read runs: not counted.)
      const ofFirst = (await seen).filter((p) => p.slug === 'one' || p.slug === 'two');
      assert.ok([0, 2].includes(ofFirst.length), `saw ${ofFirst.map((p) => p.slug)}`);
      // SQLite runs transactions one after another; PostgreSQL's may overlap, but never half-see one.
      if (engine.name === 'SQLite') assert.equal(await second, 2, 'the second transaction ran after the first committed');
      else assert.ok([0, 2].includes(await second));
      assert.equal((await s.store.projects.list(ws.id, {}, undefined, 10)).length, 3);
    });

    it('a taken slug inside a transaction throws SlugTaken and the transaction goes on to commit', async () => {
      const ws = await s.store.identity.createWorkspace('W');
      await s.store.projects.create(ws.id, { name: 'a', slug: 'taken', description: null });
      await s.store.transaction(async (tx) => {
        await assert.rejects(tx.projects.create(ws.id, { name: 'b', slug: 'taken', description: null }), SlugTaken);
        const c = await tx.projects.create(ws.id, { name: 'c', slug: 'free', description: null });
        await assert.rejects(tx.projects.update(ws.id, c.id, { slug: 'taken' }), SlugTaken);
        await tx.projects.create(ws.id, { name: 'd', slug: 'also-free', description: null });
      });
      assert.deepEqual((await s.store.projects.list(ws.id, {}, undefined, 10)).map((p) => p.slug).sort(), ['also-free', 'free', 'taken']);
    });

    it('getForUpdate: concurrent read-compare-write transactions on one row never lose an update (If-Match)', async () => {
      const ws = await s.store.identity.createWorkspace('W');
      const p = await s.store.projects.create(ws.id, { name: 'counter', slug: 'counter', description: '0' });
      const bump = () =>
        s.store.transaction(async (tx) => {
          const current = await tx.projects.getForUpdate(ws.id, p.id);
          await tick();
          await tx.projects.update(ws.id, p.id, { description: String(Number(current!.description) + 1) });
        });
      await Promise.all(Array.from({ length: 5 }, bump));
      assert.equal((await s.store.projects.get(ws.id, p.id))!.description, '5');
    });
    // SQLite runs one transaction at a time (nothing to deadlock); PostgreSQL detects the cycle.
    if (engine.name === 'PostgreSQL') it('two transactions locking rows in opposite order: one fails with Busy, the other commits', async () => {
      const ws = await s.store.identity.createWorkspace('W');
      const a = await s.store.projects.create(ws.id, { name: 'a', slug: 'a', description: null });
      const b = await s.store.projects.create(ws.id, { name: 'b', slug: 'b', description: null });
      let bothLocked!: () => void;
      let locked = 0;
      const barrier = new Promise<void>((r) => (bothLocked = r));
      const lockBoth = (first: string, second: string) =>
        s.store.transaction(async (tx) => {
          await tx.projects.getForUpdate(ws.id, first);
          if (++locked === 2) bothLocked();
          await barrier;
          await tx.projects.getForUpdate(ws.id, second);
          await tx.projects.update(ws.id, second, { name: `${second}-changed` });
        });
      const results = await Promise.allSettled([lockBoth(a.id, b.id), lockBoth(b.id, a.id)]);
      const failed = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
      assert.equal(failed.length, 1);
      assert.ok(failed[0].reason instanceof Busy, String(failed[0].reason));
    });
  });
}
