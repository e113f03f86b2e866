import type { RequestHandler } from 'express';
import { newId } from '../ids';

const WELL_FORMED = /^[\x21-\x7e]{1,128}$/;

/** Echoes a well-formed incoming X-Request-Id, otherwise makes one; every response carries it. */
export function requestId(): RequestHandler {
  return (req, res, next) => {
    const incoming = req.headers['x-request-id'];
    const id = typeof incoming === 'string' && WELL_FORMED.test(incoming) ? incoming : newId('req');
    res.locals.requestId = id;
    res.setHeader('X-Request-Id', id);
    next();
  };
}
