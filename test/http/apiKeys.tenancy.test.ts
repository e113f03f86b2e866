import assert from 'node:assert/strict';
import { expectError, makeTestApp, type TestApp } from '../helpers';
import type { Project } from '../../src/store/ports';
import { createProjectHttp } from '../support/projects';
import { apiKey, bearer, createKeyHttp, ownerWithKey, type CreatedKey } from '../support/apiKeys';

describe('API keys: tenant isolation', () => {
  let t: TestApp;
  let a: Awaited<ReturnType<typeof ownerWithKey>>;
  let b: Awaited<ReturnType<typeof ownerWithKey>>;
  let bProject: Project;
  let bOther: CreatedKey;

  beforeEach(async () => {
    t = makeTestApp();
    a = await ownerWithKey(t);
    b = await ownerWithKey(t);
    assert.notEqual(a.owner.workspaceId, b.owner.workspaceId);
    await createProjectHttp(t, a.owner.auth, { name: 'A own', slug: 'a-own' });
    bProject = await createProjectHttp(t, b.owner.auth, { name: 'B secret', slug: 'b-secret' });
    bOther = await createKeyHttp(t, bearer(b.owner.auth), { name: 'b-other', scopes: ['projects:read'] });
  });

  /** B's key, project and other key are exactly as B left them, and B's keys still work. */
  async function assertBUnchanged() {
    const project = await t.http.get(`/v1/projects/${bProject.id}`).set(b.keyCred).expect(200);
    assert.deepEqual(project.body.data, bProject);
    for (const k of [b.created, bOther]) {
      const got = (await t.http.get(`/v1/api-keys/${k.id}`).set(bearer(b.owner.auth)).expect(200)).body.data;
      assert.equal(got.rotated_at, null, `${k.name} was not rotated`);
      assert.equal(got.prefix, k.prefix);
      assert.equal(got.last4, k.last4);
      await t.http.get('/v1/me').set(apiKey(k.key)).expect(200);
    }
  }

  it("getProject, updateProject, deleteProject: 404 not_found for B's project with A's key", async () => {
    expectError(await t.http.get(`/v1/projects/${bProject.id}`).set(a.keyCred), 404, 'not_found');
    expectError(await t.http.patch(`/v1/projects/${bProject.id}`).set(a.keyCred).send({ name: 'pwned' }), 404, 'not_found');
    expectError(await t.http.delete(`/v1/projects/${bProject.id}`).set(a.keyCred), 404, 'not_found');
    await assertBUnchanged();
  });

  it("listProjects: 200 A's key lists only A's projects; createProject with A's key lands in A's workspace", async () => {
    const list = await t.http.get('/v1/projects').set(a.keyCred).expect(200);
    assert.deepEqual(
      list.body.data.map((p: Project) => p.slug),
      ['a-own'],
    );
    // The same slug as B's project is free in A's workspace.
    const created = await t.http.post('/v1/projects').set(a.keyCred).send({ name: 'Mine', slug: 'b-secret' }).expect(201);
    await t.http.get(`/v1/projects/${created.body.data.id}`).set(bearer(a.owner.auth)).expect(200);
    expectError(await t.http.get(`/v1/projects/${created.body.data.id}`).set(b.keyCred), 404, 'not_found');
    await assertBUnchanged();
  });

  it("getApiKey, rotateApiKey, deleteApiKey: 404 not_found for B's keys with A's key or A's token; B's keys keep working", async () => {
    for (const cred of [a.keyCred, bearer(a.owner.auth)]) {
      for (const k of [b.created, bOther]) {
        expectError(await t.http.get(`/v1/api-keys/${k.id}`).set(cred), 404, 'not_found');
        expectError(
          await t.http.post(`/v1/api-keys/${k.id}/rotate`).set(cred).send({ grace_period_seconds: 0 }),
          404,
          'not_found',
        );
        expectError(await t.http.delete(`/v1/api-keys/${k.id}`).set(cred), 404, 'not_found');
      }
    }
    await assertBUnchanged();
  });

  it("listApiKeys: 200 A sees only A's keys; a key created with A's key belongs to A's workspace", async () => {
    const child = await createKeyHttp(t, a.keyCred, { name: 'a-child', scopes: ['projects:read'] });
    const list = await t.http.get('/v1/api-keys').set(a.keyCred).expect(200);
    assert.deepEqual(
      list.body.data.map((k: { id: string }) => k.id).sort(),
      [a.created.id, child.id].sort(),
    );
    const me = await t.http.get('/v1/me').set(apiKey(child.key)).expect(200);
    assert.equal(me.body.data.workspace.id, a.owner.workspaceId);
    const bList = await t.http.get('/v1/api-keys').set(b.keyCred).expect(200);
    assert.ok(!bList.body.data.some((k: { id: string }) => k.id === child.id));
    await assertBUnchanged();
  });

  it("getMe: 200 each key describes its own workspace", async () => {
    const meA = await t.http.get('/v1/me').set(a.keyCred).expect(200);
    const meB = await t.http.get('/v1/me').set(b.keyCred).expect(200);
    assert.equal(meA.body.data.workspace.id, a.owner.workspaceId);
    assert.equal(meB.body.data.workspace.id, b.owner.workspaceId);
    assert.equal(meA.body.data.api_key.id, a.created.id);
    assert.equal(meB.body.data.api_key.id, b.created.id);
  });
});
