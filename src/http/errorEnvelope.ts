import type { Request } from 'express';
import { ResponseDrift } from '../contract/responses';
import { AppError, errors, isDetailCode, type DetailCode, type ErrorDetail } from '../errors';
import { AlreadyInvited, Busy, LastOwner, RecordLocked, SlugTaken } from '../store/ports';
import { inWords } from '../contract/textRules';

interface ValidatorError {
  status: number;
  message: string;
  errors?: { path?: string; message?: string; errorCode?: string }[];
  headers?: Record<string, string>;
}

interface BodyParserError {
  type: string;
  status?: number;
  message: string;
  limit?: number;
}

const isBodyParserError = (e: unknown): e is BodyParserError =>
  typeof (e as BodyParserError)?.type === 'string' && typeof (e as BodyParserError).message === 'string';

const isValidatorError = (e: unknown): e is ValidatorError =>
  typeof (e as ValidatorError)?.status === 'number' && Array.isArray((e as ValidatorError).errors);

/** `/body/name`, `.query.limit` or `body.name` -> `/body/name`. */
function pointer(path: string | undefined): string {
  if (!path) return '/';
  const p = '/' + path.replace(/^[./]+/, '').replace(/\./g, '/');
  return p.replace(/^\/params\//, '/path/').slice(0, 512);
}

/**
 * The validator names the JSON Schema keyword an input broke (`maxLength.openapi.validation`), or
 * nothing (an undeclared or empty parameter). A keyword the contract does not list as a DetailCode
 * (one a later contract or validator starts using) is sent as `invalid` rather than as a code this
 * version does not document; test/contract/detailCodes.test.ts keeps the list complete.
 */
export function detailCodeOf(errorCode: string | undefined): DetailCode {
  const keyword = errorCode?.replace(/\.openapi\.validation$/, '');
  return keyword !== undefined && isDetailCode(keyword) ? keyword : 'invalid';
}

function validatorDetails(err: ValidatorError): ErrorDetail[] {
  return (err.errors ?? []).slice(0, 100).map((e) => ({
    pointer: pointer(e.path),
    code: detailCodeOf(e.errorCode),
    message: inWords(e.message ?? 'invalid').slice(0, 1024),
  }));
}

type DomainErrorType<E extends Error> = new (...args: never[]) => E;
const mapping = <E extends Error>(type: DomainErrorType<E>, toAppError: (err: E) => AppError) => ({ type, toAppError });

/**
 * The domain errors stores throw, each with the catalogue error the client gets: the one place the
 * two meet. EmailTaken is left out: accepting an invitation, the one operation that creates users,
 * handles it itself.
 */
const DOMAIN_ERRORS = [
  mapping(SlugTaken, (err) => errors.slugTaken(err.slug)),
  mapping(LastOwner, (err) => errors.lastOwner(err.userId)),
  mapping(AlreadyInvited, (err) => errors.alreadyInvited(err.email)),
  // Any path (a handler, login, refresh, the session check): a busy database is retryable, never a 500.
  mapping(Busy, () => errors.serviceUnavailable()),
  // Only an idempotency key's own lock is "in use"; a busy database as such is the 503 above.
  mapping(RecordLocked, () => errors.idempotencyKeyInUse()),
];

/** A catalogue error as it is, a domain error as the catalogue names it; undefined for anything else. */
export function catalogued(err: unknown): AppError | undefined {
  if (err instanceof AppError) return err;
  for (const { type, toAppError } of DOMAIN_ERRORS) if (err instanceof type) return toAppError(err as never);
  return undefined;
}

/** Whatever was thrown -> a catalogue error. Unknown errors become a bare `internal_error`. */
export function toAppError(err: unknown, req: Request, bodyLimitBytes: number): AppError {
  const known = catalogued(err);
  if (known) return known;
  if (isBodyParserError(err)) {
    switch (err.type) {
      case 'entity.parse.failed':
        return errors.malformedJson(err.message);
      case 'entity.too.large':
        return errors.payloadTooLarge(err.limit ?? bodyLimitBytes);
      case 'encoding.unsupported':
      case 'charset.unsupported':
        return errors.unsupportedMediaType(req.headers['content-type']);
      case 'request.size.invalid':
      case 'request.aborted':
        return errors.validationFailed([], 'The request body was incomplete.');
    }
  }
  if (isValidatorError(err)) {
    switch (err.status) {
      case 400:
        return errors.validationFailed(validatorDetails(err));
      case 404:
        return errors.routeNotFound(req.method, req.path);
      case 405: {
        const allow = (err.headers?.Allow ?? err.headers?.allow ?? '').split(',').map((m) => m.trim());
        return errors.methodNotAllowed(req.method, allow.filter(Boolean).sort().join(', '));
      }
      case 413:
        return errors.payloadTooLarge(bodyLimitBytes);
      case 415:
        return errors.unsupportedMediaType(req.headers['content-type']);
    }
  }
  // body-parser reports a corrupt gzip/deflate/br body as the bare zlib error with status 400.
  const encoding = req.headers['content-encoding'];
  if ((err as { status?: unknown })?.status === 400 && encoding && encoding.toLowerCase() !== 'identity') {
    return errors.malformedJson(`The ${encoding.slice(0, 20)} body could not be decompressed: ${(err as Error).message}`);
  }
  return errors.internal();
}

/** What the log keeps about a failure the client is told nothing about. */
export function describeFailure(err: unknown): Record<string, unknown> {
  return {
    error: err instanceof Error ? err.message : String(err),
    details: isValidatorError(err) ? err.errors : err instanceof ResponseDrift ? err.details : undefined,
    stack: err instanceof Error ? err.stack : undefined,
  };
}
