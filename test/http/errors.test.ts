import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parse, stringify } from 'yaml';
import type { Test } from 'supertest';
import { expectError, makeTestApp, signedIn, type TestApp } from '../helpers';
import { failingProjects, makeAppWith, testDeps } from '../support/app';
import { expectErrorFor } from '../support/errors';
import { createProjectHttp, UNKNOWN_PROJECT_ID } from '../support/projects';
import { createApp } from '../../src/app';
import { SpecError, SPEC_PATH } from '../../src/http/spec';
import { handlers } from '../../src/handlers';
import { defineHandler } from '../../src/http/operation';

const GENERATED_REQUEST_ID = /^req_[0-9A-HJKMNP-TV-Z]{26}$/;
/** Sends a Buffer as is (superagent would JSON-encode it under a JSON Content-Type); its types want a string. */
const raw = (body: Buffer) => body as unknown as string;

describe('errors: every bad input gets its status and the envelope, never a 5xx', () => {
  let t: TestApp;
  let auth: string;

  beforeEach(async () => {
    t = makeTestApp();
    ({ auth } = await signedIn(t));
  });

  describe('400 malformed_json', () => {
    it('malformed JSON on an authenticated operation is 400 malformed_json pointing at /body', async () => {
      const res = await t.http
        .post('/v1/projects')
        .set('Authorization', auth)
        .set('Content-Type', 'application/json')
        .send('{"name": "x"');
      const err = expectError(res, 400, 'malformed_json');
      assert.equal((err.details[0] as any).pointer, '/body');
    });

    it('malformed JSON on an anonymous operation (login) is 400 malformed_json', async () => {
      const res = await t.http.post('/v1/auth/login').set('Content-Type', 'application/json').send("{'email': 1}");
      expectError(res, 400, 'malformed_json');
    });

    it('a JSON scalar body (strict mode) is 400 malformed_json', async () => {
      for (const body of ['null', '"x"', '42', 'true']) {
        const res = await t.http.post('/v1/projects').set('Authorization', auth).set('Content-Type', 'application/json').send(body);
        expectError(res, 400, 'malformed_json');
      }
    });

    it('a corrupt gzip, deflate or br body is 400 malformed_json, not 500', async () => {
      const truncated = gzipSync(JSON.stringify({ name: 'x' })).subarray(0, 12);
      for (const [encoding, body] of [
        ['gzip', truncated],
        ['gzip', Buffer.from('not gzip at all')],
        ['deflate', Buffer.from('not deflate')],
        ['br', Buffer.from('not brotli')],
      ] as const) {
        const res = await t.http
          .post('/v1/projects')
          .set('Authorization', auth)
          .set('Content-Type', 'application/json')
          .set('Content-Encoding', encoding)
          .serialize(raw)
          .send(body);
        expectError(res, 400, 'malformed_json');
      }
    });

    it('a well-formed gzip body is accepted (control for the corrupt ones)', async () => {
      const res = await t.http
        .post('/v1/projects')
        .set('Authorization', auth)
        .set('Content-Type', 'application/json')
        .set('Content-Encoding', 'gzip')
        .serialize(raw)
        .send(gzipSync(JSON.stringify({ name: 'Zipped' })));
      assert.equal(res.status, 201, JSON.stringify(res.body));
      assert.equal(res.body.data.slug, 'zipped');
    });
  });

  describe('415 unsupported_media_type', () => {
    it('a text/plain, form, XML or non-UTF JSON body is 415 unsupported_media_type naming the type', async () => {
      for (const [type, body] of [
        ['text/plain', '{"name":"x"}'],
        ['application/x-www-form-urlencoded', 'name=x'],
        ['application/xml', '<name>x</name>'],
        ['multipart/form-data; boundary=x', '--x\r\n\r\n--x--'],
        ['application/json; charset=latin1', '{"name":"x"}'],
      ]) {
        const res = await t.http.post('/v1/projects').set('Authorization', auth).set('Content-Type', type).send(body);
        const err = expectErrorFor(type, res, 415, 'unsupported_media_type');
        assert.ok(err.message.includes(type.split(';')[0]), err.message);
      }
    });

    it('a POST without any body or Content-Type is 415 unsupported_media_type', async () => {
      expectError(await t.http.post('/v1/projects').set('Authorization', auth), 415, 'unsupported_media_type');
    });

    it('an unknown Content-Encoding is 415 unsupported_media_type', async () => {
      const res = await t.http
        .post('/v1/projects')
        .set('Authorization', auth)
        .set('Content-Type', 'application/json')
        .set('Content-Encoding', 'x-custom')
        .send('{"name":"x"}');
      expectError(res, 415, 'unsupported_media_type');
    });
  });

  describe('404 route_not_found', () => {
    it('unknown routes (/v1/nope, /nope, ...) are 404 route_not_found', async () => {
      for (const [method, path] of [
        ['get', '/v1/nope'],
        ['get', '/nope'],
        ['post', '/v1/nope'],
        ['delete', '/nope/deeper'],
        ['get', `/v1/projects/${UNKNOWN_PROJECT_ID}/members`],
        ['get', '/v2/projects'],
      ] as const) {
        const res = await t.http[method](path).set('Authorization', auth);
        const err = expectErrorFor(`${method} ${path}`, res, 404, 'route_not_found');
        assert.deepEqual(err.details, []);
      }
    });

    it('an unknown route is 404 route_not_found even without credentials', async () => {
      expectError(await t.http.get('/v1/nope'), 404, 'route_not_found');
    });
  });

  describe('405 method_not_allowed', () => {
    it('a known path with the wrong method (PUT /v1/projects, ...) is 405 method_not_allowed with an Allow header', async () => {
      for (const [method, path, allowed] of [
        ['put', '/v1/projects', ['GET', 'HEAD', 'POST']],
        ['delete', '/v1/projects', ['GET', 'HEAD', 'POST']],
        ['put', `/v1/projects/${UNKNOWN_PROJECT_ID}`, ['DELETE', 'GET', 'HEAD', 'PATCH']],
        ['post', `/v1/projects/${UNKNOWN_PROJECT_ID}`, ['DELETE', 'GET', 'HEAD', 'PATCH']],
        ['get', '/v1/auth/login', ['POST']],
      ] as const) {
        const res = await t.http[method](path).set('Authorization', auth).send({});
        expectErrorFor(`${method} ${path}`, res, 405, 'method_not_allowed');
        const allow = String(res.headers.allow ?? '')
          .split(',')
          .map((m) => m.trim())
          .filter(Boolean)
          .sort();
        assert.deepEqual(allow, [...allowed], `${method} ${path}: Allow`);
      }
    });

    it('a known path with the wrong method is 405 even without credentials', async () => {
      const res = await t.http.put('/v1/projects').send({});
      expectError(res, 405, 'method_not_allowed');
      assert.ok(res.headers.allow);
    });
  });

  describe('413 payload_too_large', () => {
    beforeEach(async () => {
      t = makeTestApp({ BODY_LIMIT_BYTES: '1024' });
      ({ auth } = await signedIn(t));
    });

    it('a body over BODY_LIMIT_BYTES is 413 payload_too_large', async () => {
      const res = await t.http.post('/v1/projects').set('Authorization', auth).send({ name: 'x', pad: 'p'.repeat(2000) });
      const err = expectError(res, 413, 'payload_too_large');
      assert.match(err.message, /1 kB/);
    });

    it('an oversize body is 413 before authentication and before JSON parsing', async () => {
      const res = await t.http
        .post('/v1/projects')
        .set('Content-Type', 'application/json')
        .send(`{${'x'.repeat(3000)}`);
      expectError(res, 413, 'payload_too_large');
      const login = await t.http.post('/v1/auth/login').send({ email: 'a@example.com', password: 'p'.repeat(2000) });
      expectError(login, 413, 'payload_too_large');
    });

    it('a small gzip body that inflates over the limit is 413 payload_too_large', async () => {
      const bomb = gzipSync(JSON.stringify({ name: 'x', description: ' '.repeat(100_000) }));
      assert.ok(bomb.length < 1024);
      const res = await t.http
        .post('/v1/projects')
        .set('Authorization', auth)
        .set('Content-Type', 'application/json')
        .set('Content-Encoding', 'gzip')
        .serialize(raw)
        .send(bomb);
      expectError(res, 413, 'payload_too_large');
    });
  });

  it('every secured operation without credentials is 401 unauthenticated with WWW-Authenticate', async () => {
    for (const [method, path] of [
      ['get', '/v1/me'],
      ['get', '/v1/projects'],
      ['post', '/v1/projects'],
      ['get', `/v1/projects/${UNKNOWN_PROJECT_ID}`],
      ['patch', `/v1/projects/${UNKNOWN_PROJECT_ID}`],
      ['delete', `/v1/projects/${UNKNOWN_PROJECT_ID}`],
      ['get', '/v1/api-keys'],
      ['post', '/v1/api-keys'],
      ['get', '/v1/api-keys/key_01JD3Y8N6V4Q2X7R5T9W1K3M5T'],
      ['post', '/v1/api-keys/key_01JD3Y8N6V4Q2X7R5T9W1K3M5T/rotate'],
      ['delete', '/v1/api-keys/key_01JD3Y8N6V4Q2X7R5T9W1K3M5T'],
    ] as const) {
      let req: Test = t.http[method](path);
      if (method === 'post' || method === 'patch') req = req.send({ name: 'x' });
      const res = await req;
      expectErrorFor(`${method} ${path}`, res, 401, 'unauthenticated');
      // Both ways in are offered: RFC 6750 for bearer tokens, and the API key header.
      assert.equal(
        res.headers['www-authenticate'],
        'Bearer realm="cloud-api", ApiKey realm="cloud-api", header="x-api-key"',
        `${method} ${path}`,
      );
    }
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

  describe('a table of bad inputs: the documented status and code, never a 5xx', () => {
    const json = 'application/json';
    const cases: [string, (t: TestApp, auth: string) => Test, number, string][] = [
      ['query limit=0', (t, a) => t.http.get('/v1/projects?limit=0').set('Authorization', a), 400, 'validation_failed'],
      ['query limit[]=1', (t, a) => t.http.get('/v1/projects?limit[]=1').set('Authorization', a), 400, 'validation_failed'],
      ['repeated name=', (t, a) => t.http.get('/v1/projects?name=a&name=b').set('Authorization', a), 400, 'validation_failed'],
      ['empty cursor', (t, a) => t.http.get('/v1/projects?cursor=').set('Authorization', a), 400, 'validation_failed'],
      ['600-char cursor', (t, a) => t.http.get(`/v1/projects?cursor=${'a'.repeat(600)}`).set('Authorization', a), 400, 'validation_failed'],
      ['garbage cursor', (t, a) => t.http.get('/v1/projects?cursor=a.b').set('Authorization', a), 400, 'invalid_cursor'],
      ['leap second filter', (t, a) => t.http.get('/v1/projects').query({ created_after: '2026-06-30T23:59:60Z' }).set('Authorization', a), 400, 'validation_failed'],
      ['bad percent-encoding in an id', (t, a) => t.http.get('/v1/projects/%E0%A4%A').set('Authorization', a), 400, 'validation_failed'],
      ['deeply nested JSON', (t, a) => t.http.post('/v1/projects').set('Authorization', a).set('Content-Type', json).send(`{"name":${'['.repeat(5000)}${']'.repeat(5000)}}`), 400, 'validation_failed'],
      ['__proto__ key', (t, a) => t.http.post('/v1/projects').set('Authorization', a).set('Content-Type', json).send('{"name":"x","__proto__":{"admin":true}}'), 400, 'validation_failed'],
      ['UTF-16 declared, UTF-8 sent', (t, a) => t.http.post('/v1/projects').set('Authorization', a).set('Content-Type', `${json}; charset=utf-16`).send('{"name":"x"}'), 400, 'malformed_json'],
      ['empty JSON body', (t, a) => t.http.post('/v1/projects').set('Authorization', a).set('Content-Type', json).send(''), 400, 'validation_failed'],
      ['Authorization: Basic', (t) => t.http.get('/v1/projects').set('Authorization', 'Basic dXNlcjpwYXNz'), 401, 'unauthenticated'],
      ['Bearer garbage', (t) => t.http.get('/v1/projects').set('Authorization', 'Bearer abc.def.ghi'), 401, 'invalid_token'],
      ['double slash path', (t, a) => t.http.get('/v1//projects').set('Authorization', a), 404, 'route_not_found'],
    ];
    it('each is answered with its status and code, never a 5xx', async () => {
      for (const [what, send, status, code] of cases) {
        const res = await send(t, auth);
        assert.ok(res.status < 500, `${what}: ${res.status} ${res.text}`);
        expectErrorFor(what, res, status, code);
      }
    });
  });
});

describe('errors: 500 internal_error reveals nothing', () => {
  it('an unexpected exception is 500 internal_error without message or stack; the log has both', async () => {
    const t = makeAppWith({ store: failingProjects('list', 'secret internal detail') });
    const { auth } = await signedIn(t);
    const res = await t.http.get('/v1/projects').set('Authorization', auth);
    const err = expectError(res, 500, 'internal_error');
    assert.deepEqual(res.body, {
      error: { code: 'internal_error', message: 'An unexpected error occurred.', details: [], request_id: err.request_id },
    });
    assert.ok(!res.text.includes('secret internal detail'), res.text);
    assert.ok(!/\bat /.test(res.text), `stack line in ${res.text}`);
    assert.ok(!/\.ts:\d+|node_modules|Error:/.test(res.text), res.text);
    const logged = t.logs.find((l) => l.level === 'error' && l.request_id === err.request_id);
    assert.ok(logged, 'an error line with the request id');
    assert.equal(logged.error, 'secret internal detail');
    assert.match(String(logged.stack), /secret internal detail[\s\S]*\n\s+at /);
    const access = t.logs.find((l) => l.msg === 'request' && l.request_id === err.request_id);
    assert.equal(access?.status, 500);
  });

  it('a handler reply that drifts from the contract is 500 internal_error (response validation)', async () => {
    const t = makeAppWith({
      handlers: { ...handlers, getProject: defineHandler('getProject', [], async () => ({ status: 200, body: { data: { id: 'x' } } }) as never) },
    });
    const { auth } = await signedIn(t);
    const res = await t.http.get(`/v1/projects/${UNKNOWN_PROJECT_ID}`).set('Authorization', auth);
    const err = expectError(res, 500, 'internal_error');
    assert.deepEqual(err.details, []);
    const logged = t.logs.find((l) => l.level === 'error' && l.request_id === err.request_id);
    assert.ok(logged, 'the drift is logged');
    assert.match(JSON.stringify(logged.details), /response/);
  });

  it('a list reply missing meta.next_cursor, or a project with an extra field, is 500 internal_error', async () => {
    const t = makeAppWith({
      handlers: {
        ...handlers,
        listProjects: defineHandler('listProjects', [], async () => ({ status: 200, body: { data: [], meta: { limit: 20, has_more: false } } }) as never),
        createProject: defineHandler('createProject', [], async () => ({
          status: 201,
          body: {
            data: {
              id: UNKNOWN_PROJECT_ID,
              name: 'x',
              slug: 'x',
              description: null,
              created_at: '2026-03-17T10:22:14.000Z',
              updated_at: '2026-03-17T10:22:14.000Z',
              workspace_id: 'ws_leaked',
            },
          },
        }) as never),
      },
    });
    const { auth } = await signedIn(t);
    expectError(await t.http.get('/v1/projects').set('Authorization', auth), 500, 'internal_error');
    const created = await t.http.post('/v1/projects').set('Authorization', auth).send({ name: 'x' });
    expectError(created, 500, 'internal_error');
    assert.ok(!created.text.includes('ws_leaked'));
  });
});

describe('errors: createApp refuses to start on a broken contract or handler map', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'cloud-api-spec-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const build = (over: { handlers?: Record<string, unknown>; specPath?: string }) => {
    const { config, store, secrets, logger } = testDeps();
    return () => createApp({ config, store, secrets, logger, ...over });
  };
  const specError = (pattern: RegExp) => (e: unknown) => {
    assert.ok(e instanceof SpecError, `expected SpecError, got ${e}`);
    assert.match(e.message, pattern);
    return true;
  };
  const writeSpec = (name: string, content: string) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };
  const contract = () => parse(readFileSync(SPEC_PATH, 'utf8'));

  it('throws SpecError naming the operation when a handler is missing', () => {
    const { getProject: _omit, ...rest } = handlers;
    assert.throws(build({ handlers: rest }), specError(/no handler for operation\(s\): getProject/));
  });

  it('throws SpecError naming every missing operation', () => {
    const { updateProject: _u, deleteProject: _d, ...rest } = handlers;
    assert.throws(build({ handlers: rest }), specError(/updateProject, deleteProject|deleteProject, updateProject/));
  });

  it('throws SpecError when a handler is not a function', () => {
    assert.throws(build({ handlers: { ...handlers, getProject: 'nope' } }), specError(/getProject/));
  });

  it('throws SpecError naming a handler that has no operation', () => {
    const extra = { ...handlers, archiveProject: { operationId: 'archiveProject', uses: [], run: async () => ({ status: 204 }) } };
    assert.throws(build({ handlers: extra }), specError(/without an operation: archiveProject/));
  });

  it('throws SpecError when the spec file does not exist', () => {
    assert.throws(build({ specPath: join(dir, 'missing.yaml') }), specError(/cannot be read or parsed/));
  });

  it('throws SpecError when the spec file is not YAML', () => {
    assert.throws(build({ specPath: writeSpec('broken.yaml', 'openapi: 3.1.0\npaths: {\n  - [\n') }), specError(/cannot be read or parsed/));
  });

  it('throws SpecError when the document is not OpenAPI 3.1', () => {
    const v30 = { ...contract(), openapi: '3.0.3' };
    assert.throws(build({ specPath: writeSpec('v30.yaml', stringify(v30)) }), specError(/not an OpenAPI 3\.1 document/));
    assert.throws(build({ specPath: writeSpec('empty.yaml', '') }), specError(/not an OpenAPI 3\.1 document/));
  });

  it('throws SpecError when the document has no paths', () => {
    assert.throws(build({ specPath: writeSpec('nopaths.yaml', 'openapi: 3.1.0\ninfo: {title: x, version: "1"}\n') }), specError(/has no paths/));
  });

  it('throws SpecError for an operation without operationId, or an operationId used twice', () => {
    const noId = contract();
    delete noId.paths['/projects'].get.operationId;
    assert.throws(build({ specPath: writeSpec('noid.yaml', stringify(noId)) }), specError(/GET \/projects has no operationId/));
    const twice = contract();
    twice.paths['/projects'].get.operationId = 'getProject';
    assert.throws(build({ specPath: writeSpec('twice.yaml', stringify(twice)) }), specError(/getProject is used twice/));
  });

  it('throws SpecError for a security scheme the service cannot check, or a requirement naming an undefined scheme', () => {
    const oauth = contract();
    oauth.components.securitySchemes.oauth = { type: 'oauth2', flows: { clientCredentials: { tokenUrl: 'https://x.test/t', scopes: {} } } };
    assert.throws(build({ specPath: writeSpec('oauth.yaml', stringify(oauth)) }), specError(/security scheme oauth is not one this service can check/));
    const cookie = contract();
    cookie.components.securitySchemes.apiKeyAuth.in = 'cookie';
    assert.throws(build({ specPath: writeSpec('cookie.yaml', stringify(cookie)) }), specError(/security scheme apiKeyAuth/));
    const undefinedScheme = contract();
    undefinedScheme.paths['/projects'].get.security = [{ sessionCookie: [] }];
    assert.throws(build({ specPath: writeSpec('undef.yaml', stringify(undefinedScheme)) }), specError(/listProjects requires security scheme sessionCookie, which is not defined/));
  });

  it('starts from a copy of the contract at another path (control)', () => {
    assert.doesNotThrow(build({ specPath: writeSpec('copy.yaml', readFileSync(SPEC_PATH, 'utf8')) }));
  });
});
