import assert from 'node:assert/strict';
import { expectError, login, makeTestApp, signedIn, type TestApp } from '../helpers';
import { frozenClockEachTest } from '../clock';
import { UNKNOWN_PROJECT_ID } from '../support/projects';
import type { UsageCounter } from '../../src/store/ports';
import { appFromSpec, removeSpecCopies, specWithLimits } from '../support/specCopy';
import { apiKey, bearer, day, MINUTE_MS, usage, usageData } from '../support/usage';

async function createKey(t: TestApp, auth: string, scopes: string[]): Promise<{ id: string; key: string }> {
  const res = await t.http.post('/v1/api-keys').set('Authorization', auth).send({ name: scopes.join(' '), scopes });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return { id: res.body.data.id, key: res.body.data.key };
}

/**
 * A known mix of requests in one workspace. Counted: createApiKey 201; createProject 5x 201, 2x 400
 * and (key) 1x 403; getProject 3x 404; (key) listProjects 2x 200 -- 14 requests, 6 errors, 11 by
 * the user (5 errors) and 3 by the key (1 error). Not counted: logins and every request without a
 * valid credential.
 */
async function knownMix(t: TestApp) {
  const u = await signedIn(t);
  const key = await createKey(t, u.auth, ['projects:read']);
  const asUser = (req: ReturnType<TestApp['http']['get']>) => req.set('Authorization', u.auth);
  for (let i = 0; i < 5; i++) await asUser(t.http.post('/v1/projects')).send({ name: `p${i}` }).expect(201);
  for (let i = 0; i < 3; i++) expectError(await asUser(t.http.get(`/v1/projects/${UNKNOWN_PROJECT_ID}`)), 404, 'not_found');
  expectError(await asUser(t.http.post('/v1/projects')).send({}), 400, 'validation_failed');
  expectError(await asUser(t.http.post('/v1/projects')).send({ name: 5 }), 400, 'validation_failed');
  expectError(await t.http.post('/v1/projects').set('x-api-key', key.key).send({ name: 'no' }), 403, 'insufficient_scope');
  for (let i = 0; i < 2; i++) await t.http.get('/v1/projects').set('x-api-key', key.key).expect(200);
  // Not counted for any workspace:
  expectError(await t.http.get('/v1/projects'), 401, 'unauthenticated');
  expectError(await t.http.get('/v1/projects').set('Authorization', 'Bearer garbage'), 401, 'invalid_token');
  expectError(await t.http.get('/v1/projects').set('x-api-key', 'cp_live_notarealkey'), 401, 'invalid_api_key');
  expectError(await t.http.post('/v1/auth/login').send({ email: u.email, password: 'wrong' }), 401, 'invalid_credentials');
  await login(t, u);
  return { u, key };
}

