import assert from 'node:assert/strict';
import express from 'express';
import supertest from 'supertest';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { loadSpec, type OpenApiDocument } from '../../src/contract/document';
import { strictContract } from '../../src/contract/strict';
import { handlers } from '../../generated/handlers';
import { defineHandler } from '../../src/pipeline/handler';
import { expectError, signedIn } from '../helpers';
import { createApp } from '../../src/app';
import { makeAppWith, testDeps } from '../support/app';
import { contractCheck, observed, takeViolations } from '../support/contractCheck';
import { appFromSpec, removeSpecCopies, specCopy } from '../support/specCopy';

function validator(doc: OpenApiDocument, name: string): (value: unknown) => boolean {
  const ajv = new Ajv2020({ strict: false });
  addFormats(ajv);
  ajv.addSchema(doc, 'doc');
  return ajv.compile({ $ref: `doc#/components/schemas/${name}` });
}

const KEY = {
  id: 'key_01JD3Y8N6V4Q2X7R5T9W1K3M5T',
  name: 'billing-worker',
  scopes: ['projects:read'],
  prefix: 'cp_live_7Hq2',
  last4: 'Zx9A',
  created_at: '2026-03-17T10:22:14.000Z',
  expires_at: null,
  last_used_at: null,
  rotated_at: null,
};

describe('contract: published open, tested strict (strictContract)', () => {
  const published = loadSpec();
  const strict = strictContract(published);

  it('response objects admit unknown properties when published, and refuse them in the strict form', () => {
    assert.ok(validator(published, 'ApiKey')({ ...KEY, added_later: 1 }));
    assert.ok(validator(strict, 'ApiKey')(KEY));
    assert.ok(!validator(strict, 'ApiKey')({ ...KEY, added_later: 1 }));
    assert.ok(!validator(strict, 'ApiKeyEnvelope')({ data: { ...KEY, added_later: 1 } }), 'nested objects too');
  });

  it('an allOf composition is closed as a whole: its members own properties pass, others do not', () => {
    const created = { ...KEY, key: 'cp_live_rGMJ3loQoPu1Cyv3jpZSMomRmCpzcRhC3WH4DE' };
    assert.ok(validator(strict, 'ApiKeyCreated')(created));
    assert.ok(!validator(strict, 'ApiKeyCreated')({ ...created, added_later: 1 }));
    assert.ok(!validator(strict, 'ApiKey')(created), 'ApiKey used alone is closed too');
  });

  it('open enums admit new values when published and only the known ones in the strict form', () => {
    const error = { error: { code: 'added_later', message: 'm', details: [], request_id: 'req_1' } };
    assert.ok(validator(published, 'ErrorEnvelope')(error));
    assert.ok(!validator(strict, 'ErrorEnvelope')(error));
    assert.ok(validator(strict, 'ErrorEnvelope')({ error: { ...error.error, code: 'not_found' } }));
    const detail = { error: { ...error.error, code: 'not_found', details: [{ code: 'added_later', message: 'm' }] } };
    assert.ok(validator(published, 'ErrorEnvelope')(detail), 'a detail code too');
    assert.ok(!validator(strict, 'ErrorEnvelope')(detail));
    assert.ok(validator(published, 'ScopeValue')('billing:read'));
    assert.ok(!validator(strict, 'ScopeValue')('billing:read'));
  });

  it('request schemas stay strict in the published contract', () => {
    assert.ok(!validator(published, 'ProjectCreate')({ name: 'x', extra: 1 }));
    assert.ok(!validator(published, 'Scope')('billing:read'));
    assert.ok(!validator(published, 'Granularity')('week'));
  });

  it('the published document is not changed', () => {
    assert.deepEqual(published, loadSpec());
  });
});

