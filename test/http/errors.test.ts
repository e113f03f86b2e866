import assert from 'node:assert/strict';
import { gzipSync } from 'node:zlib';
import type { Test } from 'supertest';
import { expectError, makeTestApp, signedIn, type TestApp } from '../helpers';
import { expectErrorFor } from '../support/errors';
import { UNKNOWN_PROJECT_ID } from '../support/projects';

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
