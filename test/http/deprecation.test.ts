import assert from 'node:assert/strict';
import { expectError, PUBLIC_URL, signedIn, type TestApp } from '../helpers';
import { appFromSpec, removeSpecCopies, specCopy } from '../support/specCopy';
import { createProjectHttp } from '../support/projects';
import { createApp } from '../../src/app';
import { SpecError } from '../../src/contract/document';
import { testDeps } from '../support/app';

// A fixture copy of the contract: listProjects deprecated, and getUsage's group_by parameter.
const LIST_SINCE = '@1767225600'; // 2026-01-01T00:00:00Z
const LIST_SUNSET = 'Wed, 30 Jun 2027 00:00:00 GMT';
const LIST_LINK = `<${PUBLIC_URL}/docs#/Projects/listProjects>; rel="deprecation"; type="text/html"`;

function deprecatedFixture(): string {
  return specCopy((doc) => {
    Object.assign(doc.paths['/projects'].get, { deprecated: true, 'x-deprecated-at': '2026-01-01', 'x-sunset': '2027-06-30' });
    const groupBy = doc.paths['/usage'].get.parameters.find((p: any) => p.name === 'group_by');
    Object.assign(groupBy, {
      deprecated: true,
      'x-deprecated-at': '2026-02-01T12:00:00Z',
      'x-sunset': '2027-01-01T00:00:00Z',
      'x-deprecation-link': '/docs/migrations#group-by',
    });
  });
}

const day = (offset: number) => new Date(Date.now() + offset * 864e5).toISOString().slice(0, 10);

function assertDeprecated(what: string, res: { headers: Record<string, string> }) {
  assert.equal(res.headers.deprecation, LIST_SINCE, `${what}: Deprecation`);
  assert.equal(res.headers.sunset, LIST_SUNSET, `${what}: Sunset`);
  assert.ok(res.headers.link?.includes(LIST_LINK), `${what}: Link ${res.headers.link}`);
}

