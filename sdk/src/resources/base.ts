// What every resource namespace shares: the openapi-fetch client, the per-call fetch, and the
// unwrapping of answers into data or an ApiError.
import type { Client } from 'openapi-fetch';
import { ApiError } from '../errors.js';
import type { paths } from '../generated/openapi.js';
import type { CallOptions, Versioned, WriteOptions } from '../types.js';

export interface Context {
  api: Client<paths>;
  /** The fetch of one call: authenticated unless `anonymous` (the auth operations). */
  fetch(call: CallOptions | undefined, anonymous?: boolean): (request: Request) => Promise<Response>;
}

interface Answer {
  data?: unknown;
  error?: unknown;
  response: Response;
}

/** The answer's body, or the ApiError it carries. */
export async function ok<A extends Answer>(pending: Promise<A>): Promise<{ data: NonNullable<A['data']>; response: Response }> {
  const { data, error, response } = await pending;
  if (!response.ok) throw ApiError.from(response, error);
  return { data: data as NonNullable<A['data']>, response };
}

/** The payload of an enveloped answer (`{"data": ...}`), or the ApiError it carries. */
export async function unwrap<A extends Answer>(pending: Promise<A>): Promise<NonNullable<A['data']> extends { data: infer T } ? T : never> {
  return ((await ok(pending)).data as { data: never }).data;
}

/** The Idempotency-Key of a POST or PATCH: the caller's, or a new UUID kept across the call's retries. */
export function idempotency(options: WriteOptions | undefined): { 'Idempotency-Key': string } {
  return { 'Idempotency-Key': options?.idempotencyKey ?? globalThis.crypto.randomUUID() };
}

/** The payload with its ETag. */
export function versioned<T>({ data, response }: { data: { data: T }; response: Response }): Versioned<T> {
  return { data: data.data, etag: response.headers.get('etag') ?? '' };
}
