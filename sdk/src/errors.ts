// What a call can throw: ApiError for an answer in the contract's error envelope, NetworkError when
// no answer arrived, TimeoutError when an attempt ran out of time. An aborted call rejects with
// its signal's reason, as fetch does.
import { errorCodeValues } from './generated/openapi.js';
import type { ErrorCode, ErrorDetail } from './types.js';

// An application can load both the ESM and the CommonJS build (a dependency requires one, the
// application imports the other): two copies of each class. Every error is branded with a
// Symbol.for() symbol, the same in both copies, and `instanceof` and the guards ask for the brand.
export const BRAND = Symbol.for('@cloud-api/sdk.brand');
const API_ERROR = Symbol.for('@cloud-api/sdk.ApiError');
const NETWORK_ERROR = Symbol.for('@cloud-api/sdk.NetworkError');
const TIMEOUT_ERROR = Symbol.for('@cloud-api/sdk.TimeoutError');

/** The SDK's errors: `instanceof` holds across the ESM and the CommonJS copy of the package. */
export abstract class BrandedError extends Error {
  static override [Symbol.hasInstance](this: Function, value: unknown): boolean {
    // Only the class that declares a brand tests for it: a subclass without one (the
    // application's own) is tested the ordinary way, so an ApiError is not one of it.
    const brand: unknown = Object.hasOwn(this, BRAND) ? (this as unknown as Record<symbol, unknown>)[BRAND] : undefined;
    if (typeof brand !== 'symbol') return Function.prototype[Symbol.hasInstance].call(this, value);
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[brand] === true;
  }
}

/** `code` as answers carry it: a code this version knows, or a newer one (the contract's open enum). */
export type AnyErrorCode = ErrorCode | (string & {});

/** The server answered with an error: 4xx or 5xx, in the contract's error envelope. */
export class ApiError<C extends AnyErrorCode = AnyErrorCode> extends BrandedError {
  static readonly [BRAND] = API_ERROR;
  readonly [API_ERROR] = true;
  override readonly name = 'ApiError';

  constructor(
    /** The HTTP status. */
    readonly status: number,
    /** The contract's machine-readable code (`not_found`, `slug_taken`...). */
    readonly code: C,
    message: string,
    /** Per-field details (`pointer`, `code`, `message`), for instance of a `validation_failed`. */
    readonly details: ErrorDetail[],
    /** The request's id (`X-Request-Id`): quote it when you report a problem. */
    readonly requestId: string | undefined,
    /** The response's headers (`Retry-After`, `RateLimit`...). */
    readonly headers: Headers,
  ) {
    super(message);
  }

  /** Builds the error from an answer: its envelope, or (a proxy's page, say) what can be said of it. */
  static from(response: Response, body: unknown): ApiError {
    const envelope = (body as { error?: { code?: unknown; message?: unknown; details?: unknown; request_id?: unknown } } | undefined)?.error;
    const requestId = typeof envelope?.request_id === 'string' ? envelope.request_id : (response.headers.get('x-request-id') ?? undefined);
    if (envelope && typeof envelope.code === 'string') {
      const message = typeof envelope.message === 'string' ? envelope.message : `HTTP ${response.status}`;
      const details = Array.isArray(envelope.details) ? (envelope.details as ErrorDetail[]) : [];
      return new ApiError(response.status, envelope.code, message, details, requestId, response.headers);
    }
    return new ApiError(response.status, 'unknown', `HTTP ${response.status} without an error envelope`, [], requestId, response.headers);
  }
}

/** No answer: the connection failed or was dropped (after the retries this call allowed). */
export class NetworkError extends BrandedError {
  static readonly [BRAND] = NETWORK_ERROR;
  readonly [NETWORK_ERROR] = true;
  override readonly name = 'NetworkError';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/**
 * Out of time: an attempt took longer than its `timeout` (after the retries this call allowed), or
 * the call as a whole reached its `totalTimeout` (`scope: 'call'`; `cause` is the last failure).
 */
export class TimeoutError extends BrandedError {
  static readonly [BRAND] = TIMEOUT_ERROR;
  readonly [TIMEOUT_ERROR] = true;
  override readonly name = 'TimeoutError';
  /** Which limit was reached: one attempt's `timeout`, or the whole call's `totalTimeout`. */
  readonly scope: 'attempt' | 'call';

  constructor(
    /** The limit reached, in milliseconds. */
    readonly timeoutMs: number,
    options: { scope?: 'attempt' | 'call'; message?: string; cause?: unknown } = {},
  ) {
    const scope = options.scope ?? 'attempt';
    const fallback = scope === 'call' ? `The call took longer than its totalTimeout of ${timeoutMs} ms.` : `The request took longer than ${timeoutMs} ms.`;
    super(options.message ?? fallback, { cause: options.cause });
    this.scope = scope;
  }
}

/** Whether `err` is an ApiError, and with `code`, one with that code. */
export function isApiError(err: unknown): err is ApiError;
export function isApiError<C extends ErrorCode>(err: unknown, code: C): err is ApiError<C>;
export function isApiError(err: unknown, code?: string): err is ApiError {
  return err instanceof ApiError && (code === undefined || err.code === code);
}

type Camel<S extends string> = S extends `${infer Head}_${infer Tail}` ? `${Head}${Capitalize<Camel<Tail>>}` : S;
const camel = (code: string) => code.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());

/** One type guard per code of the contract's `ErrorCode`: `errorIs.slugTaken(err)`, `errorIs.notFound(err)`... */
export type ErrorGuards = { readonly [C in ErrorCode as Camel<C>]: (err: unknown) => err is ApiError<C> };

export const errorIs = Object.freeze(
  Object.fromEntries(errorCodeValues.map((code) => [camel(code), (err: unknown) => isApiError(err, code)])),
) as ErrorGuards;
