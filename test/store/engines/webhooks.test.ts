import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openPgStore } from '../../../src/store/postgres';
import { openAsyncSqliteStore } from '../../../src/store/sqlite/async';
import { testSchema } from '../../support/postgres';
import type { EventType, ClaimedDelivery, ClaimRoom, WebhookEndpoint } from '../../../src/store/ports';
import { engines, withWorkspaces, type AnyStore } from './engines';
import { ISO_MS, endpoint, event, failure, fromNow, sealed, success } from './webhookFixtures';

const LEASE = 30_000;

for (const engine of engines) {
  describe(`store engines: webhooks (${engine.name})`, () => {
    const s = withWorkspaces(engine);
    /** A new endpoint with `n` deliveries due now: events of a type only it subscribes to. */
    const queued = async (n: number, type: EventType = 'project.created', workspaceId = s.ws) => {
      const hook = await s.store.webhooks.createEndpoint(workspaceId, endpoint([type]));
      for (let i = 0; i < n; i++) await s.store.events.append(event(workspaceId, type));
      await fanOut();
      return hook;
    };
    /** Turns the events appended so far into deliveries (a claim fans out first; this one leases nothing). */
    const fanOut = () => s.store.webhooks.claimDue(fromNow(-3_600_000), fromNow(-3_600_000), 0);
    const claim = (atMs: number, limit = 50, room?: ClaimRoom) => s.store.webhooks.claimDue(fromNow(atMs), fromNow(atMs + LEASE), limit, room);

    it('endpoints: create, count, get, list pages, update, delete, all scoped to the workspace', async () => {
      const { webhooks } = s.store;
      const a = await webhooks.createEndpoint(s.ws, endpoint(['project.created', 'project.deleted']));
      assert.match(a.id, /^whe_[0-9A-Z]{26}$/);
      assert.deepEqual({ ...a, id: undefined, created_at: undefined, updated_at: undefined }, {
        id: undefined, url: 'https://hooks.example.com/1', description: 'hook 1', enabled_events: ['project.created', 'project.deleted'],
        status: 'enabled', disabled_reason: null, failing_since: null, created_at: undefined, updated_at: undefined,
      });
      assert.match(a.created_at, ISO_MS);
      assert.equal(a.updated_at, a.created_at);
      const made: WebhookEndpoint[] = [a];
      for (let i = 2; i <= 5; i++) made.push(await webhooks.createEndpoint(s.ws, endpoint(['*'], i)));
      await webhooks.createEndpoint(s.other, endpoint(['*'], 9));
      assert.equal(await webhooks.countEndpoints(s.ws), 5);
      assert.deepEqual(await webhooks.getEndpoint(s.ws, a.id), a);
      assert.equal(await webhooks.getEndpoint(s.other, a.id), undefined);
      const first = await webhooks.listEndpoints(s.ws, undefined, 3);
      const second = await webhooks.listEndpoints(s.ws, first[2], 3);
      assert.deepEqual([...first, ...second].map((e) => e.id), made.map((e) => e.id).reverse());

      const changed = await webhooks.updateEndpoint(s.ws, a.id, { url: 'https://x.example/h', description: null, enabledEvents: ['*'] });
      assert.deepEqual([changed!.url, changed!.description, changed!.enabled_events, changed!.status], ['https://x.example/h', null, ['*'], 'enabled']);
      assert.ok(changed!.updated_at >= a.updated_at);
      const off = await webhooks.updateEndpoint(s.ws, a.id, { status: 'disabled' });
      assert.deepEqual([off!.status, off!.disabled_reason, off!.url], ['disabled', 'manual', 'https://x.example/h']);
      const on = await webhooks.updateEndpoint(s.ws, a.id, { status: 'enabled' });
      assert.deepEqual([on!.status, on!.disabled_reason], ['enabled', null]);
      assert.equal(await webhooks.updateEndpoint(s.other, a.id, { description: 'x' }), undefined);

      await s.store.events.append(event(s.ws));
      assert.equal(await webhooks.deleteEndpoint(s.other, a.id), false);
      assert.equal(await webhooks.deleteEndpoint(s.ws, a.id), true);
      assert.equal(await webhooks.getEndpoint(s.ws, a.id), undefined);
      assert.deepEqual(await webhooks.listDeliveries(s.ws, a.id, undefined, undefined, 10), [], 'its deliveries went with it');
      assert.equal((await claim(1000)).filter((c) => c.endpointId === a.id).length, 0);
    });

    it('claimDue: leases due deliveries of enabled endpoints, oldest first; nothing twice until the lease ends', async () => {
      const { webhooks, events } = s.store;
      const hook = await queued(3);
      const later = await events.append(event(s.ws, 'ping'));
      const future = (await webhooks.queueDelivery(s.ws, hook.id, later.id, fromNow(60_000)))!;
      // Another workspace's endpoint (or a deleted one) queues nothing.
      assert.equal(await webhooks.queueDelivery(s.other, hook.id, later.id, fromNow(0)), undefined);
      assert.deepEqual([future.status, future.event_type, future.attempt_count], ['pending', 'ping', 0]);
      const off = await queued(1, 'project.deleted');
      await webhooks.updateEndpoint(s.ws, off.id, { status: 'disabled' });
      await queued(1, 'project.created', s.other);

      const firstTwo = await claim(1000, 2);
      const rest = await claim(1000);
      assert.equal(firstTwo.length, 2);
      assert.equal(rest.length, 2, 'the third of this endpoint and the other workspace, not the disabled one or the future one');
      assert.deepEqual(await claim(1000), [], 'leased');
      const [c] = firstTwo;
      assert.deepEqual([c.endpointId, c.workspaceId, c.url, c.attemptCount, c.failingSince], [hook.id, s.ws, hook.url, 0, null]);
      assert.deepEqual(c.secrets, [sealed(1)]);
      assert.equal(c.event.type, 'project.created');
      assert.deepEqual(c.event, await events.get(s.ws, c.event.id));
      const oldest = (await webhooks.listDeliveries(s.ws, hook.id, undefined, undefined, 10)).map((d) => d.id).reverse();
      assert.deepEqual(firstTwo.map((d) => d.id), oldest.slice(0, 2));

      const again = await claim(1000 + LEASE + 1);
      assert.deepEqual(new Set(again.map((d) => d.id)), new Set([...firstTwo, ...rest].map((d) => d.id)), 'an ended lease is claimed again');
      assert.ok((await claim(2 * LEASE + 60_000)).some((d) => d.id === future.id), 'due once its time comes');
      await webhooks.updateEndpoint(s.ws, off.id, { status: 'enabled' });
      assert.equal((await claim(4 * LEASE + 60_000)).filter((d) => d.endpointId === off.id).length, 1);
    });

    it('claimDue with room: per endpoint at most perEndpoint less those in flight, oldest first; an endpoint at its bound is skipped', async () => {
      const [a, b, c] = [await queued(5), await queued(5, 'project.deleted'), await queued(2, 'api_key.created')];
      const oldest = async (hook: WebhookEndpoint) =>
        (await s.store.webhooks.listDeliveries(s.ws, hook.id, undefined, undefined, 10)).map((d) => d.id).reverse();
      const [ofA, ofB, ofC] = [await oldest(a), await oldest(b), await oldest(c)];
      const of = (claimed: ClaimedDelivery[], hook: WebhookEndpoint) => claimed.filter((d) => d.endpointId === hook.id).map((d) => d.id).sort();

      const first = await claim(1000, 50, { perEndpoint: 2, inFlight: { [a.id]: 1, [c.id]: 2 } });
      assert.deepEqual([of(first, a), of(first, b), of(first, c)], [ofA.slice(0, 1), ofB.slice(0, 2).sort(), []]);
      const second = await claim(1000, 3, { perEndpoint: 2 });
      assert.deepEqual(second.map((d) => d.id).sort(), [...ofA.slice(1, 3), ofB[2]].sort(), 'the oldest due of those within their room');
      const third = await claim(1000, 50, { perEndpoint: 2 });
      assert.deepEqual([of(third, a), of(third, b), of(third, c)], [ofA.slice(3).sort(), ofB.slice(3).sort(), ofC.slice().sort()]);
      assert.deepEqual(await claim(1000, 50, { perEndpoint: 2 }), []);
    });

    it('recordAttempt: numbers attempts, sets state, ends the lease, keeps failing_since until a success', async () => {
      const { webhooks } = s.store;
      const hook = await queued(1);
      const [c] = await claim(1000);
      const [t1, next] = [fromNow(1000), fromNow(2000)];
      await webhooks.recordAttempt(c.id, failure(t1, next));
      let d = await webhooks.getDelivery(s.ws, hook.id, c.id);
      assert.deepEqual([d!.status, d!.attempt_count, d!.next_attempt_at], ['pending', 1, next]);
      assert.deepEqual(d!.attempts, [{ attempt: 1, attempted_at: t1, response_status: 500, duration_ms: 12, response_body: 'oops', error: null }]);
      assert.equal((await webhooks.getEndpoint(s.ws, hook.id))!.failing_since, t1);

      const [again] = await claim(3000);
      assert.equal(again.id, c.id, 'the lease ended with the attempt');
      assert.deepEqual([again.attemptCount, again.failingSince], [1, t1]);
      await webhooks.recordAttempt(c.id, failure(fromNow(3000), fromNow(4000)));
      assert.equal((await webhooks.getEndpoint(s.ws, hook.id))!.failing_since, t1, 'the run of failures started at the first');
      await claim(5000);
      await webhooks.recordAttempt(c.id, success(fromNow(5000)));
      d = await webhooks.getDelivery(s.ws, hook.id, c.id);
      assert.deepEqual([d!.status, d!.attempt_count, d!.next_attempt_at], ['succeeded', 3, null]);
      assert.deepEqual(d!.attempts.map((a) => a.attempt), [3, 2, 1]);
      assert.equal((await webhooks.getEndpoint(s.ws, hook.id))!.failing_since, null);
      assert.deepEqual(await claim(60_000), []);
      await webhooks.recordAttempt('whd_gone', success(fromNow(0)));
    });

    it('deliveries: pages newest first with a status filter, the latest 10 attempts; retry and recover', async () => {
      const { webhooks } = s.store;
      const hook = await queued(4);
      const all = (await webhooks.listDeliveries(s.ws, hook.id, undefined, undefined, 10)).map((d) => d.id);
      const page = await webhooks.listDeliveries(s.ws, hook.id, undefined, undefined, 3);
      const next = await webhooks.listDeliveries(s.ws, hook.id, undefined, page[2], 3);
      assert.deepEqual([...page, ...next].map((d) => d.id), all);
      assert.equal(await webhooks.getDelivery(s.other, hook.id, all[0]), undefined);

      // Due again before the others, so the oldest-due claim takes this one each time.
      let at = 1000;
      for (let i = 0; i < 12; i++, at += 1000) {
        const [c] = await webhooks.claimDue(fromNow(at), fromNow(at + 100), 1);
        await webhooks.recordAttempt(c.id, failure(fromNow(at), i < 11 ? fromNow(-60_000) : null, i < 11 ? 'pending' : 'failed'));
      }
      const failed = await webhooks.listDeliveries(s.ws, hook.id, 'failed', undefined, 10);
      assert.equal(failed.length, 1);
      assert.deepEqual([failed[0].attempt_count, failed[0].attempts.length, failed[0].attempts[0].attempt, failed[0].attempts[9].attempt], [12, 10, 12, 3]);
      assert.equal((await webhooks.listDeliveries(s.ws, hook.id, 'pending', undefined, 10)).length, 3);

      const dueAt = fromNow(at);
      const retried = await webhooks.retryDelivery(s.ws, hook.id, failed[0].id, dueAt);
      assert.deepEqual([retried!.status, retried!.next_attempt_at, retried!.attempt_count], ['pending', dueAt, 12]);
      assert.equal(await webhooks.retryDelivery(s.other, hook.id, failed[0].id, dueAt), undefined);

      for (const c of await webhooks.claimDue(fromNow(at), fromNow(at + 100), 10)) await webhooks.recordAttempt(c.id, failure(fromNow(at), null, 'failed'));
      assert.equal(await webhooks.recoverDeliveries(s.other, hook.id, fromNow(-60_000), dueAt), 0);
      assert.equal(await webhooks.recoverDeliveries(s.ws, hook.id, fromNow(60_000), dueAt), 0, 'none created since');
      assert.equal(await webhooks.recoverDeliveries(s.ws, hook.id, fromNow(-60_000), dueAt), 4);
      assert.equal((await webhooks.listDeliveries(s.ws, hook.id, 'pending', undefined, 10)).length, 4);
    });

    it('rotateSecret: both secrets sign until previousUntil, then only the new one', async () => {
      const { webhooks } = s.store;
      const hook = await queued(1);
      const until = fromNow(10_000);
      const rotated = await webhooks.rotateSecret(s.ws, hook.id, sealed(7), until);
      assert.equal(rotated!.id, hook.id);
      assert.equal(await webhooks.rotateSecret(s.other, hook.id, sealed(8), until), undefined);
      const [c] = await claim(1000);
      assert.deepEqual(c.secrets, [sealed(7), sealed(1)]);
      await webhooks.recordAttempt(c.id, failure(fromNow(1000), fromNow(1000)));
      const [after] = await claim(11_000);
      assert.deepEqual(after.secrets, [sealed(7)]);
    });

    it('disableEndpoint: pending deliveries fail, nothing more is claimed; only an enabled endpoint is returned', async () => {
      const { webhooks } = s.store;
      const hook = await queued(2);
      const keep = await queued(1, 'api_key.created');
      const done = (await claim(1000, 1))[0];
      await webhooks.recordAttempt(done.id, success(fromNow(1000)));
      const disabled = await webhooks.disableEndpoint(hook.id, 'gone');
      assert.equal(disabled!.workspaceId, s.ws);
      assert.deepEqual([disabled!.endpoint.status, disabled!.endpoint.disabled_reason], ['disabled', 'gone']);
      const states = (await webhooks.listDeliveries(s.ws, hook.id, undefined, undefined, 10)).map((d) => [d.status, d.next_attempt_at]);
      assert.deepEqual(states.sort(), [['failed', null], ['succeeded', null]]);
      assert.equal(await webhooks.disableEndpoint(hook.id, 'failing'), undefined);
      assert.deepEqual((await claim(60_000)).map((c) => c.endpointId), [keep.id]);
    });
  });
}

