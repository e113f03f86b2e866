import type { RequestHandler } from 'express';
import { newId } from '../ids';

const WELL_FORMED = /^[\x21-\x7e]{1,128}$/;

/** Echoes a well-formed incoming X-Request-Id, otherwise makes one; every response carries it. */
export function requestId(): RequestHandler {
  return (req, res, next) => {
    const id = requestIdFor(req.headers['x-request-id']);
    res.locals.requestId = id;
    res.setHeader('X-Request-Id', id);
    next();
  };
}

/** The incoming X-Request-Id when well-formed, otherwise a new one. */
export function requestIdFor(incoming: string | string[] | undefined): string {
  return typeof incoming === 'string' && WELL_FORMED.test(incoming) ? incoming : newId('req');
}
