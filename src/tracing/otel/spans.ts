import { SpanStatusCode, type Span, type SpanContext } from '@opentelemetry/api';

/**
 * A failure on a span: `error.type` (the catalogue code of an AppError, else the error's name) and,
 * for anything but a client error, status ERROR. Never the message or the stack, which may quote
 * input (a rejected value) or internals.
 */
export function fail(span: Span, err: unknown): void {
  const { code, status, name } = (err ?? {}) as { code?: unknown; status?: unknown; name?: unknown };
  const type = typeof code === 'string' ? code : typeof name === 'string' ? name : '_OTHER';
  span.setAttribute('error.type', type);
  if (!(typeof status === 'number' && status < 500)) span.setStatus({ code: SpanStatusCode.ERROR });
}

/** `pending`'s outcome, ending `span` when it settles (a rejection recorded by `fail`). */
export function settle<T>(span: Span, pending: Promise<T>): Promise<T> {
  return pending.then(
    (value) => {
      span.end();
      return value;
    },
    (err: unknown) => {
      fail(span, err);
      span.end();
      throw err;
    },
  );
}

/** A span's context as a W3C `traceparent` header value. */
export function traceparentOf(context: SpanContext): string {
  return `00-${context.traceId}-${context.spanId}-${context.traceFlags.toString(16).padStart(2, '0')}`;
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** The span context a stored `traceparent` names (for a link), or undefined when it is not one. */
export function spanContextOf(traceparent: string): SpanContext | undefined {
  const m = TRACEPARENT.exec(traceparent);
  return m ? { traceId: m[1], spanId: m[2], traceFlags: parseInt(m[3], 16), isRemote: true } : undefined;
}
