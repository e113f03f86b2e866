import assert from 'node:assert/strict';
import { createUser, expectError, makeTestApp, signedIn, type TestApp } from '../helpers';
import { operationsOf, readSpec } from '../support/specCopy';

const APP = 'https://app.example.com';
const spec = readSpec();

/** The request headers an operation declares, read here independently of src/contract/headers.ts. */
function declaredHeaders(path: string, op: any): string[] {
  const resolve = (p: any) => (p.$ref ? spec.components.parameters[p.$ref.split('/').pop()] : p);
  const params = [...(spec.paths[path].parameters ?? []), ...(op.parameters ?? [])].map(resolve);
  const names = params.filter((p: any) => p.in === 'header').map((p: any) => p.name.toLowerCase());
  const schemes = (op.security ?? spec.security).flatMap((alt: object) => Object.keys(alt));
  if (schemes.includes('bearerAuth')) names.push('authorization');
  if (schemes.includes('apiKeyAuth')) names.push('x-api-key');
  if (op.requestBody) names.push('content-type');
  // Read by every operation (info.description), a parameter of none.
  return ['x-request-id', ...names];
}

const concrete = (path: string) => '/v1' + path.replace(/\{[^}]+\}/g, 'x_0123');
const list = (header: string | undefined) => (header ?? '').split(',').map((s) => s.trim().toLowerCase()).filter(Boolean);
const corsHeaders = (headers: Record<string, string>) => Object.keys(headers).filter((h) => h.startsWith('access-control-'));

// The names the service sends (src/pipeline/steps/limit.ts, send.ts, errors.ts, handlers), as the issue lists them.
const EXPOSED = ['RateLimit-Policy', 'RateLimit', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset', 'Retry-After',
  'X-Request-Id', 'ETag', 'Location', 'Idempotent-Replayed', 'Deprecation', 'Sunset', 'Link', 'WWW-Authenticate', 'Allow'];
// What a page may read without being told (Fetch: CORS-safelisted response headers), and what only the browser uses.
const NOT_FOR_SCRIPTS = new Set(['cache-control', 'content-language', 'content-length', 'content-type', 'expires', 'last-modified', 'pragma',
  'date', 'connection', 'keep-alive', 'vary', 'strict-transport-security', 'x-content-type-options', 'x-frame-options', 'x-xss-protection',
  'x-dns-prefetch-control', 'x-download-options', 'x-permitted-cross-domain-policies', 'referrer-policy', 'origin-agent-cluster',
  'cross-origin-opener-policy', 'cross-origin-resource-policy', 'content-security-policy']);

