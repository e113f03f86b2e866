import type { RequestHandler, Router } from 'express';
import { errors, type AppError } from '../errors';

/** The methods a read-only route serves: GET, and HEAD with it (Express runs a GET route for HEAD). */
const READ_METHODS = 'GET, HEAD';

/** The 405 for a method a read-only route does not serve (OPTIONS included), or undefined for GET and HEAD. */
export function readOnlyRefusal(method: string | undefined): AppError | undefined {
  return method === 'GET' || method === 'HEAD' ? undefined : errors.methodNotAllowed(method ?? '', READ_METHODS);
}

/**
 * Any method but GET and HEAD goes to the error handling as a 405 with Allow, as on the API's paths.
 * Without it Express answers OPTIONS on a route itself (200, text/plain) and lets the other methods
 * fall through to a 404. None of the routes outside the API answers a CORS preflight (src/http/cors.ts
 * answers those for the API's paths only), so OPTIONS is refused like the rest.
 */
export const readOnly: RequestHandler = (req, _res, next) => next(readOnlyRefusal(req.method));

/** `router.get(path, handler)` for the routes outside the API, with every other method refused by `readOnly`. */
export function readOnlyRoute(router: Router, path: string, handler: RequestHandler): void {
  router.route(path).get(handler).all(readOnly);
}
