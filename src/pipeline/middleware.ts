import type { Request, RequestHandler, Response } from 'express';
import type { Step } from './context';

/**
 * A library's Express middlewares (body-parser, express-openapi-validator) as one step: each runs
 * in turn, and an error any of them passes on fails the step. A `next` called again after the
 * step settled is ignored: none of these middlewares hold on to it.
 */
export function middlewareStep(handlers: RequestHandler[]): Step {
  return (ctx) => runMiddlewares(handlers, ctx.req, ctx.res);
}

function runMiddlewares(handlers: RequestHandler[], req: Request, res: Response): Promise<void> {
  return new Promise((resolve, reject) => {
    let i = 0;
    let settled = false;
    const next = (err?: unknown) => {
      if (settled) return;
      const failed = err !== undefined && err !== null && err !== 'route' && err !== 'router';
      if (failed) {
        settled = true;
        return reject(err);
      }
      const handler = handlers[i++];
      if (!handler) {
        settled = true;
        return resolve();
      }
      try {
        const returned = handler(req, res, next) as unknown;
        if (returned instanceof Promise) returned.catch(next);
      } catch (e) {
        next(e);
      }
    };
    next();
  });
}
