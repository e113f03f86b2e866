import type { RequestHandler, Request } from 'express';
import type { Logger } from '../logger';
import { principalOf } from './security';

function routeOf(req: Request): string {
  const openapi = (req as Request & { openapi?: { openApiRoute?: string } }).openapi;
  return openapi?.openApiRoute ?? req.path;
}

/** One JSON line per request. No headers, bodies or query strings: they may hold secrets. */
export function accessLog(logger: Logger): RequestHandler {
  if (!logger.enabled('info')) return (_req, _res, next) => next();
  return (req, res, next) => {
    const start = process.hrtime.bigint();
    res.on('finish', () => {
      const principal = principalOf(req);
      logger.info('request', {
        request_id: res.locals.requestId,
        method: req.method,
        route: routeOf(req),
        status: res.statusCode,
        duration_ms: Number(process.hrtime.bigint() - start) / 1e6,
        workspace_id: principal?.workspaceId,
        user_id: principal?.userId,
      });
    });
    next();
  };
}