describe('deprecation: Deprecation, Sunset and Link rel="deprecation" from x-deprecated-at and x-sunset', () => {
  let t: TestApp;
  let auth: string;

  before(async () => {
    t = appFromSpec(deprecatedFixture());
    ({ auth } = await signedIn(t));
  });
  after(removeSpecCopies);

  it('listProjects (deprecated): 200, HEAD, 400 and 401 all carry the three headers', async () => {
    assertDeprecated('200', await t.http.get('/v1/projects').set('Authorization', auth).expect(200));
    assertDeprecated('HEAD', await t.http.head('/v1/projects').set('Authorization', auth).expect(200));
    const bad = await t.http.get('/v1/projects?limit=0').set('Authorization', auth);
    expectError(bad, 400, 'validation_failed');
    assertDeprecated('400', bad);
    const anonymous = await t.http.get('/v1/projects');
    expectError(anonymous, 401, 'unauthenticated');
    assertDeprecated('401', anonymous);
  });

  it('listProjects (deprecated): a page with a next page keeps rel="next" beside rel="deprecation"', async () => {
    const u = await signedIn(t);
    await createProjectHttp(t, u.auth, { name: 'one' });
    await createProjectHttp(t, u.auth, { name: 'two' });
    const res = await t.http.get('/v1/projects?limit=1').set('Authorization', u.auth).expect(200);
    assert.match(res.headers.link, /rel="next"/);
    assertDeprecated('page', res);
  });

  it('createProject (not deprecated): no deprecation headers', async () => {
    const res = await t.http.post('/v1/projects').set('Authorization', auth).send({ name: 'fresh' }).expect(201);
    assert.equal(res.headers.deprecation, undefined);
    assert.equal(res.headers.sunset, undefined);
  });

  it('getUsage: a request using the deprecated group_by gets the headers with the declared link; one without it does not', async () => {
    const using = await t.http.get('/v1/usage').query({ from: day(-1), to: day(1), group_by: 'operation' }).set('Authorization', auth);
    assert.equal(using.status, 200);
    assert.equal(using.headers.deprecation, '@1769947200'); // 2026-02-01T12:00:00Z
    assert.equal(using.headers.sunset, 'Fri, 01 Jan 2027 00:00:00 GMT');
    assert.equal(using.headers.link, `<${PUBLIC_URL}/docs/migrations#group-by>; rel="deprecation"; type="text/html"`);
    const without = await t.http.get('/v1/usage').query({ from: day(-1), to: day(1) }).set('Authorization', auth).expect(200);
    assert.equal(without.headers.deprecation, undefined);
    assert.equal(without.headers.link, undefined);
  });

  it('the served contract states the deprecation and sunset dates and documents the headers on the responses', async () => {
    const spec = (await t.http.get('/openapi.json').expect(200)).body;
    const list = spec.paths['/projects'].get;
    assert.equal(list.deprecated, true);
    assert.match(list.description, /deprecated since 2026-01-01 and may stop working after its sunset on 2027-06-30/);
    for (const status of ['200', '400', '401']) {
      assert.equal(list.responses[status].headers.Deprecation.$ref, '#/components/headers/Deprecation', status);
      assert.equal(list.responses[status].headers.Sunset.$ref, '#/components/headers/Sunset', status);
      assert.equal(list.responses[status].headers.Link.$ref, '#/components/headers/DeprecationLink', status);
    }
    const usage = spec.paths['/usage'].get;
    assert.match(usage.description, /`group_by` query parameter is deprecated since 2026-02-01T12:00:00.000Z .* sunset on 2027-01-01/);
    const groupBy = usage.parameters.find((p: any) => p.name === 'group_by');
    assert.match(groupBy.description, /sunset on 2027-01-01/);
    assert.equal(spec.paths['/projects'].post.deprecated, undefined);
    assert.doesNotMatch(spec.paths['/projects'].post.description, /Deprecated/);
  });

  it('the real contract deprecates nothing: no deprecation headers', async () => {
    const real = appFromSpec(undefined);
    const u = await signedIn(real);
    const res = await real.http.get('/v1/projects').set('Authorization', u.auth).expect(200);
    assert.equal(res.headers.deprecation, undefined);
  });

  describe('bad declarations stop the start with a SpecError naming the place', () => {
    const deprecate = (extra: Record<string, unknown>) => (doc: any) =>
      Object.assign(doc.paths['/projects'].get, { deprecated: true, 'x-deprecated-at': '2026-01-01', 'x-sunset': '2027-06-30', ...extra });
    for (const [label, mutate, message] of [
      ['an impossible sunset date', deprecate({ 'x-sunset': '2027-02-30' }), /GET \/projects: x-sunset must be an RFC 3339 date/],
      ['a sunset in words', deprecate({ 'x-sunset': 'next year' }), /x-sunset must be an RFC 3339 date/],
      ['a deprecated-at without a zone', deprecate({ 'x-deprecated-at': '2026-01-01T10:00:00' }), /x-deprecated-at must be/],
      ['no sunset', deprecate({ 'x-sunset': undefined }), /deprecated: true needs an x-deprecated-at and an x-sunset/],
      ['a sunset before the deprecation', deprecate({ 'x-sunset': '2025-12-31' }), /x-sunset is earlier than x-deprecated-at/],
      ['a link that is not http(s)', deprecate({ 'x-deprecation-link': 'ftp://example.com/x' }), /x-deprecation-link must be/],
      ['dates without deprecated: true', deprecate({ deprecated: undefined }), /need deprecated: true/],
      [
        'a deprecated path parameter',
        (doc: any) => Object.assign(doc.components.parameters.ProjectId, { deprecated: true, 'x-deprecated-at': '2026-01-01', 'x-sunset': '2027-01-01' }),
        /parameter project_id: only query and header parameters can be deprecated/,
      ],
    ] as const) {
      it(label, () => {
        const specPath = specCopy((doc) => {
          mutate(doc);
          for (const op of [doc.paths['/projects'].get]) for (const k of Object.keys(op)) if (op[k] === undefined) delete op[k];
        });
        const deps = testDeps();
        assert.throws(() => createApp({ ...deps, specPath }), (err: unknown) => err instanceof SpecError && message.test(err.message));
      });
    }
  });
});