/** Two stores on one database: two handles on one SQLite file, or two pools on one PostgreSQL schema. */
async function twoStores(engine: string): Promise<{ stores: AnyStore[]; close(): Promise<void> }> {
  if (engine === 'SQLite') {
    const dir = mkdtempSync(join(tmpdir(), 'claims-'));
    const stores = [openAsyncSqliteStore(join(dir, 'db.sqlite')), openAsyncSqliteStore(join(dir, 'db.sqlite'))];
    return { stores, close: async () => { for (const st of stores) await st.close(); rmSync(dir, { recursive: true }); } };
  }
  const schema = await testSchema(process.env.DATABASE_URL!);
  const stores = [await openPgStore(schema.url, { max: 4 }), await openPgStore(schema.url, { max: 4 })];
  return { stores, close: async () => { for (const st of stores) await st.close(); await schema.drop(); } };
}

/** Claims of four loops over two stores until nothing is left; checks each batch against `room`. */
async function claimInParallel(engine: string, endpoints: number, room?: ClaimRoom): Promise<string[]> {
  const { stores, close } = await twoStores(engine);
  try {
    const ws = (await stores[0].identity.createWorkspace('Acme')).id;
    for (let i = 1; i <= endpoints; i++) await stores[0].webhooks.createEndpoint(ws, endpoint(['*'], i));
    for (let i = 0; i < 200 / endpoints; i++) await stores[i % 2].events.append(event(ws));
    const loop = async (store: AnyStore) => {
      const got: string[] = [];
      for (;;) {
        const batch = await store.webhooks.claimDue(fromNow(1000), fromNow(60_000), 10, room);
        if (batch.length === 0) return got;
        const counts = new Map<string, number>();
        for (const d of batch) counts.set(d.endpointId, (counts.get(d.endpointId) ?? 0) + 1);
        if (room) assert.ok(Math.max(...counts.values()) <= room.perEndpoint, 'a batch within its bound per endpoint');
        got.push(...batch.map((c) => c.id));
      }
    };
    return (await Promise.all([...stores, ...stores].map(loop))).flat();
  } finally {
    await close();
  }
}

for (const engine of engines) {
  describe(`store engines: webhook claims from two connections (${engine.name})`, () => {
    it('claims in parallel loops never return one delivery twice and together take all 200', async () => {
      const claims = await claimInParallel(engine.name, 1);
      assert.equal(claims.length, 200);
      assert.equal(new Set(claims).size, 200);
    });

    it('so too with a bound per endpoint: one delivery of each of four endpoints per claim', async () => {
      const claims = await claimInParallel(engine.name, 4, { perEndpoint: 1 });
      assert.equal(claims.length, 200);
      assert.equal(new Set(claims).size, 200);
    });
  });
}
