import assert from 'node:assert/strict';
import { expectError, makeTestApp, signedIn, type TestApp } from '../helpers';
import { afterMillisecond, createProjectHttp, getProjectHttp } from '../support/projects';

type User = Awaited<ReturnType<typeof signedIn>>;

const patch = (t: TestApp, u: User, id: string, body: Record<string, unknown>, ifMatch?: string) => {
  const req = t.http.patch(`/v1/projects/${id}`).set('Authorization', u.auth);
  if (ifMatch !== undefined) req.set('If-Match', ifMatch);
  return req.send(body);
};

const del = (t: TestApp, u: User, id: string, ifMatch?: string) => {
  const req = t.http.delete(`/v1/projects/${id}`).set('Authorization', u.auth);
  if (ifMatch !== undefined) req.set('If-Match', ifMatch);
  return req;
};

const getIfNoneMatch = (t: TestApp, u: User, id: string, ifNoneMatch: string) =>
  t.http.get(`/v1/projects/${id}`).set('Authorization', u.auth).set('If-None-Match', ifNoneMatch);

/** A strong entity tag as RFC 9110 writes it, within the contract's 64 characters. */
const ETAG = /^"[\x21\x23-\x7E]+"$/;

async function setup() {
  const t = makeTestApp();
  const u = await signedIn(t);
  const project = await createProjectHttp(t, u.auth, { name: 'Shared', description: 'v1' });
  const read = await getProjectHttp(t, u.auth, project.id);
  assert.equal(read.status, 200);
  return { t, u, project, etag: read.headers['etag'] as string };
}

