import assert from 'node:assert/strict';
import { expectError, makeTestApp, signedIn, type TestApp } from '../helpers';
import { createProjectHttp } from '../support/projects';

// HEAD, bodies on operations without one, and conditional GETs: statuses only where documented.
describe('methods, ignored bodies and conditional requests', () => {
  let t: TestApp;
  let auth: string;

  beforeEach(async () => {
    t = makeTestApp({ BODY_LIMIT_BYTES: '1024' });
    ({ auth } = await signedIn(t));
  });

  describe('HEAD', () => {
    it("getProject: HEAD answers 200 with the GET's ETag and Content-Length and no body", async () => {
      const p = await createProjectHttp(t, auth, { name: 'Heady' });
      const get = await t.http.get(`/v1/projects/${p.id}`).set('Authorization', auth).expect(200);
      const head = await t.http.head(`/v1/projects/${p.id}`).set('Authorization', auth);
      assert.equal(head.status, 200);
      assert.equal(head.headers.etag, get.headers.etag);
      assert.equal(head.headers['content-length'], get.headers['content-length']);
      assert.equal(head.text, undefined);
    });

    it('getProject: HEAD with a matching If-None-Match is 304, as the GET', async () => {
      const p = await createProjectHttp(t, auth, { name: 'Heady' });
      const get = await t.http.get(`/v1/projects/${p.id}`).set('Authorization', auth).expect(200);
      await t.http.head(`/v1/projects/${p.id}`).set('Authorization', auth).set('If-None-Match', get.headers.etag).expect(304);
    });

    it('listProjects: HEAD is limited and metered as the GET (same group, same operation)', async () => {
      const head = await t.http.head('/v1/projects').set('Authorization', auth).expect(200);
      assert.equal(head.headers['ratelimit-policy'], '"projects-read";q=600;w=60');
      const get = await t.http.get('/v1/projects').set('Authorization', auth).expect(200);
      assert.match(get.headers.ratelimit, /^"projects-read";r=598;/, 'the HEAD used one of the budget');
      await t.flushUsage();
      const day = (offset: number) => new Date(Date.now() + offset * 864e5).toISOString().slice(0, 10);
      const usage = await t.http
        .get('/v1/usage')
        .query({ from: day(-1), to: day(1), group_by: 'operation' })
        .set('Authorization', auth)
        .expect(200);
      assert.equal(usage.body.data.groups.find((g: any) => g.key === 'listProjects')?.requests, 2);
    });

    it('login: HEAD on a path without GET is 405 with Allow: POST', async () => {
      const res = await t.http.head('/v1/auth/login');
      assert.equal(res.status, 405);
      assert.equal(res.headers.allow, 'POST');
    });
  });

  describe('405 and OPTIONS', () => {
    it('listProjects/createProject: OPTIONS is 405 method_not_allowed with Allow: GET, HEAD, POST', async () => {
      const res = await t.http.options('/v1/projects');
      expectError(res, 405, 'method_not_allowed');
      assert.equal(res.headers.allow, 'GET, HEAD, POST');
    });
  });

  describe('a body on an operation that defines none is ignored', () => {
    it('getMe: malformed, oversize or non-JSON bodies do not change the 200', async () => {
      for (const [type, body] of [
        ['application/json', '{"broken": '],
        ['application/json', JSON.stringify({ pad: 'p'.repeat(4096) })],
        ['text/plain', 'hello'],
      ]) {
        const res = await t.http.get('/v1/me').set('Authorization', auth).set('Content-Type', type).send(body);
        assert.equal(res.status, 200, `${type}: ${JSON.stringify(res.body)}`);
      }
    });

    it('deleteProject: 204 with an oversize body, which is not read', async () => {
      const p = await createProjectHttp(t, auth, { name: 'Gone' });
      await t.http
        .delete(`/v1/projects/${p.id}`)
        .set('Authorization', auth)
        .set('Content-Type', 'application/json')
        .send(JSON.stringify({ pad: 'p'.repeat(4096) }))
        .expect(204);
    });

    it('createProject: a body is still read, parsed and limited where the operation defines one', async () => {
      const res = await t.http.post('/v1/projects').set('Authorization', auth).send({ name: 'x', pad: 'p'.repeat(4096) });
      expectError(res, 413, 'payload_too_large');
    });
  });

  describe('304 only where documented', () => {
    it('getMe, listProjects, listApiKeys: If-None-Match: * is ignored (200 with the body), as they document no 304', async () => {
      for (const path of ['/v1/me', '/v1/projects', '/v1/api-keys']) {
        const res = await t.http.get(path).set('Authorization', auth).set('If-None-Match', '*');
        assert.equal(res.status, 200, path);
        assert.ok(res.body.data, path);
      }
    });

    it('getProject: If-None-Match: * still answers 304 (documented), with the ETag', async () => {
      const p = await createProjectHttp(t, auth, { name: 'Cached' });
      const res = await t.http.get(`/v1/projects/${p.id}`).set('Authorization', auth).set('If-None-Match', '*');
      assert.equal(res.status, 304);
      assert.ok(res.headers.etag);
    });
  });
});
