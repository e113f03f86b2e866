import assert from 'node:assert/strict';
import { expectError, makeTestApp, signedIn, type TestApp } from '../helpers';
import { failingProjects, makeAppWith } from '../support/app';
import { expectErrorFor } from '../support/errors';
import type { Project } from '../../src/store/ports';
import {
  afterMillisecond,
  assertProjectShape,
  createProjectHttp,
  getProjectHttp,
  UNKNOWN_PROJECT_ID,
} from '../support/projects';

describe('PATCH /v1/projects/{project_id} (updateProject)', () => {
  let t: TestApp;
  let auth: string;
  let p: Project;

  beforeEach(async () => {
    t = makeTestApp();
    ({ auth } = await signedIn(t));
    p = await createProjectHttp(t, auth, { name: 'Payments', slug: 'payments', description: 'Cards.' });
  });

  const patch = (id: string, body: unknown) =>
    t.http.patch(`/v1/projects/${id}`).set('Authorization', auth).send(body as object);
  const current = async (id = p.id) => (await getProjectHttp(t, auth, id)).body.data as Project;

  describe('200', () => {
    it('updateProject: 200 changes only the fields present (merge semantics)', async () => {
      await afterMillisecond(p.updated_at);
      const res = await patch(p.id, { description: 'Cards and wallets.' });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assertProjectShape(res.body.data);
      const { updated_at, ...rest } = res.body.data;
      const { updated_at: before, ...expected } = p;
      assert.deepEqual(rest, { ...expected, description: 'Cards and wallets.' });
      assert.ok(updated_at > before, `updated_at ${updated_at} must move past ${before}`);
      assert.equal(res.body.data.created_at, p.created_at);
      assert.deepEqual(await current(), res.body.data);
    });

    it('updateProject: 200 renames and changes the slug together', async () => {
      const res = await patch(p.id, { name: 'Payments v2', slug: 'payments-v2' });
      assert.equal(res.status, 200);
      assert.equal(res.body.data.name, 'Payments v2');
      assert.equal(res.body.data.slug, 'payments-v2');
      assert.equal(res.body.data.description, 'Cards.');
      // The old slug is free again.
      const other = await createProjectHttp(t, auth, { name: 'x', slug: 'payments' });
      assert.equal(other.slug, 'payments');
    });

    it('updateProject: 200 renaming does not change the slug', async () => {
      const res = await patch(p.id, { name: 'Something else' });
      assert.equal(res.status, 200);
      assert.equal(res.body.data.slug, 'payments');
    });

    it('updateProject: 200 description null clears the description', async () => {
      const res = await patch(p.id, { description: null });
      assert.equal(res.status, 200);
      assert.equal(res.body.data.description, null);
      assert.equal(res.body.data.name, 'Payments');
      assert.equal((await current()).description, null);
    });

    it('updateProject: 200 with Content-Type application/merge-patch+json', async () => {
      const res = await t.http
        .patch(`/v1/projects/${p.id}`)
        .set('Authorization', auth)
        .set('Content-Type', 'application/merge-patch+json')
        .send(JSON.stringify({ description: null, name: 'Merged' }));
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.data.description, null);
      assert.equal(res.body.data.name, 'Merged');
      assert.equal(res.body.data.slug, 'payments');
    });

    it('updateProject: 200 an empty object changes nothing and returns the project', async () => {
      await afterMillisecond(p.updated_at);
      const res = await patch(p.id, {});
      assert.equal(res.status, 200);
      assert.deepEqual(res.body.data, p);
      assert.deepEqual(await current(), p);
    });

    it('updateProject: 200 setting the slug a project already has is not a conflict', async () => {
      const res = await patch(p.id, { slug: 'payments' });
      assert.equal(res.status, 200);
      assert.equal(res.body.data.slug, 'payments');
    });
  });

  describe('400', () => {
    it('updateProject: 400 validation_failed for name: null (name cannot be cleared), and nothing changes', async () => {
      expectErrorFor('name: null', await patch(p.id, { name: null }), 400, 'validation_failed', '/body/name');
      assert.deepEqual(await current(), p);
    });

    it('updateProject: 400 validation_failed with a pointer for each invalid field, and nothing changes', async () => {
      const invalid: [string, Record<string, unknown>, string][] = [
        ['slug: null (slug cannot be cleared)', { slug: null }, '/body/slug'],
        ['an empty name', { name: '' }, '/body/name'],
        ['a 101-character name', { name: 'n'.repeat(101) }, '/body/name'],
        ['an uppercase slug', { slug: 'Payments' }, '/body/slug'],
        ['a slug with a leading hyphen', { slug: '-payments' }, '/body/slug'],
        ['a slug with a trailing hyphen', { slug: 'payments-' }, '/body/slug'],
        ['a 64-character slug', { slug: 'a'.repeat(64) }, '/body/slug'],
        ['an empty slug', { slug: '' }, '/body/slug'],
        ['a 1001-character description', { description: 'd'.repeat(1001) }, '/body/description'],
        ['an unknown field', { archived: true }, '/body/archived'],
        ['a valid change next to an invalid one', { description: 'ok', slug: 'Bad' }, '/body/slug'],
      ];
      for (const [what, body, pointer] of invalid) {
        expectErrorFor(what, await patch(p.id, body), 400, 'validation_failed', pointer);
      }
      assert.deepEqual(await current(), p);
    });

    it('updateProject: 400 validation_failed for a JSON array body', async () => {
      expectError(await patch(p.id, [{ name: 'x' }]), 400, 'validation_failed');
    });

    it('updateProject: 400 validation_failed for a malformed id', async () => {
      const err = expectError(await patch('prj_123', { name: 'x' }), 400, 'validation_failed');
      assert.ok(err.details.some((d: any) => d.pointer === '/path/project_id'), JSON.stringify(err.details));
    });

    it('updateProject: 400 malformed_json for a body that is not JSON', async () => {
      const res = await t.http
        .patch(`/v1/projects/${p.id}`)
        .set('Authorization', auth)
        .set('Content-Type', 'application/merge-patch+json')
        .send('{"name": ');
      expectError(res, 400, 'malformed_json');
    });
  });

  it('updateProject: 401 unauthenticated without a token, and nothing changes', async () => {
    const res = await t.http.patch(`/v1/projects/${p.id}`).send({ name: 'hijacked' });
    expectError(res, 401, 'unauthenticated');
    assert.deepEqual(await current(), p);
  });

  it('updateProject: 404 not_found for a well-formed id that does not exist', async () => {
    expectError(await patch(UNKNOWN_PROJECT_ID, { name: 'x' }), 404, 'not_found');
    expectError(await patch(UNKNOWN_PROJECT_ID, {}), 404, 'not_found');
  });

  it('updateProject: 409 slug_taken when another project has the slug, and nothing changes', async () => {
    const other = await createProjectHttp(t, auth, { name: 'Search', slug: 'search' });
    const res = await patch(p.id, { name: 'Renamed', slug: 'search', description: null });
    const err = expectError(res, 409, 'slug_taken');
    assert.deepEqual(
      err.details.map((d: any) => [d.pointer, d.code]),
      [['/body/slug', 'slug_taken']],
    );
    assert.ok(err.message.includes("'search'"), err.message);
    assert.deepEqual(await current(p.id), p);
    assert.deepEqual(await current(other.id), other);
  });

  it('updateProject: 413 payload_too_large above BODY_LIMIT_BYTES', async () => {
    t = makeTestApp({ BODY_LIMIT_BYTES: '1024' });
    ({ auth } = await signedIn(t));
    p = await createProjectHttp(t, auth, { name: 'Small' });
    expectError(await patch(p.id, { description: 'd'.repeat(1000), name: 'n'.repeat(100) }), 413, 'payload_too_large');
    assert.deepEqual(await current(), p);
  });

  it('updateProject: 415 unsupported_media_type for a text/plain body', async () => {
    const res = await t.http
      .patch(`/v1/projects/${p.id}`)
      .set('Authorization', auth)
      .set('Content-Type', 'text/plain')
      .send('{"name":"x"}');
    expectError(res, 415, 'unsupported_media_type');
    assert.deepEqual(await current(), p);
  });

  it('updateProject: 500 internal_error when the store fails, without internals', async () => {
    t = makeAppWith({ store: failingProjects('update') });
    ({ auth } = await signedIn(t));
    p = await createProjectHttp(t, auth, { name: 'Fragile' });
    const res = await patch(p.id, { name: 'x' });
    expectError(res, 500, 'internal_error');
    assert.ok(!JSON.stringify(res.body).includes('secret internal detail'));
  });
});
