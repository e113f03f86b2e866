// A call's `totalTimeout`: one bound over its attempts, its credential's renewal and the waits
// between attempts. A wait that would end past it is not begun, as waiting could not help.
import { TimeoutError } from './errors.js';
import type { RetryInfo } from './retry.js';

export interface Deadline {
  /** The call's signal, aborted also (with a TimeoutError) when the time is up. */
  signal: AbortSignal | undefined;
  /** Throws a TimeoutError, `cause` attached, unless the wait before the next retry ends in time. */
  allow(retry: RetryInfo, cause: () => Error): void;
  clear(): void;
}

export function deadline(signal: AbortSignal | undefined, totalMs: number | undefined): Deadline {
  if (totalMs === undefined) return { signal, allow: () => {}, clear: () => {} };
  const ends = Date.now() + totalMs;
  const controller = new AbortController();
  const forward = () => controller.abort(signal!.reason);
  if (signal?.aborted) forward();
  else signal?.addEventListener('abort', forward, { once: true });
  const timer = setTimeout(() => controller.abort(new TimeoutError(totalMs, { scope: 'call' })), totalMs);
  return {
    signal: controller.signal,
    allow(retry, cause) {
      if (Date.now() + retry.delayMs < ends) return;
      const after = retry.status ?? retry.error?.message;
      const message = `The call would run past its totalTimeout of ${totalMs} ms: its next attempt was due in ${retry.delayMs} ms (after ${after}).`;
      throw new TimeoutError(totalMs, { scope: 'call', message, cause: cause() });
    },
    clear() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', forward);
    },
  };
}
