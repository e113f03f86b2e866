import type { RequestHandler } from 'express';
import { errors } from '../errors';

const escapeToken = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

/**
 * The JSON pointer of the first string (value or member name) in `body` that is not well-formed
 * Unicode, that is, holds a lone UTF-16 surrogate (`"\ud800"` is valid JSON). Iterative, so a
 * deeply nested body cannot overflow the stack.
 */
export function malformedUnicodeAt(body: unknown): string | undefined {
  const pending: [unknown, string][] = [[body, '/body']];
  while (pending.length) {
    const [value, pointer] = pending.pop()!;
    if (typeof value === 'string') {
      if (!value.isWellFormed()) return pointer;
    } else if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) pending.push([value[i], `${pointer}/${i}`]);
    } else if (value !== null && typeof value === 'object') {
      for (const [key, member] of Object.entries(value)) {
        const at = `${pointer}/${escapeToken(key.toWellFormed())}`;
        if (!key.isWellFormed()) return at;
        pending.push([member, at]);
      }
    }
  }
  return undefined;
}

/**
 * Refuses a JSON body carrying a lone surrogate with 400 before any handler sees it. Such text
 * cannot be stored as UTF-8 unchanged (SQLite would turn each one into U+FFFD), so accepting it
 * would store something other than what the client sent and was told was stored.
 */
export function requireWellFormedBody(): RequestHandler {
  return (req, _res, next) => {
    const pointer = req.body === undefined ? undefined : malformedUnicodeAt(req.body);
    if (pointer === undefined) return next();
    next(
      errors.validationFailed([
        { pointer: pointer.slice(0, 512), code: 'malformed_unicode', message: 'must be well-formed Unicode (no lone UTF-16 surrogates)' },
      ]),
    );
  };
}
