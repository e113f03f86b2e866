import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import express, { type Router } from 'express';
import { Registry } from 'prom-client';
import { errorBody, errors, type AppError } from '../errors';
import { readOnlyRefusal } from '../http/readOnly';
import { requestIdFor } from '../http/requestId';
import type { Logger } from '../logger';

/** Where a scrape's text comes from: this process's registry, or every worker's, aggregated. */
export type MetricsText = () => Promise<string>;

export const METRICS_PATH = '/metrics';
const CONTENT_TYPE = Registry.PROMETHEUS_CONTENT_TYPE;

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * Whether an Authorization header carries the token: `Bearer <token>`, compared in constant time
 * (both sides hashed first, so neither the length nor a prefix of the token shows in the timing).
 * Without a configured token every scrape is allowed (the listener is on localhost).
 */
export function scrapeAuthorizer(token: string | undefined): (authorization: string | undefined) => boolean {
  if (token === undefined) return () => true;
  const expected = digest(token);
  return (authorization) => {
    const presented = /^bearer +(\S+)\s*$/i.exec(authorization ?? '')?.[1] ?? '';
    return timingSafeEqual(digest(presented), expected);
  };
}

/**
 * Why a request for /metrics is refused, or undefined for a scrape: the same on both listeners. A
 * scrape is a GET (or HEAD); any other method, OPTIONS included, is a 405 before the token is asked.
 */
function scrapeRefusal(token: string | undefined): (method: string | undefined, authorization: string | undefined) => AppError | undefined {
  const allowed = scrapeAuthorizer(token);
  return (method, authorization) => {
    return readOnlyRefusal(method) ?? (allowed(authorization) ? undefined : errors.metricsTokenRequired());
  };
}

/**
 * GET /metrics on the service's port, behind the token: a refusal goes to the app's error
 * handling (`next`), so it is the one envelope with the request's X-Request-Id. Every method is
 * routed here, or Express would answer OPTIONS itself and let the others fall through to a 404.
 */
export function metricsRouter(token: string, text: MetricsText): Router {
  const refusalOf = scrapeRefusal(token);
  const router = express.Router();
  router.all(METRICS_PATH, async (req, res, next) => {
    const refusal = refusalOf(req.method, req.headers.authorization);
    if (refusal) return next(refusal);
    try {
      const body = await text();
      res.setHeader('Cache-Control', 'no-store');
      res.type(CONTENT_TYPE).send(body);
    } catch (err) {
      next(err);
    }
  });
  return router;
}

/**
 * A listener of its own for /metrics, on 127.0.0.1 only: reachable from this host (a Prometheus
 * agent beside the service), never from the network the API serves. Anything else it is asked
 * gets the error envelope, as on the service's port.
 */
export function listenForScrapes(port: number, token: string | undefined, text: MetricsText, logger: Logger): Promise<Server> {
  const refusalOf = scrapeRefusal(token);
  const server = createServer((req, res) => {
    const requestId = requestIdFor(req.headers['x-request-id']);
    const fail = (err: AppError) => {
      const body = JSON.stringify(errorBody(err, requestId));
      res.writeHead(err.status, { ...err.headers, 'Content-Type': 'application/json; charset=utf-8', 'X-Request-Id': requestId });
      res.end(body);
    };
    const path = (req.url ?? '').split('?')[0];
    if (path !== METRICS_PATH) return fail(errors.routeNotFound(req.method ?? 'GET', path));
    const refusal = refusalOf(req.method, req.headers.authorization);
    if (refusal) return fail(refusal);
    text().then(
      (body) => {
        res.writeHead(200, { 'Content-Type': CONTENT_TYPE, 'Cache-Control': 'no-store', 'X-Request-Id': requestId });
        res.end(req.method === 'HEAD' ? undefined : body);
      },
      (err: unknown) => {
        logger.error('metrics scrape failed', { request_id: requestId, error: String(err) });
        fail(errors.internal());
      },
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });
}
