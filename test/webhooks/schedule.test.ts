import assert from 'node:assert/strict';
import { DEFAULT_RETRY_SCHEDULE, MAX_RETRY_AFTER_SECONDS, nextDelaySeconds, parseRetryAfter } from '../../src/webhooks/schedule';

describe('webhooks: retry schedule', () => {
  it('attempt n+1 comes schedule[n] later, within ±20%; none after the last', () => {
    for (let n = 1; n < DEFAULT_RETRY_SCHEDULE.length; n++) {
      const base = DEFAULT_RETRY_SCHEDULE[n];
      assert.equal(nextDelaySeconds(DEFAULT_RETRY_SCHEDULE, n, { random: () => 0 }), base * 0.8);
      assert.equal(nextDelaySeconds(DEFAULT_RETRY_SCHEDULE, n, { random: () => 0.5 }), base);
      assert.ok(Math.abs(nextDelaySeconds(DEFAULT_RETRY_SCHEDULE, n, { random: () => 0.999999 })! - base * 1.2) <= base * 1e-6);
    }
    assert.equal(nextDelaySeconds(DEFAULT_RETRY_SCHEDULE, 8), null, 'eight attempts in all');
    for (let i = 0; i < 1000; i++) {
      const d = nextDelaySeconds([0, 5], 1)!;
      assert.ok(d >= 4 && d <= 6, `${d} out of 5 s ± 20%`);
    }
    assert.equal(nextDelaySeconds([0, 0, 0], 1), 0, 'never negative');
  });

  it('Retry-After is a floor, capped at a day', () => {
    assert.equal(nextDelaySeconds([0, 5, 300], 1, { retryAfterSeconds: 120, random: () => 0.5 }), 120);
    assert.equal(nextDelaySeconds([0, 5, 300], 2, { retryAfterSeconds: 120, random: () => 0.5 }), 300, 'a later schedule stays');
    assert.equal(nextDelaySeconds([0, 5], 1, { retryAfterSeconds: 10 ** 9 }), MAX_RETRY_AFTER_SECONDS);
    assert.equal(nextDelaySeconds([0, 5], 2, { retryAfterSeconds: 60 }), null, 'no attempt is added for it');
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-03-17T10:00:00Z');
    assert.equal(parseRetryAfter('120', now), 120);
    assert.equal(parseRetryAfter(' 0 ', now), 0);
    assert.equal(parseRetryAfter('Tue, 17 Mar 2026 10:01:30 GMT', now), 90);
    assert.equal(parseRetryAfter('Tue, 17 Mar 2026 09:00:00 GMT', now), 0, 'a past date: at once');
    assert.equal(parseRetryAfter('-5', now), undefined);
    assert.equal(parseRetryAfter('soon', now), undefined);
    assert.equal(parseRetryAfter('1.5', now), undefined);
    assert.equal(parseRetryAfter(undefined, now), undefined);
  });
});
