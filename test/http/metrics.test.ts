import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { createLogger } from '../../src/logger';
import { listenForScrapes } from '../../src/metrics/endpoint';
import { createUser, expectError, makeTestApp, signedIn, type TestApp } from '../helpers';
import { parseSamples, total, type Sample } from '../metrics/prometheusText';

const TOKEN = 'metrics-token-0123456789abcdef';

async function scrape(t: TestApp): Promise<Sample[]> {
  const res = await t.http.get('/metrics').set('Authorization', `Bearer ${TOKEN}`).expect(200);
  assert.match(res.headers['content-type'], /^text\/plain; version=0\.0\.4/);
  return parseSamples(res.text);
}

const count = (samples: Sample[], labels: Record<string, string>) => total(samples, 'http_request_duration_seconds_count', labels);

// Issue #15 item 3: GET /metrics (outside the contract), behind METRICS_TOKEN on the service's port.
describe('GET /metrics (METRICS_TOKEN)', () => {
  let t: TestApp;
  beforeEach(() => {
    t = makeTestApp({ METRICS_TOKEN: TOKEN });
  });

  it('is refused without the token, or with another, as 401 in the error envelope', async () => {
    const none = await t.http.get('/metrics');
    expectError(none, 401, 'unauthenticated');
    assert.equal(none.headers['www-authenticate'], 'Bearer realm="cloud-api-metrics"');
    expectError(await t.http.get('/metrics').set('Authorization', `Bearer ${TOKEN}x`), 401, 'unauthenticated');
    expectError(await t.http.get('/metrics').set('Authorization', TOKEN), 401, 'unauthenticated');
    expectError(await t.http.get('/metrics').set('x-api-key', TOKEN), 401, 'unauthenticated');
    const samples = await scrape(t);
    assert.equal(total(samples, 'auth_failures_total'), 0, 'refused scrapes are not failures of the API');
    assert.equal(count(samples, { operation: 'site', status_class: '4xx' }), 4, 'the refusals were timed, as site requests');
  });

  it('after a few requests: durations by operation, method and status class; a 429, a replay and auth failures counted', async () => {
    const { auth } = await signedIn(t);
    await t.http.get('/v1/me').set('Authorization', auth).expect(200);
    await t.http.head('/v1/me').set('Authorization', auth).expect(200);
    expectError(await t.http.get('/v1/me'), 401, 'unauthenticated');
    expectError(await t.http.get('/v1/me').set('x-api-key', 'cp_live_not-a-key'), 401, 'invalid_api_key');
    const create = () => t.http.post('/v1/projects').set('Authorization', auth).set('Idempotency-Key', 'metrics-1').send({ name: 'Measured' });
    await create().expect(201);
    const replay = await create().expect(201);
    assert.equal(replay.headers['idempotent-replayed'], 'true');
    // auth-login-account: 10 attempts per account in 300 s, the 11th is refused.
    const victim = await createUser(t);
    for (let i = 0; i < 10; i++) {
      expectError(await t.http.post('/v1/auth/login').send({ email: victim.email, password: 'not the password at all' }), 401, 'invalid_credentials');
    }
    expectError(await t.http.post('/v1/auth/login').send({ email: victim.email, password: 'not the password at all' }), 429, 'rate_limited');
    expectError(await t.http.get('/v1/no-such-thing/42'), 404, 'route_not_found');
    expectError(await t.http.delete('/v1/me'), 405, 'method_not_allowed');
    await t.http.get('/healthz').expect(200);

    const samples = await scrape(t);
    assert.equal(count(samples, { operation: 'getMe', method: 'GET', status_class: '2xx' }), 1);
    assert.equal(count(samples, { operation: 'getMe', method: 'HEAD', status_class: '2xx' }), 1);
    assert.equal(count(samples, { operation: 'getMe', method: 'GET', status_class: '4xx' }), 2);
    assert.equal(count(samples, { operation: 'createProject', method: 'POST', status_class: '2xx' }), 2);
    assert.equal(count(samples, { operation: 'login', method: 'POST', status_class: '2xx' }), 1);
    assert.equal(count(samples, { operation: 'login', method: 'POST', status_class: '4xx' }), 11);
    assert.equal(count(samples, { operation: 'unmatched', status_class: '4xx' }), 2, 'the 404 and the 405, under one fixed label');
    assert.equal(count(samples, { operation: 'site', method: 'GET', status_class: '2xx' }), 1, '/healthz');
    const operations = new Set(samples.filter((s) => s.name === 'http_request_duration_seconds_count').map((s) => s.labels.operation));
    assert.ok(![...operations].some((o) => o.includes('/')), `never a raw path: ${[...operations].join(', ')}`);
    const buckets = samples.filter((s) => s.name === 'http_request_duration_seconds_bucket' && s.labels.operation === 'createProject');
    assert.equal(buckets.find((s) => s.labels.le === '+Inf')?.value, 2);
    assert.ok(total(samples, 'http_request_duration_seconds_sum', { operation: 'createProject' }) > 0);

    assert.equal(total(samples, 'rate_limit_refusals_total', { operation: 'login', policy: 'auth-login-account', scope: 'account' }), 1);
    assert.equal(total(samples, 'rate_limit_refusals_total'), 1);
    assert.equal(total(samples, 'idempotent_replays_total', { operation: 'createProject' }), 1);
    assert.equal(total(samples, 'idempotent_replays_total'), 1);
    assert.equal(total(samples, 'auth_failures_total', { reason: 'invalid_credentials' }), 10);
    assert.equal(total(samples, 'auth_failures_total', { reason: 'unauthenticated' }), 1);
    assert.equal(total(samples, 'auth_failures_total', { reason: 'invalid_api_key' }), 1);
    assert.equal(total(samples, 'auth_failures_total'), 12);
  });

  it('usage flushes: counted with the age of their oldest count', async () => {
    const { auth } = await signedIn(t);
    await t.http.get('/v1/me').set('Authorization', auth).expect(200);
    await t.flushUsage();
    await t.flushUsage(); // nothing pending: not a flush
    const samples = await scrape(t);
    assert.equal(total(samples, 'usage_flushes_total', { outcome: 'written' }), 1);
    assert.equal(total(samples, 'usage_flush_lag_seconds_count'), 1);
    assert.ok(total(samples, 'usage_flush_lag_seconds_sum') < 5);
  });

  it('insufficient_scope is counted as a failure of its reason', async () => {
    const { auth } = await signedIn(t, { role: 'member' });
    expectError(await t.http.post('/v1/api-keys').set('Authorization', auth).send({ name: 'k', scopes: ['projects:read'] }), 403, 'insufficient_scope');
    assert.equal(total(await scrape(t), 'auth_failures_total', { reason: 'insufficient_scope' }), 1);
  });
});

