// What every resource namespace shares: the openapi-fetch client, the per-call fetch, the headers
// the SDK sets for the caller, and the turning of answers into an ApiPromise of their data, or an
// ApiError. The namespaces themselves are generated (../generated/resources.ts) and call these.
import type { Client } from 'openapi-fetch';
import { ApiPromise, withResponse } from '../apiPromise.js';
import { ApiError } from '../errors.js';
import type { paths } from '../generated/openapi.js';
import type { CallOptions, IfMatch, Versioned, WriteOptions } from '../types.js';

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

type Body<A extends Answer> = NonNullable<A['data']>;
type Payload<A extends Answer> = Body<A> extends { data: infer T } ? T : never;

/** `parse` of the answer's body, or the ApiError the answer carries. */
export function answer<A extends Answer, T>(pending: Promise<A>, parse: (body: Body<A>, response: Response) => T): ApiPromise<T> {
  return new ApiPromise(
    pending.then(({ data, error, response }) => {
      if (!response.ok) throw ApiError.from(response, error);
      return withResponse(parse(data as Body<A>, response), response);
    }),
  );
}

/** The whole body: a list's page (`data` and `meta`), or a body without an envelope. */
export const whole = <A extends Answer>(pending: Promise<A>) => answer(pending, (b) => b);

/** The payload of an enveloped answer (`{"data": ...}`). */
export const unwrap = <A extends Answer>(pending: Promise<A>) => answer(pending, (b): Payload<A> => (b as { data: Payload<A> }).data);

/** The payload with its ETag. */
export const versioned = <A extends Answer>(pending: Promise<A>) =>
  answer(pending, (b, response): Versioned<Payload<A>> => ({ data: (b as { data: Payload<A> }).data, etag: response.headers.get('etag') ?? '' }));

/** An answer without a body (204). */
export const done = <A extends Answer>(pending: Promise<A>) => answer(pending, (): void => undefined);

/** The Idempotency-Key of a POST or PATCH: the caller's, or a new UUID kept across the call's retries. */
export function idempotency(options: WriteOptions | undefined): { 'Idempotency-Key': string } {
  return { 'Idempotency-Key': options?.idempotencyKey ?? globalThis.crypto.randomUUID() };
}

/** The If-Match of a conditional write: the caller's ETag, or none. */
export function ifMatch(options: IfMatch | undefined): { 'If-Match'?: string } {
  return options?.ifMatch === undefined ? {} : { 'If-Match': options.ifMatch };
}
