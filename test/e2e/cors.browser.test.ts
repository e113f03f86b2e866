import assert from 'node:assert/strict';
import { createServer as createHttpServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, Page } from 'playwright-core';
import { createServer } from '../../src/http/server';
import { makeTestApp, signedIn, type TestApp } from '../helpers';
import { launchBrowser } from './browser';

const listen = (server: Server) =>
  new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`)));
/** The access-log lines of requests to `path` with `method`, as [status]. */
const served = (t: TestApp, method: string, path: string) =>
  t.logs.filter((l) => l.msg === 'request' && l.method === method && l.route === path).map((l) => l.status);

const close = (server: Server | undefined) => new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));

/** A page of another origin (another local port), from which the tests call the API with fetch(). */
const pageServer = () =>
  createHttpServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html' }).end('<!DOCTYPE html><title>client</title><p>client</p>'));

/** What fetch() in the page saw: the status, the headers the page may read, the body; or the error it threw. */
type Seen = { status: number; headers: Record<string, string>; body: any } | { error: string };

function call(page: Page, url: string, init: { method?: string; headers?: Record<string, string>; body?: unknown } = {}): Promise<Seen> {
  return page.evaluate(
    async ({ url, init }) => {
      try {
        const res = await fetch(url, { ...init, body: init.body === undefined ? undefined : JSON.stringify(init.body) });
        const headers: Record<string, string> = {};
        res.headers.forEach((value, name) => (headers[name] = value));
        const text = await res.text();
        return { status: res.status, headers, body: text ? JSON.parse(text) : undefined };
      } catch (err) {
        return { error: String(err) };
      }
    },
    { url, init },
  );
}

function ok(seen: Seen): Exclude<Seen, { error: string }> {
  if ('error' in seen) throw new Error(`fetch failed in the page: ${seen.error}`);
  return seen;
}

// Issue #15 item 4: a browser on an allowed origin calls the API with an API key and reads the
// headers a client needs; on any other origin the browser refuses.
describe('CORS in a real browser (Chromium)', function () {
  this.timeout(120_000);
  let t: TestApp;
  let api: Server;
  let allowedPage: Server;
  let otherPage: Server;
  let apiUrl: string;
  let allowedUrl: string;
  let otherUrl: string;
  let browser: Browser;
  let key: string;
  let auth: string;

  before(async () => {
    allowedPage = pageServer();
    otherPage = pageServer();
    allowedUrl = await listen(allowedPage);
    otherUrl = await listen(otherPage);
    t = makeTestApp({ CORS_ORIGINS: allowedUrl });
    api = createServer(t.app);
    apiUrl = await listen(api);
    ({ auth } = await signedIn(t));
    const created = await t.http.post('/v1/api-keys').set('Authorization', auth).send({ name: 'browser', scopes: ['projects:read', 'projects:write'] });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    key = created.body.data.key;
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await Promise.all([close(api), close(allowedPage), close(otherPage)]);
  });

  it('createProject/listProjects from an allowed origin with x-api-key: preflighted, answered, every needed header readable', async () => {
    const page = await browser.newPage();
    await page.goto(allowedUrl);
    const create = () =>
      call(page, `${apiUrl}/v1/projects`, {
        method: 'POST',
        headers: { 'x-api-key': key, 'content-type': 'application/json', 'idempotency-key': 'browser-1', 'x-request-id': 'from-the-browser' },
        body: { name: 'From the browser' },
      });
    const first = ok(await create());
    assert.equal(first.status, 201, JSON.stringify(first.body));
    assert.equal(first.body.data.name, 'From the browser');
    assert.equal(first.headers['x-request-id'], 'from-the-browser');
    assert.equal(first.headers.location, `/v1/projects/${first.body.data.id}`);
    assert.match(first.headers.etag, /^"/);
    assert.match(first.headers.ratelimit, /^"projects-write";r=\d+;t=\d+$/);
    assert.equal(first.headers['ratelimit-policy'], '"projects-write";q=120;w=60');
    for (const h of ['x-ratelimit-limit', 'x-ratelimit-remaining', 'x-ratelimit-reset']) assert.match(first.headers[h], /^\d+$/, h);

    assert.deepEqual(served(t, 'OPTIONS', '/v1/projects'), [204], 'Chromium asked first (x-api-key, Idempotency-Key and JSON are not simple)');

    const replay = ok(await create());
    assert.equal(replay.headers['idempotent-replayed'], 'true');
    assert.equal(replay.body.data.id, first.body.data.id);

    await t.http.post('/v1/projects').set('Authorization', auth).send({ name: 'Second' }).expect(201);
    const listed = ok(await call(page, `${apiUrl}/v1/projects?limit=1`, { headers: { 'x-api-key': key } }));
    assert.equal(listed.status, 200);
    assert.match(listed.headers.link, /rel="next"/);

    const missing = ok(await call(page, `${apiUrl}/v1/projects/prj_01JD3Y8N6V4Q2X7R5T9W1K3M5R`, { headers: { 'x-api-key': key } }));
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, 'not_found');
    assert.equal(missing.body.error.request_id, missing.headers['x-request-id'], 'the envelope and its header, both readable');
    const refused = ok(await call(page, `${apiUrl}/v1/projects`, { headers: { 'x-api-key': 'cp_live_wrong' } }));
    assert.equal(refused.status, 401);
    assert.match(refused.headers['www-authenticate'], /error="invalid_key"/);
    await page.close();
  });

  it('from another origin the browser blocks: the preflighted write is never sent, a simple GET cannot be read', async () => {
    const before = (await t.http.get('/v1/projects?limit=100').set('Authorization', auth).expect(200)).body.data.length;
    const page = await browser.newPage();
    const requests: string[] = [];
    page.on('request', (r) => requests.push(`${r.method()} ${new URL(r.url()).pathname}`));
    await page.goto(otherUrl);
    const write = await call(page, `${apiUrl}/v1/projects`, {
      method: 'POST',
      headers: { 'x-api-key': key, 'content-type': 'application/json' },
      body: { name: 'Should never be created' },
    });
    assert.ok('error' in write && /TypeError/.test(write.error), JSON.stringify(write));
    const read = await call(page, `${apiUrl}/openapi.json`);
    assert.ok('error' in read && /TypeError/.test(read.error), JSON.stringify(read));
    const after = (await t.http.get('/v1/projects?limit=100').set('Authorization', auth).expect(200)).body.data.length;
    assert.equal(after, before, 'the POST never reached the API');
    assert.ok(requests.includes('POST /v1/projects'), 'the page did try');
    assert.deepEqual(served(t, 'OPTIONS', '/v1/projects').slice(-1), [405], 'the preflight was refused as any OPTIONS is');
    await page.close();
  });
});
