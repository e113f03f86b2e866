import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from '../logger';
import type { OperationContext, RequestContext } from './context';
import type { Router } from '../contract/router';
import type { Operation } from '../contract/operations';
import type { Pipeline } from './build';
import type { Sender } from './send';
import type { Cors } from '../http/cors';
import { requestIdFor } from '../http/requestId';
import { errors } from '../errors';

export interface EntryParts {
  /** Routes outside the API prefix: documentation, health, JWKS. */
  site: RequestHandler;
  isApi: (path: string) => boolean;
  /** The contract's router (src/contract/router.ts): each API request is matched once. */
  router: Router<Operation>;
  pipelines: Map<string, Pipeline>;
  sender: Sender;
  logger: Logger;
  /** Headers every response carries (security headers). */
  fixedHeaders: [string, string][];
  /** CORS for the allowed origins (CORS_ORIGINS); it answers their preflights. */
  cors?: Cors;
  /** Called as each request enters (the request duration metrics). */
  observe?: (ctx: RequestContext, api: boolean) => void;
  /** With tracing on: runs each request's handling inside its server span. */
  serve?: (ctx: RequestContext, handle: () => void) => void;
}

/**
 * Where every request enters: it gets its context (request id, arrival time), its access log line,
 * the fixed headers and, from an allowed origin, its CORS headers (a preflight is answered there);
 * an API request is matched to its operation once and goes through that operation's pipeline,
 * anything else through the site's routes. Every answer, error or not, is written by the sender.
 */
export function requestEntry(parts: EntryParts): (req: Request, res: Response) => void {
  const { sender, serve } = parts;
  const enter = entered(parts);
  const handle = (ctx: RequestContext) => {
    // Nothing is below this to catch a throw (src/http/dispatch.ts): a bug still gets the envelope.
    try {
      enter(ctx);
    } catch (err) {
      sender.error(ctx, err);
    }
  };
  // Two functions, so that without tracing a request pays for nothing of it, not even a closure.
  if (!serve) return (req, res) => handle(newContext(req, res));
  return (req, res) => {
    const ctx = newContext(req, res);
    serve(ctx, () => handle(ctx));
  };
}

function entered(parts: EntryParts): (ctx: RequestContext) => void {
  const { site, isApi, router, pipelines, sender, fixedHeaders, cors, observe } = parts;
  const log = accessLog(parts.logger);
  return (ctx) => {
    const { req, res } = ctx;
    for (const [name, value] of fixedHeaders) res.setHeader(name, value);
    log?.(ctx);
    const api = isApi(req.path);
    observe?.(ctx, api);
    if (cors?.handle(req, res, api)) return;
    if (!api) {
      site(req, res, (err?: unknown) => sender.error(ctx, err ?? errors.routeNotFound(req.method, req.path)));
      return;
    }
    const found = router.match(req.method, req.path);
    if (!found) return sender.error(ctx, errors.routeNotFound(req.method, req.path));
    if (found.allow !== undefined) return sender.error(ctx, errors.methodNotAllowed(req.method, found.allow));
    const pipeline = pipelines.get(found.op.operationId)!;
    const operation: OperationContext = Object.assign(ctx, { op: found.op, limits: {}, params: {} });
    runPipeline(pipeline, operation, sender).catch((err: unknown) => sender.error(operation, err));
  };
}

async function runPipeline(pipeline: Pipeline, ctx: OperationContext, sender: Sender): Promise<void> {
  for (const step of pipeline.steps) {
    const pending = step.run(ctx);
    if (pending) await pending;
  }
  sender.outcome(ctx, await pipeline.execute(ctx));
}

function newContext(req: Request, res: Response): RequestContext {
  const requestId = requestIdFor(req.headers['x-request-id']);
  res.setHeader('X-Request-Id', requestId);
  return { req, res, requestId, started: process.hrtime.bigint() };
}

/**
 * One JSON line per request. No headers, bodies or query strings: they may hold secrets. Below
 * `info` there is no listener at all, so nothing of the line is built.
 */
function accessLog(logger: Logger): ((ctx: RequestContext) => void) | undefined {
  if (!logger.enabled('info')) return undefined;
  return (ctx) => {
    ctx.res.on('finish', () => {
      logger.info('request', {
        request_id: ctx.requestId,
        method: ctx.req.method,
        route: ctx.op?.route ?? pathOf(ctx.req.originalUrl),
        operation_id: ctx.op?.operationId,
        status: ctx.res.statusCode,
        duration_ms: Number(process.hrtime.bigint() - ctx.started) / 1e6,
        workspace_id: ctx.principal?.workspaceId,
        user_id: ctx.principal?.userId,
      });
    });
  };
}

/** The path of the request as it arrived (a mounted router, as /docs is, rewrites `req.path`), without the query. */
function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}
