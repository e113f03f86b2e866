// In production (response validation off) list pages are JSON built by the database and nothing
// is checked; with validation on (every other test) each response is first held to the contract.
// Both modes must send the same thing: two apps on one database and one set of secrets
// answer the same requests, and everything but per-request headers must be identical.
import assert from 'node:assert/strict';
import supertest from 'supertest';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { createApp } from '../../src/app';
import { makeTestApp, PUBLIC_URL, signedIn } from '../helpers';

const PER_REQUEST = new Set(['x-request-id', 'date', 'ratelimit', 'x-ratelimit-remaining', 'x-ratelimit-reset', 'etag']);

function comparable(res: supertest.Response) {
  const headers = Object.fromEntries(Object.entries(res.headers).filter(([k]) => !PER_REQUEST.has(k)));
  return { status: res.status, headers, text: res.text };
}

describe('production responses (validation off) equal the validated ones', () => {
  const t = makeTestApp();
  const production = createApp({
    config: loadConfig({ NODE_ENV: 'production', DATABASE_PATH: ':memory:', PUBLIC_URL, PASSWORD_HASH_COST: '10', LOG_LEVEL: 'error' }),
    store: t.store,
    secrets: t.secrets,
    logger: createLogger('error', () => {}),
  }).app;
  const prod = supertest(production);
  let auth = '';
  let workspaceId = '';

  const tricky = [
    'plain',
    'quotes " and \\ backslashes',
    // The only control characters the contract lets text hold (descriptions' line breaks and tabs).
    'control \n\t\r characters',
    'unicode é ü 漢字 😀 \u2028 \u2029',
    '</script><b>html</b> & ampersands',
    '',
  ];

  before(async () => {
    const u = await signedIn(t);
    auth = u.auth;
    workspaceId = u.workspaceId;
    for (let i = 0; i < 27; i++) {
      await t.http
        .post('/v1/projects')
        .set('Authorization', auth)
        .send({ name: `Project ${i} ${tricky[i % tricky.length].slice(0, 40).replace(/[\n\t\r]/g, ' ')}`, description: i % 7 === 3 ? null : tricky[i % tricky.length] })
        .expect(201);
    }
  });

  async function same(method: 'get' | 'head', path: string): Promise<supertest.Response> {
    const a = await t.http[method](path).set('Authorization', auth);
    const b = await prod[method](path).set('Authorization', auth);
    assert.deepEqual(comparable(b), comparable(a), `${method.toUpperCase()} ${path}`);
    return b;
  }

  it('list pages, every filter and the walk by cursor: same status, headers and bytes', async () => {
    for (const q of ['', '?limit=1', '?limit=5', '?limit=100', '?name=project%201', '?slug=project-2', '?name=nothing-matches', '?created_after=2000-01-01T00:00:00Z']) {
      await same('get', `/v1/projects${q}`);
    }
    let path: string | undefined = '/v1/projects?limit=4';
    let pages = 0;
    const seen: string[] = [];
    while (path) {
      const res = await same('get', path);
      seen.push(...res.body.data.map((p: { id: string }) => p.id));
      pages++;
      path = res.body.meta.next_cursor ? `/v1/projects?limit=4&cursor=${res.body.meta.next_cursor}` : undefined;
    }
    assert.equal(pages, 7);
    assert.equal(new Set(seen).size, 27);
  });

  it('a page is JSON that parses to exactly the stored projects, tricky characters included', async () => {
    const res = await prod.get('/v1/projects?limit=100').set('Authorization', auth).expect(200);
    assert.equal(res.headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(Number(res.headers['content-length']), Buffer.byteLength(res.text));
    const stored = await t.store.projects.list(workspaceId, {}, undefined, 100);
    assert.deepEqual(res.body.data, stored);
    assert.equal(res.text, JSON.stringify(res.body));
  });

  it('other operations (one project, me, API keys, usage) and HEAD', async () => {
    const list = await prod.get('/v1/projects?limit=1').set('Authorization', auth).expect(200);
    await same('get', `/v1/projects/${list.body.data[0].id}`);
    await same('get', '/v1/me');
    await same('get', '/v1/api-keys');
    await same('get', '/v1/usage?from=2000-01-01&to=2000-01-02');
    const head = await same('head', '/v1/projects?limit=3');
    assert.equal(head.text, undefined);
    assert.ok(Number(head.headers['content-length']) > 0);
  });

  it('a create answers 201 with the same shape and headers', async () => {
    const a = await t.http.post('/v1/projects').set('Authorization', auth).send({ name: 'Twin', slug: 'twin-a' }).expect(201);
    const b = await prod.post('/v1/projects').set('Authorization', auth).send({ name: 'Twin', slug: 'twin-b' }).expect(201);
    assert.deepEqual(Object.keys(b.body.data), Object.keys(a.body.data));
    assert.equal(b.headers['content-type'], a.headers['content-type']);
    assert.equal(Number(b.headers['content-length']), Buffer.byteLength(b.text));
    assert.match(b.headers.location, /\/v1\/projects\/prj_/);
  });
});