describe('contract: every response is held to the strict contract', () => {
  /** getMe answering `data` changed by `change`; validated (the test app) or not (production). */
  async function meWith(change: (data: Record<string, unknown>) => void, production = false) {
    const getMe = defineHandler('getMe', ['store'], async (req, deps) => {
      const reply = await handlers.getMe.run(req, deps);
      change((reply.body as { data: Record<string, unknown> }).data);
      return reply;
    });
    const t = makeAppWith({ handlers: { ...handlers, getMe } });
    const user = await signedIn(t);
    if (!production) return { t, res: await t.http.get('/v1/me').set('Authorization', user.auth) };
    const deps = testDeps({ NODE_ENV: 'production', VALIDATE_RESPONSES: 'false' }, false);
    const app = createApp({ ...deps, store: t.store, secrets: t.secrets, handlers: { ...handlers, getMe }, inspect: contractCheck() }).app;
    return { t, res: await supertest(app).get('/v1/me').set('Authorization', user.auth) };
  }

  for (const [what, change, message] of [
    ['a leaked field', (d: Record<string, unknown>) => (d.password_hash = 'scrypt$...'), /password_hash/],
    ['an invented enum value', (d: Record<string, unknown>) => (d.role = 'superuser'), /\/data\/role must be equal to one of the allowed values/],
  ] as const) {
    it(`getMe: ${what} passes the published contract, but response validation answers 500 internal_error`, async () => {
      const { t, res } = await meWith(change);
      const err = expectError(res, 500, 'internal_error');
      const logged = t.logs.find((l) => l.level === 'error' && l.request_id === err.request_id);
      assert.match(JSON.stringify(logged?.details), what === 'a leaked field' ? /unevaluated/ : /allowed values/);
    });

    it(`getMe: ${what} with response validation off (production) fails the test that sent it`, async () => {
      const { res } = await meWith(change, true);
      assert.equal(res.status, 200, 'nothing in the service looks');
      const [v, ...more] = takeViolations();
      assert.equal(more.length, 0);
      assert.equal(v.status, 200);
      assert.match(v.problem, message);
    });
  }

  it('errors are checked too, headers included, and a status the operation does not document fails', async () => {
    const app = express();
    app.use(contractCheck(undefined, () => 'getMe'));
    app.use((req, res) => {
      const error = { code: 'invalid_token', message: 'm', details: [], request_id: 'r' };
      if (req.path === '/v1/me/teapot') return res.status(418).json({ error });
      if (req.path === '/v1/me/bare') return res.status(401).json({ error });
      res.set({ 'X-Request-Id': 'r', 'RateLimit-Policy': '"identity-read";q=600;w=60', RateLimit: '"identity-read";r=599;t=60' });
      res.set({ 'X-RateLimit-Limit': '600', 'X-RateLimit-Remaining': '599', 'X-RateLimit-Reset': String(req.path === '/v1/me/late' ? 'soon' : 1800000000) });
      res.status(401).json({ error: req.path === '/v1/me/late' ? error : { ...error, stack: 'at x' } });
    });
    for (const path of ['/v1/me', '/v1/me/teapot', '/v1/me/bare', '/v1/me/late']) await supertest(app).get(path);
    const [leak, teapot, bare, late, ...more] = takeViolations();
    assert.equal(more.length, 0);
    assert.match(leak.problem, /stack/);
    assert.match(teapot.problem, /status 418 is not documented on getMe/);
    assert.match(bare.problem, /header x-request-id is required but missing/);
    assert.match(late.problem, /header x-ratelimit-reset: "soon" \/ must be integer/);
  });

  it('an error outside the operations must be the error envelope', async () => {
    const app = express();
    app.use(contractCheck());
    app.use((_req, res) => res.status(404).json({ message: 'not here' }));
    await supertest(app).get('/v1/nowhere');
    await supertest(app).get('/elsewhere');
    const found = takeViolations();
    assert.equal(found.length, 2);
    for (const v of found) assert.match(v.problem, /not the error envelope/);
  });

  it('a 405 (a method the path lacks) answers for the operations of the path that document 405, and counts for each', async () => {
    const t = appFromSpec(
      specCopy((doc) => {
        const notAllowed = {
          description: 'Not this method.',
          headers: { 'X-Request-Id': { $ref: '#/components/headers/X-Request-Id' } },
          content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorEnvelope' } } },
        };
        doc.paths['/projects'].get.responses['405'] = notAllowed;
        doc.paths['/projects'].post.responses['405'] = notAllowed;
      }),
    );
    const before = (id: string) => observed.get(`${id} 405`) ?? 0;
    const [list, create] = [before('listProjects'), before('createProject')];
    const res = await t.http.put('/v1/projects').send({});
    assert.equal(res.status, 405);
    assert.deepEqual(takeViolations(), []);
    assert.equal(before('listProjects'), list + 1);
    assert.equal(before('createProject'), create + 1);
    removeSpecCopies();
  });
});
