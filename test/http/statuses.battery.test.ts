import assert from 'node:assert/strict';
import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import supertest from 'supertest';
import type { Test } from 'supertest';
import { makeTestApp, signedIn, type TestApp } from '../helpers';
import { operationsOf, readSpec } from '../support/specCopy';
import { operationUrl } from '../support/operationUrl';
import { contractResponses } from '../support/contractResponses';
import { countObserved } from '../support/contractCheck';
import { createServer } from '../../src/http/server';

// Every operation of the contract, taken from openapi.yaml (not listed by hand), gets a battery
// of bad requests; each answer must be a status documented on that operation, with a body that
// validates against that status's documented schema.
const doc = readSpec();
const operations = operationsOf(doc);
const contract = contractResponses(doc);
const METHODS = ['get', 'post', 'put', 'patch', 'delete'];
const BODY_LIMIT = 1024;

const allowOf = (path: string) => {
  const methods = METHODS.filter((m) => doc.paths[path][m]).map((m) => m.toUpperCase());
  if (methods.includes('GET')) methods.push('HEAD');
  return methods.sort();
};

describe('every status an operation can answer is documented on it (battery over the contract)', function () {
  let t: TestApp;
  let http: ReturnType<typeof supertest>;
  let server: Server;
  let auth: string;

  before(async () => {
    // A high multiplier: the battery must see each request's own status, not the group's 429.
    t = makeTestApp({ BODY_LIMIT_BYTES: String(BODY_LIMIT), RATE_LIMIT_MULTIPLIER: '1000' });
    server = createServer(t.app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    http = supertest(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
    ({ auth } = await signedIn(t));
  });
  after(() => new Promise((resolve) => server.close(resolve)));

  /** Node's client sends an Expect header at once, before superagent sets the others: a plain request. */
  function withExpect(method: string, url: string, expect: string) {
    return new Promise<{ status: number; headers: Record<string, any>; text: string; body: any }>((resolve, reject) => {
      const port = (server.address() as AddressInfo).port;
      const req = httpRequest({ host: '127.0.0.1', port, method: method.toUpperCase(), path: url, headers: { Authorization: auth, Expect: expect } });
      req.on('response', (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text, body: text ? JSON.parse(text) : {} }));
      });
      req.on('error', reject);
      req.end();
    });
  }

  function check(what: string, path: string, method: string, res: { status: number; body: unknown; text?: string; headers?: Record<string, unknown> }) {
    const problems = contract.problems(path, method, res, { head: what.startsWith('HEAD') });
    assert.deepEqual(problems, [], `${what}: ${problems.join('; ')}`);
    if (res.status >= 400) assert.ok((res as any).headers['x-request-id'], `${what}: X-Request-Id`);
  }

  const request = (method: string, url: string): Test => (http as any)[method](url);

  for (const { path, method, op } of operations) {
    const url = operationUrl(doc, path);
    const name = `${op.operationId} (${method.toUpperCase()} ${path})`;
    const hasBody = !!op.requestBody;

    describe(name, () => {
      it('unknown query parameter: 400 validation_failed', async () => {
        let req = request(method, `${url}?unknown_param=1`).set('Authorization', auth);
        if (hasBody) req = req.send({});
        const res = await req;
        check('unknown query parameter', path, method, res);
        assert.equal(res.status, 400, JSON.stringify(res.body));
        assert.ok(res.body.error.details.some((d: any) => d.pointer === '/query/unknown_param'), JSON.stringify(res.body));
      });

      it(`malformed JSON body: ${hasBody ? '400 malformed_json' : 'ignored, as any body on an operation without one'}`, async () => {
        const res = await request(method, url).set('Authorization', auth).set('Content-Type', 'application/json').send('{"name": ');
        check('malformed body', path, method, res);
        if (hasBody) assert.equal(res.body.error?.code, 'malformed_json');
        else assert.notEqual(res.body.error?.code, 'malformed_json');
      });

      it(`oversize body: ${hasBody ? '413 payload_too_large' : 'ignored'}`, async () => {
        const big = JSON.stringify({ name: 'x', pad: 'p'.repeat(BODY_LIMIT * 2) });
        const res = await request(method, url).set('Authorization', auth).set('Content-Type', 'application/json').send(big);
        check('oversize body', path, method, res);
        assert.equal(res.status === 413, hasBody, `${res.status} ${JSON.stringify(res.body)}`);
      });

      it(`wrong content type: ${hasBody ? '415 unsupported_media_type' : 'ignored'}`, async () => {
        const res = await request(method, url).set('Authorization', auth).set('Content-Type', 'text/plain').send('name=x');
        check('wrong content type', path, method, res);
        assert.equal(res.status === 415, hasBody, `${res.status} ${JSON.stringify(res.body)}`);
      });

      it('no credentials, a bad bearer token, a bad API key: documented (401 where the operation is secured)', async () => {
        const secured = (op.security ?? doc.security).some((alt: object) => Object.keys(alt).length > 0);
        for (const [label, header, value] of [
          ['no credentials', undefined, undefined],
          ['bad bearer token', 'Authorization', 'Bearer not.a.jwt'],
          ['bad API key', 'x-api-key', 'cp_live_notakey'],
        ] as const) {
          let req = request(method, url);
          if (header) req = req.set(header, value);
          if (hasBody) req = req.send({});
          const res = await req;
          check(label, path, method, res);
          if (secured) assert.equal(res.status, 401, `${label}: ${JSON.stringify(res.body)}`);
        }
      });

      it('an Expect header other than 100-continue: 417 expectation_failed', async () => {
        const res = await withExpect(method, url, 'x-teapot');
        check('Expect', path, method, res);
        assert.equal(res.status, 417);
        assert.equal(res.body.error.code, 'expectation_failed');
        // Node's server answers this before Express, where the coverage recorder sits: count it here.
        countObserved(op.operationId, 417);
      });
    });
  }

  for (const path of Object.keys(doc.paths)) {
    const url = operationUrl(doc, path);
    const ops = operations.filter((o) => o.path === path);
    const allow = allowOf(path);

    describe(`${url} (${ops.map((o) => o.op.operationId).join(', ')})`, () => {
      it(`wrong methods and OPTIONS: 405 method_not_allowed with Allow: ${allow.join(', ')}`, async () => {
        for (const method of [...METHODS.filter((m) => !doc.paths[path][m]), 'options']) {
          const res = await request(method, url).set('Authorization', auth);
          assert.equal(res.status, 405, `${method}: ${res.status}`);
          assert.deepEqual(String(res.headers.allow).split(', '), allow, `${method}: Allow`);
          for (const { method: documented } of ops) check(`${method.toUpperCase()} ${url}`, path, documented, res);
        }
      });

      if (doc.paths[path].get) {
        it("HEAD: the GET's status and headers, no body, with and without credentials", async () => {
          for (const credentials of [auth, undefined]) {
            const withAuth = (r: Test) => (credentials ? r.set('Authorization', credentials) : r);
            const get = await withAuth(http.get(url));
            const head = await withAuth(http.head(url));
            check(`HEAD ${url}`, path, 'get', head);
            assert.equal(head.status, get.status);
            assert.equal(head.text ?? '', '');
            for (const header of ['content-type', 'content-length', 'etag', 'www-authenticate', 'ratelimit-policy', 'cache-control']) {
              assert.equal(head.headers[header], get.headers[header], `HEAD ${url}: ${header}`);
            }
          }
        });
      } else {
        it('HEAD on a path without GET: 405 with Allow', async () => {
          const res = await http.head(url);
          assert.equal(res.status, 405);
          assert.deepEqual(String(res.headers.allow).split(', '), allow);
        });
      }
    });
  }
});
