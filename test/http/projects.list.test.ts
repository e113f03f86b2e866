import assert from 'node:assert/strict';
import { expectError, makeTestApp, signedIn, type TestApp } from '../helpers';
import { failingProjects, makeAppWith } from '../support/app';
import { expectErrorFor } from '../support/errors';
import type { Project } from '../../src/store/ports';
import { afterMillisecond, assertProjectShape, createProjectHttp, newestFirst, seedProjects } from '../support/projects';

describe('GET /v1/projects (listProjects): filters and limits', () => {
  let t: TestApp;
  let auth: string;
  let workspaceId: string;

  beforeEach(async () => {
    t = makeTestApp();
    ({ auth, workspaceId } = await signedIn(t));
  });

  const list = (query: Record<string, string | number> = {}) =>
    t.http.get('/v1/projects').query(query).set('Authorization', auth);
  const names = (res: { body: { data: Project[] } }) => res.body.data.map((p) => p.name);

  describe('200', () => {
    it('listProjects: 200 an empty workspace gives an empty page, no cursor and no Link', async () => {
      const res = await list();
      assert.equal(res.status, 200);
      assert.deepEqual(res.body, { data: [], meta: { limit: 20, has_more: false, next_cursor: null } });
      assert.equal(res.headers.link, undefined);
    });

    it('listProjects: 200 newest first, with the project shape', async () => {
      const a = await createProjectHttp(t, auth, { name: 'first' });
      const b = await createProjectHttp(t, auth, { name: 'second' });
      const c = await createProjectHttp(t, auth, { name: 'third' });
      const res = await list();
      assert.equal(res.status, 200);
      res.body.data.forEach(assertProjectShape);
      assert.deepEqual(res.body.data, newestFirst([a, b, c]));
      assert.deepEqual(names(res), ['third', 'second', 'first']);
    });

    it('listProjects: 200 limit defaults to 20', async () => {
      await seedProjects(t, workspaceId, 25);
      const res = await list();
      assert.equal(res.body.data.length, 20);
      assert.deepEqual(res.body.meta.limit, 20);
      assert.equal(res.body.meta.has_more, true);
      assert.equal(typeof res.body.meta.next_cursor, 'string');
    });

    it('listProjects: 200 limit above 100 is clamped to 100 (meta.limit 100)', async () => {
      await seedProjects(t, workspaceId, 130);
      for (const limit of [101, 1000, 1000000]) {
        const res = await list({ limit });
        assert.equal(res.status, 200, JSON.stringify(res.body));
        assert.equal(res.body.data.length, 100);
        assert.equal(res.body.meta.limit, 100);
        assert.equal(res.body.meta.has_more, true);
        assert.match(res.headers.link, /[?&]limit=100(&|>)/);
      }
    });

    it('listProjects: 200 limit 1 and limit 100 are honoured exactly', async () => {
      await seedProjects(t, workspaceId, 100);
      const one = await list({ limit: 1 });
      assert.equal(one.body.data.length, 1);
      assert.equal(one.body.meta.limit, 1);
      const hundred = await list({ limit: 100 });
      assert.equal(hundred.body.data.length, 100);
      assert.equal(hundred.body.meta.has_more, false, 'exactly 100 items fit one page of 100');
      assert.equal(hundred.body.meta.next_cursor, null);
      assert.equal(hundred.headers.link, undefined);
    });

    it('listProjects: 200 name filters by case-insensitive substring', async () => {
      for (const name of ['Payments API', 'payroll', 'Search', 'PAYOUTS', 'Pay_ments%']) {
        await createProjectHttp(t, auth, { name });
      }
      assert.deepEqual(names(await list({ name: 'pay' })).sort(), ['PAYOUTS', 'Pay_ments%', 'Payments API', 'payroll']);
      assert.deepEqual(names(await list({ name: 'MENTS' })).sort(), ['Pay_ments%', 'Payments API']);
      assert.deepEqual(names(await list({ name: 'arc' })), ['Search']);
      assert.deepEqual(names(await list({ name: 'nothing' })), []);
    });

    it('listProjects: 200 name treats SQL LIKE wildcards literally', async () => {
      for (const name of ['100% uptime', '100 percent', 'a_b', 'axb']) await createProjectHttp(t, auth, { name });
      assert.deepEqual(names(await list({ name: '%' })), ['100% uptime']);
      assert.deepEqual(names(await list({ name: '_' })), ['a_b']);
    });

    it('listProjects: 200 name matches accented names case-insensitively for ASCII letters', async () => {
      await createProjectHttp(t, auth, { name: 'Café Paris' });
      assert.deepEqual(names(await list({ name: 'café' })), ['Café Paris']);
      assert.deepEqual(names(await list({ name: 'CAF' })), ['Café Paris']);
    });

    it('listProjects: 200 slug filters by exact slug', async () => {
      await createProjectHttp(t, auth, { name: 'a', slug: 'payments' });
      await createProjectHttp(t, auth, { name: 'b', slug: 'payments-api' });
      assert.deepEqual(names(await list({ slug: 'payments' })), ['a']);
      assert.deepEqual(names(await list({ slug: 'payments-api' })), ['b']);
      assert.deepEqual(names(await list({ slug: 'pay' })), []);
    });

    it('listProjects: 200 created_after and created_before are strict bounds', async () => {
      const a = await createProjectHttp(t, auth, { name: 'a' });
      await afterMillisecond(a.created_at);
      const b = await createProjectHttp(t, auth, { name: 'b' });
      await afterMillisecond(b.created_at);
      const c = await createProjectHttp(t, auth, { name: 'c' });
      assert.deepEqual(names(await list({ created_after: b.created_at })), ['c']);
      assert.deepEqual(names(await list({ created_before: b.created_at })), ['a']);
      assert.deepEqual(names(await list({ created_after: a.created_at, created_before: c.created_at })), ['b']);
      assert.deepEqual(names(await list({ created_after: c.created_at })), []);
      assert.deepEqual(names(await list({ created_after: a.created_at, created_before: b.created_at })), []);
      assert.deepEqual(names(await list({ created_before: '9999-12-31T23:59:59Z' })), ['c', 'b', 'a']);
      assert.deepEqual(names(await list({ created_after: '2000-01-01T00:00:00Z' })), ['c', 'b', 'a']);
    });

    it('listProjects: 200 created_after accepts any RFC 3339 offset and compares the instant', async () => {
      const a = await createProjectHttp(t, auth, { name: 'a' });
      await afterMillisecond(a.created_at);
      await createProjectHttp(t, auth, { name: 'b' });
      // a.created_at written as local time in UTC+02:00: the same instant, so `a` is excluded.
      const shifted = new Date(Date.parse(a.created_at) + 2 * 3600_000).toISOString().replace('Z', '+02:00');
      assert.deepEqual(names(await list({ created_after: shifted })), ['b']);
      assert.deepEqual(names(await list({ created_before: shifted })), []);
    });

    it('listProjects: 200 filters combine with AND', async () => {
      const a = await createProjectHttp(t, auth, { name: 'Payments old', slug: 'payments-old' });
      await afterMillisecond(a.created_at);
      await createProjectHttp(t, auth, { name: 'Payments new', slug: 'payments-new' });
      await createProjectHttp(t, auth, { name: 'Search new', slug: 'search-new' });
      assert.deepEqual(names(await list({ name: 'payments', created_after: a.created_at })), ['Payments new']);
      assert.deepEqual(names(await list({ name: 'payments', slug: 'search-new' })), []);
      assert.deepEqual(names(await list({ name: 'new', slug: 'search-new' })), ['Search new']);
    });
  });

  describe('400', () => {
    it('listProjects: 400 validation_failed for limit 0, -1, abc and other non-integers', async () => {
      for (const limit of ['0', '-1', 'abc', '1.5', '', '1e', '1000001']) {
        const res = await t.http.get(`/v1/projects?limit=${encodeURIComponent(limit)}`).set('Authorization', auth);
        expectErrorFor(`limit=${JSON.stringify(limit)}`, res, 400, 'validation_failed', '/query/limit');
      }
    });

    it('listProjects: 400 validation_failed for an unknown query parameter', async () => {
      expectErrorFor('sort', await list({ sort: 'name' }), 400, 'validation_failed', '/query/sort');
      expectErrorFor('offset', await list({ offset: 20 }), 400, 'validation_failed', '/query/offset');
    });

    it('listProjects: 400 validation_failed for created_after/created_before that are not RFC 3339', async () => {
      for (const [param, value] of [
        ['created_after', 'yesterday'],
        ['created_after', '2026-03-01'],
        ['created_before', '2026-03-01T00:00:00'],
        ['created_before', '2026-13-01T00:00:00Z'],
        ['created_after', '1710670934'],
      ]) {
        expectErrorFor(`${param}=${value}`, await list({ [param]: value }), 400, 'validation_failed', `/query/${param}`);
      }
    });

    // Valid RFC 3339 that JavaScript dates cannot hold in the stored format: these were a 500.
    it('listProjects: 400 validation_failed, not 500, for a leap second or a year out of 0000-9999 after the offset', async () => {
      for (const [param, value] of [
        ['created_after', '2026-06-30T23:59:60Z'],
        ['created_before', '2026-12-31T23:59:60Z'],
        ['created_after', '9999-12-31T23:59:59.999-23:59'],
        ['created_before', '0000-01-01T00:00:00+01:00'],
      ]) {
        expectErrorFor(`${param}=${value}`, await list({ [param]: value }), 400, 'validation_failed', `/query/${param}`);
      }
    });

    it('listProjects: 400 validation_failed for an invalid slug or an empty name filter', async () => {
      expectError(await list({ slug: 'Not-A-Slug' }), 400, 'validation_failed');
      expectError(await t.http.get('/v1/projects?name=').set('Authorization', auth), 400, 'validation_failed');
      expectError(await list({ name: 'n'.repeat(101) }), 400, 'validation_failed');
    });

    it('listProjects: 400 invalid_cursor for a cursor that is not one of ours', async () => {
      const err = expectError(await list({ cursor: 'abc' }), 400, 'invalid_cursor');
      assert.ok(err.details.some((d: any) => d.pointer === '/query/cursor'), JSON.stringify(err.details));
    });
  });

  it('listProjects: 401 unauthenticated without a token', async () => {
    const res = await t.http.get('/v1/projects');
    expectError(res, 401, 'unauthenticated');
    assert.match(res.headers['www-authenticate'], /^Bearer realm="cloud-api"/);
  });

  it('listProjects: 500 internal_error when the store fails, without internals', async () => {
    t = makeAppWith({ store: failingProjects('list') });
    ({ auth } = await signedIn(t));
    const res = await list();
    expectError(res, 500, 'internal_error');
    assert.ok(!JSON.stringify(res.body).includes('secret internal detail'));
  });
});
