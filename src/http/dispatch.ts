import { IncomingMessage, ServerResponse } from 'node:http';
import type { Express, Request, RequestHandler, Response } from 'express';

type Listener = (req: Request, res: Response) => void;

/**
 * Makes `app` hand every request straight to `handler` (the request entry, which calls the site's
 * router itself for what is not the API), after `first` (the tests' contract check) when given.
 * Express's own router would only walk its one layer to get there, but pays per request for a
 * final handler, a `next` closure and the layer's path match: about 4% of a small request's CPU.
 * What app.handle does before its router is done here (the prototypes that give req and res
 * Express's methods, their circular references, res.locals), and what the router sets on the
 * request for a layer mounted at `/` (baseUrl, originalUrl, params). The handler answers every
 * request itself, errors included, so nothing falls through to Express's default HTML page.
 */
export function dispatchDirectly(app: Express, handler: Listener, first?: RequestHandler): void {
  const handle = (req: Request, res: Response) => {
    req.res = res;
    res.req = req;
    // Born with them on the service's own server (appMessageClasses); supertest's server is plain.
    if (!Object.prototype.isPrototypeOf.call(app.request, req)) Object.setPrototypeOf(req, app.request);
    if (!Object.prototype.isPrototypeOf.call(app.response, res)) Object.setPrototypeOf(res, app.response);
    res.locals ??= Object.create(null) as Response['locals'];
    req.baseUrl = '';
    req.originalUrl ??= req.url;
    req.params = {};
    if (first) first(req, res, () => handler(req, res));
    else handler(req, res);
  };
  // `app(req, res)`, as http.createServer and supertest call it, is `app.handle(req, res, next)`.
  (app as unknown as { handle: Listener }).handle = handle;
}

/**
 * Request and response classes for http.createServer whose instances are born with the app's
 * prototypes (Express's methods over Node's), so that no request needs Object.setPrototypeOf.
 * Changing an object's prototype gives it a hidden class of its own: every request left V8 new
 * maps, slow property access on req and res, and objects promoted to the old generation (1.7 MB
 * per young-generation GC under the bench's load, 90 kB without). Measured on the list page: about
 * 390 -> 300 µs of server CPU per response, and far fewer full GCs (BENCHMARKS.md, README).
 */
export function appMessageClasses(app: Express): { IncomingMessage: typeof IncomingMessage; ServerResponse: typeof ServerResponse } {
  class AppRequest extends IncomingMessage {}
  Object.setPrototypeOf(AppRequest.prototype, app.request);
  class AppResponse<R extends IncomingMessage = IncomingMessage> extends ServerResponse<R> {}
  Object.setPrototypeOf(AppResponse.prototype, app.response);
  return { IncomingMessage: AppRequest, ServerResponse: AppResponse };
}
