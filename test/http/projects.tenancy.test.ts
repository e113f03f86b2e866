import assert from 'node:assert/strict';
import { expectError, makeTestApp, signedIn, type TestApp } from '../helpers';
import type { Project } from '../../src/store/ports';
import { createProjectHttp, getProjectHttp, walkProjects } from '../support/projects';

describe('projects: tenant isolation', () => {
  let t: TestApp;
  let a: Awaited<ReturnType<typeof signedIn>>;
  let b: Awaited<ReturnType<typeof signedIn>>;
  let bProject: Project;

  beforeEach(async () => {
    t = makeTestApp();
    a = await signedIn(t);
    b = await signedIn(t);
    assert.notEqual(a.workspaceId, b.workspaceId);
    await createProjectHttp(t, a.auth, { name: 'A own', slug: 'a-own' });
    bProject = await createProjectHttp(t, b.auth, { name: 'B secret', slug: 'b-secret', description: 'B only.' });
  });

  /** B's project, as B sees it, must be exactly what B created. */
  async function assertBUnchanged() {
    const res = await getProjectHttp(t, b.auth, bProject.id);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.data, bProject);
  }

  it('getProject: 404 not_found for a project of another workspace (never 403)', async () => {
    const err = expectError(await getProjectHttp(t, a.auth, bProject.id), 404, 'not_found');
    const unknown = expectError(await getProjectHttp(t, a.auth, 'prj_01JD3Y8N6V4Q2X7R5T9W1K3M5R'), 404, 'not_found');
    // Indistinguishable from an id that does not exist, apart from the id itself.
    assert.equal(err.message.replace(bProject.id, 'ID'), unknown.message.replace('prj_01JD3Y8N6V4Q2X7R5T9W1K3M5R', 'ID'));
    assert.deepEqual(err.details, unknown.details);
  });

  it('listProjects: 200 a project of another workspace is absent, whatever the filters', async () => {
    const all = await walkProjects(t, a.auth, { query: { limit: 1 } });
    assert.deepEqual(
      all.items.map((p) => p.slug),
      ['a-own'],
    );
    for (const query of [{ slug: 'b-secret' }, { name: 'secret' }, { name: 'B' }]) {
      const res = await t.http.get('/v1/projects').query(query).set('Authorization', a.auth);
      assert.equal(res.status, 200);
      assert.ok(!res.body.data.some((p: Project) => p.id === bProject.id), JSON.stringify(query));
    }
  });

  it('updateProject: 404 not_found for a project of another workspace, and it is unchanged', async () => {
    const res = await t.http
      .patch(`/v1/projects/${bProject.id}`)
      .set('Authorization', a.auth)
      .send({ name: 'pwned', slug: 'pwned', description: null });
    expectError(res, 404, 'not_found');
    expectError(
      await t.http.patch(`/v1/projects/${bProject.id}`).set('Authorization', a.auth).send({}),
      404,
      'not_found',
    );
    await assertBUnchanged();
  });

  it('deleteProject: 404 not_found for a project of another workspace, and it still exists', async () => {
    expectError(await t.http.delete(`/v1/projects/${bProject.id}`).set('Authorization', a.auth), 404, 'not_found');
    await assertBUnchanged();
  });

  it('createProject: 201 slugs are per workspace: A may take a slug B uses, B is unaffected', async () => {
    const mine = await createProjectHttp(t, a.auth, { name: 'Mine', slug: 'b-secret' });
    assert.equal(mine.slug, 'b-secret');
    const derived = await createProjectHttp(t, a.auth, { name: 'B secret' });
    assert.equal(derived.slug, 'b-secret-2');
    await assertBUnchanged();
  });

  it('updateProject: 200 A may rename its project to a slug only B uses', async () => {
    const own = (await t.http.get('/v1/projects').set('Authorization', a.auth)).body.data[0] as Project;
    const res = await t.http.patch(`/v1/projects/${own.id}`).set('Authorization', a.auth).send({ slug: 'b-secret' });
    assert.equal(res.status, 200);
    await assertBUnchanged();
  });

  it('a user of two workspaces sees the projects of the workspace the token acts in', async () => {
    // A joins B's workspace as a member; the token from the existing login still acts in A.
    await t.store.identity.setMembership(a.userId, b.workspaceId, 'member');
    expectError(await getProjectHttp(t, a.auth, bProject.id), 404, 'not_found');
    const inB = await t.http
      .post('/v1/auth/login')
      .send({ email: a.email, password: a.password, workspace_id: b.workspaceId });
    assert.equal(inB.status, 200, JSON.stringify(inB.body));
    const res = await getProjectHttp(t, `Bearer ${inB.body.data.access_token}`, bProject.id);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body.data, bProject);
  });
});