// Issue #22 finding 8: a method other than GET or HEAD is a 405 with Allow, as on every other known path.
describe('/metrics: 405 method_not_allowed for a method other than GET or HEAD, on either listener', () => {
  const METHODS = ['post', 'put', 'patch', 'delete', 'options'] as const;

  function expect405(res: request.Response, method: string) {
    const err = expectError(res, 405, 'method_not_allowed');
    assert.equal(res.headers.allow, 'GET, HEAD', method);
    assert.match(err.message, new RegExp(`^${method.toUpperCase()} `));
  }

  it('on PORT (METRICS_TOKEN): OPTIONS, POST, PUT, PATCH and DELETE, with the token or without', async () => {
    const t = makeTestApp({ METRICS_TOKEN: TOKEN });
    for (const method of METHODS) {
      expect405(await t.http[method]('/metrics').set('Authorization', `Bearer ${TOKEN}`), method);
      expect405(await t.http[method]('/metrics'), method);
    }
    await t.http.head('/metrics').set('Authorization', `Bearer ${TOKEN}`).expect(200);
  });

  it('on METRICS_PORT (listenForScrapes): the same answers', async () => {
    const server = await listenForScrapes(0, TOKEN, async () => '', createLogger('silent'));
    try {
      const http = request(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
      for (const method of METHODS) expect405(await http[method]('/metrics'), method);
      await http.head('/metrics').set('Authorization', `Bearer ${TOKEN}`).expect(200);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('GET /metrics: off by default, and not on PORT with METRICS_PORT', () => {
  it('without METRICS_TOKEN or METRICS_PORT there is no such route', async () => {
    const t = makeTestApp();
    expectError(await t.http.get('/metrics').set('Authorization', `Bearer ${TOKEN}`), 404, 'route_not_found');
  });

  it('with METRICS_PORT the service port does not serve it, token or not', async () => {
    const t = makeTestApp({ METRICS_TOKEN: TOKEN, METRICS_PORT: '9464' });
    expectError(await t.http.get('/metrics').set('Authorization', `Bearer ${TOKEN}`), 404, 'route_not_found');
  });
});