// Issue #15 item 4: browsers on CORS_ORIGINS call the API; preflights stay outside the contract.
describe('CORS (CORS_ORIGINS)', () => {
  let t: TestApp;
  beforeEach(() => {
    t = makeTestApp({ CORS_ORIGINS: `${APP}, http://localhost:5173` });
  });

  for (const { path, method, op } of operationsOf(spec)) {
    it(`${op.operationId}: a preflight from an allowed origin is 204 with its method and the headers it declares`, async () => {
      const wanted = declaredHeaders(path, op);
      const res = await t.http
        .options(concrete(path))
        .set('Origin', APP)
        .set('Access-Control-Request-Method', method.toUpperCase())
        .set('Access-Control-Request-Headers', wanted.join(','));
      assert.equal(res.status, 204);
      assert.equal(res.text, '');
      assert.equal(res.headers['access-control-allow-origin'], APP);
      assert.ok(list(res.headers['access-control-allow-methods']).includes(method), res.headers['access-control-allow-methods']);
      const allowed = list(res.headers['access-control-allow-headers']);
      for (const h of wanted) assert.ok(allowed.includes(h), `${h} missing from ${allowed.join(', ')}`);
      assert.equal(res.headers['access-control-max-age'], '600');
      assert.equal(res.headers.vary, 'Origin');
      assert.equal(res.headers['access-control-allow-credentials'], undefined, 'no cookies, no credentials mode');
      assert.ok(res.headers['x-request-id']);
    });
  }

  it('listProjects/createProject: the path methods (HEAD with GET) and the union of the headers of its operations', async () => {
    const res = await t.http.options('/V1/Projects/').set('Origin', 'http://localhost:5173').set('Access-Control-Request-Method', 'POST');
    assert.equal(res.status, 204, 'matched as routing matches: any case, optional trailing slash');
    assert.deepEqual(list(res.headers['access-control-allow-methods']).sort(), ['get', 'head', 'post']);
    assert.deepEqual(list(res.headers['access-control-allow-headers']).sort(), ['authorization', 'content-type', 'idempotency-key', 'x-api-key', 'x-request-id']);
    const one = await t.http.options('/v1/projects/prj_1').set('Origin', APP).set('Access-Control-Request-Method', 'PATCH');
    assert.deepEqual(list(one.headers['access-control-allow-methods']).sort(), ['delete', 'get', 'head', 'patch']);
    for (const h of ['if-match', 'if-none-match', 'idempotency-key']) assert.ok(list(one.headers['access-control-allow-headers']).includes(h), h);
  });

  it('actual responses to an allowed origin carry Allow-Origin and expose every header the service sends: 200, 201, replay, 401, 404, 405, 429', async () => {
    const { auth } = await signedIn(t);
    const seen = new Set<string>();
    const check = (res: { headers: Record<string, string> }) => {
      assert.equal(res.headers['access-control-allow-origin'], APP);
      assert.equal(res.headers.vary, 'Origin');
      const exposed = list(res.headers['access-control-expose-headers']);
      for (const name of EXPOSED) assert.ok(exposed.includes(name.toLowerCase()), `${name} not exposed: ${exposed.join(', ')}`);
      for (const name of Object.keys(res.headers)) {
        if (!NOT_FOR_SCRIPTS.has(name) && !name.startsWith('access-control-')) {
          assert.ok(exposed.includes(name), `the service sent ${name}, which a page could not read`);
          seen.add(name);
        }
      }
    };
    const create = () => t.http.post('/v1/projects').set('Origin', APP).set('Authorization', auth).set('Idempotency-Key', 'cors-1').send({ name: 'Cors' });
    check(await create().expect(201));
    check(await create().expect(201));
    await t.http.post('/v1/projects').set('Authorization', auth).send({ name: 'Cors 2' }).expect(201);
    check(await t.http.get('/v1/projects?limit=1').set('Origin', APP).set('Authorization', auth).expect(200));
    const refused = await t.http.get('/v1/me').set('Origin', APP);
    expectError(refused, 401, 'unauthenticated');
    check(refused);
    check(await t.http.get('/v1/nothing-here').set('Origin', APP).expect(404));
    check(await t.http.delete('/v1/me').set('Origin', APP).expect(405));
    const victim = await createUser(t);
    const login = () => t.http.post('/v1/auth/login').set('Origin', APP).send({ email: victim.email, password: 'not the password at all' });
    for (let i = 0; i < 10; i++) await login().expect(401);
    const limited = await login();
    expectError(limited, 429, 'rate_limited');
    check(limited);
    assert.deepEqual(
      [...seen].sort(),
      ['allow', 'etag', 'idempotent-replayed', 'link', 'location', 'ratelimit', 'ratelimit-policy', 'retry-after', 'www-authenticate',
        'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'x-request-id'],
      'what the responses above carried',
    );
    // Outside the API too (the served contract, for a documentation site elsewhere).
    check(await t.http.get('/openapi.json').set('Origin', APP).expect(200));
  });

  it('another origin gets no CORS headers; its preflight is the 405 every OPTIONS gets', async () => {
    const { auth } = await signedIn(t);
    const get = await t.http.get('/v1/me').set('Origin', 'https://evil.example.com').set('Authorization', auth).expect(200);
    assert.deepEqual(corsHeaders(get.headers), []);
    assert.equal(get.headers.vary, 'Origin', 'the answer depends on the Origin, for caches');
    for (const origin of ['https://evil.example.com', 'https://app.example.com.evil.example.com', 'http://app.example.com', 'null']) {
      const pre = await t.http.options('/v1/projects').set('Origin', origin).set('Access-Control-Request-Method', 'POST');
      expectError(pre, 405, 'method_not_allowed');
      assert.deepEqual(corsHeaders(pre.headers), [], origin);
    }
  });

  it('an allowed preflight for a path of no operation is the 404 (with Allow-Origin, so the page can read it)', async () => {
    const res = await t.http.options('/v1/nothing-here').set('Origin', APP).set('Access-Control-Request-Method', 'GET');
    expectError(res, 404, 'route_not_found');
    assert.equal(res.headers['access-control-allow-origin'], APP);
    assert.equal(res.headers['access-control-allow-methods'], undefined);
  });

  it('OPTIONS without Access-Control-Request-Method is no preflight: 405 with Allow, as before', async () => {
    const res = await t.http.options('/v1/projects').set('Origin', APP);
    expectError(res, 405, 'method_not_allowed');
    assert.equal(res.headers.allow, 'GET, HEAD, POST');
    assert.equal(res.headers['access-control-allow-origin'], APP);
  });
});

describe('CORS: CORS_ORIGINS unset, or *', () => {
  it('unset (the default): no CORS headers for any origin, no Vary; preflights are 405', async () => {
    const t = makeTestApp();
    const pre = await t.http.options('/v1/projects').set('Origin', APP).set('Access-Control-Request-Method', 'POST');
    expectError(pre, 405, 'method_not_allowed');
    assert.deepEqual(corsHeaders(pre.headers), []);
    assert.equal(pre.headers.vary, undefined);
    assert.deepEqual(corsHeaders((await t.http.get('/v1/me').set('Origin', APP)).headers), []);
  });

  it('*: any origin, answered with Allow-Origin: * (never with credentials)', async () => {
    const t = makeTestApp({ CORS_ORIGINS: '*' });
    const pre = await t.http.options('/v1/me').set('Origin', 'https://anyone.example').set('Access-Control-Request-Method', 'GET');
    assert.equal(pre.status, 204);
    assert.equal(pre.headers['access-control-allow-origin'], '*');
    assert.deepEqual(list(pre.headers['access-control-allow-methods']), ['get', 'head']);
    const get = await t.http.get('/v1/me').set('Origin', 'https://anyone.example');
    assert.equal(get.headers['access-control-allow-origin'], '*');
    assert.equal(get.headers['access-control-allow-credentials'], undefined);
    assert.deepEqual(corsHeaders((await t.http.get('/v1/me')).headers), [], 'no Origin, no CORS headers');
  });
});
