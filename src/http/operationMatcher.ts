import type { RequestHandler, Response } from 'express';
import type { OperationInfo } from './spec';

/**
 * Finds the contract operation of a request before express-openapi-validator runs, so that
 * rate limiting and metering, which must see every request, know which operation it is.
 */
export function operationMatcher(ops: OperationInfo[]): RequestHandler {
  const table = ops.map((op) => ({
    op,
    method: op.method.toUpperCase(),
    // Case-insensitive like Express routing, so `/V1/Projects` is limited and metered too.
    pattern: new RegExp('^' + op.route.replace(/:[^/]+/g, '[^/]+') + '/?$', 'i'),
  }));
  return (req, res, next) => {
    const method = req.method === 'HEAD' ? 'GET' : req.method;
    res.locals.operation = table.find((t) => t.method === method && t.pattern.test(req.path))?.op;
    next();
  };
}

export function operationOf(res: Response): OperationInfo | undefined {
  return res.locals.operation;
}

