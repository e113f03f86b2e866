import type { AttemptOutcome } from '../store/ports';
import type { SendResult } from './send';
import { nextDelaySeconds } from './schedule';

/** A 2xx is the only acknowledgement; a redirect or anything else is retried. */
export const acknowledged = (result: SendResult) => result.status !== null && result.status >= 200 && result.status < 300;

/**
 * What one attempt comes to: succeeded, pending until the next attempt of the schedule, or failed
 * after the last one (or at once on 410 Gone, whose endpoint is being disabled).
 */
export function attemptOutcome(
  result: SendResult,
  attempt: number,
  attemptedAtMs: number,
  schedule: readonly number[],
  opts: { nowMs: number; random?: () => number },
): AttemptOutcome {
  const record = {
    attempt,
    attempted_at: new Date(attemptedAtMs).toISOString(),
    response_status: result.status,
    duration_ms: Math.min(result.durationMs, 600_000),
    response_body: result.body,
    error: result.error,
  };
  if (acknowledged(result)) return { attempt: record, status: 'succeeded', nextAttemptAt: null };
  const delay =
    result.status === 410 ? null : nextDelaySeconds(schedule, attempt, { retryAfterSeconds: result.retryAfterSeconds, random: opts.random });
  if (delay === null) return { attempt: record, status: 'failed', nextAttemptAt: null };
  return { attempt: record, status: 'pending', nextAttemptAt: new Date(opts.nowMs + delay * 1000).toISOString() };
}
