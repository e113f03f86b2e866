import assert from 'node:assert/strict';
import { expectError, makeTestApp, signedIn } from '../helpers';
import { frozenClockEachTest } from '../clock';
import { expectErrorFor } from '../support/errors';
import { UNKNOWN_PROJECT_ID } from '../support/projects';
import { bearer, MINUTE_MS, minuteIso, usage, usageData } from '../support/usage';

describe('GET /v1/usage (getUsage) and usage metering: the window [from, to)', () => {
  // Frozen time: every request lands in the same minute, and "today" cannot change mid-test.
  const clock = frozenClockEachTest();

  describe('the window [from, to)', () => {
    it('getUsage: 200 is half-open: a request at minute M is in from=M and not in to=M; instants are rounded down to the minute', async () => {
      const t = makeTestApp();
      const u = await signedIn(t);
      clock().advance((MINUTE_MS - (Date.now() % MINUTE_MS)) / 1000 + 30); // 30 s into the next minute
      const M = Math.floor(Date.now() / MINUTE_MS);
      await t.http.get('/v1/me').set('Authorization', u.auth).expect(200); // minute M
      clock().advance(60);
      await t.http.get('/v1/me').set('Authorization', u.auth).expect(200); // minute M + 1
      expectError(await t.http.get(`/v1/projects/${UNKNOWN_PROJECT_ID}`).set('Authorization', u.auth), 404, 'not_found');
      await t.flushUsage();

      const count = async (from: string, to: string) => (await usageData(t, bearer(u.auth), { from, to, granularity: 'hour' })).requests;
      assert.equal(await count(minuteIso(M), minuteIso(M + 2)), 3);
      assert.equal(await count(minuteIso(M), minuteIso(M + 1)), 1, 'to=M+1 excludes minute M+1');
      assert.equal(await count(minuteIso(M + 1), minuteIso(M + 2)), 2, 'from=M+1 excludes minute M');
      assert.equal(await count(minuteIso(M - 10), minuteIso(M)), 0, 'to=M excludes minute M');
      assert.equal(await count(minuteIso(M + 2), minuteIso(M + 10)), 0);
      // 30 s into M is rounded down to M: included as `from`, and as `to` it excludes M.
      const midM = new Date(M * MINUTE_MS + 30_000).toISOString();
      assert.equal(await count(midM, minuteIso(M + 2)), 3);
      assert.equal(await count(minuteIso(M - 10), midM), 0);
    });

    it('getUsage: 200 accepts dates and RFC 3339 instants (Z, offsets, fractions, lowercase) and echoes them as given', async () => {
      const t = makeTestApp();
      const u = await signedIn(t);
      for (const [from, to, firstStart] of [
        ['2026-03-01', '2026-03-02', '2026-03-01T00:00:00.000Z'],
        ['2026-03-01T00:00:00Z', '2026-03-02', '2026-03-01T00:00:00.000Z'],
        ['2026-03-01T00:00:00+02:00', '2026-03-02T00:00:00.999-01:00', '2026-02-28T22:00:00.000Z'],
        ['2026-03-01t06:15:59.999z', '2026-03-02', '2026-03-01T06:15:00.000Z'],
      ]) {
        const data = await usageData(t, bearer(u.auth), { from, to });
        assert.equal(data.from, from);
        assert.equal(data.to, to);
        assert.equal(data.buckets[0].start, firstStart, from);
      }
    });

    it('getUsage: 400 validation_failed when to is not later than from', async () => {
      const t = makeTestApp();
      const u = await signedIn(t);
      for (const [from, to] of [
        ['2026-03-02', '2026-03-01'],
        ['2026-03-01', '2026-03-01'],
        ['2026-03-01T10:00:00Z', '2026-03-01T10:00:00Z'],
        ['2026-03-01T10:00:00Z', '2026-03-01T09:59:00Z'],
      ]) {
        expectErrorFor(`${from}..${to}`, await usage(t, bearer(u.auth), { from, to }), 400, 'validation_failed', '/query/to');
      }
    });

    it('getUsage: 400 validation_failed for a window over 366 days (day) or 31 days (hour); exactly the maximum is 200', async () => {
      const t = makeTestApp();
      const auth = bearer((await signedIn(t)).auth);
      const yearly = await usageData(t, auth, { from: '2024-01-01', to: '2025-01-01' }); // 366 days (leap year)
      assert.equal(yearly.buckets.length, 366);
      expectErrorFor('367 days', await usage(t, auth, { from: '2024-01-01', to: '2025-01-02' }), 400, 'validation_failed', '/query/to');
      expectErrorFor('366 days + 1 minute', await usage(t, auth, { from: '2024-01-01', to: '2025-01-01T00:01:00Z' }), 400, 'validation_failed', '/query/to');

      const monthly = await usageData(t, auth, { from: '2026-01-01', to: '2026-02-01', granularity: 'hour' }); // 31 days
      assert.equal(monthly.buckets.length, 31 * 24);
      expectErrorFor('32 days hourly', await usage(t, auth, { from: '2026-01-01', to: '2026-02-02', granularity: 'hour' }), 400, 'validation_failed', '/query/to');
    });

    it('getUsage: 400 validation_failed without from or to, for a malformed or unrepresentable date, or an unknown granularity, group_by or parameter', async () => {
      const t = makeTestApp();
      const auth = bearer((await signedIn(t)).auth);
      const cases: [string, Record<string, string>, string][] = [
        ['missing from', { to: '2026-03-02' }, '/query/from'],
        ['missing to', { from: '2026-03-01' }, '/query/to'],
        ['empty from', { from: '', to: '2026-03-02' }, '/query/from'],
        ['a word', { from: 'yesterday', to: '2026-03-02' }, '/query/from'],
        ['month 13', { from: '2026-13-01', to: '2027-01-02' }, '/query/from'],
        ['February 30', { from: '2026-02-30', to: '2026-03-02' }, '/query/from'],
        ['no time zone', { from: '2026-03-01T00:00:00', to: '2026-03-02' }, '/query/from'],
        ['a unix timestamp', { from: '1772323200', to: '2026-03-02' }, '/query/from'],
        ['a slash date', { from: '2026/03/01', to: '2026-03-02' }, '/query/from'],
        ['over 40 characters', { from: '2026-03-01T00:00:00.0000000000000000000000Z', to: '2026-03-02' }, '/query/from'],
        ['a leap second', { from: '2026-03-01', to: '2026-06-30T23:59:60Z' }, '/query/to'],
        ['past year 9999 in UTC', { from: '9999-12-31', to: '9999-12-31T23:59:00-12:00' }, '/query/to'],
        ['before year 0000 in UTC', { from: '0000-01-01T00:00:00+01:00', to: '0000-01-02' }, '/query/from'],
      ];
      for (const [what, query, pointer] of cases) {
        expectErrorFor(what, await usage(t, auth, query), 400, 'validation_failed', pointer);
      }
      const window = { from: '2026-03-01', to: '2026-03-02' };
      expectErrorFor('granularity', await usage(t, auth, { ...window, granularity: 'minute' }), 400, 'validation_failed', '/query/granularity');
      expectErrorFor('group_by', await usage(t, auth, { ...window, group_by: 'user' }), 400, 'validation_failed', '/query/group_by');
      expectErrorFor('unknown parameter', await usage(t, auth, { ...window, workspace_id: 'ws_x' }), 400, 'validation_failed');
    });
  });
});
