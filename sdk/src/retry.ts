// When a failed attempt is tried again, and after how long.

/** Statuses that say "not now" rather than "no": the request may succeed if sent again. */
const RETRY_STATUSES = new Set([429, 502, 503, 504]);
/** A longer Retry-After than this is not waited out: the call fails with the answer instead. */
export const MAX_RETRY_AFTER_MS = 60_000;
const INITIAL_DELAY_MS = 500;
const MAX_DELAY_MS = 8_000;

export interface RetryInfo {
  /** 1 for the first retry. */
  retry: number;
  /** How long the SDK waits before it: Retry-After when the answer had one, else backoff with jitter. */
  delayMs: number;
  method: string;
  url: string;
  /** The status that is retried, or undefined after a network error or a timeout. */
  status?: number;
  /** The network error or timeout that is retried. */
  error?: Error;
}

/**
 * Whether a request may be sent again: a safe method, or one that carries an Idempotency-Key (the
 * server then runs it at most once). Anything else, a DELETE included, is sent once: an attempt
 * whose answer was lost may have taken effect.
 */
export function mayRetry(method: string, headers: Headers): boolean {
  return method === 'GET' || method === 'HEAD' || headers.has('idempotency-key');
}

/**
 * Whether the answer is worth another attempt: 429, 502, 503, 504, and `409 idempotency_key_in_use`
 * (the first attempt with this key is still running: its answer is replayed once it is done).
 */
export function retryableAnswer(status: number, code: string | undefined): boolean {
  return RETRY_STATUSES.has(status) || (status === 409 && code === 'idempotency_key_in_use');
}

/** Retry-After in milliseconds (delta-seconds or an HTTP date), or undefined. */
export function retryAfterMs(headers: Headers, now = Date.now()): number | undefined {
  const raw = headers.get('retry-after')?.trim();
  if (!raw) return undefined;
  if (/^\d+$/.test(raw)) return Number(raw) * 1000;
  const at = Date.parse(raw);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** Exponential backoff with full jitter: uniform in [0, min(cap, base * 2^retry)). */
export function backoffMs(retry: number, random: () => number = Math.random): number {
  return Math.floor(random() * Math.min(MAX_DELAY_MS, INITIAL_DELAY_MS * 2 ** (retry - 1)));
}

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const done = () => {
      signal?.removeEventListener('abort', abort);
      resolve();
    };
    const timer = setTimeout(done, ms);
    const abort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', abort, { once: true });
  });
}
