import assert from 'node:assert/strict';
import { expectError, makeTestApp, signedIn, type TestApp } from '../helpers';
import { failingProjects, makeAppWith } from '../support/app';
import { expectErrorFor } from '../support/errors';
import { assertProjectShape, createProjectHttp, getProjectHttp } from '../support/projects';

describe('POST /v1/projects (createProject)', () => {
  let t: TestApp;
  let auth: string;

  beforeEach(async () => {
    t = makeTestApp();
    ({ auth } = await signedIn(t));
  });

  const post = (body: unknown) => t.http.post('/v1/projects').set('Authorization', auth).send(body as object);

  describe('201', () => {
    it('createProject: 201 returns the project with Location /v1/projects/<id>', async () => {
      const res = await post({ name: 'Payments API', slug: 'payments-api', description: 'Cards and wallets.' });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.deepEqual(Object.keys(res.body), ['data']);
      const p = res.body.data;
      assertProjectShape(p);
      assert.equal(p.name, 'Payments API');
      assert.equal(p.slug, 'payments-api');
      assert.equal(p.description, 'Cards and wallets.');
      assert.equal(p.created_at, p.updated_at);
      assert.equal(res.headers.location, `/v1/projects/${p.id}`);
      assert.match(res.headers['content-type'], /^application\/json/);
      const got = await getProjectHttp(t, auth, p.id);
      assert.equal(got.status, 200);
      assert.deepEqual(got.body.data, p);
    });

    it('createProject: 201 description defaults to null', async () => {
      const p = await createProjectHttp(t, auth, { name: 'No description', slug: 'nodesc' });
      assert.equal(p.description, null);
    });

    it('createProject: 201 accepts an explicit null description', async () => {
      const p = await createProjectHttp(t, auth, { name: 'Null description', description: null });
      assert.equal(p.description, null);
    });

    it('createProject: 201 derives the slug from the name when absent (Café Paris! -> cafe-paris)', async () => {
      const p = await createProjectHttp(t, auth, { name: 'Café Paris!' });
      assert.equal(p.slug, 'cafe-paris');
      assert.equal(p.name, 'Café Paris!');
    });

    it('createProject: 201 derived slug collisions get -2, -3', async () => {
      const slugs = [];
      for (let i = 0; i < 4; i++) slugs.push((await createProjectHttp(t, auth, { name: 'Café Paris!' })).slug);
      assert.deepEqual(slugs, ['cafe-paris', 'cafe-paris-2', 'cafe-paris-3', 'cafe-paris-4']);
    });

    it('createProject: 201 derived slug skips a suffix already taken explicitly', async () => {
      await createProjectHttp(t, auth, { name: 'one', slug: 'demo' });
      await createProjectHttp(t, auth, { name: 'two', slug: 'demo-2' });
      const p = await createProjectHttp(t, auth, { name: 'Demo' });
      assert.equal(p.slug, 'demo-3');
    });

    it('createProject: 201 derived slug of a name with no usable character is "project"', async () => {
      assert.equal((await createProjectHttp(t, auth, { name: '!!! ???' })).slug, 'project');
      assert.equal((await createProjectHttp(t, auth, { name: '日本語' })).slug, 'project-2');
    });

    it('createProject: 201 derived slug of a 100-character name is cut to 63 and stays valid when suffixed', async () => {
      const name = 'a'.repeat(100);
      const first = await createProjectHttp(t, auth, { name });
      const second = await createProjectHttp(t, auth, { name });
      assert.equal(first.slug, 'a'.repeat(63));
      assert.equal(second.slug, `${'a'.repeat(61)}-2`);
      const edgy = await createProjectHttp(t, auth, { name: `--${'b'.repeat(61)}-- x` });
      assert.equal(edgy.slug, 'b'.repeat(61));
    });

    it('createProject: 201 the same slug may exist in two workspaces', async () => {
      const other = await signedIn(t);
      const a = await createProjectHttp(t, auth, { name: 'a', slug: 'shared' });
      const b = await createProjectHttp(t, other.auth, { name: 'b', slug: 'shared' });
      assert.notEqual(a.id, b.id);
    });

    it('createProject: 201 accepts boundary sizes (63-char slug, 100-char name, 1000-char description)', async () => {
      const p = await createProjectHttp(t, auth, {
        name: 'n'.repeat(100),
        slug: `a${'-'.repeat(61)}z`,
        description: 'd'.repeat(1000),
      });
      assert.equal(p.slug.length, 63);
      assert.equal(p.name.length, 100);
      assert.equal(p.description?.length, 1000);
    });
  });

  describe('400', () => {
    it('createProject: 400 validation_failed with a /body/slug detail for invalid slugs', async () => {
      const invalidSlugs: [string, string][] = [
        ['uppercase', 'Payments'],
        ['a leading hyphen', '-payments'],
        ['a trailing hyphen', 'payments-'],
        ['64 characters', 'a'.repeat(64)],
        ['an empty string', ''],
        ['an underscore', 'pay_ments'],
        ['a space', 'pay ments'],
        ['an accent', 'café'],
      ];
      for (const [what, slug] of invalidSlugs) {
        expectErrorFor(`slug with ${what}`, await post({ name: 'x', slug }), 400, 'validation_failed', '/body/slug');
      }
    });

    it('createProject: 400 validation_failed with a /body/name detail for invalid names', async () => {
      const invalidNames: [string, unknown][] = [
        ['an empty name', ''],
        ['a 101-character name', 'n'.repeat(101)],
        ['a null name', null],
        ['an array name', ['x']],
        ['an object name', { first: 'x' }],
      ];
      for (const [what, name] of invalidNames) {
        expectErrorFor(what, await post({ name }), 400, 'validation_failed', '/body/name');
      }
    });

    it('createProject: 400 validation_failed when the name is missing', async () => {
      const err = expectError(await post({ slug: 'x' }), 400, 'validation_failed');
      assert.ok(err.details.some((d: any) => d.code === 'required'), JSON.stringify(err.details));
    });

    it('createProject: 400 validation_failed for a 1001-character description', async () => {
      const err = expectError(await post({ name: 'x', description: 'd'.repeat(1001) }), 400, 'validation_failed');
      assert.ok(err.details.some((d: any) => d.pointer === '/body/description'), JSON.stringify(err.details));
    });

    it('createProject: 400 validation_failed for an unknown field', async () => {
      const err = expectError(await post({ name: 'x', owner: 'me' }), 400, 'validation_failed');
      assert.ok(err.details.some((d: any) => d.pointer === '/body/owner'), JSON.stringify(err.details));
    });

    it('createProject: 400 validation_failed for an id or timestamps in the body', async () => {
      expectError(await post({ name: 'x', id: 'prj_01JD3Y8N6V4Q2X7R5T9W1K3M5R' }), 400, 'validation_failed');
      expectError(await post({ name: 'x', created_at: '2026-01-01T00:00:00.000Z' }), 400, 'validation_failed');
    });

    it('createProject: 400 validation_failed for a JSON array body', async () => {
      expectError(await post([{ name: 'x' }]), 400, 'validation_failed');
    });

    it('createProject: 400 malformed_json for a body that is not JSON', async () => {
      const res = await t.http
        .post('/v1/projects')
        .set('Authorization', auth)
        .set('Content-Type', 'application/json')
        .send('{"name": "x",');
      expectError(res, 400, 'malformed_json');
    });

    it('createProject: 400 leaves nothing behind', async () => {
      await post({ name: '', slug: 'ghost' });
      const list = await t.http.get('/v1/projects').set('Authorization', auth);
      assert.deepEqual(list.body.data, []);
    });
  });

  it('createProject: 401 unauthenticated without a token', async () => {
    const res = await t.http.post('/v1/projects').send({ name: 'x' });
    const err = expectError(res, 401, 'unauthenticated');
    assert.ok(err);
    assert.match(res.headers['www-authenticate'], /^Bearer realm=/);
  });

  it('createProject: 401 invalid_token with a garbage token', async () => {
    const res = await t.http.post('/v1/projects').set('Authorization', 'Bearer not-a-jwt').send({ name: 'x' });
    expectError(res, 401, 'invalid_token');
  });

  describe('409', () => {
    it('createProject: 409 slug_taken when the slug exists', async () => {
      const first = await createProjectHttp(t, auth, { name: 'first', slug: 'taken' });
      const res = await post({ name: 'second', slug: 'taken' });
      const err = expectError(res, 409, 'slug_taken');
      assert.deepEqual(
        err.details.map((d: any) => [d.pointer, d.code]),
        [['/body/slug', 'slug_taken']],
      );
      const list = await t.http.get('/v1/projects').set('Authorization', auth);
      assert.deepEqual(list.body.data, [first]);
    });

    it('createProject: 409 slug_taken for an explicit slug even when a derived one would be free', async () => {
      await createProjectHttp(t, auth, { name: 'Cafe Paris' });
      expectError(await post({ name: 'Cafe Paris', slug: 'cafe-paris' }), 409, 'slug_taken');
    });
  });

  it('createProject: 413 payload_too_large above BODY_LIMIT_BYTES', async () => {
    t = makeTestApp({ BODY_LIMIT_BYTES: '1024' });
    ({ auth } = await signedIn(t));
    expectError(await post({ name: 'x', description: 'd'.repeat(1000), extra: 'e'.repeat(200) }), 413, 'payload_too_large');
    assert.equal((await post({ name: 'x', description: 'd'.repeat(900) })).status, 201, 'a body under the limit passes');
  });

  it('createProject: 415 unsupported_media_type for a text/plain body', async () => {
    const res = await t.http
      .post('/v1/projects')
      .set('Authorization', auth)
      .set('Content-Type', 'text/plain')
      .send('{"name":"x"}');
    expectError(res, 415, 'unsupported_media_type');
  });

  it('createProject: 415 unsupported_media_type for application/merge-patch+json (PATCH only)', async () => {
    const res = await t.http
      .post('/v1/projects')
      .set('Authorization', auth)
      .set('Content-Type', 'application/merge-patch+json')
      .send('{"name":"x"}');
    expectError(res, 415, 'unsupported_media_type');
  });

  it('createProject: 500 internal_error when the store fails, without internals', async () => {
    t = makeAppWith({ store: failingProjects('create') });
    ({ auth } = await signedIn(t));
    const res = await post({ name: 'x', slug: 'x' });
    const err = expectError(res, 500, 'internal_error');
    assert.deepEqual(err.details, []);
    assert.ok(!JSON.stringify(res.body).includes('secret internal detail'));
  });
});
