/**
 * A frozen, manually advanced `Date.now` for expiry tests, so they never sleep or race the clock.
 *
 * The auth service reads time through the `Date.now` it captured when the app was created, and
 * jsonwebtoken reads `Date.now()` on every sign and verify. Install the clock BEFORE makeTestApp()
 * and restore it in `afterEach` (restoring is idempotent).
 *
 * Only `Date.now` is replaced: `new Date()` (used by the store for `created_at` columns) keeps
 * the real time, which is fine because expiry decisions all go through `Date.now`.
 *
 * The fake time starts an hour in the past and may never overtake the real time. Id generation
 * (src/ids.ts) also reads `Date.now` and stays monotonic by never going back in time; a fake
 * clock in the future would leave later ids, in other tests, stamped with that future instant.
 */
export interface FakeClock {
  /** Moves time forward by `seconds`. */
  advance(seconds: number): void;
  restore(): void;
}

const HEADROOM_SECONDS = 3600;

export function installClock(): FakeClock {
  const original = Date.now;
  let current = original.call(Date) - HEADROOM_SECONDS * 1000;
  Date.now = () => current;
  return {
    advance(seconds) {
      if (current + seconds * 1000 > original.call(Date)) {
        throw new Error(`fake clock would pass the real time; advance by less than ${HEADROOM_SECONDS} s in total`);
      }
      current += seconds * 1000;
    },
    restore() {
      Date.now = original;
    },
  };
}

/**
 * Registers, in the calling `describe`, a frozen clock installed before each test and restored
 * after it; returns the current test's clock.
 */
export function frozenClockEachTest(): () => FakeClock {
  let clock: FakeClock | undefined;
  beforeEach(() => {
    clock = installClock();
  });
  afterEach(() => {
    clock?.restore();
    clock = undefined;
  });
  return () => {
    if (!clock) throw new Error('no frozen clock outside a test');
    return clock;
  };
}

/**
 * The environment of an app whose rate limits must follow the fake clock: counters in memory, as
 * on the SQLite pass. On the PostgreSQL pass they would be in Redis, which expires them on its
 * own clock, and no fake Date.now moves that (test/rateLimit/redis.test.ts covers Redis's windows).
 */
export const LIMITS_ON_FAKE_CLOCK = { RATE_LIMIT_STORE: 'memory' };