describe('optimistic concurrency (ETag, If-Match, If-None-Match)', () => {
  describe('ETag', () => {
    it('getProject: 200 carries a strong ETag that stays the same while the project does', async () => {
      const { t, u, project, etag } = await setup();
      assert.match(etag, ETAG);
      assert.ok(etag.length <= 64);
      const again = await getProjectHttp(t, u.auth, project.id);
      assert.equal(again.headers['etag'], etag);
    });

    it('createProject: 201 and updateProject: 200 carry the ETag of the new version, the one a following GET returns', async () => {
      const t = makeTestApp();
      const u = await signedIn(t);
      const created = await t.http.post('/v1/projects').set('Authorization', u.auth).send({ name: 'Tagged' });
      assert.equal(created.status, 201);
      assert.match(created.headers['etag'], ETAG);
      const id = created.body.data.id;
      assert.equal((await getProjectHttp(t, u.auth, id)).headers['etag'], created.headers['etag']);

      await afterMillisecond(created.body.data.updated_at);
      const patched = await patch(t, u, id, { name: 'Renamed' }, created.headers['etag']);
      assert.equal(patched.status, 200, JSON.stringify(patched.body));
      assert.match(patched.headers['etag'], ETAG);
      assert.notEqual(patched.headers['etag'], created.headers['etag']);
      const read = await getProjectHttp(t, u.auth, id);
      assert.equal(read.headers['etag'], patched.headers['etag']);
      assert.deepEqual(read.body.data, patched.body.data);

      // An empty PATCH changes nothing, so the version stays.
      const noop = await patch(t, u, id, {}, patched.headers['etag']);
      assert.equal(noop.status, 200);
      assert.equal(noop.headers['etag'], patched.headers['etag']);
    });

    it('the ETag changes with every change of the project, also one to the description only', async () => {
      const { t, u, project, etag } = await setup();
      const seen = new Set([etag]);
      let current = etag;
      for (const body of [{ description: 'v2' }, { description: null }, { slug: 'moved' }, { name: 'Again' }]) {
        const res = await patch(t, u, project.id, body, current);
        assert.equal(res.status, 200, JSON.stringify(res.body));
        current = res.headers['etag'];
        assert.ok(!seen.has(current), `a new ETag after ${JSON.stringify(body)}`);
        seen.add(current);
      }
    });

    it('ETags of two projects with the same fields differ', async () => {
      const t = makeTestApp();
      const u = await signedIn(t);
      const a = await t.http.post('/v1/projects').set('Authorization', u.auth).send({ name: 'Twin' });
      const b = await t.http.post('/v1/projects').set('Authorization', u.auth).send({ name: 'Twin' });
      assert.notEqual(a.headers['etag'], b.headers['etag']);
    });
  });

  describe('If-None-Match', () => {
    it('getProject: 304 with no body and the ETag when If-None-Match holds the current ETag', async () => {
      const { t, u, project, etag } = await setup();
      const res = await getIfNoneMatch(t, u, project.id, etag);
      assert.equal(res.status, 304);
      assert.equal(res.text, '');
      assert.deepEqual(res.body, {});
      assert.equal(res.headers['etag'], etag);
      assert.equal(res.headers['content-length'] ?? '0', '0');
      assert.ok(res.headers['x-request-id']);
    });

    it('getProject: 304 for a list containing the ETag, for its weak form W/ and for *', async () => {
      const { t, u, project, etag } = await setup();
      for (const header of [`"other", ${etag}`, `W/${etag}`, '*', `${etag},"x"`]) {
        const res = await getIfNoneMatch(t, u, project.id, header);
        assert.equal(res.status, 304, header);
        assert.equal(res.headers['etag'], etag);
      }
    });

    it('getProject: 200 with the body when the project changed since (or for another tag)', async () => {
      const { t, u, project, etag } = await setup();
      const other = await getIfNoneMatch(t, u, project.id, '"something-else"');
      assert.equal(other.status, 200);
      assert.equal(other.body.data.id, project.id);

      const changed = await patch(t, u, project.id, { description: 'v2' });
      assert.equal(changed.status, 200);
      const res = await getIfNoneMatch(t, u, project.id, etag);
      assert.equal(res.status, 200);
      assert.equal(res.body.data.description, 'v2');
      assert.equal(res.headers['etag'], changed.headers['etag']);
      assert.notEqual(res.headers['etag'], etag);
    });

    it('getProject: If-None-Match does not hide a missing project → 404 not_found', async () => {
      const { t, u, project, etag } = await setup();
      assert.equal((await del(t, u, project.id)).status, 204);
      expectError(await getIfNoneMatch(t, u, project.id, etag), 404, 'not_found');
      expectError(await getIfNoneMatch(t, u, project.id, '*'), 404, 'not_found');
    });
  });

  describe('If-Match on updateProject', () => {
    it('updateProject: two editors read the same version; the first PATCH → 200, the second with the old ETag → 412 precondition_failed; the project is the first editor\'s', async () => {
      const { t, u, project } = await setup();
      const editor1 = await getProjectHttp(t, u.auth, project.id);
      const editor2 = await getProjectHttp(t, u.auth, project.id);
      assert.equal(editor1.headers['etag'], editor2.headers['etag']);

      const saved = await patch(t, u, project.id, { name: 'Editor one', description: 'from editor 1' }, editor1.headers['etag']);
      assert.equal(saved.status, 200, JSON.stringify(saved.body));

      const lost = await patch(t, u, project.id, { name: 'Editor two' }, editor2.headers['etag']);
      const err = expectError(lost, 412, 'precondition_failed');
      assert.deepEqual(err.details, [{ field: 'If-Match', code: 'stale', message: `current ETag is ${saved.headers['etag']}` }]);

      const now = await getProjectHttp(t, u.auth, project.id);
      assert.deepEqual(now.body.data, saved.body.data);
      assert.equal(now.headers['etag'], saved.headers['etag']);

      // Editor two reads again and retries with the fresh ETag.
      const retried = await patch(t, u, project.id, { name: 'Editor two' }, now.headers['etag']);
      assert.equal(retried.status, 200);
      assert.equal(retried.body.data.name, 'Editor two');
      assert.equal(retried.body.data.description, 'from editor 1');
    });

    it('updateProject: 412 precondition_failed for a stale, unknown or weak ETag, and nothing changes (not even updated_at)', async () => {
      const { t, u, project, etag } = await setup();
      for (const stale of ['"not-the-etag"', `W/${etag}`, '"a", "b"']) {
        expectError(await patch(t, u, project.id, { name: 'Nope', slug: 'nope' }, stale), 412, 'precondition_failed');
        // An empty PATCH with a stale ETag is refused too.
        expectError(await patch(t, u, project.id, {}, stale), 412, 'precondition_failed');
      }
      const now = await getProjectHttp(t, u.auth, project.id);
      assert.deepEqual(now.body.data, project);
      assert.equal(now.headers['etag'], etag);
    });

    it('updateProject: 200 for If-Match: * on an existing project, and for a list containing the current ETag', async () => {
      const { t, u, project, etag } = await setup();
      const star = await patch(t, u, project.id, { description: 'star' }, '*');
      assert.equal(star.status, 200, JSON.stringify(star.body));
      assert.equal(star.body.data.description, 'star');
      const listed = await patch(t, u, project.id, { description: 'listed' }, `${etag}, ${star.headers['etag']}`);
      assert.equal(listed.status, 200, JSON.stringify(listed.body));
      assert.equal(listed.body.data.description, 'listed');
    });

    it('updateProject: 404 not_found for a missing project with If-Match', async () => {
      const { t, u, project, etag } = await setup();
      assert.equal((await del(t, u, project.id)).status, 204);
      expectError(await patch(t, u, project.id, { name: 'x' }, etag), 404, 'not_found');
    });

    it('updateProject: 10 concurrent PATCHes with the same If-Match → exactly one 200, nine 412; the project is the winner\'s', async () => {
      const { t, u, project, etag } = await setup();
      const responses = await Promise.all(
        Array.from({ length: 10 }, (_, i) => patch(t, u, project.id, { name: `Writer ${i}`, description: `by ${i}` }, etag)),
      );
      const winners = responses.filter((r) => r.status === 200);
      assert.equal(winners.length, 1, `statuses: ${responses.map((r) => r.status)}`);
      for (const r of responses) if (r.status !== 200) expectError(r, 412, 'precondition_failed');
      const now = await getProjectHttp(t, u.auth, project.id);
      assert.deepEqual(now.body.data, winners[0].body.data);
      assert.equal(now.headers['etag'], winners[0].headers['etag']);
    });

    it('updateProject: If-Match and Idempotency-Key together: the retry of a 200 is replayed, not refused as stale', async () => {
      const { t, u, project, etag } = await setup();
      const send = () =>
        t.http.patch(`/v1/projects/${project.id}`).set('Authorization', u.auth).set('If-Match', etag)
          .set('Idempotency-Key', 'edit-1').send({ name: 'Once' });
      const first = await send();
      assert.equal(first.status, 200, JSON.stringify(first.body));
      const retry = await send();
      assert.equal(retry.status, 200, 'the stored outcome, not a 412 against the version it created');
      assert.equal(retry.headers['idempotent-replayed'], 'true');
      assert.equal(retry.text, first.text);
      assert.equal(retry.headers['etag'], first.headers['etag']);
    });
  });

  describe('If-Match on deleteProject', () => {
    it('deleteProject: 412 precondition_failed for a stale ETag; the project still exists', async () => {
      const { t, u, project, etag } = await setup();
      const changed = await patch(t, u, project.id, { description: 'v2' }, etag);
      assert.equal(changed.status, 200);
      expectError(await del(t, u, project.id, etag), 412, 'precondition_failed');
      const still = await getProjectHttp(t, u.auth, project.id);
      assert.equal(still.status, 200);
      assert.deepEqual(still.body.data, changed.body.data);
      // With the current ETag it goes.
      assert.equal((await del(t, u, project.id, changed.headers['etag'])).status, 204);
      expectError(await getProjectHttp(t, u.auth, project.id), 404, 'not_found');
    });

    it('deleteProject: 204 for If-Match: * on an existing project; then 404 not_found', async () => {
      const { t, u, project } = await setup();
      const res = await del(t, u, project.id, '*');
      assert.equal(res.status, 204);
      assert.equal(res.text, '');
      expectError(await getProjectHttp(t, u.auth, project.id), 404, 'not_found');
      expectError(await del(t, u, project.id, '*'), 404, 'not_found');
    });
  });
});
