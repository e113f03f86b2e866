import assert from 'node:assert/strict';
import type { Response } from 'supertest';
import { expectError, makeTestApp, type TestApp } from '../helpers';

const APP = 'https://app.example.com';

// The routes outside the API (src/http/docs.ts, health.ts, jwks.ts), with what a GET answers.
const ROUTES: [path: string, status: number, type: RegExp][] = [
  ['/', 302, /^text\/plain/],
  ['/healthz', 200, /^application\/json/],
  ['/readyz', 200, /^application\/json/],
  ['/docs', 301, /^text\/html/],
  ['/docs/', 200, /^text\/html/],
  ['/docs/swagger-ui.css', 200, /^text\/css/],
  ['/docs/swagger-ui-bundle.js', 200, /javascript/],
  ['/docs/swagger-ui-init.js', 200, /^application\/javascript/],
  ['/redoc', 200, /^text\/html/],
  ['/redoc/redoc.standalone.js', 200, /^application\/javascript/],
  ['/openapi.json', 200, /^application\/json/],
  ['/openapi.yaml', 200, /^application\/yaml/],
  ['/.well-known/jwks.json', 200, /^application\/json/],
];

function expect405(res: Response, method: string, requestId: string) {
  const err = expectError(res, 405, 'method_not_allowed');
  assert.equal(res.headers.allow, 'GET, HEAD', `${method}: Allow`);
  assert.equal(res.headers['x-request-id'], requestId, `${method}: the request's own id`);
  assert.match(err.message, new RegExp(`^${method} is not allowed here`));
}

// Issue #22 finding 8, beyond /metrics: POST gave 404 (or Swagger UI's page under /docs) and OPTIONS
// Express's own 200 "GET, HEAD"; every other known path answers 405 with Allow in the envelope.
describe('routes outside the API: 405 method_not_allowed for a method other than GET or HEAD', () => {
  let t: TestApp;
  beforeEach(() => {
    t = makeTestApp();
  });

  for (const [path] of ROUTES) {
    it(`${path}: POST, OPTIONS, PUT and DELETE are 405 with Allow: GET, HEAD and X-Request-Id`, async () => {
      for (const method of ['post', 'options', 'put', 'delete'] as const) {
        const id = `site-${method}-${path}`;
        expect405(await t.http[method](path).set('X-Request-Id', id).send(method === 'options' ? undefined : { a: 1 }), method.toUpperCase(), id);
      }
    });
  }

  it('GET and HEAD answer as before, Swagger UI and Redoc assets included', async () => {
    for (const [path, status, type] of ROUTES) {
      const get = await t.http.get(path);
      assert.equal(get.status, status, `GET ${path}`);
      assert.match(get.headers['content-type'], type, `GET ${path}`);
      const head = await t.http.head(path);
      assert.equal(head.status, status, `HEAD ${path}`);
      assert.equal(head.text, undefined, `HEAD ${path}: no body`);
    }
  });

  it("anything under /docs is Swagger UI's: a method but GET or HEAD is 405 there too", async () => {
    expect405(await t.http.post('/docs/nothing-here').set('X-Request-Id', 'site-docs-sub'), 'POST', 'site-docs-sub');
    expect405(await t.http.patch('/docs/swagger-ui.css').set('X-Request-Id', 'site-docs-css'), 'PATCH', 'site-docs-css');
  });

  it('a path that is no route stays 404 for any method', async () => {
    expectError(await t.http.post('/healthz/deeper'), 404, 'route_not_found');
    expectError(await t.http.options('/nothing-here'), 404, 'route_not_found');
    expectError(await t.http.post('/openapi.yml'), 404, 'route_not_found');
  });
});

describe('routes outside the API with CORS_ORIGINS: preflights are answered for the API only', () => {
  it('an allowed preflight on a route outside the API is the 405 (with Allow-Origin, so the page can read it)', async () => {
    const t = makeTestApp({ CORS_ORIGINS: APP });
    for (const [path] of ROUTES) {
      const res = await t.http.options(path).set('Origin', APP).set('Access-Control-Request-Method', 'GET').set('X-Request-Id', 'site-cors');
      expect405(res, 'OPTIONS', 'site-cors');
      assert.equal(res.headers['access-control-allow-origin'], APP, path);
      assert.equal(res.headers['access-control-allow-methods'], undefined, path);
    }
    const api = await t.http.options('/v1/projects').set('Origin', APP).set('Access-Control-Request-Method', 'POST');
    assert.equal(api.status, 204, "the API's preflights still answered");
    const get = await t.http.get('/openapi.json').set('Origin', APP).expect(200);
    assert.equal(get.headers['access-control-allow-origin'], APP, 'a cross-origin GET of the contract still readable');
  });
});
