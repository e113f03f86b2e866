import type { Request } from 'express';
import type { OperationContext, RequestContext } from './context';
import type { StoredResponse } from '../idempotency/idempotency';
import type { Logger } from '../logger';
import type { Metrics } from '../metrics/metrics';
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
 * The one place responses are written. `validating` (tests, development): bodies go through
 * res.json, where express-openapi-validator checks them against the strict contract.
 */
export function createSender(logger: Logger, bodyLimitBytes: number, validating: boolean, metrics?: Pick<Metrics, 'authFailed'>) {
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
    if (validating) ctx.res.json(body);
    else sendJsonText(ctx, JSON.stringify(body));
  };

  return {
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
      if (reply.headers) res.set(reply.headers);
      if (reply.body !== undefined) return json(ctx, reply.status, reply.body);
      res.status(reply.status);
      deprecate(ctx);
      res.end();
    },

    /** Any failure, whoever raised it (a step, a handler, Express, body-parser, the validator), as the envelope. */
    error(ctx: RequestContext, err: unknown): void {
      const appError = toAppError(err, ctx.req, bodyLimitBytes);
      // Whoever refused the credentials (authorize, login, refresh): an operation's 401, or its 403 for a scope.
      if (ctx.op && (appError.status === 401 || appError.status === 403)) metrics?.authFailed(appError.code);
      if (appError.status === 503) {
        logger.warn('database busy', { request_id: ctx.requestId, operation_id: ctx.op?.operationId });
      } else if (appError.status >= 500) {
        // The client learns nothing about internals; the log keeps everything (response validation
        // failures included, which name the field that drifted from the contract).
        logger.error('unhandled error', { request_id: ctx.requestId, ...describeFailure(err) });
        // Our own 500 is not validated against the contract again: that could loop.
        (ctx.req as Request & { openapi?: unknown }).openapi = undefined;
      }
      if (ctx.res.headersSent) {
        ctx.res.destroy();
        return;
      }
      ctx.res.set(appError.headers);
      json(ctx, appError.status, errorBody(appError, ctx.requestId));
    },
  };
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
