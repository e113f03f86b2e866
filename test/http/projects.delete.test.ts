import assert from 'node:assert/strict';
import { expectError, makeTestApp, signedIn, type TestApp } from '../helpers';
import { failingProjects, makeAppWith } from '../support/app';
import { createProjectHttp, getProjectHttp, UNKNOWN_PROJECT_ID } from '../support/projects';

describe('DELETE /v1/projects/{project_id} (deleteProject)', () => {
  let t: TestApp;
  let auth: string;

  beforeEach(async () => {
    t = makeTestApp();
    ({ auth } = await signedIn(t));
  });

  const del = (id: string) => t.http.delete(`/v1/projects/${id}`).set('Authorization', auth);

  it('deleteProject: 204 with no body, then get is 404 and a second delete is 404', async () => {
    const p = await createProjectHttp(t, auth, { name: 'Doomed' });
    const res = await del(p.id);
    assert.equal(res.status, 204);
    assert.equal(res.text, '');
    assert.equal(res.headers['content-type'], undefined);
    assert.ok(res.headers['x-request-id']);
    expectError(await getProjectHttp(t, auth, p.id), 404, 'not_found');
    expectError(await del(p.id), 404, 'not_found');
  });

  it('deleteProject: 204 removes only that project', async () => {
    const keep = await createProjectHttp(t, auth, { name: 'Keep' });
    const drop = await createProjectHttp(t, auth, { name: 'Drop' });
    assert.equal((await del(drop.id)).status, 204);
    const list = await t.http.get('/v1/projects').set('Authorization', auth);
    assert.deepEqual(list.body.data, [keep]);
  });

  it('deleteProject: 204 the slug is reusable after delete (explicit and derived)', async () => {
    const p = await createProjectHttp(t, auth, { name: 'Reuse me', slug: 'reuse-me' });
    assert.equal((await del(p.id)).status, 204);
    const again = await createProjectHttp(t, auth, { name: 'Reuse me', slug: 'reuse-me' });
    assert.equal(again.slug, 'reuse-me');
    assert.notEqual(again.id, p.id);
    assert.equal((await del(again.id)).status, 204);
    const derived = await createProjectHttp(t, auth, { name: 'Reuse me' });
    assert.equal(derived.slug, 'reuse-me');
  });

  it('deleteProject: 404 not_found for a well-formed id that does not exist', async () => {
    expectError(await del(UNKNOWN_PROJECT_ID), 404, 'not_found');
  });

  it('deleteProject: 400 validation_failed for a malformed id', async () => {
    const err = expectError(await del('prj_nope'), 400, 'validation_failed');
    assert.ok(err.details.some((d: any) => d.pointer === '/path/project_id'), JSON.stringify(err.details));
  });

  it('deleteProject: 401 unauthenticated without a token, and nothing is deleted', async () => {
    const p = await createProjectHttp(t, auth, { name: 'Safe' });
    const res = await t.http.delete(`/v1/projects/${p.id}`);
    expectError(res, 401, 'unauthenticated');
    assert.equal((await getProjectHttp(t, auth, p.id)).status, 200);
  });

  it('deleteProject: 500 internal_error when the store fails, without internals', async () => {
    t = makeAppWith({ store: failingProjects('delete') });
    ({ auth } = await signedIn(t));
    const p = await createProjectHttp(t, auth, { name: 'Doomed' });
    const res = await del(p.id);
    expectError(res, 500, 'internal_error');
    assert.equal((await getProjectHttp(t, auth, p.id)).status, 200, 'nothing was deleted');
    assert.ok(!JSON.stringify(res.body).includes('secret internal detail'));
  });
});
