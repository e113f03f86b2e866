import type { Request, Response } from 'express';
import type { OpenApiDocument } from '../contract/document';
import type { Operation } from '../contract/operations';
import type { Router } from '../contract/router';
import { responseHeadersOf } from '../contract/headers';

/** How long a browser may reuse a preflight's answer (Chromium caps it at 7200). */
export const PREFLIGHT_MAX_AGE_SECONDS = 600;

export interface Cors {
  /**
   * Adds the CORS headers to the response of a request from an allowed origin; answers it (and
   * returns true) when it is a preflight for an API path of the contract. Requests without an
   * Origin, or from another origin, are left as they are: no CORS headers, and a preflight goes on
   * to the 405 an OPTIONS gets.
   */
  handle(req: Request, res: Response, api: boolean): boolean;
  /** Every response varies with the request's Origin, whether it got CORS headers or not (caches). */
  fixedHeaders: [string, string][];
}

/**
 * CORS for the origins of CORS_ORIGINS (`*`: any), from the contract: a preflight is answered with
 * the methods of the path (HEAD with GET) and the request headers its operations declare; every
 * response exposes the response headers the contract declares. No credentials mode: the API
 * authenticates with headers a script sets, never with cookies.
 */
export function createCors(origins: '*' | string[], doc: OpenApiDocument, ops: Operation[], router: Router<Operation>): Cors | undefined {
  if (origins !== '*' && origins.length === 0) return undefined;
  const allowed = origins === '*' ? undefined : new Set(origins);
  const exposed = responseHeadersOf(doc, ops).join(', ');

  /** The methods and headers of the operations of every path pattern the request path matches. */
  const preflightFor = (path: string): { methods: string; headers: string } | undefined => {
    const found = router.operationsAt(path);
    if (!found.length) return undefined;
    const methods = found.flatMap((op) => (op.method === 'get' ? ['GET', 'HEAD'] : [op.method.toUpperCase()]));
    const union = (names: string[]) => [...new Set(names)].join(', ');
    return { methods: union(methods), headers: union(found.flatMap((op) => op.requestHeaders)) };
  };

  return {
    fixedHeaders: [['Vary', 'Origin']],
    handle(req, res, api) {
      const origin = req.headers.origin;
      if (origin === undefined || (allowed && !allowed.has(origin))) return false;
      res.setHeader('Access-Control-Allow-Origin', allowed ? origin : '*');
      const preflight = api && req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
      const answer = preflight ? preflightFor(req.path) : undefined;
      if (!answer) {
        res.setHeader('Access-Control-Expose-Headers', exposed);
        return false;
      }
      res.statusCode = 204;
      res.setHeader('Access-Control-Allow-Methods', answer.methods);
      res.setHeader('Access-Control-Allow-Headers', answer.headers);
      res.setHeader('Access-Control-Max-Age', String(PREFLIGHT_MAX_AGE_SECONDS));
      res.end();
      return true;
    },
  };
}
