import pino, { type DestinationStream } from 'pino';
import type { LogLevel } from './config';

export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  /** Whether lines of this level are written: callers skip building what would be dropped. */
  enabled(level: Exclude<LogLevel, 'silent'>): boolean;
  /** Writes out what the asynchronous destination still holds; before the process exits. */
  flush(): void;
}

/**
 * Names under which a secret could reach a log line: credentials in headers, what the API
 * accepts or returns once (passwords, tokens, API keys, webhook signing secrets) and the
 * server's own keys. Nothing logs request headers or bodies today; these paths keep a future
 * field (an error's context, a debug line) from carrying one.
 */
const SECRET_KEYS = [
  'authorization',
  'proxy-authorization',
  'x-api-key',
  'cookie',
  'set-cookie',
  'password',
  'current_password',
  'new_password',
  'access_token',
  'refresh_token',
  'token',
  'key',
  'api_key',
  'secret',
  'secrets',
  'previous_secret',
  'webhook_secret',
  'signing_secret',
  'pepper',
  'private_key',
  'jwt_private_key',
];

/**
 * Where a secret could sit in a line's fields: at the top, or under an object a request, a response
 * or an error would be logged as. Named parents, not wildcards: pino's redaction walks every
 * object of every line for a `*.` path, which made an access line cost about 120 µs instead of 4.
 */
const PARENTS = [
  '',
  'headers',
  'body',
  'query',
  'params',
  'data',
  'config',
  'req.headers',
  'req.body',
  'req.query',
  'res.headers',
  'res.body',
  'request.headers',
  'request.body',
  'response.headers',
  'response.body',
];

export const REDACTED_PATHS = PARENTS.flatMap((parent) => SECRET_KEYS.map((key) => `${parent}[${JSON.stringify(key)}]`));

const CENSOR = '[redacted]';

/**
 * stdout is written in batches of whole lines: once BATCH_BYTES wait, or every FLUSH_INTERVAL_MS.
 * A write per line (each a trip through libuv's thread pool) cost about 30 µs of CPU a line more
 * than batches. A write is at most PIPE_BUF bytes, so it is atomic on a pipe and the lines of
 * workers (WORKERS > 1) sharing one stdout never interleave mid-line.
 */
const PIPE_BUF = 4096;
const BATCH_BYTES = 4000;
const FLUSH_INTERVAL_MS = 100;

/**
 * pino, writing one JSON object per line with the fields the service always had: `level` as a
 * name, `time` in ISO 8601, `msg`, then the call's fields. `write` (tests) receives each line
 * synchronously; otherwise lines go to stdout through pino's asynchronous destination, in
 * batches, which `flush()` (readiness, shutdown) and pino's exit hook empty. `base` fields go on
 * every line (a worker's pid), and those `mixin` returns as each is written.
 */
export function createLogger(level: LogLevel, write?: (line: string) => void, base: LogFields = {}, mixin?: () => LogFields): Logger {
  const destination: DestinationStream & { flushSync?: () => void } = write
    ? { write }
    : pino.destination({ fd: 1, sync: false, minLength: BATCH_BYTES, maxWrite: PIPE_BUF, periodicFlush: FLUSH_INTERVAL_MS });
  const log = pino(
    {
      level,
      base,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: REDACTED_PATHS, censor: CENSOR },
      // Fields of the moment each line is written: the active trace's ids (with tracing on).
      ...(mixin && { mixin }),
    },
    destination,
  );
  const at = (lvl: 'debug' | 'info' | 'warn' | 'error') => (msg: string, fields?: LogFields) => {
    if (fields) log[lvl](fields, msg);
    else log[lvl](msg);
  };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    enabled: (lvl) => log.isLevelEnabled(lvl),
    flush: () => {
      try {
        destination.flushSync?.();
      } catch {
        // Nothing more can be written (stdout closed): exiting must not fail for it.
      }
    },
  };
}
