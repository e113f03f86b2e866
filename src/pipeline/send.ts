import type { OperationContext, RequestContext } from './context';
import type { StoredResponse } from '../idempotency/idempotency';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics/metrics';
import { ResponseDrift, type ResponseCheck } from '../contract/responses';
import { errorBody } from '../errors';
import { describeFailure, toAppError } from '../http/errorEnvelope';

/** What a handler answered, as the pipeline sees it once the handler's own types were checked. */
export interface AnyReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** An operation's outcome: a fresh reply, or the stored response of an earlier request with the same Idempotency-Key. */
export type Outcome = { reply: AnyReply; replay?: undefined } | { reply?: undefined; replay: StoredResponse };

/**
 * The one place responses are written. With `check` (tests, development), each response of an
 * operation is held to the strict contract before anything of it is written: one that drifted is
 * answered as a 500 (the log says what drifted), so no undeclared field or status leaves.
 */
export function createSender(logger: Logger, bodyLimitBytes: number, check?: ResponseCheck, metrics?: Pick<Metrics, 'authFailed'>) {
  const deprecate = (ctx: RequestContext) => {
    const d = (ctx as Partial<OperationContext>).deprecation;
    if (!d) return;
    // After the handler's headers, so a `Link` it set (rel="next") is kept.
    const link = ctx.res.getHeader('Link');
    ctx.res.setHeader('Link', link ? `${String(link)}, ${d.headers.Link}` : d.headers.Link);
    ctx.res.setHeader('Deprecation', d.headers.Deprecation);
    ctx.res.setHeader('Sunset', d.headers.Sunset);
  };

  const json = (ctx: RequestContext, status: number, body: unknown) => {
    ctx.res.status(status);
    deprecate(ctx);
    sendJsonText(ctx, JSON.stringify(body));
  };

  /** The drift of a response of ctx's operation from the contract, checked as it would be written; undefined when it conforms or nothing checks. */
  const drift = (ctx: RequestContext, status: number, headers: Record<string, string> | undefined, body: unknown): ResponseDrift | undefined => {
    if (!check || !ctx.op) return undefined;
    const given = new Map(Object.entries(headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]));
    const problem = check.problem(ctx.op.operationId, {
      status,
      method: ctx.req.method,
      header: (name) => given.get(name) ?? ctx.res.getHeader(name),
      body: body === undefined ? {} : { type: 'application/json', value: body },
    });
    return problem === undefined ? undefined : new ResponseDrift(ctx.op.operationId, status, problem);
  };

  const sender = {
    outcome(ctx: OperationContext, outcome: Outcome): void {
      const { res } = ctx;
      if (outcome.replay) {
        const stored = outcome.replay;
        res.set(stored.headers).set('Idempotent-Replayed', 'true').status(stored.status);
        deprecate(ctx);
        if (stored.body === undefined) res.end();
        else sendJsonText(ctx, stored.body);
        return;
      }
      const { reply } = outcome;
      const drifted = drift(ctx, reply.status, reply.headers, reply.body);
      if (drifted) return sender.error(ctx, drifted);
      if (reply.headers) res.set(reply.headers);
      if (reply.body !== undefined) return json(ctx, reply.status, reply.body);
      res.status(reply.status);
      deprecate(ctx);
      res.end();
    },

    /** Any failure, whoever raised it (a step, a handler, Express, body-parser, the validator), as the envelope. */
    error(ctx: RequestContext, err: unknown): void {
      const appError = toAppError(err, ctx.req, bodyLimitBytes);
      ctx.errorCode = appError.code;
      // Whoever refused the credentials (authorize, login, refresh): an operation's 401, or its 403 for a scope.
      if (ctx.op && (appError.status === 401 || appError.status === 403)) metrics?.authFailed(appError.code);
      if (appError.status === 503) {
        logger.warn('database busy', { request_id: ctx.requestId, operation_id: ctx.op?.operationId });
      } else if (appError.status >= 500) {
        // The client learns nothing about internals; the log keeps everything (response validation
        // failures included, which name the field that drifted from the contract).
        logger.error('unhandled error', { request_id: ctx.requestId, ...describeFailure(err) });
      }
      if (ctx.res.headersSent) {
        ctx.res.destroy();
        return;
      }
      const body = errorBody(appError, ctx.requestId);
      // A 500 is not checked again: its own drift would have nowhere left to go.
      const drifted = appError.status < 500 ? drift(ctx, appError.status, appError.headers, body) : undefined;
      if (drifted) return sender.error(ctx, drifted);
      ctx.res.set(appError.headers);
      json(ctx, appError.status, body);
    },
  };
  return sender;
}

export type Sender = ReturnType<typeof createSender>;

/**
 * JSON text as res.json would send it (same headers, same bytes), written directly: Express turns
 * a body string into a Buffer, which then goes out as a second buffer after the headers; a string
 * is written together with them. Also how a stored idempotent response is replayed.
 */
function sendJsonText(ctx: RequestContext, text: string): void {
  ctx.res.setHeader('Content-Type', 'application/json; charset=utf-8');
  ctx.res.setHeader('Content-Length', Buffer.byteLength(text));
  if (ctx.req.method === 'HEAD') ctx.res.end();
  else ctx.res.end(text);
}
