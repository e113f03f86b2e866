import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import express, { type Router } from 'express';
import { Registry } from 'prom-client';
import { errorBody, errors, type AppError } from '../errors';
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
 * GET /metrics on the service's port, behind the token: a refusal goes to the app's error
 * handling (`next`), so it is the one envelope with the request's X-Request-Id.
 */
export function metricsRouter(token: string, text: MetricsText): Router {
  const allowed = scrapeAuthorizer(token);
  const router = express.Router();
  router.get(METRICS_PATH, async (req, res, next) => {
    if (!allowed(req.headers.authorization)) return next(errors.metricsTokenRequired());
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
  const allowed = scrapeAuthorizer(token);
  const server = createServer((req, res) => {
    const requestId = requestIdFor(req.headers['x-request-id']);
    const fail = (err: AppError) => {
      const body = JSON.stringify(errorBody(err, requestId));
      res.writeHead(err.status, { ...err.headers, 'Content-Type': 'application/json; charset=utf-8', 'X-Request-Id': requestId });
      res.end(body);
    };
    const path = (req.url ?? '').split('?')[0];
    if (path !== METRICS_PATH) return fail(errors.routeNotFound(req.method ?? 'GET', path));
    if (req.method !== 'GET' && req.method !== 'HEAD') return fail(errors.methodNotAllowed(req.method ?? '', 'GET, HEAD'));
    if (!allowed(req.headers.authorization)) return fail(errors.metricsTokenRequired());
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
