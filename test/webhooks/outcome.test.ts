import assert from 'node:assert/strict';
import { attemptOutcome } from '../../src/webhooks/outcome';
import type { SendResult } from '../../src/webhooks/send';

const at = Date.parse('2026-03-17T10:00:00.000Z');
const result = (status: number | null, extra: Partial<SendResult> = {}): SendResult => ({ status, body: '', error: null, durationMs: 7, ...extra });
const outcome = (r: SendResult, attempt = 1) => attemptOutcome(r, attempt, at, [0, 5, 300], { nowMs: at, random: () => 0.5 });

describe('webhooks: attempt outcome', () => {
  it('2xx succeeds; 3xx, 4xx, 5xx and no answer retry on the schedule; the last attempt fails', () => {
    assert.equal(outcome(result(204)).status, 'succeeded');
    for (const r of [result(302, { error: 'redirect not followed' }), result(404), result(500), result(null, { error: 'timeout' })]) {
      assert.deepEqual([outcome(r).status, outcome(r).nextAttemptAt], ['pending', '2026-03-17T10:00:05.000Z']);
    }
    assert.equal(outcome(result(500), 2).nextAttemptAt, '2026-03-17T10:05:00.000Z');
    assert.deepEqual([outcome(result(500), 3).status, outcome(result(500), 3).nextAttemptAt], ['failed', null]);
  });

  it('410 fails at once; Retry-After on 429 pushes the next attempt back', () => {
    assert.equal(outcome(result(410)).status, 'failed');
    assert.equal(outcome(result(429, { retryAfterSeconds: 60 })).nextAttemptAt, '2026-03-17T10:01:00.000Z');
  });

  it('records the attempt as the attempt log shows it', () => {
    assert.deepEqual(outcome(result(500, { body: 'oops' }), 2).attempt, {
      attempt: 2, attempted_at: '2026-03-17T10:00:00.000Z', response_status: 500, duration_ms: 7, response_body: 'oops', error: null,
    });
  });
});
