import { request as httpRequest, type Agent, type ClientRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { performance } from 'node:perf_hooks';
import { pinnedLookup, type CheckedUrl } from './addressGuard';
import { parseRetryAfter } from './schedule';

/** What one POST to a receiver came to, as the attempt log keeps it. */
export interface SendResult {
  /** The receiver's status, or null when no response came. */
  status: number | null;
  /** The first kilobyte of the response body, as text. */
  body: string | null;
  /** Why it failed without a usable response (`timeout`, a network error, `redirect not followed`). */
  error: string | null;
  durationMs: number;
  /** On 429 and 503: how long the receiver asked us to wait. */
  retryAfterSeconds?: number;
}

export const BODY_CAP_BYTES = 1024;
const USER_AGENT = 'CloudAPI-Webhooks/1';

export interface SendOptions {
  /** For the whole exchange: connect, send, and the status line and headers. */
  timeoutMs: number;
  now?: () => number;
  /** A keep-alive agent for the checked URL (see agents.ts); without one, a fresh connection. */
  agent?: Agent;
}

const networkError = (err: NodeJS.ErrnoException) => (err.code ? `${err.code}: ${err.message}` : err.message).slice(0, 200);

/** Done with a result; `keep` leaves the connection to the agent's pool (the answer was read to its end). */
type Finish = (result: Omit<SendResult, 'durationMs'>, keep?: boolean) => void;

/**
 * POSTs `payload` to the checked URL, connecting only to the checked addresses. Redirects are not
 * followed (a 3xx could point anywhere, internal addresses included), and only the first kilobyte
 * of the answer is read, so a receiver cannot hold a worker slot or memory with a huge body.
 */
export function sendWebhook(
  target: CheckedUrl,
  payload: string,
  headers: Record<string, string>,
  opts: SendOptions,
): Promise<SendResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  const { url } = target;
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;

  return new Promise((resolve) => {
    let done = false;
    let req: ClientRequest;
    const finish: Finish = (result, keep = false) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (!keep) req.destroy();
      resolve({ ...result, durationMs: elapsed() });
    };
    let onDeadline = () => finish({ status: null, body: null, error: 'timeout' });
    const timer = setTimeout(() => onDeadline(), opts.timeoutMs);

    const send = (retried: boolean) => {
      req = request(
        {
          method: 'POST',
          protocol: url.protocol,
          hostname: url.hostname.replace(/^\[(.*)\]$/, '$1'),
          port: url.port || undefined,
          path: `${url.pathname}${url.search}`,
          agent: opts.agent ?? false,
          lookup: pinnedLookup(target.addresses),
          headers: {
            ...headers,
            'content-type': 'application/json',
            'content-length': String(Buffer.byteLength(payload)),
            'user-agent': USER_AGENT,
          },
        },
        (res) => {
          onDeadline = readAnswer(res, opts, finish);
        },
      );
      req.on('error', (err: NodeJS.ErrnoException) => {
        // A pooled connection the receiver closed while idle fails at once, before anything was
        // read: one fresh try (the case Node's documentation gives for `reusedSocket`).
        if (!retried && !done && req.reusedSocket && (err.code === 'ECONNRESET' || err.code === 'EPIPE')) return send(true);
        finish({ status: null, body: null, error: networkError(err) });
      });
      req.end(payload);
    };
    send(false);
  });
}

/**
 * The status at once; then the body until a kilobyte, its end, or the deadline, whichever is first.
 * Returns what the deadline does: the status has come, so a body still trickling is cut, not failed.
 */
function readAnswer(res: IncomingMessage, opts: SendOptions, finish: Finish): () => void {
  const status = res.statusCode ?? 0;
  if (status < 100 || status > 599) {
    finish({ status: null, body: null, error: `invalid status ${status}` });
    return () => {};
  }
  const chunks: Buffer[] = [];
  let size = 0;
  // `ended`: the whole answer was read, so its connection may serve the next delivery.
  const complete = (ended = false) => {
    const body = Buffer.concat(chunks).subarray(0, BODY_CAP_BYTES).toString('utf8');
    const retryAfterSeconds =
      status === 429 || status === 503 ? parseRetryAfter(res.headers['retry-after'], (opts.now ?? Date.now)()) : undefined;
    finish(
      {
        status,
        body,
        error: status >= 300 && status < 400 ? 'redirect not followed' : null,
        ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
      },
      ended,
    );
  };
  res.on('data', (chunk: Buffer) => {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= BODY_CAP_BYTES) complete();
  });
  res.on('end', () => complete(true));
  // The status has come: a body cut short still leaves a real answer.
  res.on('error', () => complete());
  res.on('aborted', () => complete());
  return () => complete();
}
