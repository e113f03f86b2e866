// The SDK's projects namespace against the real service: ETags for conditional writes, and one
// typed error per failure the contract names (400, 404, 409, 412, 422), none of them retried.
import assert from 'node:assert/strict';
import { ApiError, errorIs, isApiError } from '../../sdk/src';
import { UNKNOWN_PROJECT_ID } from '../support/projects';
import { live, recorder, type Live } from './harness';

/** The error a call rejected with (the test fails if it resolved). */
async function rejection(call: Promise<unknown>): Promise<unknown> {
  return call.then(
    () => assert.fail('the call succeeded'),
    (err: unknown) => err,
  );
}

describe('SDK: projects', () => {
  let l: Live;
  beforeEach(async () => (l = await live()));
  afterEach(() => l.close());

  it('createProject, getProject, updateProject, deleteProject: each version comes with its ETag, and ifMatch makes the write conditional', async () => {
    const client = l.client();
    const created = await client.projects.create({ name: 'Payments API' });
    assert.equal(created.data.slug, 'payments-api');
    assert.match(created.etag, /^"/);
    const got = await client.projects.get(created.data.id);
    assert.deepEqual(got, created);

    const updated = await client.projects.update(created.data.id, { description: 'Cards' }, { ifMatch: got.etag });
    assert.equal(updated.data.description, 'Cards');
    assert.notEqual(updated.etag, got.etag);

    // A writer holding the old version loses: 412, and nothing changes.
    const stale = await rejection(client.projects.update(created.data.id, { description: 'Lost update' }, { ifMatch: got.etag }));
    assert.ok(errorIs.preconditionFailed(stale));
    assert.equal(stale.status, 412);
    assert.equal((await client.projects.get(created.data.id)).data.description, 'Cards');
    assert.ok(errorIs.preconditionFailed(await rejection(client.projects.delete(created.data.id, { ifMatch: got.etag }))));

    await client.projects.delete(created.data.id, { ifMatch: updated.etag });
    assert.ok(errorIs.notFound(await rejection(client.projects.get(created.data.id))));
  });

  it('400 validation_failed: an ApiError with the per-field details and the request id', async () => {
    const rec = recorder();
    const client = l.client({}, rec);
    const err = await rejection(client.projects.create({ name: 'Bad', slug: 'Not A Slug!' }, { requestId: 'sdk-test-400' }));
    assert.ok(err instanceof ApiError);
    assert.ok(isApiError(err, 'validation_failed'));
    assert.ok(errorIs.validationFailed(err) && !errorIs.notFound(err));
    assert.equal(err.status, 400);
    assert.equal(err.requestId, 'sdk-test-400');
    assert.equal(err.headers.get('x-request-id'), 'sdk-test-400');
    assert.ok(err.details.some((d) => d.pointer === '/body/slug'), JSON.stringify(err.details));
    assert.equal(typeof err.message, 'string');
    assert.equal(rec.sent.length, 1, 'a 400 is not retried');
  });

  it('404 not_found: getProject of an id no project has', async () => {
    const err = await rejection(l.client().projects.get(UNKNOWN_PROJECT_ID));
    assert.ok(errorIs.notFound(err));
    assert.equal(err.code, 'not_found');
    assert.equal(err.status, 404);
    assert.match(err.requestId ?? '', /^req_/);
  });

  it('409 slug_taken: createProject with a slug another project has', async () => {
    const client = l.client();
    await client.projects.create({ name: 'One', slug: 'shared' });
    const err = await rejection(client.projects.create({ name: 'Two', slug: 'shared' }));
    assert.ok(errorIs.slugTaken(err));
    assert.equal(err.status, 409);
  });

  it('422 idempotency_key_reused: the same Idempotency-Key on another request; the same request is replayed', async () => {
    const rec = recorder();
    const client = l.client({}, rec);
    const first = await client.projects.create({ name: 'Once' }, { idempotencyKey: 'sdk-key-1' });
    const again = await client.projects.create({ name: 'Once' }, { idempotencyKey: 'sdk-key-1' });
    assert.equal(again.data.id, first.data.id);
    const err = await rejection(client.projects.create({ name: 'Other' }, { idempotencyKey: 'sdk-key-1' }));
    assert.ok(errorIs.idempotencyKeyReused(err));
    assert.equal(err.status, 422);
    assert.deepEqual(
      rec.sent.map((s) => s.headers.get('idempotency-key')),
      ['sdk-key-1', 'sdk-key-1', 'sdk-key-1'],
    );
    assert.equal((await client.projects.list({ name: 'Once' }).toArray()).length, 1);
  });

  it('every POST and PATCH carries a generated Idempotency-Key (a UUID per call); GET and DELETE none', async () => {
    const rec = recorder();
    const client = l.client({}, rec);
    const a = await client.projects.create({ name: 'A' });
    await client.projects.create({ name: 'B' });
    await client.projects.update(a.data.id, { name: 'A2' });
    await client.projects.get(a.data.id);
    await client.projects.delete(a.data.id);
    const keys = rec.sent.map((s) => [s.method, s.headers.get('idempotency-key')] as const);
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    for (const [method, key] of keys) {
      if (method === 'POST' || method === 'PATCH') assert.match(key ?? '', uuid, method);
      else assert.equal(key, null, method);
    }
    assert.equal(new Set(keys.map(([, key]) => key).filter(Boolean)).size, 3);
  });
});
