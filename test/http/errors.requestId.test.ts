import assert from 'node:assert/strict';
import type { Test } from 'supertest';
import { expectError, makeTestApp, signedIn, type TestApp } from '../helpers';
import { failingProjects, makeAppWith } from '../support/app';
import { expectErrorFor } from '../support/errors';
import { createProjectHttp } from '../support/projects';

const GENERATED_REQUEST_ID = /^req_[0-9A-HJKMNP-TV-Z]{26}$/;

describe('errors: X-Request-Id on every response, success or error', () => {
  let t: TestApp;
  let auth: string;

  beforeEach(async () => {
    t = makeTestApp();
    ({ auth } = await signedIn(t));
  });

  describe('X-Request-Id', () => {
    it('a well-formed incoming X-Request-Id is echoed, on success and on error', async () => {
      for (const id of ['abc-123', 'trace:4bf92f3577b34da6a3ce929d0e0e4736/00f067aa0ba902b7', '!~', 'x'.repeat(128)]) {
        const ok = await t.http.get('/v1/projects').set('Authorization', auth).set('X-Request-Id', id);
        assert.equal(ok.status, 200);
        assert.equal(ok.headers['x-request-id'], id);
        const bad = await t.http.get('/v1/nope').set('X-Request-Id', id);
        assert.equal(expectError(bad, 404, 'route_not_found').request_id, id);
      }
    });

    it('a malformed X-Request-Id (a space, a tab, 129 or 200 characters) is replaced by a generated req_ id', async () => {
      for (const [what, id] of [
        ['with a space', 'abc def'],
        ['with a tab', 'abc\tdef'],
        ['of 129 characters', 'x'.repeat(129)],
        ['of 200 characters', 'y'.repeat(200)],
      ]) {
        const res = await t.http.get('/v1/projects').set('Authorization', auth).set('X-Request-Id', id);
        assert.equal(res.status, 200);
        assert.match(res.headers['x-request-id'], GENERATED_REQUEST_ID, what);
        const err = expectErrorFor(what, await t.http.get('/v1/nope').set('X-Request-Id', id), 404, 'route_not_found');
        assert.match(err.request_id, GENERATED_REQUEST_ID, what);
      }
    });

    it('generated request ids differ between requests', async () => {
      const ids = new Set<string>();
      for (let i = 0; i < 5; i++) ids.add((await t.http.get('/healthz')).headers['x-request-id']);
      assert.equal(ids.size, 5);
      for (const id of ids) assert.match(id, GENERATED_REQUEST_ID);
    });

    it('every response carries X-Request-Id and the helmet headers, success or error', async () => {
      const p = await createProjectHttp(t, auth, { name: 'Headers' });
      const small = makeTestApp({ BODY_LIMIT_BYTES: '1024' });
      const failing = makeAppWith({ store: failingProjects('list') });
      const failingAuth = (await signedIn(failing)).auth;
      const requests: [string, () => Test][] = [
        ['healthz', () => t.http.get('/healthz')],
        ['readyz', () => t.http.get('/readyz')],
        ['redirect', () => t.http.get('/')],
        ['openapi.json', () => t.http.get('/openapi.json')],
        ['200 list', () => t.http.get('/v1/projects').set('Authorization', auth)],
        ['201 create', () => t.http.post('/v1/projects').set('Authorization', auth).send({ name: 'More' })],
        ['204 delete', () => t.http.delete(`/v1/projects/${p.id}`).set('Authorization', auth)],
        ['400', () => t.http.get('/v1/projects?limit=0').set('Authorization', auth)],
        ['401', () => t.http.get('/v1/projects')],
        ['404', () => t.http.get('/nope')],
        ['405', () => t.http.put('/v1/projects').set('Authorization', auth).send({})],
        ['409', () => t.http.post('/v1/projects').set('Authorization', auth).send({ name: 'x', slug: 'more' })],
        ['413', () => small.http.post('/v1/auth/login').send({ email: 'a@b.cd', password: 'p'.repeat(2000) })],
        ['415', () => t.http.post('/v1/projects').set('Authorization', auth).type('text').send('x')],
        ['500', () => failing.http.get('/v1/projects').set('Authorization', failingAuth)],
      ];
      const statuses: number[] = [];
      for (const [what, send] of requests) {
        const res = await send();
        statuses.push(res.status);
        assert.match(res.headers['x-request-id'] ?? '', GENERATED_REQUEST_ID, `${what}: X-Request-Id`);
        assert.equal(res.headers['x-content-type-options'], 'nosniff', `${what}: nosniff`);
        assert.match(res.headers['content-security-policy'] ?? '', /default-src 'self'/, `${what}: CSP`);
        assert.ok(res.headers['strict-transport-security'], `${what}: HSTS`);
        assert.equal(res.headers['x-powered-by'], undefined, `${what}: no X-Powered-By`);
        if (res.status >= 400) assert.equal(res.body.error.request_id, res.headers['x-request-id'], what);
      }
      assert.deepEqual(statuses, [200, 200, 302, 200, 200, 201, 204, 400, 401, 404, 405, 409, 413, 415, 500]);
    });

    it('the access log records the request id of each request', async () => {
      await t.http.get('/v1/projects').set('Authorization', auth).set('X-Request-Id', 'trace-me-1');
      const line = t.logs.find((l) => l.msg === 'request' && l.request_id === 'trace-me-1');
      assert.ok(line, 'access log line');
      assert.equal(line.status, 200);
      assert.equal(line.route, '/v1/projects');
    });
  });
});
