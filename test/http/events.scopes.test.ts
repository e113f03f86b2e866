import assert from 'node:assert/strict';
import { expectError, makeTestApp, signedIn, type TestApp } from '../helpers';
import { apiKey, bearer, createKeyHttp, expectInsufficientScope, type Cred } from '../support/apiKeys';
import { createProjectHttp } from '../support/projects';
import { createEndpointHttp, eventsOf, RECEIVER_URL, WEBHOOK_ENV } from '../support/webhooks';

// Each event type is readable with the scope that reads its resource (`x-read-scope` in the
// contract's webhooks: map): a member, who lacks keys:write, must not learn of keys through events.

const typesOf = (events: { type: string }[]) => events.map((e) => e.type);

describe('events: each type readable only with the scope of its resource', () => {
  let t: TestApp;
  let owner: Awaited<ReturnType<typeof signedIn>>;
  let member: Awaited<ReturnType<typeof signedIn>>;
  let keyId: string;
  beforeEach(async () => {
    t = makeTestApp(WEBHOOK_ENV);
    owner = await signedIn(t, { workspace: 'Acme' });
    member = await signedIn(t, { workspace: 'Acme', role: 'member' });
    assert.equal(member.workspaceId, owner.workspaceId);
    await createProjectHttp(t, owner.auth, { name: 'Alpha' });
    keyId = (await createKeyHttp(t, bearer(owner.auth), { scopes: ['projects:read'] })).id;
  });

  const apiKeyEvent = async () => (await eventsOf(t, bearer(owner.auth), '?type=api_key.created'))[0];

  it('listEvents: 200 a member sees project.created and no api_key event, even when filtering for one', async () => {
    // The two joinings (member.added) are readable with members:read, which the member role holds.
    assert.deepEqual(typesOf(await eventsOf(t, bearer(owner.auth))), ['api_key.created', 'project.created', 'member.added', 'member.added']);
    assert.deepEqual(typesOf(await eventsOf(t, bearer(member.auth))), ['project.created', 'member.added', 'member.added']);
    for (const type of ['api_key.*', 'api_key.created']) {
      const res = await t.http.get(`/v1/events?type=${type}`).set(bearer(member.auth)).expect(200);
      assert.deepEqual(res.body.data, [], type);
      assert.equal(res.body.meta.has_more, false, type);
    }
  });

  it('getEvent: 404 not_found for a member asking for an api_key event; 200 for the owner', async () => {
    const event = await apiKeyEvent();
    assert.equal(event.data.object.id, keyId);
    const err = expectError(await t.http.get(`/v1/events/${event.id}`).set(bearer(member.auth)), 404, 'not_found');
    assert.ok(!JSON.stringify(err).includes(keyId), 'the refusal reveals nothing of the key');
    const got = await t.http.get(`/v1/events/${event.id}`).set(bearer(owner.auth)).expect(200);
    assert.deepEqual(got.body.data, event);
  });

  it('listEvents, getEvent: 200 an API key sees project events only when it also holds projects:read', async () => {
    const hooksOnly = apiKey((await createKeyHttp(t, bearer(owner.auth), { scopes: ['webhooks:read'] })).key);
    const withProjects = apiKey((await createKeyHttp(t, bearer(owner.auth), { scopes: ['webhooks:read', 'projects:read'] })).key);
    const [project] = await eventsOf(t, bearer(owner.auth), '?type=project.created');

    assert.deepEqual(await eventsOf(t, hooksOnly), []);
    assert.deepEqual(await eventsOf(t, hooksOnly, '?type=project.*'), []);
    expectError(await t.http.get(`/v1/events/${project.id}`).set(hooksOnly), 404, 'not_found');

    assert.deepEqual(typesOf(await eventsOf(t, withProjects)), ['project.created']);
    await t.http.get(`/v1/events/${project.id}`).set(withProjects).expect(200);
  });

  describe('webhook subscriptions need the read scope of every type they receive', () => {
    const createEndpoint = (cred: Cred, enabled_events: string[]) =>
      t.http.post('/v1/webhook-endpoints').set(cred).send({ url: RECEIVER_URL, enabled_events });
    const listEndpoints = async () => (await t.http.get('/v1/webhook-endpoints').set(bearer(owner.auth)).expect(200)).body.data;

    it("createWebhookEndpoint: 403 insufficient_scope naming keys:write for a member subscribing to '*' or api_key.created", async () => {
      for (const events of [['*'], ['api_key.created'], ['project.created', 'api_key.created']]) {
        const res = await createEndpoint(bearer(member.auth), events);
        expectInsufficientScope(res, 'keys:write');
        assert.match(res.headers['www-authenticate'], /^Bearer realm=/, 'a user is challenged for a token');
      }
      assert.deepEqual(await listEndpoints(), [], 'no endpoint was created');
    });

    it('createWebhookEndpoint: 201 for a member subscribing to project.created', async () => {
      const created = await createEndpointHttp(t, bearer(member.auth), { enabled_events: ['project.created'] });
      assert.deepEqual(created.enabled_events, ['project.created']);
    });

    it("updateWebhookEndpoint: 403 insufficient_scope for a member re-pointing an owner's '*' endpoint or choosing api_key events", async () => {
      const endpoint = await createEndpointHttp(t, bearer(owner.auth), { enabled_events: ['*'] });
      const patch = (body: object) => t.http.patch(`/v1/webhook-endpoints/${endpoint.id}`).set(bearer(member.auth)).send(body);
      expectInsufficientScope(await patch({ url: 'http://127.0.0.1:9/elsewhere' }), 'keys:write');
      expectInsufficientScope(await patch({ enabled_events: ['api_key.created'] }), 'keys:write');
      const [unchanged] = await listEndpoints();
      assert.equal(unchanged.url, RECEIVER_URL);
      assert.deepEqual(unchanged.enabled_events, ['*']);
    });

    it("updateWebhookEndpoint: 200 for a member changing only the description or status of an owner's '*' endpoint", async () => {
      const endpoint = await createEndpointHttp(t, bearer(owner.auth), { enabled_events: ['*'] });
      const patch = (body: object) => t.http.patch(`/v1/webhook-endpoints/${endpoint.id}`).set(bearer(member.auth)).send(body);
      const described = await patch({ description: 'reviewed by a member' }).expect(200);
      assert.equal(described.body.data.description, 'reviewed by a member');
      assert.deepEqual(described.body.data.enabled_events, ['*']);
      assert.equal((await patch({ status: 'disabled' }).expect(200)).body.data.status, 'disabled');
    });
  });
});
