import type { Request, RequestHandler, Response } from 'express';
import type { OperationContext, Step } from './context';

/** Where an error goes that a middleware reports after its step is over (a res.json hook). */
export type LateError = (ctx: OperationContext, err: unknown) => void;

/**
 * A library's Express middlewares (body-parser, express-openapi-validator) as one step: each runs
 * in turn, and an error any of them passes on fails the step. A middleware that keeps `next` and
 * calls it later (the response validator, from res.json) reaches `late`.
 */
export function middlewareStep(handlers: RequestHandler[], late?: LateError): Step {
  return (ctx) => runMiddlewares(handlers, ctx.req, ctx.res, late && ((err) => late(ctx, err)));
}

function runMiddlewares(handlers: RequestHandler[], req: Request, res: Response, late?: (err: unknown) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    let i = 0;
    let settled = false;
    const next = (err?: unknown) => {
      const failed = err !== undefined && err !== null && err !== 'route' && err !== 'router';
      if (settled) {
        if (failed) late?.(err);
        return;
      }
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
