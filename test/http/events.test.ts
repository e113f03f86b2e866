import assert from 'node:assert/strict';
import { expectError, makeTestApp, signedIn, type TestApp } from '../helpers';
import { bearer, createKeyHttp } from '../support/apiKeys';
import { createProjectHttp } from '../support/projects';
import { assertEventPayload, eventsOf, WEBHOOK_ENV } from '../support/webhooks';

const EVENT_ID = /^evt_[0-9A-HJKMNP-TV-Z]{26}$/;

describe('events: every change announced, in the transaction of the change', () => {
  let t: TestApp;
  let owner: Awaited<ReturnType<typeof signedIn>>;
  let joined: string;
  beforeEach(async () => {
    t = makeTestApp(WEBHOOK_ENV);
    owner = await signedIn(t);
    // The owner's joining (made as the operator CLI makes it) is the workspace's first event.
    const first = await eventsOf(t, bearer(owner.auth));
    assert.deepEqual(first.map((e) => e.type), ['member.added']);
    joined = first[0].id;
  });

  /** The workspace's events since the owner joined, newest first. */
  const changes = async () => (await eventsOf(t, bearer(owner.auth))).filter((e) => e.id !== joined);

  it('createProject emits project.created with the request id and Idempotency-Key; a replay emits nothing new', async () => {
    const send = () => t.http.post('/v1/projects').set(bearer(owner.auth)).set('Idempotency-Key', 'k-1').set('X-Request-Id', 'req-test-1').send({ name: 'Alpha' });
    const res = await send().expect(201);
    const [event, ...rest] = await changes();
    assert.equal(rest.length, 0);
    assert.match(event.id, EVENT_ID);
    assert.equal(event.type, 'project.created');
    assert.equal(event.workspace_id, owner.workspaceId);
    assert.deepEqual(event.data.object, res.body.data);
    assert.deepEqual(event.request, { id: 'req-test-1', idempotency_key: 'k-1' });
    assert.equal((await send().expect(201)).headers['idempotent-replayed'], 'true');
    assert.equal((await changes()).length, 1, 'the replay emitted nothing');
  });

  it('a refused change emits nothing: 409 slug_taken, 412 precondition_failed, 400', async () => {
    const project = await createProjectHttp(t, owner.auth, { name: 'Alpha', slug: 'alpha' });
    expectError(await t.http.post('/v1/projects').set(bearer(owner.auth)).send({ name: 'B', slug: 'alpha' }), 409, 'slug_taken');
    const stale = await t.http.patch(`/v1/projects/${project.id}`).set(bearer(owner.auth)).set('If-Match', '"nope"').send({ name: 'C' });
    expectError(stale, 412, 'precondition_failed');
    expectError(await t.http.post('/v1/projects').set(bearer(owner.auth)).send({ name: 7 }), 400, 'validation_failed');
    assert.deepEqual((await changes()).map((e) => e.type), ['project.created']);
  });

  it('updateProject emits project.updated with previous_attributes of what changed; an update changing nothing emits nothing', async () => {
    const project = await createProjectHttp(t, owner.auth, { name: 'Alpha', slug: 'alpha', description: 'one' });
    const updated = (await t.http.patch(`/v1/projects/${project.id}`).set(bearer(owner.auth)).send({ name: 'Beta', description: 'one' }).expect(200)).body.data;
    await t.http.patch(`/v1/projects/${project.id}`).set(bearer(owner.auth)).send({ name: 'Beta' }).expect(200);
    const [event, created] = await eventsOf(t, bearer(owner.auth));
    assert.equal(created.type, 'project.created');
    assert.equal(event.type, 'project.updated');
    assert.deepEqual(event.data.object, updated);
    assert.deepEqual(event.data.previous_attributes, { name: 'Alpha', updated_at: project.updated_at });
  });

  it('deleteProject emits project.deleted with the project as it was', async () => {
    const project = await createProjectHttp(t, owner.auth, { name: 'Alpha' });
    await t.http.delete(`/v1/projects/${project.id}`).set(bearer(owner.auth)).expect(204);
    const [event] = await eventsOf(t, bearer(owner.auth));
    assert.equal(event.type, 'project.deleted');
    assert.deepEqual(event.data.object, project);
  });

  it('createApiKey, rotateApiKey, deleteApiKey emit api_key.created, .rotated (previous prefix and last4) and .revoked, never the key', async () => {
    const key = await createKeyHttp(t, bearer(owner.auth), { scopes: ['projects:read'] });
    const rotated = (await t.http.post(`/v1/api-keys/${key.id}/rotate`).set(bearer(owner.auth)).send({}).expect(200)).body.data;
    await t.http.delete(`/v1/api-keys/${key.id}`).set(bearer(owner.auth)).expect(204);
    const [revoked, rotation, created] = await eventsOf(t, bearer(owner.auth), '?type=api_key.*');
    assert.deepEqual([created.type, rotation.type, revoked.type], ['api_key.created', 'api_key.rotated', 'api_key.revoked']);
    assert.equal(created.data.object.id, key.id);
    assert.deepEqual(rotation.data.previous_attributes, { prefix: key.prefix, last4: key.last4, rotated_at: null });
    assert.equal(rotation.data.object.last4, rotated.last4);
    const text = JSON.stringify([revoked, rotation, created]);
    assert.ok(!text.includes(key.key) && !text.includes(rotated.key), 'no secret in any event');
  });

  it('listEvents: 200 filters by exact type, family (project.*), created_after and created_before, newest first, paged', async () => {
    const a = await createProjectHttp(t, owner.auth, { name: 'A' });
    await createKeyHttp(t, bearer(owner.auth), { scopes: ['projects:read'] });
    const b = await createProjectHttp(t, owner.auth, { name: 'B' });
    const all = await eventsOf(t, bearer(owner.auth));
    assert.deepEqual(all.map((e) => e.type), ['project.created', 'api_key.created', 'project.created', 'member.added']);
    assert.deepEqual((await eventsOf(t, bearer(owner.auth), '?type=project.*')).map((e) => e.data.object.id), [b.id, a.id]);
    assert.deepEqual((await eventsOf(t, bearer(owner.auth), '?type=api_key.created')).length, 1);
    const middle = all[1].created;
    const after = await eventsOf(t, bearer(owner.auth), `?created_after=${encodeURIComponent(middle)}`);
    assert.ok(after.every((e) => e.created >= middle));
    const before = await eventsOf(t, bearer(owner.auth), `?created_before=${encodeURIComponent(middle)}`);
    assert.ok(before.every((e) => e.created < middle));
    const page = await t.http.get('/v1/events?limit=2').set(bearer(owner.auth)).expect(200);
    const rest = await t.http.get(`/v1/events?limit=2&cursor=${page.body.meta.next_cursor}`).set(bearer(owner.auth)).expect(200);
    assert.deepEqual([...page.body.data, ...rest.body.data].map((e: { id: string }) => e.id), all.map((e) => e.id));
  });

  it('listEvents: 400 validation_failed for a malformed type filter; 400 invalid_cursor for a cursor of other filters', async () => {
    expectError(await t.http.get('/v1/events?type=Project%20Created').set(bearer(owner.auth)), 400, 'validation_failed');
    for (let i = 0; i < 3; i++) await createProjectHttp(t, owner.auth, { name: `P${i}` });
    const page = await t.http.get('/v1/events?limit=1').set(bearer(owner.auth)).expect(200);
    const res = await t.http.get(`/v1/events?limit=1&type=project.*&cursor=${page.body.meta.next_cursor}`).set(bearer(owner.auth));
    expectError(res, 400, 'invalid_cursor');
  });

  it('getEvent: 200 the event as listed; 404 not_found for an unknown id', async () => {
    await createProjectHttp(t, owner.auth, { name: 'A' });
    const [listed] = await eventsOf(t, bearer(owner.auth));
    const got = (await t.http.get(`/v1/events/${listed.id}`).set(bearer(owner.auth)).expect(200)).body.data;
    assertEventPayload(got);
    assert.deepEqual(got, listed);
    expectError(await t.http.get('/v1/events/evt_01JD3Y8N6V4Q2X7R5T9W1K3M5X').set(bearer(owner.auth)), 404, 'not_found');
  });
});
