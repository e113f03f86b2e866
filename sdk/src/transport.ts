// The fetch that openapi-fetch calls: each call's attempts, with its credential, extra headers and
// query, timeouts, abort signal and retries. openapi-fetch builds the request and reads the
// answer; this decides how often and when the request is sent.
import type { Credentials } from './credentials.js';
import { deadline } from './deadline.js';
import { ApiError, NetworkError, TimeoutError } from './errors.js';
import { backoffMs, MAX_RETRY_AFTER_MS, mayRetry, retryableAnswer, retryAfterMs, sleep, type RetryInfo } from './retry.js';
import type { CallOptions } from './types.js';

export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export interface TransportOptions {
  fetch: FetchLike;
  /** Milliseconds one attempt may take. */
  timeout: number;
  /** Milliseconds a whole call may take, if bounded. */
  totalTimeout?: number;
  maxRetries: number;
  onRetry?: (info: RetryInfo) => void;
}

/** What one attempt came to: an answer (its body read, and parsed when JSON), or why there was none. */
type Outcome = { response: Response; body: unknown } | { error: NetworkError | TimeoutError };

/** Headers the SDK sets, and what sets them: `headers` may not replace them. */
const OWNED_HEADERS: Record<string, string> = {
  authorization: "the client's credentials",
  'x-api-key': "the client's credentials",
  'idempotency-key': 'the idempotencyKey option',
  'if-match': 'the ifMatch option',
  'content-type': 'the SDK, for the JSON body',
};

export class Transport {
  constructor(private readonly options: TransportOptions) {}

  /** The `fetch` for one call: openapi-fetch hands it the request it built. */
  fetcher(call: CallOptions, credentials?: Credentials): (request: Request) => Promise<Response> {
    return (request) => this.send(request, call, credentials);
  }

  private async send(request: Request, call: CallOptions, credentials?: Credentials): Promise<Response> {
    const maxRetries = call.maxRetries ?? this.options.maxRetries;
    const url = withQuery(request.url, call.query);
    const extra = extraHeaders(call);
    // Read once: every attempt sends the same bytes.
    const body = request.body ? await request.arrayBuffer() : undefined;
    const retriable = mayRetry(request.method, request.headers);
    const bound = deadline(call.signal, call.totalTimeout ?? this.options.totalTimeout);
    const { signal } = bound;
    try {
      let renewed = false;
      for (let retry = 0; ; ) {
        if (signal?.aborted) throw signal.reason;
        const headers = new Headers(request.headers);
        extra.forEach((value, name) => headers.set(name, value));
        if (call.requestId) headers.set('x-request-id', call.requestId);
        const used = await credentials?.apply(headers, signal);
        const outcome = await this.attempt(request, url, headers, body, call.timeout ?? this.options.timeout, signal);
        const next = { retry: retry + 1, method: request.method, url };
        if ('response' in outcome) {
          const { response, body: answer } = outcome;
          const code = errorCode(answer);
          // An access token the server no longer takes (expired early, session ended, keys rotated):
          // renewed once per call, and that attempt is not a retry.
          if (response.status === 401 && code === 'invalid_token' && !renewed && credentials) {
            renewed = true;
            if (await credentials.renew(used, signal)) continue;
          }
          if (!retriable || retry >= maxRetries || !retryableAnswer(response.status, code)) return response;
          const after = retryAfterMs(response.headers);
          if (after !== undefined && after > MAX_RETRY_AFTER_MS) return response;
          const info = { ...next, delayMs: after ?? backoffMs(next.retry), status: response.status };
          bound.allow(info, () => ApiError.from(response, answer));
          await this.wait(info, signal);
        } else {
          if (!retriable || retry >= maxRetries) throw outcome.error;
          const info = { ...next, delayMs: backoffMs(next.retry), error: outcome.error };
          bound.allow(info, () => outcome.error);
          await this.wait(info, signal);
        }
        retry = next.retry;
      }
    } finally {
      bound.clear();
    }
  }

  private async wait(info: RetryInfo, signal?: AbortSignal): Promise<void> {
    this.options.onRetry?.(info);
    await sleep(info.delayMs, signal);
  }

  /** One exchange, bounded by the timeout; the body is read inside the bound. */
  private async attempt(request: Request, url: string, headers: Headers, body: ArrayBuffer | undefined, timeoutMs: number, signal?: AbortSignal): Promise<Outcome> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(new TimeoutError(timeoutMs)), timeoutMs);
    const forward = () => controller.abort(signal!.reason);
    signal?.addEventListener('abort', forward, { once: true });
    try {
      const answer = await this.options.fetch(url, { method: request.method, headers, body, redirect: request.redirect, signal: controller.signal });
      const bytes = await answer.arrayBuffer();
      const empty = answer.status === 204 || answer.status === 304 || request.method === 'HEAD';
      const response = new Response(empty ? null : bytes, { status: answer.status, statusText: answer.statusText, headers: answer.headers });
      // A Response made here has no url of its own; withResponse() hands this one to the caller.
      Object.defineProperty(response, 'url', { value: answer.url || url });
      return { response, body: answer.ok ? undefined : parseJson(bytes) };
    } catch (err) {
      if (signal?.aborted) throw signal.reason;
      if (controller.signal.reason instanceof TimeoutError) return { error: controller.signal.reason };
      return { error: new NetworkError(`${request.method} ${new URL(url).pathname} failed: ${describe(err)}`, { cause: err }) };
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', forward);
    }
  }
}

/** The call's extra headers, refused where they would replace one the SDK sets. */
function extraHeaders(call: CallOptions): Headers {
  const headers = new Headers(call.headers);
  headers.forEach((_, name) => {
    const owner = OWNED_HEADERS[name] ?? (name === 'x-request-id' && call.requestId !== undefined ? 'the requestId option' : undefined);
    if (owner) throw new TypeError(`headers: ${name} is set by ${owner}; it cannot be given in headers.`);
  });
  return headers;
}

/** The URL with the call's extra query parameters, appended to the query openapi-fetch serialised. */
function withQuery(url: string, query: CallOptions['query']): string {
  const entries = Object.entries(query ?? {}).filter(([, value]) => value !== undefined);
  if (entries.length === 0) return url;
  const sent = new URL(url).searchParams;
  for (const [name] of entries) {
    if (name === 'cursor' || sent.has(name)) throw new TypeError(`query: ${name} is a parameter of the call; give it in its typed query.`);
  }
  const extra = new URLSearchParams(entries.map(([name, value]): [string, string] => [name, String(value)]));
  return `${url}${url.includes('?') ? '&' : '?'}${extra}`;
}

function parseJson(bytes: ArrayBuffer): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return undefined;
  }
}

/** The error envelope's code, when the body is one. */
function errorCode(body: unknown): string | undefined {
  const code = (body as { error?: { code?: unknown } } | undefined)?.error?.code;
  return typeof code === 'string' ? code : undefined;
}

/** fetch's own message is "fetch failed"; the cause says what happened (ECONNREFUSED, a closed socket). */
function describe(err: unknown): string {
  const cause = (err as { cause?: { code?: unknown; message?: unknown } })?.cause;
  const detail = cause?.code ?? cause?.message;
  const message = err instanceof Error ? err.message : String(err);
  return typeof detail === 'string' ? `${message} (${detail})` : message;
}
