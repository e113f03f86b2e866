import assert from 'node:assert/strict';
import type { Response } from 'supertest';
import { createUser, expectError, makeTestApp, signedIn } from '../helpers';
import { installClock, LIMITS_ON_FAKE_CLOCK, type FakeClock } from '../clock';
import {
  appFromSpec,
  declaredPolicies,
  operationsOf,
  readSpec,
  removeSpecCopies,
  specCopy,
  specWithLimits,
} from '../support/specCopy';
import { UNKNOWN_PROJECT_ID } from '../support/projects';
import { burst, count, wrongLogin } from '../support/rateLimits';

/** The rate-limit headers of a response, as sent. */
function limitHeaders(res: Response) {
  return {
    policy: res.headers['ratelimit-policy'],
    state: res.headers['ratelimit'],
    limit: res.headers['x-ratelimit-limit'],
    remaining: res.headers['x-ratelimit-remaining'],
    reset: res.headers['x-ratelimit-reset'],
  };
}

describe('rate limits from the contract (x-rate-limit)', () => {
  let clock: FakeClock | undefined;
  afterEach(() => {
    clock?.restore();
    clock = undefined;
  });
  after(removeSpecCopies);

  describe('429 rate_limited', () => {
    it('createProject: exactly `limit` requests are 201 with RateLimit headers, the next is 429 rate_limited with Retry-After and the policy in details', async () => {
      clock = installClock();
      const t = appFromSpec(specWithLimits({ 'projects-write': { limit: 3, window: 60 } }));
      const u = await signedIn(t);
      const resetAt = String(Math.ceil((Date.now() + 60_000) / 1000));
      for (let i = 1; i <= 3; i++) {
        const res = await t.http.post('/v1/projects').set('Authorization', u.auth).send({ name: `p${i}` });
        assert.equal(res.status, 201, JSON.stringify(res.body));
        assert.deepEqual(limitHeaders(res), {
          policy: '"projects-write";q=3;w=60',
          state: `"projects-write";r=${3 - i};t=60`,
          limit: '3',
          remaining: String(3 - i),
          reset: resetAt,
        });
        assert.equal(res.headers['retry-after'], undefined, 'Retry-After only on a 429');
      }

      const res = await t.http.post('/v1/projects').set('Authorization', u.auth).send({ name: 'one too many' });
      const err = expectError(res, 429, 'rate_limited');
      assert.deepEqual(err.details, [{ field: 'policy', code: 'rate_limited', message: '"projects-write";q=3;w=60' }]);
      assert.match(err.message, /3 requests per 60 s \(group 'projects-write'\)\. Retry after 60 s\./);
      assert.equal(res.headers['retry-after'], '60');
      assert.match(res.headers['retry-after'], /^[1-9]\d*$/, 'Retry-After is an integer number of seconds');
      assert.deepEqual(limitHeaders(res), {
        policy: '"projects-write";q=3;w=60',
        state: '"projects-write";r=0;t=60',
        limit: '3',
        remaining: '0',
        reset: resetAt,
      });

      // The refused request did nothing.
      const list = await t.http.get('/v1/projects').set('Authorization', u.auth).expect(200);
      assert.deepEqual(list.body.data.map((p: { name: string }) => p.name).sort(), ['p1', 'p2', 'p3']);
    });

    it('listProjects: 50 concurrent requests admit exactly the limit (7 of 50), and a copy of the contract saying 20 admits exactly 20: the number comes from the spec', async () => {
      for (const limit of [7, 20]) {
        const t = appFromSpec(specWithLimits({ 'projects-read': { limit } }));
        const u = await signedIn(t);
        const statuses = await burst(t.app, 50, (http) => http.get('/v1/projects').set('Authorization', u.auth));
        assert.equal(count(statuses, 200), limit, `limit ${limit}: ${statuses.join(',')}`);
        assert.equal(count(statuses, 429), 50 - limit);
      }
    });

    it('createProject: 50 concurrent creates against a limit of 25 give exactly 25 201s and 25 projects', async () => {
      const t = appFromSpec(specWithLimits({ 'projects-write': { limit: 25 } }));
      const u = await signedIn(t);
      const statuses = await burst(t.app, 50, (http, i) =>
        http.post('/v1/projects').set('Authorization', u.auth).send({ name: `concurrent ${i}` }),
      );
      assert.equal(count(statuses, 201), 25, statuses.join(','));
      assert.equal(count(statuses, 429), 25);
      assert.equal((await t.store.projects.list(u.workspaceId, {}, undefined, 100)).length, 25);
    });

    it('the real contract: every operation reports in RateLimit-Policy exactly the policies openapi.yaml declares for it', async () => {
      const doc = readSpec();
      const declared = (operationId: string) => {
        const { op } = operationsOf(doc).find((o) => o.op.operationId === operationId)!;
        return declaredPolicies(doc, op)
          .map((p) => `"${p.group}";q=${p.limit};w=${p.window}`)
          .join(', ');
      };
      const t = makeTestApp();
      const u = await signedIn(t);
      const sent: [string, Response][] = [
        ['login', await t.http.post('/v1/auth/login').send({ email: u.email, password: u.password })],
        ['refreshToken', await t.http.post('/v1/auth/refresh').send({ refresh_token: u.tokens.refresh_token })],
        ['getMe', await t.http.get('/v1/me').set('Authorization', u.auth)],
        ['listProjects', await t.http.get('/v1/projects').set('Authorization', u.auth)],
        ['createProject', await t.http.post('/v1/projects').set('Authorization', u.auth).send({ name: 'x' })],
        ['getProject', await t.http.get(`/v1/projects/${UNKNOWN_PROJECT_ID}`).set('Authorization', u.auth)],
        ['listApiKeys', await t.http.get('/v1/api-keys').set('Authorization', u.auth)],
        ['getUsage', await t.http.get('/v1/usage?from=2026-01-01&to=2026-01-02').set('Authorization', u.auth)],
        ['logout', await t.http.post('/v1/auth/logout').send({ refresh_token: 'rt_unknown' })],
      ];
      for (const [operationId, res] of sent) {
        assert.ok(res.status < 429, `${operationId}: ${res.status}`);
        assert.equal(res.headers['ratelimit-policy'], declared(operationId), operationId);
        const [first] = declaredPolicies(doc, operationsOf(doc).find((o) => o.op.operationId === operationId)!.op);
        assert.match(res.headers['ratelimit'], /^"[a-z0-9-]+";r=\d+;t=\d+$/, operationId);
        if (operationId !== 'login') assert.equal(res.headers['x-ratelimit-limit'], String(first.limit), operationId);
      }
    });

    it('an operation without x-rate-limit gets x-rate-limit-default (getMe: 2 per minute, then 429)', async () => {
      const t = appFromSpec(
        specCopy((doc) => {
          doc['x-rate-limit-default'] = { group: 'default', limit: 2, window: 60 };
          delete doc.paths['/me'].get['x-rate-limit'];
        }),
      );
      const u = await signedIn(t);
      for (let i = 0; i < 2; i++) {
        const res = await t.http.get('/v1/me').set('Authorization', u.auth).expect(200);
        assert.equal(res.headers['ratelimit-policy'], '"default";q=2;w=60');
      }
      expectError(await t.http.get('/v1/me').set('Authorization', u.auth), 429, 'rate_limited');
    });
  });

  describe('Retry-After is honest', () => {
    it('listProjects: 429 Retry-After rounds up; one second less is still 429, waiting Retry-After lets the next request through', async () => {
      clock = installClock();
      const t = appFromSpec(specWithLimits({ 'projects-read': { limit: 2, window: 60 } }), LIMITS_ON_FAKE_CLOCK);
      const u = await signedIn(t);
      const list = () => t.http.get('/v1/projects').set('Authorization', u.auth);
      await list().expect(200); // the window starts here
      clock.advance(20.4);
      await list().expect(200);
      const refused = await list();
      expectError(refused, 429, 'rate_limited');
      assert.equal(refused.headers['retry-after'], '40', '39.6 s left, rounded up');
      assert.equal(refused.headers['ratelimit'], '"projects-read";r=0;t=40');

      clock.advance(39); // 0.6 s early
      const early = await list();
      expectError(early, 429, 'rate_limited');
      assert.equal(early.headers['retry-after'], '1');

      clock.advance(1); // 40 s after the first 429 in total
      const ok = await list();
      assert.equal(ok.status, 200);
      assert.equal(ok.headers['ratelimit'], '"projects-read";r=1;t=60', 'a fresh window');
    });

    it('login: when both policies are exceeded, Retry-After is the later reset, so waiting it is enough', async () => {
      clock = installClock();
      const t = appFromSpec(
        specWithLimits({ 'auth-login-ip': { limit: 3, window: 60 }, 'auth-login-account': { limit: 2, window: 300 } }),
        LIMITS_ON_FAKE_CLOCK,
      );
      const user = await createUser(t);
      for (let i = 0; i < 2; i++) expectError(await wrongLogin(t, user.email), 401, 'invalid_credentials');
      const accountOnly = await wrongLogin(t, user.email);
      expectError(accountOnly, 429, 'rate_limited');
      assert.equal(accountOnly.headers['retry-after'], '300');

      // The fourth attempt from this IP also exceeds the IP policy (resets in 60 s); the account policy resets in 300 s.
      const both = await wrongLogin(t, user.email);
      const err = expectError(both, 429, 'rate_limited');
      assert.equal(both.headers['retry-after'], '300');
      assert.deepEqual(err.details, [{ field: 'policy', code: 'rate_limited', message: '"auth-login-account";q=2;w=300' }]);

      clock.advance(Number(both.headers['retry-after']));
      const res = await t.http.post('/v1/auth/login').send({ email: user.email, password: user.password });
      assert.equal(res.status, 200, JSON.stringify(res.body));
    });
  });

  describe('bodies that do not parse', () => {
    it('createProject: malformed and oversized JSON use up the caller budget like any request; past it they are 429, not 400', async () => {
      const t = appFromSpec(specWithLimits({ 'projects-write': { limit: 3 } }), { BODY_LIMIT_BYTES: '1024' });
      const u = await signedIn(t);
      const malformed = await t.http.post('/v1/projects').set('Authorization', u.auth).set('Content-Type', 'application/json').send('{"name": ');
      expectError(malformed, 400, 'malformed_json');
      assert.equal(limitHeaders(malformed).remaining, '2');
      const oversized = await t.http.post('/v1/projects').set('Authorization', u.auth).send({ name: 'x'.repeat(2000) });
      expectError(oversized, 413, 'payload_too_large');
      assert.equal(limitHeaders(oversized).remaining, '1');
      await t.http.post('/v1/projects').set('Authorization', u.auth).send({ name: 'Fine' }).expect(201);
      const refused = await t.http.post('/v1/projects').set('Authorization', u.auth).set('Content-Type', 'application/json').send('{"name": ');
      expectError(refused, 429, 'rate_limited');
      assert.ok(Number(refused.headers['retry-after']) >= 1);
      assert.equal((await t.store.projects.list(u.workspaceId, {}, undefined, 10)).length, 1);
    });

    it('login: past the client IP policy a malformed body is still 400 (its account policy cannot be read), a well-formed one is 429 with the IP reset', async () => {
      clock = installClock();
      const limits = specWithLimits({ 'auth-login-ip': { limit: 2, window: 60 }, 'auth-login-account': { limit: 10, window: 300 } });
      const t = appFromSpec(limits, LIMITS_ON_FAKE_CLOCK);
      const user = await createUser(t);
      for (let i = 0; i < 2; i++) expectError(await wrongLogin(t, user.email), 401, 'invalid_credentials');
      expectError(await t.http.post('/v1/auth/login').set('Content-Type', 'application/json').send('{"email"'), 400, 'malformed_json');
      const refused = await wrongLogin(t, user.email);
      expectError(refused, 429, 'rate_limited');
      assert.equal(refused.headers['retry-after'], '60');
      clock.advance(60);
      await t.http.post('/v1/auth/login').send({ email: user.email, password: user.password }).expect(200);
    });
  });
});
