// The fetch that openapi-fetch calls: each call's attempts, with its credential, timeout, abort
// signal and retries. openapi-fetch builds the request and reads the answer; this decides how
// often and when the request is sent.
import type { Credentials } from './credentials.js';
import { NetworkError, TimeoutError } from './errors.js';
import { backoffMs, MAX_RETRY_AFTER_MS, mayRetry, retryableAnswer, retryAfterMs, sleep, type RetryInfo } from './retry.js';
import type { CallOptions } from './types.js';

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface TransportOptions {
  fetch: FetchLike;
  /** Milliseconds one attempt may take. */
  timeout: number;
  maxRetries: number;
  onRetry?: (info: RetryInfo) => void;
}

/** What one attempt came to: an answer (its body read), or why there was none. */
type Outcome = { response: Response; code: string | undefined } | { error: NetworkError | TimeoutError };

export class Transport {
  constructor(private readonly options: TransportOptions) {}

  /** The `fetch` for one call: openapi-fetch hands it the request it built. */
  fetcher(call: CallOptions, credentials?: Credentials): (request: Request) => Promise<Response> {
    return (request) => this.send(request, call, credentials);
  }

  private async send(request: Request, call: CallOptions, credentials?: Credentials): Promise<Response> {
    const { signal } = call;
    const maxRetries = call.maxRetries ?? this.options.maxRetries;
    // Read once: every attempt sends the same bytes.
    const body = request.body ? await request.arrayBuffer() : undefined;
    const retriable = mayRetry(request.method, request.headers);
    let renewed = false;
    for (let retry = 0; ; ) {
      if (signal?.aborted) throw signal.reason;
      const headers = new Headers(request.headers);
      if (call.requestId) headers.set('x-request-id', call.requestId);
      const used = await credentials?.apply(headers, signal);
      const outcome = await this.attempt(request, headers, body, call);
      if ('response' in outcome) {
        const { response, code } = outcome;
        // An access token the server no longer takes (expired early, session ended, keys rotated):
        // renewed once per call, and that attempt is not a retry.
        if (response.status === 401 && code === 'invalid_token' && !renewed && credentials) {
          renewed = true;
          if (await credentials.renew(used, signal)) continue;
        }
        if (!retriable || retry >= maxRetries || !retryableAnswer(response.status, code)) return response;
        const after = retryAfterMs(response.headers);
        if (after !== undefined && after > MAX_RETRY_AFTER_MS) return response;
        retry++;
        await this.wait({ retry, delayMs: after ?? backoffMs(retry), method: request.method, url: request.url, status: response.status }, signal);
      } else {
        if (!retriable || retry >= maxRetries) throw outcome.error;
        retry++;
        await this.wait({ retry, delayMs: backoffMs(retry), method: request.method, url: request.url, error: outcome.error }, signal);
      }
    }
  }

  private async wait(info: RetryInfo, signal?: AbortSignal): Promise<void> {
    this.options.onRetry?.(info);
    await sleep(info.delayMs, signal);
  }

  /** One exchange, bounded by the timeout; the body is read inside the bound. */
  private async attempt(request: Request, headers: Headers, body: ArrayBuffer | undefined, call: CallOptions): Promise<Outcome> {
    const timeoutMs = call.timeout ?? this.options.timeout;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new TimeoutError(timeoutMs)), timeoutMs);
    const forward = () => controller.abort(call.signal!.reason);
    call.signal?.addEventListener('abort', forward, { once: true });
    try {
      const answer = await this.options.fetch(request.url, {
        method: request.method,
        headers,
        body,
        redirect: request.redirect,
        signal: controller.signal,
      });
      const bytes = await answer.arrayBuffer();
      const empty = answer.status === 204 || answer.status === 304 || request.method === 'HEAD';
      const response = new Response(empty ? null : bytes, { status: answer.status, statusText: answer.statusText, headers: answer.headers });
      return { response, code: answer.ok ? undefined : errorCode(bytes) };
    } catch (err) {
      if (call.signal?.aborted) throw call.signal.reason;
      if (controller.signal.reason instanceof TimeoutError) return { error: controller.signal.reason };
      return { error: new NetworkError(`${request.method} ${new URL(request.url).pathname} failed: ${describe(err)}`, { cause: err }) };
    } finally {
      clearTimeout(timer);
      call.signal?.removeEventListener('abort', forward);
    }
  }
}

/** The error envelope's code, when the body is one. */
function errorCode(bytes: ArrayBuffer): string | undefined {
  try {
    const code = JSON.parse(new TextDecoder().decode(bytes))?.error?.code;
    return typeof code === 'string' ? code : undefined;
  } catch {
    return undefined;
  }
}

/** fetch's own message is "fetch failed"; the cause says what happened (ECONNREFUSED, a closed socket). */
function describe(err: unknown): string {
  const cause = (err as { cause?: { code?: unknown; message?: unknown } })?.cause;
  const detail = cause?.code ?? cause?.message;
  const message = err instanceof Error ? err.message : String(err);
  return typeof detail === 'string' ? `${message} (${detail})` : message;
}
