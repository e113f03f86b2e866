// totalTimeout: one bound over a call's attempts and the waits between them. A server that asks
// for a minute's wait (Retry-After: 60) makes a call with a second's budget fail at once, not sleep.
import assert from 'node:assert/strict';
import { ApiError, NetworkError, TimeoutError } from '../../sdk/src';
import { freePort } from '../process/run';
import { live, recorder, type Live } from './harness';
import { blackHole, busy, closeAll, type Fault } from './faults';

describe('SDK: totalTimeout', () => {
  let l: Live;
  let fault: Fault | undefined;
  beforeEach(async () => (l = await live()));
  afterEach(async () => {
    await closeAll(fault, l);
    fault = undefined;
  });

  for (const status of [503, 429] as const) {
    it(`${status} with Retry-After: 60 and totalTimeout 1 s: TimeoutError at once, the ${status} as its cause, no wait begun`, async () => {
      fault = await busy(status, 60);
      const rec = recorder();
      const client = l.client({ baseUrl: fault.url }, rec);
      const started = Date.now();
      const err = await client.projects.create({ name: 'Busy' }, { totalTimeout: 1000 }).catch((e: unknown) => e);
      const elapsed = Date.now() - started;
      assert.ok(err instanceof TimeoutError, String(err));
      assert.equal(err.scope, 'call');
      assert.equal(err.timeoutMs, 1000);
      assert.match(err.message, /totalTimeout of 1000 ms: its next attempt was due in 60000 ms/);
      assert.ok(err.cause instanceof ApiError);
      assert.equal(err.cause.status, status);
      assert.equal(err.cause.headers.get('retry-after'), '60');
      assert.equal(rec.sent.length, 1);
      assert.equal(rec.retries.length, 0, 'onRetry is not told of a retry that will not happen');
      assert.ok(elapsed < 1000, `failed after ${elapsed} ms`);
    });
  }

  it('an attempt that hangs is cut at the totalTimeout, before its own timeout; no retry follows', async () => {
    fault = await blackHole();
    const rec = recorder();
    const client = l.client({ baseUrl: fault.url, maxRetries: 5 }, rec);
    const started = Date.now();
    const err = await client.me.get({ totalTimeout: 300 }).catch((e: unknown) => e);
    const elapsed = Date.now() - started;
    assert.ok(err instanceof TimeoutError, String(err));
    assert.equal(err.scope, 'call');
    assert.equal(err.timeoutMs, 300);
    assert.equal(rec.sent.length, 1);
    assert.ok(elapsed >= 290 && elapsed < 1500, `failed after ${elapsed} ms`);
  });

  it("retries that fit go on, and the client's totalTimeout is every call's default", async () => {
    // Refused connections: backoff under 0.5 s, then under 1 s; a 5 s budget lets all three attempts run.
    const rec = recorder();
    const refused = l.client({ baseUrl: `http://127.0.0.1:${await freePort()}`, totalTimeout: 5000 }, rec);
    assert.ok((await refused.me.get().catch((e: unknown) => e)) instanceof NetworkError);
    assert.equal(rec.sent.length, 3);

    // A budget smaller than the backoff can be: TimeoutError with the network error as its cause.
    const err = await refused.me.get({ totalTimeout: 1, maxRetries: 1 }).catch((e: unknown) => e);
    assert.ok(err instanceof TimeoutError && err.scope === 'call', String(err));
    assert.ok(err.cause instanceof NetworkError || err.cause === undefined);

    // Success within the budget is untouched.
    const me = await l.client({ totalTimeout: 5000 }).me.get();
    assert.equal(me.type, 'api_key');
  });

  it('an abort still ends the call with its own reason, not a timeout', async () => {
    fault = await blackHole();
    const reason = new Error('shutting down');
    const controller = new AbortController();
    setTimeout(() => controller.abort(reason), 50);
    const err = await l.client({ baseUrl: fault.url }).me.get({ totalTimeout: 5000, signal: controller.signal }).catch((e: unknown) => e);
    assert.equal(err, reason);
  });

  it('the client refuses a totalTimeout that is not a positive number', () => {
    assert.throws(() => l.client({ totalTimeout: 0 }), /totalTimeout must be a positive number/);
  });
});
