/** Seconds before each attempt: attempt n+1 comes schedule[n] after attempt n failed (the first at once). */
export const DEFAULT_RETRY_SCHEDULE = [0, 5, 300, 1800, 7200, 18000, 36000, 36000];

/** A receiver asking for more than this (Retry-After) still gets its next attempt a day later. */
export const MAX_RETRY_AFTER_SECONDS = 86_400;

const JITTER = 0.2;

/**
 * Seconds from now to the next attempt after attempt `attemptsMade` failed, or null when that was
 * the last one. Jitter (±20%) spreads the retries of many deliveries that failed together (an
 * endpoint that was down) so they do not all come back at once; `Retry-After` is a floor.
 */
export function nextDelaySeconds(
  schedule: readonly number[],
  attemptsMade: number,
  opts: { retryAfterSeconds?: number; random?: () => number } = {},
): number | null {
  if (attemptsMade >= schedule.length) return null;
  const base = schedule[attemptsMade];
  const jittered = Math.max(0, base * (1 - JITTER + 2 * JITTER * (opts.random ?? Math.random)()));
  const floor = Math.min(opts.retryAfterSeconds ?? 0, MAX_RETRY_AFTER_SECONDS);
  return Math.max(jittered, floor);
}

/** `Retry-After` as seconds from `nowMs`: delay-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  if (!value) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const at = Date.parse(text);
  if (Number.isNaN(at) || !/[a-z]/i.test(text)) return undefined;
  return Math.max(0, Math.ceil((at - nowMs) / 1000));
}

/** `WEBHOOK_RETRY_SCHEDULE`: comma-separated seconds (decimals allowed); undefined when malformed. */
export function parseRetrySchedule(raw: string): number[] | undefined {
  const parts = raw.split(',').map((p) => p.trim());
  if (parts.length === 0 || parts.length > 50 || !parts.every((p) => /^\d+(\.\d+)?$/.test(p))) return undefined;
  const seconds = parts.map(Number);
  return seconds.every((s) => s <= 7 * 86_400) ? seconds : undefined;
}
