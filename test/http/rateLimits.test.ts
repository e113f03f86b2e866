import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import supertest, { type Response, type Test } from 'supertest';
import { parse } from 'yaml';
import type { Express } from 'express';
import { createUser, expectError, makeTestApp, signedIn, type TestApp } from '../helpers';
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
import { seedProjects, UNKNOWN_PROJECT_ID } from '../support/projects';
import { SpecError } from '../../src/http/spec';
import { createApp } from '../../src/app';
import { testDeps, type Deps } from '../support/app';

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

/** Sends all requests at once through one listening server; resolves with their statuses. */
async function burst(app: Express, count: number, make: (http: ReturnType<typeof supertest>, i: number) => Test) {
  const server = createServer(app);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const http = supertest(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    const responses = await Promise.all(Array.from({ length: count }, (_, i) => make(http, i)));
    return responses.map((r) => r.status);
  } finally {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
  }
}

const count = (statuses: number[], status: number) => statuses.filter((s) => s === status).length;

async function createKey(t: TestApp, auth: string, scopes: string[]): Promise<string> {
  const res = await t.http.post('/v1/api-keys').set('Authorization', auth).send({ name: `key ${scopes.join(' ')}`, scopes });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body.data.key;
}

const wrongLogin = (t: TestApp, email: string) => t.http.post('/v1/auth/login').send({ email, password: 'not the password' });

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

  describe('partitions: who shares a budget', () => {
    it('listProjects: two API keys, the user who made them and another user each have their own budget', async () => {
      const t = appFromSpec(specWithLimits({ 'projects-read': { limit: 2 } }));
      const u = await signedIn(t);
      const other = await signedIn(t);
      const keyA = await createKey(t, u.auth, ['projects:read']);
      const keyB = await createKey(t, u.auth, ['projects:read']);
      for (const [name, header, value] of [
        ['key A', 'x-api-key', keyA],
        ['key B', 'x-api-key', keyB],
        ['user', 'Authorization', u.auth],
        ['another user', 'Authorization', other.auth],
      ]) {
        for (let i = 0; i < 2; i++) {
          const res = await t.http.get('/v1/projects').set(header, value);
          assert.equal(res.status, 200, `${name} request ${i + 1}: ${JSON.stringify(res.body)}`);
          assert.equal(res.headers['x-ratelimit-remaining'], String(1 - i), name);
        }
        expectError(await t.http.get('/v1/projects').set(header, value), 429, 'rate_limited');
      }
    });

    it('createProject 429 (projects-write exhausted) leaves listProjects and getMe at 200: groups do not share a budget', async () => {
      const t = appFromSpec(specWithLimits({ 'projects-write': { limit: 2 } }));
      const u = await signedIn(t);
      for (let i = 0; i < 2; i++) await t.http.post('/v1/projects').set('Authorization', u.auth).send({ name: `p${i}` }).expect(201);
      expectError(await t.http.post('/v1/projects').set('Authorization', u.auth).send({ name: 'x' }), 429, 'rate_limited');
      const list = await t.http.get('/v1/projects').set('Authorization', u.auth).expect(200);
      assert.match(list.headers['ratelimit-policy'], /^"projects-read";/);
      await t.http.get('/v1/me').set('Authorization', u.auth).expect(200);
    });

    it('createProject, updateProject and deleteProject share the projects-write budget: 201, 200, 204, then 429 for each', async () => {
      const t = appFromSpec(specWithLimits({ 'projects-write': { limit: 3 } }));
      const u = await signedIn(t);
      const [other] = await seedProjects(t, u.workspaceId, 1);
      const created = await t.http.post('/v1/projects').set('Authorization', u.auth).send({ name: 'shared' }).expect(201);
      assert.equal(created.headers['ratelimit'].split(';t=')[0], '"projects-write";r=2');
      const id = created.body.data.id;
      const updated = await t.http.patch(`/v1/projects/${id}`).set('Authorization', u.auth).send({ description: 'x' }).expect(200);
      assert.equal(updated.headers['ratelimit'].split(';t=')[0], '"projects-write";r=1');
      const deleted = await t.http.delete(`/v1/projects/${id}`).set('Authorization', u.auth).expect(204);
      assert.equal(deleted.headers['ratelimit'].split(';t=')[0], '"projects-write";r=0');

      for (const res of [
        await t.http.post('/v1/projects').set('Authorization', u.auth).send({ name: 'again' }),
        await t.http.patch(`/v1/projects/${other.id}`).set('Authorization', u.auth).send({ description: 'y' }),
        await t.http.delete(`/v1/projects/${other.id}`).set('Authorization', u.auth),
      ]) {
        const err = expectError(res, 429, 'rate_limited');
        assert.equal((err.details[0] as { message: string }).message, '"projects-write";q=3;w=60');
      }
      // getProject (projects-read) still works and shows the refused writes did nothing.
      const got = await t.http.get(`/v1/projects/${other.id}`).set('Authorization', u.auth).expect(200);
      assert.equal(got.body.data.description, null);
    });

    it('listProjects without a valid credential counts per client IP: 401, 401, then 429 even with a bad token; a signed-in user is unaffected', async () => {
      const t = appFromSpec(specWithLimits({ 'projects-read': { limit: 2 } }));
      const u = await signedIn(t);
      expectError(await t.http.get('/v1/projects'), 401, 'unauthenticated');
      expectError(await t.http.get('/v1/projects').set('Authorization', 'Bearer not-a-token'), 401, 'invalid_token');
      expectError(await t.http.get('/v1/projects'), 429, 'rate_limited');
      expectError(await t.http.get('/v1/projects').set('Authorization', 'Bearer not-a-token'), 429, 'rate_limited');
      await t.http.get('/v1/projects').set('Authorization', u.auth).expect(200);
      expectError(await t.http.get(`/v1/projects/${UNKNOWN_PROJECT_ID}`), 429, 'rate_limited');
    });

    it('login: wrong passwords count; the account policy stops one email (any case) while another email passes until the client IP policy is used up', async () => {
      const t = appFromSpec(
        specWithLimits({ 'auth-login-ip': { limit: 6, window: 60 }, 'auth-login-account': { limit: 3, window: 300 } }),
      );
      const a = await createUser(t);
      const b = await createUser(t);
      for (let i = 0; i < 3; i++) expectError(await wrongLogin(t, a.email), 401, 'invalid_credentials'); // IP: 3

      const guessed = await wrongLogin(t, a.email); // IP: 4
      const err = expectError(guessed, 429, 'rate_limited');
      assert.deepEqual(err.details, [{ field: 'policy', code: 'rate_limited', message: '"auth-login-account";q=3;w=300' }]);
      assert.equal(guessed.headers['ratelimit-policy'], '"auth-login-ip";q=6;w=60, "auth-login-account";q=3;w=300');
      // Even the right password, with the email in another case, is refused: the account is the partition.
      const right = await t.http.post('/v1/auth/login').send({ email: a.email.toUpperCase(), password: a.password }); // IP: 5
      expectError(right, 429, 'rate_limited');

      const other = await t.http.post('/v1/auth/login').send({ email: b.email, password: b.password }); // IP: 6
      assert.equal(other.status, 200, JSON.stringify(other.body));
      assert.equal(other.headers['ratelimit'].split(';t=')[0], '"auth-login-ip";r=0', 'the tightest policy is shown');

      const overIp = await t.http.post('/v1/auth/login').send({ email: b.email, password: b.password }); // IP: 7
      const ipErr = expectError(overIp, 429, 'rate_limited');
      assert.deepEqual(ipErr.details, [{ field: 'policy', code: 'rate_limited', message: '"auth-login-ip";q=6;w=60' }]);
      expectError(await wrongLogin(t, 'nobody@example.com'), 429, 'rate_limited');
    });

    it('refreshToken and logout share the auth-tokens budget per client IP', async () => {
      const t = appFromSpec(specWithLimits({ 'auth-tokens': { limit: 2 } }));
      expectError(await t.http.post('/v1/auth/refresh').send({ refresh_token: 'rt_unknown' }), 401, 'invalid_refresh_token');
      await t.http.post('/v1/auth/logout').send({ refresh_token: 'rt_unknown' }).expect(204);
      expectError(await t.http.post('/v1/auth/refresh').send({ refresh_token: 'rt_unknown' }), 429, 'rate_limited');
      expectError(await t.http.post('/v1/auth/logout').send({ refresh_token: 'rt_unknown' }), 429, 'rate_limited');
    });
  });

  describe('exempt routes', () => {
    it('health and documentation routes answer 200 past any limit, without RateLimit headers', async () => {
      const t = appFromSpec(
        specCopy((doc) => {
          for (const d of [doc['x-rate-limit-default'], ...operationsOf(doc).map(({ op }) => op['x-rate-limit'])]) {
            for (const p of Array.isArray(d) ? d : d ? [d] : []) p.limit = 1;
          }
        }),
      );
      const u = await signedIn(t);
      await t.http.get('/v1/me').set('Authorization', u.auth).expect(200);
      expectError(await t.http.get('/v1/me').set('Authorization', u.auth), 429, 'rate_limited'); // control: limit 1 applies

      const paths = ['/healthz', '/readyz', '/openapi.json', '/openapi.yaml', '/docs/', '/docs/swagger-ui-init.js', '/redoc'];
      for (const path of paths) {
        for (let i = 0; i < (path === '/healthz' ? 30 : 3); i++) {
          const res = await t.http.get(path);
          assert.equal(res.status, 200, `${path} #${i + 1}`);
          for (const h of ['ratelimit', 'ratelimit-policy', 'x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'retry-after']) {
            assert.equal(res.headers[h], undefined, `${path} has ${h}`);
          }
        }
      }
    });
  });

  describe('the served contract states each limit', () => {
    it('/openapi.json and /openapi.yaml: every operation description ends with "**Rate limit:**" and the numbers openapi.yaml declares', async () => {
      const doc = readSpec();
      const t = makeTestApp();
      const json = (await t.http.get('/openapi.json').expect(200)).body;
      const yaml = parse((await t.http.get('/openapi.yaml').expect(200)).text);
      const ops = operationsOf(doc);
      assert.ok(ops.length >= 10);
      for (const { path, method, op } of ops) {
        const served: string = json.paths[path][method].description;
        assert.equal(yaml.paths[path][method].description, served, `${op.operationId}: yaml and json agree`);
        if (op.description) assert.ok(served.startsWith(op.description.trimEnd()), `${op.operationId} keeps its description`);
        const sentence = served.slice(served.indexOf('**Rate limit:**'));
        assert.ok(served.includes('**Rate limit:**'), `${op.operationId}: ${served}`);
        for (const p of declaredPolicies(doc, op)) {
          assert.match(sentence, new RegExp(`\\b${p.limit} requests per `), `${op.operationId} states ${p.limit}`);
          assert.ok(sentence.includes(`(group \`${p.group}\``), `${op.operationId} names group ${p.group}`);
        }
        assert.match(sentence, /Over the limit: `429 rate_limited` with `Retry-After`\.$/);
      }
    });

    it('a changed number in a copy of openapi.yaml changes the served description, in words', async () => {
      const t = appFromSpec(
        specWithLimits({ 'projects-write': { limit: 7, window: 120 }, 'auth-login-account': { limit: 4, window: 3600 } }),
      );
      const json = (await t.http.get('/openapi.json').expect(200)).body;
      assert.ok(
        json.paths['/projects'].post.description.endsWith(
          '**Rate limit:** 7 requests per 2 minutes per API key or user (group `projects-write`, shared with `deleteProject`, `updateProject`). Over the limit: `429 rate_limited` with `Retry-After`.',
        ),
        json.paths['/projects'].post.description,
      );
      assert.match(json.paths['/projects/{project_id}'].delete.description, /7 requests per 2 minutes per API key or user \(group `projects-write`, shared with `createProject`, `updateProject`\)/);
      assert.match(json.paths['/auth/login'].post.description, /; and 4 requests per hour per account \(login email\) \(group `auth-login-account`\)/);
      const yaml = parse((await t.http.get('/openapi.yaml').expect(200)).text);
      assert.equal(yaml.paths['/projects'].post.description, json.paths['/projects'].post.description);
      // Headers follow the same number.
      const u = await signedIn(t);
      const res = await t.http.post('/v1/projects').set('Authorization', u.auth).send({ name: 'x' }).expect(201);
      assert.equal(res.headers['ratelimit-policy'], '"projects-write";q=7;w=120');
    });

    it('/docs (Swagger UI) and /redoc render /openapi.json, the contract with the limits', async () => {
      const t = makeTestApp();
      const init = await t.http.get('/docs/swagger-ui-init.js').expect(200);
      assert.match(init.text, /"url": "\/openapi\.json"/);
      assert.ok(!init.text.includes('"paths"'), 'Swagger UI is not given an inline copy of the contract');
      const page = await t.http.get('/docs/').expect(200);
      assert.match(page.text, /swagger-ui-init\.js/);
      const redoc = await t.http.get('/redoc').expect(200);
      assert.match(redoc.text, /<redoc spec-url="\/openapi\.json">/);
    });

    it('every operation documents 429 TooManyRequests, in openapi.yaml and in the served contract', async () => {
      const doc = readSpec();
      const json = (await makeTestApp().http.get('/openapi.json').expect(200)).body;
      for (const { path, method, op } of operationsOf(doc)) {
        assert.deepEqual(op.responses['429'], { $ref: '#/components/responses/TooManyRequests' }, op.operationId);
        assert.deepEqual(json.paths[path][method].responses['429'], { $ref: '#/components/responses/TooManyRequests' });
      }
      const headers = Object.keys(doc.components.responses.TooManyRequests.headers);
      for (const h of ['Retry-After', 'RateLimit-Policy', 'RateLimit', 'X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset']) {
        assert.ok(headers.includes(h), `TooManyRequests documents ${h}`);
      }
    });
  });

  describe('configuration', () => {
    it('RATE_LIMIT_MULTIPLIER=3 scales every limit: behaviour, headers and the served descriptions', async () => {
      const spec = specWithLimits({ 'projects-write': { limit: 2 } });
      const t = appFromSpec(spec, { RATE_LIMIT_MULTIPLIER: '3' });
      const u = await signedIn(t);
      for (let i = 0; i < 6; i++) {
        const res = await t.http.post('/v1/projects').set('Authorization', u.auth).send({ name: `p${i}` });
        assert.equal(res.status, 201, `request ${i + 1}`);
        assert.equal(res.headers['ratelimit-policy'], '"projects-write";q=6;w=60');
      }
      const err = expectError(await t.http.post('/v1/projects').set('Authorization', u.auth).send({ name: 'x' }), 429, 'rate_limited');
      assert.equal((err.details[0] as { message: string }).message, '"projects-write";q=6;w=60');

      const doc = readSpec(spec);
      const json = (await t.http.get('/openapi.json').expect(200)).body;
      for (const { path, method, op } of operationsOf(doc)) {
        for (const p of declaredPolicies(doc, op)) {
          assert.match(json.paths[path][method].description, new RegExp(`\\b${p.limit * 3} requests per .*\\(group \`${p.group}\``), op.operationId);
        }
      }
    });

    it('RATE_LIMIT_STORE=sqlite: two apps on one database file share one budget; with the memory store each app has its own', async () => {
      const dir = mkdtempSync(join(tmpdir(), 'cloud-api-rl-'));
      const spec = specWithLimits({ 'projects-read': { limit: 6 } });
      try {
        for (const store of ['sqlite', 'memory'] as const) {
          const env = { DATABASE_PATH: join(dir, `${store}.sqlite`), RATE_LIMIT_STORE: store };
          const a = appFromSpec(spec, env);
          const b = appFromSpec(spec, env, { secrets: a.secrets }); // same keys: b accepts a's tokens
          try {
            const u = await signedIn(a);
            const first = await a.http.get('/v1/projects').set('Authorization', u.auth).expect(200);
            const second = await b.http.get('/v1/projects').set('Authorization', u.auth).expect(200);
            assert.equal(first.headers['x-ratelimit-remaining'], '5');
            assert.equal(second.headers['x-ratelimit-remaining'], store === 'sqlite' ? '4' : '5');
            const [fromA, fromB] = await Promise.all(
              [a, b].map((app) => burst(app.app, 10, (http) => http.get('/v1/projects').set('Authorization', u.auth))),
            );
            const admitted = 2 + count(fromA, 200) + count(fromB, 200);
            assert.equal(admitted, store === 'sqlite' ? 6 : 12, `${store}: ${fromA} | ${fromB}`);
            assert.equal(count(fromA, 200) + count(fromA, 429) + count(fromB, 200) + count(fromB, 429), 20);
          } finally {
            a.store.close();
            b.store.close();
          }
        }
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });

  describe('createApp refuses a malformed x-rate-limit (SpecError)', () => {
    const cases: [string, (doc: any) => void, RegExp][] = [
      ['a negative limit', (d) => (d.paths['/projects'].post['x-rate-limit'].limit = -1), /createProject x-rate-limit is not a valid rate limit: .*limit must be >= 1/],
      ['a zero window', (d) => (d.paths['/projects'].get['x-rate-limit'].window = 0), /listProjects x-rate-limit is not a valid rate limit: .*window must be >= 1/],
      ['a limit that is not an integer', (d) => (d.paths['/me'].get['x-rate-limit'].limit = '600'), /getMe x-rate-limit is not a valid rate limit: .*limit must be integer/],
      ['an unknown field', (d) => (d.paths['/me'].get['x-rate-limit'].burst = 5), /getMe x-rate-limit is not a valid rate limit: .*must NOT have additional properties/],
      ['an unknown partition', (d) => (d.paths['/me'].get['x-rate-limit'].by = 'user'), /getMe x-rate-limit is not a valid rate limit: .*by must be equal to one of the allowed values/],
      ['a missing group', (d) => delete d.paths['/me'].get['x-rate-limit'].group, /getMe x-rate-limit is not a valid rate limit: .*must have required property 'group'/],
      ['a bad group name', (d) => (d.paths['/me'].get['x-rate-limit'].group = 'Identity Read'), /getMe x-rate-limit is not a valid rate limit: .*group must match pattern/],
      ['an empty list', (d) => (d.paths['/me'].get['x-rate-limit'] = []), /getMe x-rate-limit is not a valid rate limit/],
      [
        'a group declared twice with different numbers',
        (d) => (d.paths['/projects/{project_id}'].patch['x-rate-limit'].limit = 121),
        /rate limit group 'projects-write' is declared with different numbers \((updateProject|deleteProject|createProject)\)/,
      ],
      [
        'a group declared twice with different partitions',
        (d) => (d.paths['/auth/logout'].post['x-rate-limit'].by = 'principal'),
        /rate limit group 'auth-tokens' is declared with different numbers/,
      ],
      ['a missing x-rate-limit-default', (d) => delete d['x-rate-limit-default'], /x-rate-limit-default is missing at the document root/],
      ['a malformed x-rate-limit-default', (d) => (d['x-rate-limit-default'] = { group: 'default', limit: 0, window: 60 }), /x-rate-limit-default is not a valid rate limit: .*limit must be >= 1/],
    ];
    let deps: Deps;
    before(() => {
      deps = testDeps();
    });
    for (const [what, mutate, message] of cases) {
      it(`throws SpecError for ${what}`, () => {
        const specPath = specCopy(mutate);
        assert.throws(
          () => createApp({ ...deps, specPath }),
          (err: unknown) => {
            assert.ok(err instanceof SpecError, `not a SpecError: ${err}`);
            assert.match(err.message, message);
            return true;
          },
        );
      });
    }

    it('starts from an unchanged copy (control)', () => {
      createApp({ ...deps, specPath: specCopy(() => {}) });
    });
  });
});
