import assert from 'node:assert/strict';
import { expectError, makeTestApp, signedIn, type TestApp } from '../helpers';
import { bearer, createKeyHttp, apiKey } from '../support/apiKeys';
import { ISO_MS } from '../support/projects';
import {
  createEndpointHttp,
  ENDPOINT_ID,
  eventsOf,
  RECEIVER_URL,
  SECRET,
  UNKNOWN_ENDPOINT_ID,
  WEBHOOK_ENV,
} from '../support/webhooks';

const FIELDS = ['created_at', 'description', 'disabled_reason', 'enabled_events', 'failing_since', 'id', 'status', 'updated_at', 'url'];

describe('webhook endpoints', () => {
  let t: TestApp;
  let owner: Awaited<ReturnType<typeof signedIn>>;
  beforeEach(async () => {
    t = makeTestApp(WEBHOOK_ENV);
    owner = await signedIn(t);
  });

  it('createWebhookEndpoint: 201 with the secret shown once, Location and no-store; getWebhookEndpoint: 200 without it', async () => {
    const res = await t.http
      .post('/v1/webhook-endpoints')
      .set(bearer(owner.auth))
      .send({ url: RECEIVER_URL, enabled_events: ['project.created'], description: 'deploy bot' })
      .expect(201);
    const created = res.body.data;
    assert.match(created.id, ENDPOINT_ID);
    assert.match(created.secret, SECRET);
    assert.ok(Buffer.from(created.secret.slice(6), 'base64').length >= 24, 'at least 24 random bytes');
    assert.equal(created.previous_secret_expires_at, null);
    assert.equal(res.headers.location, `/v1/webhook-endpoints/${created.id}`);
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.equal(created.status, 'enabled');
    const got = (await t.http.get(`/v1/webhook-endpoints/${created.id}`).set(bearer(owner.auth)).expect(200)).body.data;
    assert.deepEqual(Object.keys(got).sort(), FIELDS);
    assert.equal(got.url, RECEIVER_URL);
    assert.deepEqual(got.enabled_events, ['project.created']);
    assert.equal(got.description, 'deploy bot');
    assert.match(got.created_at, ISO_MS);
    assert.ok(!t.rawLog().includes(created.secret), 'the secret is never logged');
  });

  it('listWebhookEndpoints: 200 newest first, paged with a cursor, secrets never listed', async () => {
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await createEndpointHttp(t, bearer(owner.auth))).id);
    const first = await t.http.get('/v1/webhook-endpoints?limit=2').set(bearer(owner.auth)).expect(200);
    assert.deepEqual(first.body.data.map((e: { id: string }) => e.id), ids.slice().reverse().slice(0, 2));
    assert.ok(first.body.data.every((e: object) => !('secret' in e)));
    const next = await t.http.get(`/v1/webhook-endpoints?limit=2&cursor=${first.body.meta.next_cursor}`).set(bearer(owner.auth)).expect(200);
    assert.deepEqual(next.body.data.map((e: { id: string }) => e.id), [ids[0]]);
    assert.equal(next.body.meta.has_more, false);
  });

  it('updateWebhookEndpoint: 200 changes fields and emits webhook_endpoint.updated with the previous values', async () => {
    const created = await createEndpointHttp(t, bearer(owner.auth), { enabled_events: ['project.created'] });
    const res = await t.http
      .patch(`/v1/webhook-endpoints/${created.id}`)
      .set(bearer(owner.auth))
      .send({ enabled_events: ['*'], status: 'disabled' })
      .expect(200);
    assert.deepEqual(res.body.data.enabled_events, ['*']);
    assert.equal(res.body.data.status, 'disabled');
    assert.equal(res.body.data.disabled_reason, 'manual');
    const [updated] = await eventsOf(t, bearer(owner.auth), '?type=webhook_endpoint.updated');
    assert.deepEqual(updated.data.previous_attributes.enabled_events, ['project.created']);
    assert.equal(updated.data.previous_attributes.status, 'enabled');
    const enabled = await t.http.patch(`/v1/webhook-endpoints/${created.id}`).set(bearer(owner.auth)).send({ status: 'enabled' }).expect(200);
    assert.equal(enabled.body.data.disabled_reason, null);
  });

  it('deleteWebhookEndpoint: 204, then 404 not_found for get, update, delete and test', async () => {
    const created = await createEndpointHttp(t, bearer(owner.auth));
    await t.http.delete(`/v1/webhook-endpoints/${created.id}`).set(bearer(owner.auth)).expect(204);
    const path = `/v1/webhook-endpoints/${created.id}`;
    expectError(await t.http.get(path).set(bearer(owner.auth)), 404, 'not_found');
    expectError(await t.http.patch(path).set(bearer(owner.auth)).send({ description: 'x' }), 404, 'not_found');
    expectError(await t.http.delete(path).set(bearer(owner.auth)), 404, 'not_found');
    expectError(await t.http.post(`${path}/test`).set(bearer(owner.auth)), 404, 'not_found');
    const [deleted] = await eventsOf(t, bearer(owner.auth), '?type=webhook_endpoint.deleted');
    assert.equal(deleted.data.object.id, created.id);
  });

  it('rotateWebhookSecret: 200 a new secret, the previous one signing 24 hours more', async () => {
    const created = await createEndpointHttp(t, bearer(owner.auth));
    const res = await t.http.post(`/v1/webhook-endpoints/${created.id}/rotate-secret`).set(bearer(owner.auth)).expect(200);
    assert.match(res.body.data.secret, SECRET);
    assert.notEqual(res.body.data.secret, created.secret);
    const until = Date.parse(res.body.data.previous_secret_expires_at) - Date.now();
    assert.ok(until > 23.9 * 3600e3 && until <= 24 * 3600e3, `${until} ms`);
    assert.equal(res.headers['cache-control'], 'no-store');
  });

  it('testWebhookEndpoint: 202 a pending ping delivery, listed by listWebhookDeliveries; 409 endpoint_disabled when disabled', async () => {
    const created = await createEndpointHttp(t, bearer(owner.auth), { enabled_events: ['project.created'] });
    const res = await t.http.post(`/v1/webhook-endpoints/${created.id}/test`).set(bearer(owner.auth)).expect(202);
    assert.equal(res.body.data.event_type, 'ping');
    assert.equal(res.body.data.status, 'pending');
    const list = await t.http.get(`/v1/webhook-endpoints/${created.id}/deliveries`).set(bearer(owner.auth)).expect(200);
    assert.deepEqual(list.body.data.map((d: { id: string }) => d.id), [res.body.data.id]);
    const [ping] = await eventsOf(t, bearer(owner.auth), '?type=ping');
    assert.equal(ping.data.object.endpoint_id, created.id);
    await t.http.patch(`/v1/webhook-endpoints/${created.id}`).set(bearer(owner.auth)).send({ status: 'disabled' }).expect(200);
    expectError(await t.http.post(`/v1/webhook-endpoints/${created.id}/test`).set(bearer(owner.auth)), 409, 'endpoint_disabled');
  });

  it('retryWebhookDelivery: 202 pending again; 404 for an unknown delivery; recoverWebhookDeliveries: 202 with the count', async () => {
    const created = await createEndpointHttp(t, bearer(owner.auth));
    const ping = (await t.http.post(`/v1/webhook-endpoints/${created.id}/test`).set(bearer(owner.auth)).expect(202)).body.data;
    const path = `/v1/webhook-endpoints/${created.id}/deliveries`;
    const retried = await t.http.post(`${path}/${ping.id}/retry`).set(bearer(owner.auth)).expect(202);
    assert.equal(retried.body.data.status, 'pending');
    expectError(await t.http.post(`${path}/whd_01JD3Y8N6V4Q2X7R5T9W1K3M5W/retry`).set(bearer(owner.auth)), 404, 'not_found');
    const recovered = await t.http
      .post(`/v1/webhook-endpoints/${created.id}/recover`)
      .set(bearer(owner.auth))
      .send({ since: '2026-01-01T00:00:00Z' })
      .expect(202);
    assert.deepEqual(recovered.body.data, { requeued: 0 });
  });

  it('createWebhookEndpoint: 409 limit_exceeded past WEBHOOK_MAX_ENDPOINTS per workspace; another workspace is not affected', async () => {
    t = makeTestApp({ ...WEBHOOK_ENV, WEBHOOK_MAX_ENDPOINTS: '2' });
    owner = await signedIn(t);
    await createEndpointHttp(t, bearer(owner.auth));
    await createEndpointHttp(t, bearer(owner.auth));
    const res = await t.http.post('/v1/webhook-endpoints').set(bearer(owner.auth)).send({ url: RECEIVER_URL, enabled_events: ['*'] });
    expectError(res, 409, 'limit_exceeded');
    const other = await signedIn(t);
    await createEndpointHttp(t, bearer(other.auth));
  });

  it('createWebhookEndpoint: 400 validation_failed for an unknown event type, an empty list or a bad URL', async () => {
    for (const body of [
      { url: RECEIVER_URL, enabled_events: ['project.exploded'] },
      { url: RECEIVER_URL, enabled_events: [] },
      { url: 'ftp://127.0.0.1/x', enabled_events: ['*'] },
      { url: 'not a url', enabled_events: ['*'] },
    ]) {
      expectError(await t.http.post('/v1/webhook-endpoints').set(bearer(owner.auth)).send(body), 400, 'validation_failed');
    }
  });

  it('createWebhookEndpoint, updateWebhookEndpoint: 400 url_not_allowed for internal addresses unless WEBHOOK_ALLOW_PRIVATE', async () => {
    t = makeTestApp({ WEBHOOK_ALLOW_PRIVATE: 'false' });
    owner = await signedIn(t);
    for (const url of ['https://127.0.0.1/x', 'https://localhost/x', 'https://10.0.0.8/x', 'https://169.254.169.254/latest', 'https://[::1]/x']) {
      const err = expectError(await t.http.post('/v1/webhook-endpoints').set(bearer(owner.auth)).send({ url, enabled_events: ['*'] }), 400, 'validation_failed');
      assert.equal((err.details as { code: string }[])[0].code, 'url_not_allowed', url);
    }
  });

  it('createWebhookEndpoint, updateWebhookEndpoint: 400 url_not_allowed for port 0, even with WEBHOOK_ALLOW_PRIVATE', async () => {
    const urlRefused = (res: Parameters<typeof expectError>[0]) => {
      const err = expectError(res, 400, 'validation_failed');
      assert.deepEqual((err.details as { pointer: string; code: string }[]).map((d) => [d.pointer, d.code]), [['/body/url', 'url_not_allowed']]);
    };
    urlRefused(await t.http.post('/v1/webhook-endpoints').set(bearer(owner.auth)).send({ url: 'https://8.8.8.8:0/h', enabled_events: ['*'] }));
    urlRefused(await t.http.post('/v1/webhook-endpoints').set(bearer(owner.auth)).send({ url: 'http://127.0.0.1:0/h', enabled_events: ['*'] }));
    const created = await createEndpointHttp(t, bearer(owner.auth));
    urlRefused(await t.http.patch(`/v1/webhook-endpoints/${created.id}`).set(bearer(owner.auth)).send({ url: 'https://8.8.8.8:0/h' }));
    const kept = await t.http.get(`/v1/webhook-endpoints/${created.id}`).set(bearer(owner.auth)).expect(200);
    assert.equal(kept.body.data.url, RECEIVER_URL);
  });

  it('webhooks:read lists and gets; webhooks:write is needed to change: 403 insufficient_scope; 401 without credentials', async () => {
    const created = await createEndpointHttp(t, bearer(owner.auth));
    const reader = await createKeyHttp(t, bearer(owner.auth), { scopes: ['webhooks:read'] });
    await t.http.get('/v1/webhook-endpoints').set(apiKey(reader.key)).expect(200);
    await t.http.get(`/v1/webhook-endpoints/${created.id}`).set(apiKey(reader.key)).expect(200);
    await t.http.get('/v1/events').set(apiKey(reader.key)).expect(200);
    const res = await t.http.post('/v1/webhook-endpoints').set(apiKey(reader.key)).send({ url: RECEIVER_URL, enabled_events: ['*'] });
    expectError(res, 403, 'insufficient_scope');
    expectError(await t.http.delete(`/v1/webhook-endpoints/${created.id}`).set(apiKey(reader.key)), 403, 'insufficient_scope');
    const projectsOnly = await createKeyHttp(t, bearer(owner.auth), { scopes: ['projects:read'] });
    expectError(await t.http.get('/v1/events').set(apiKey(projectsOnly.key)), 403, 'insufficient_scope');
    expectError(await t.http.get('/v1/webhook-endpoints'), 401, 'unauthenticated');
  });

  it("tenant isolation: another workspace's endpoint, deliveries and events are 404 not_found and never listed", async () => {
    const created = await createEndpointHttp(t, bearer(owner.auth));
    const [event] = await eventsOf(t, bearer(owner.auth));
    const other = await signedIn(t);
    const as = bearer(other.auth);
    const path = `/v1/webhook-endpoints/${created.id}`;
    for (const res of [
      await t.http.get(path).set(as),
      await t.http.patch(path).set(as).send({ description: 'x' }),
      await t.http.post(`${path}/rotate-secret`).set(as),
      await t.http.post(`${path}/test`).set(as),
      await t.http.get(`${path}/deliveries`).set(as),
      await t.http.post(`${path}/recover`).set(as).send({ since: '2026-01-01T00:00:00Z' }),
      await t.http.delete(path).set(as),
      await t.http.get(`/v1/events/${event.id}`).set(as),
    ]) {
      expectError(res, 404, 'not_found');
    }
    assert.deepEqual((await t.http.get('/v1/webhook-endpoints').set(as).expect(200)).body.data, []);
    // The other workspace sees only its own event: its owner joining it.
    assert.deepEqual((await eventsOf(t, as)).map((e) => [e.type, e.workspace_id]), [['member.added', other.workspaceId]]);
    await t.http.get(path).set(bearer(owner.auth)).expect(200);
  });

  it('getWebhookEndpoint: 404 not_found for an unknown id', async () => {
    expectError(await t.http.get(`/v1/webhook-endpoints/${UNKNOWN_ENDPOINT_ID}`).set(bearer(owner.auth)), 404, 'not_found');
  });
});
