import assert from 'node:assert/strict';
import type { Event } from '../../../src/store/ports';
import { engines, withWorkspaces } from './engines';
import { ISO_MS, endpoint, event, failure, fromNow } from './webhookFixtures';

for (const engine of engines) {
  describe(`store engines: events (${engine.name})`, () => {
    const s = withWorkspaces(engine);

    it('append stores the contract shape (previous_attributes only when given); get is scoped to the workspace', async () => {
      const { events } = s.store;
      const created = await events.append(event(s.ws));
      assert.match(created.id, /^evt_[0-9A-Z]{26}$/);
      assert.match(created.created, ISO_MS);
      assert.deepEqual(Object.keys(created), ['id', 'type', 'created', 'workspace_id', 'data', 'request']);
      assert.deepEqual(created.data, { object: { id: 'prj_1', name: 'Payments' } });
      assert.deepEqual(created.request, { id: 'req_1', idempotency_key: null });
      const updated = await events.append(event(s.ws, 'project.updated', { previousAttributes: { name: 'Old' }, idempotencyKey: 'k1' }));
      assert.deepEqual(updated.data, { object: { id: 'prj_1', name: 'Payments' }, previous_attributes: { name: 'Old' } });
      assert.equal(updated.request.idempotency_key, 'k1');

      const read = await events.get(s.ws, created.id);
      assert.deepEqual(read, created);
      assert.equal(JSON.stringify(read), JSON.stringify(created), 'keys keep the contract order');
      assert.deepEqual(await events.get(s.ws, updated.id), updated);
      assert.equal(await events.get(s.other, created.id), undefined);
    });

    it('append queues nothing; the next claim fans out to enabled endpoints subscribed to the type or * that existed then, never for ping', async () => {
      const { events, webhooks } = s.store;
      const exact = await webhooks.createEndpoint(s.ws, endpoint(['project.created'], 1));
      const star = await webhooks.createEndpoint(s.ws, endpoint(['*'], 2));
      const off = await webhooks.createEndpoint(s.ws, endpoint(['*'], 3));
      await webhooks.updateEndpoint(s.ws, off.id, { status: 'disabled' });
      const elsewhere = await webhooks.createEndpoint(s.ws, endpoint(['api_key.created', 'project.deleted'], 4));
      const otherWs = await webhooks.createEndpoint(s.other, endpoint(['*'], 5));

      const e = await events.append(event(s.ws));
      await events.append(event(s.ws, 'ping'));
      const deliveries = async (workspaceId: string, endpointId: string) => webhooks.listDeliveries(workspaceId, endpointId, undefined, undefined, 10);
      assert.deepEqual(await deliveries(s.ws, star.id), [], 'the request queues no delivery');
      await new Promise((resolve) => setTimeout(resolve, 5)); // times are in milliseconds: a later one
      const late = await webhooks.createEndpoint(s.ws, endpoint(['*'], 6));
      // A claim at a time before the event: it fans out, and nothing is due yet to lease.
      assert.deepEqual(await webhooks.claimDue(fromNow(-60_000), fromNow(0), 10), []);
      for (const target of [exact, star]) {
        const [d, ...rest] = await deliveries(s.ws, target.id);
        assert.deepEqual(rest, []);
        assert.match(d.id, /^whd_[0-9A-Z]{26}$/);
        assert.deepEqual(
          { ...d, id: undefined },
          { id: undefined, endpoint_id: target.id, event_id: e.id, event_type: 'project.created', status: 'pending', attempt_count: 0, next_attempt_at: e.created, created_at: e.created, attempts: [] },
        );
      }
      assert.deepEqual(await deliveries(s.ws, off.id), []);
      assert.deepEqual(await deliveries(s.ws, late.id), [], 'an endpoint created after the event does not get it');
      assert.deepEqual(await deliveries(s.ws, elsewhere.id), []);
      assert.deepEqual(await deliveries(s.other, otherWs.id), []);
    });

    it('list: newest first in keyset pages; type exact or family; created_after inclusive, created_before exclusive', async () => {
      const { events } = s.store;
      const types = ['project.created', 'api_key.created', 'project.updated', 'webhook_endpoint.created', 'project.deleted', 'api_key.revoked', 'project.created'] as const;
      const made: Event[] = [];
      for (const type of types) made.push(await events.append(event(s.ws, type)));
      await events.append(event(s.other));
      const newest = [...made].reverse();

      const walked: string[] = [];
      let after: { created_at: string; id: string } | undefined;
      for (;;) {
        const page = await events.list(s.ws, {}, after, 3);
        walked.push(...page.map((e) => e.id));
        if (page.length < 3) break;
        after = { created_at: page[2].created, id: page[2].id };
      }
      assert.deepEqual(walked, newest.map((e) => e.id));

      const ids = async (filters: Parameters<typeof events.list>[1]) => (await events.list(s.ws, filters, undefined, 50)).map((e) => e.id);
      assert.deepEqual(await ids({ type: 'project.created' }), newest.filter((e) => e.type === 'project.created').map((e) => e.id));
      assert.deepEqual(await ids({ type: 'project.*' }), newest.filter((e) => e.type.startsWith('project.')).map((e) => e.id));
      assert.deepEqual(await ids({ type: 'api_key.*' }), newest.filter((e) => e.type.startsWith('api_key.')).map((e) => e.id));
      assert.deepEqual(await ids({ type: 'api.*' }), [], 'a family is the part before the dot, not a prefix of it');
      assert.deepEqual(await ids({ type: 'project' }), []);

      const cut = made[3];
      const since = await events.list(s.ws, { createdAfter: cut.created }, undefined, 50);
      assert.ok(since.some((e) => e.id === cut.id), 'created_after is inclusive');
      assert.ok(since.every((e) => e.created >= cut.created));
      const before = await events.list(s.ws, { createdBefore: cut.created }, undefined, 50);
      assert.ok(before.every((e) => e.created < cut.created), 'created_before is exclusive');
      assert.equal(since.length + before.length, made.length);
      const wholeSecond = `${made[0].created.slice(0, 19)}Z`;
      assert.equal((await events.list(s.ws, { createdAfter: wholeSecond }, undefined, 50)).length, made.length, 'any RFC 3339 form compares as time');
      assert.deepEqual(await ids({ createdAfter: fromNow(60_000) }), []);
    });

    it('purge deletes events created before the time, with their deliveries and attempts', async () => {
      const { events, webhooks } = s.store;
      const hook = await webhooks.createEndpoint(s.ws, endpoint(['*']));
      const made: Event[] = [];
      for (let i = 0; i < 4; i++) made.push(await events.append(event(s.ws)));
      const [claimed] = await webhooks.claimDue(fromNow(1000), fromNow(60_000), 1);
      await webhooks.recordAttempt(claimed.id, failure(fromNow(0), fromNow(60_000)));

      assert.equal(await events.purge(fromNow(-60_000)), 0);
      const cut = made[2].created;
      const expected = made.filter((e) => e.created < cut).length;
      assert.equal(await events.purge(cut), expected);
      assert.equal((await events.list(s.ws, {}, undefined, 10)).length, made.length - expected);
      assert.equal(await events.purge(fromNow(1000)), made.length - expected);
      assert.deepEqual(await events.list(s.ws, {}, undefined, 10), []);
      assert.deepEqual(await webhooks.listDeliveries(s.ws, hook.id, undefined, undefined, 10), []);
      assert.equal(await webhooks.getDelivery(s.ws, hook.id, claimed.id), undefined);
      assert.ok(await webhooks.getEndpoint(s.ws, hook.id), 'the endpoint stays');
    });
  });
}
