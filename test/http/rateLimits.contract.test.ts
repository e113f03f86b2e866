import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { expectError, makeTestApp, signedIn } from '../helpers';
import {
  appFromSpec,
  declaredPolicies,
  operationsOf,
  readSpec,
  removeSpecCopies,
  specCopy,
  specWithLimits,
} from '../support/specCopy';
import { burst, count } from '../support/rateLimits';
import { SpecError } from '../../src/contract/document';
import { createApp } from '../../src/app';
import { testDeps, type Deps } from '../support/app';

describe('rate limits from the contract (x-rate-limit): the served contract, configuration, malformed declarations', () => {
  after(removeSpecCopies);

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
