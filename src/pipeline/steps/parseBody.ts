import express from 'express';
import type { Step } from '../context';
import { middlewareStep } from '../middleware';
import { malformedUnicodeAt } from '../../http/wellFormedBody';
import { errors } from '../../errors';

/**
 * Reads a JSON body, for operations that define one only: elsewhere a body is ignored (RFC 9110
 * gives content on GET and DELETE no meaning), so it cannot cause a 400, 413 or 415 there.
 */
export function parseBody(limitBytes: number): Step {
  return middlewareStep([express.json({ limit: limitBytes, type: ['application/json', 'application/*+json'], strict: true })]);
}

/**
 * Refuses a JSON body carrying a lone surrogate with 400 before any handler sees it. Such text
 * cannot be stored as UTF-8 unchanged (SQLite would turn each one into U+FFFD), so accepting it
 * would store something other than what the client sent and was told was stored.
 */
export const requireWellFormedBody: Step = (ctx) => {
  const pointer = ctx.req.body === undefined ? undefined : malformedUnicodeAt(ctx.req.body);
  if (pointer === undefined) return;
  throw errors.validationFailed([
    { pointer: pointer.slice(0, 512), code: 'malformed_unicode', message: 'must be well-formed Unicode (no lone UTF-16 surrogates)' },
  ]);
};
