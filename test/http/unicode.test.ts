import assert from 'node:assert/strict';
import { expectError, makeTestApp, signedIn, type TestApp } from '../helpers';
import { bearer, createKeyHttp } from '../support/apiKeys';
import { createProjectHttp } from '../support/projects';

// Issue #11 item 1: text that is not well-formed Unicode never reaches storage. JSON allows a lone
// surrogate escape ("\ud800"); stored as UTF-8 it would silently become U+FFFD.

const LONE = ['\ud800', '\udfff', 'ok\ud83dthen', '\ude00start'];

/** JSON text with every surrogate written as a \u escape, as a hostile client would send it. */
const escaped = (s: string) => JSON.stringify(s).replace(/[\ud800-\udfff]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);

function expectMalformed(res: Parameters<typeof expectError>[0], pointer: string) {
  const err = expectError(res, 400, 'validation_failed');
  assert.deepEqual(err.details, [
    { pointer, code: 'malformed_unicode', message: 'must be well-formed Unicode (no lone UTF-16 surrogates)' },
  ]);
}

describe('well-formed Unicode in request bodies', () => {
  let t: TestApp;
  let auth: string;
  beforeEach(async () => {
    t = makeTestApp();
    ({ auth } = await signedIn(t));
  });
  const send = (method: 'post' | 'patch', path: string, json: string, headers: Record<string, string> = {}) =>
    t.http[method](path).set('Authorization', auth).set('Content-Type', 'application/json').set(headers).send(json);

  it('createProject: 400 validation_failed for a lone surrogate in name or description, storing nothing', async () => {
    for (const bad of LONE) {
      expectMalformed(await send('post', '/v1/projects', `{"name":${escaped(bad)}}`), '/body/name');
      expectMalformed(await send('post', '/v1/projects', `{"name":"ok","description":${escaped(bad)}}`), '/body/description');
    }
    const list = await t.http.get('/v1/projects').set('Authorization', auth).expect(200);
    assert.deepEqual(list.body.data, []);
  });

  it('createProject: 201 a well-formed astral character (a surrogate pair) is stored and read back unchanged', async () => {
    const res = await send('post', '/v1/projects', `{"name":"rocket \\ud83d\\ude80","description":"\\u00e9\\u2028"}`);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.data.name, 'rocket 🚀');
    const got = await t.http.get(`/v1/projects/${res.body.data.id}`).set('Authorization', auth).expect(200);
    assert.deepEqual(got.body.data, res.body.data);
    assert.equal(got.headers.etag, res.headers.etag);
  });

  it('updateProject: 400 validation_failed for a lone surrogate, changing nothing', async () => {
    const p = await createProjectHttp(t, auth, { name: 'before' });
    expectMalformed(await send('patch', `/v1/projects/${p.id}`, `{"name":${escaped('\ud800')}}`), '/body/name');
    const got = await t.http.get(`/v1/projects/${p.id}`).set('Authorization', auth).expect(200);
    assert.equal(got.body.data.name, 'before');
  });

  it('createApiKey: 400 validation_failed for a lone surrogate in the name; rotateApiKey: 400 in any member', async () => {
    expectMalformed(
      await send('post', '/v1/api-keys', `{"name":${escaped('key \udc00')},"scopes":["projects:read"]}`),
      '/body/name',
    );
    const key = await createKeyHttp(t, bearer(auth), { name: 'k', scopes: ['projects:read'] });
    expectMalformed(await send('post', `/v1/api-keys/${key.id}/rotate`, `{${escaped('\ud800')}:1}`), '/body/\ufffd');
  });

  it('login: 400 validation_failed for a lone surrogate in the email or the password', async () => {
    const post = (json: string) => t.http.post('/v1/auth/login').set('Content-Type', 'application/json').send(json);
    expectMalformed(await post(`{"email":"a@example.com","password":${escaped('long enough \ud800')}}`), '/body/password');
    expectMalformed(await post(`{"email":${escaped('\ud800@example.com')},"password":"x"}`), '/body/email');
  });

  it('createProject: 400 names the first malformed string of a nested or deep body, without overflowing the stack', async () => {
    const deep = '['.repeat(20_000) + escaped('\ud800') + ']'.repeat(20_000);
    expectMalformed(await send('post', '/v1/projects', `{"name":"x","extra":${deep}}`), ('/body/extra' + '/0'.repeat(20_000)).slice(0, 512));
  });

  it('listProjects, getProject: malformed percent-encoding in the query or path is a 4xx, never a 5xx', async () => {
    const query = await t.http.get('/v1/projects?name=%ED%A0%80').set('Authorization', auth);
    assert.ok(query.status === 200 || query.status === 400, `${query.status} ${query.text}`);
    const path = await t.http.get('/v1/projects/%ED%A0%80').set('Authorization', auth);
    assert.ok(path.status >= 400 && path.status < 500, `${path.status} ${path.text}`);
    assert.ok(path.body.error, 'in the error envelope');
  });
});