describe('GET /v1/usage (getUsage) and usage metering', () => {
  // Frozen time: every request lands in the same minute, and "today" cannot change mid-test.
  frozenClockEachTest();
  after(removeSpecCopies);

  describe('200 counts', () => {
    it('getUsage: 200 exact totals after a known mix of 2xx and 4xx; the usage requests themselves show only after a flush', async () => {
      const t = makeTestApp();
      const { u } = await knownMix(t);
      const window = { from: day(0), to: day(1) };
      const auth = bearer(u.auth);

      const bucket = { start: `${window.from}T00:00:00.000Z`, end: `${window.to}T00:00:00.000Z` };
      await t.flushUsage();
      const data = await usageData(t, auth, window);
      assert.deepEqual(data, {
        from: window.from,
        to: window.to,
        requests: 14,
        errors: 6,
        error_rate: 6 / 14,
        granularity: 'day',
        buckets: [{ ...bucket, requests: 14, errors: 6, error_rate: 6 / 14 }],
      });

      // A usage request is counted when it finishes, after it read, and shows only after the next flush.
      assert.equal((await usageData(t, auth, window)).requests, 14);
      await t.flushUsage();
      const after = await usageData(t, auth, { ...window, group_by: 'operation' });
      assert.equal(after.requests, 16);
      assert.equal(after.errors, 6);
      assert.deepEqual(
        after.groups.find((g: { key: string }) => g.key === 'getUsage'),
        { key: 'getUsage', requests: 2, errors: 0, error_rate: 0 },
      );
    });

    it('getUsage: 200 group_by=status_class, operation and api_key split the totals exactly', async () => {
      const t = makeTestApp();
      const { u, key } = await knownMix(t);
      await t.flushUsage();
      const auth = bearer(u.auth);
      const window = { from: day(0), to: day(1) };

      const byClass = await usageData(t, auth, { ...window, group_by: 'status_class' });
      assert.equal(byClass.group_by, 'status_class');
      assert.deepEqual(byClass.groups, [
        { key: '2xx', requests: 8, errors: 0, error_rate: 0 },
        { key: '4xx', requests: 6, errors: 6, error_rate: 1 },
      ]);

      const byOperation = await usageData(t, auth, { ...window, group_by: 'operation' });
      assert.deepEqual(byOperation.groups, [
        { key: 'createProject', requests: 8, errors: 3, error_rate: 3 / 8 },
        { key: 'getProject', requests: 3, errors: 3, error_rate: 1 },
        { key: 'listProjects', requests: 2, errors: 0, error_rate: 0 },
        { key: 'createApiKey', requests: 1, errors: 0, error_rate: 0 },
      ]);

      const byKey = await usageData(t, auth, { ...window, group_by: 'api_key' });
      assert.deepEqual(byKey.groups, [
        { key: u.userId, requests: 11, errors: 5, error_rate: 5 / 11 },
        { key: key.id, requests: 3, errors: 1, error_rate: 1 / 3 },
      ]);

      for (const d of [byClass, byOperation, byKey]) {
        assert.equal(d.requests, 14);
        assert.equal(d.errors, 6);
      }
    });

    it('getUsage: 200 buckets are zero-filled and add up to the totals (24 for hour over a day, 7 for day over a week, partial last bucket)', async () => {
      const t = makeTestApp();
      const { u } = await knownMix(t);
      await t.flushUsage();
      const auth = bearer(u.auth);
      const nowHour = new Date(Date.now()).getUTCHours();

      const hourly = await usageData(t, auth, { from: day(0), to: day(1), granularity: 'hour' });
      assert.equal(hourly.granularity, 'hour');
      assert.equal(hourly.buckets.length, 24);
      hourly.buckets.forEach((b: any, i: number) => {
        assert.equal(b.start, new Date(Date.parse(`${day(0)}T00:00:00Z`) + i * 3_600_000).toISOString());
        assert.equal(b.end, new Date(Date.parse(`${day(0)}T00:00:00Z`) + (i + 1) * 3_600_000).toISOString());
        const expected = i === nowHour ? { requests: 14, errors: 6, error_rate: 6 / 14 } : { requests: 0, errors: 0, error_rate: 0 };
        assert.deepEqual({ requests: b.requests, errors: b.errors, error_rate: b.error_rate }, expected, `hour ${i}`);
      });
      assert.equal(hourly.buckets.reduce((s: number, b: any) => s + b.requests, 0), hourly.requests);
      assert.equal(hourly.buckets.reduce((s: number, b: any) => s + b.errors, 0), hourly.errors);

      const daily = await usageData(t, auth, { from: day(-3), to: day(4), granularity: 'day' });
      assert.deepEqual(
        daily.buckets.map((b: any) => [b.start.slice(0, 10), b.end.slice(0, 10), b.requests, b.errors]),
        [-3, -2, -1, 0, 1, 2, 3].map((d) => [day(d), day(d + 1), d === 0 ? 14 : 0, d === 0 ? 6 : 0]),
      );
      assert.equal(daily.requests, 14);

      // Buckets start at `from`; the last one ends at `to`.
      const from = `${day(0)}T10:30:00Z`;
      const partial = await usageData(t, auth, { from, to: `${day(0)}T13:00:00Z`, granularity: 'hour' });
      assert.deepEqual(
        partial.buckets.map((b: any) => [b.start.slice(11, 16), b.end.slice(11, 16)]),
        [['10:30', '11:30'], ['11:30', '12:30'], ['12:30', '13:00']],
      );
    });

    it('getUsage: 200 with no requests: zeros and error_rate 0 (not null), buckets zero-filled, groups empty', async () => {
      const t = makeTestApp();
      const u = await signedIn(t);
      await t.flushUsage();
      const data = await usageData(t, bearer(u.auth), { from: day(-1), to: day(1), group_by: 'status_class' });
      assert.equal(data.requests, 0);
      assert.equal(data.errors, 0);
      assert.equal(data.error_rate, 0);
      assert.deepEqual(data.buckets.map((b: any) => [b.requests, b.errors, b.error_rate]), [[0, 0, 0], [0, 0, 0]]);
      assert.deepEqual(data.groups, []);
    });

    it('getUsage: 200 one workspace never sees another workspace\'s usage', async () => {
      const t = makeTestApp();
      const { u: a } = await knownMix(t);
      const b = await signedIn(t);
      await t.http.get('/v1/projects').set('Authorization', b.auth).expect(200);
      expectError(await t.http.get(`/v1/projects/${UNKNOWN_PROJECT_ID}`).set('Authorization', b.auth), 404, 'not_found');
      await t.flushUsage();
      const window = { from: day(0), to: day(1), group_by: 'api_key' };
      const seenByA = await usageData(t, bearer(a.auth), window);
      const seenByB = await usageData(t, bearer(b.auth), window);
      assert.equal(seenByA.requests, 14);
      assert.deepEqual(seenByB.groups, [{ key: b.userId, requests: 2, errors: 1, error_rate: 0.5 }]);
      assert.equal(seenByB.requests, 2);
      assert.ok(!seenByA.groups.some((g: { key: string }) => g.key === b.userId));
    });

    it('requests without a valid credential, logins and non-API routes are counted for no workspace; an authenticated one is (control)', async () => {
      const written: UsageCounter[] = [];
      const t = makeTestApp({}, {
        store: (real) => ({
          ...real,
          usage: { ...real.usage, add: (counters) => (written.push(...counters.map((c) => ({ ...c }))), real.usage.add(counters)) },
        }),
      });
      const u = await signedIn(t);
      expectError(await t.http.get('/v1/me'), 401, 'unauthenticated');
      expectError(await t.http.get('/v1/usage?from=2026-01-01&to=2026-01-02'), 401, 'unauthenticated');
      expectError(await t.http.post('/v1/projects').set('Authorization', 'Bearer x.y.z').send({ name: 'x' }), 401, 'invalid_token');
      expectError(await t.http.get('/v1/projects').set('x-api-key', 'cp_live_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'), 401, 'invalid_api_key');
      expectError(await t.http.post('/v1/auth/refresh').send({ refresh_token: 'rt_nope' }), 401, 'invalid_refresh_token');
      await t.http.post('/v1/auth/logout').send({ refresh_token: 'rt_nope' }).expect(204);
      await login(t, u);
      await t.http.get('/healthz').expect(200);
      await t.http.get('/openapi.json').expect(200);
      await t.flushUsage();
      assert.deepEqual(written, []);

      await t.http.get('/v1/me').set('Authorization', u.auth).expect(200);
      await t.flushUsage();
      assert.deepEqual(written, [
        {
          workspaceId: u.workspaceId,
          principalId: u.userId,
          operationId: 'getMe',
          statusClass: '2xx',
          minute: Math.floor(Date.now() / MINUTE_MS),
          count: 1,
        },
      ]);
    });

    it('getUsage: 200 a rate-limited request (429) counts as an error of its caller', async () => {
      const t = appFromSpec(specWithLimits({ keys: { limit: 2 } }));
      const u = await signedIn(t);
      for (let i = 0; i < 2; i++) await t.http.get('/v1/api-keys').set('Authorization', u.auth).expect(200);
      expectError(await t.http.get('/v1/api-keys').set('Authorization', u.auth), 429, 'rate_limited');
      await t.flushUsage();
      const data = await usageData(t, bearer(u.auth), { from: day(0), to: day(1), group_by: 'status_class' });
      assert.deepEqual(data.groups, [
        { key: '2xx', requests: 2, errors: 0, error_rate: 0 },
        { key: '4xx', requests: 1, errors: 1, error_rate: 1 },
      ]);
    });
  });

  describe('scope', () => {
    it('getUsage: 401 without a credential, 403 insufficient_scope for an API key without usage:read; a key with it gets 200 and is counted under its id', async () => {
      const t = makeTestApp();
      const u = await signedIn(t);
      const readOnly = await createKey(t, u.auth, ['projects:read']);
      const usageKey = await createKey(t, u.auth, ['usage:read']);
      const window = { from: day(0), to: day(1), group_by: 'api_key' };
      expectError(await t.http.get('/v1/usage').query(window), 401, 'unauthenticated');
      const err = expectError(await usage(t, apiKey(readOnly.key), window), 403, 'insufficient_scope');
      assert.deepEqual(err.details, [{ field: 'scope', code: 'missing_scope', message: 'usage:read' }]);
      await usageData(t, apiKey(usageKey.key), window);
      await t.flushUsage();
      const data = await usageData(t, apiKey(usageKey.key), window);
      assert.deepEqual(data.groups, [
        { key: u.userId, requests: 2, errors: 0, error_rate: 0 }, // the two createApiKey
        { key: readOnly.id, requests: 1, errors: 1, error_rate: 1 },
        { key: usageKey.id, requests: 1, errors: 0, error_rate: 0 },
      ]);
    });
  });
});
