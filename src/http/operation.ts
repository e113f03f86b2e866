import type { EventScopes } from '../contract/eventScopes';
import type { IncomingHttpHeaders } from 'node:http';
import type { operations } from '../../generated/openapi';
import type { Principal } from '../auth/principal';
import type { AuthService } from '../auth/authService';
import type { ApiKeyService } from '../auth/apiKeyService';
import type { CursorCodec } from './cursor';
import type { Aggregates } from '../store/ports';
import type { Events } from '../pipeline/events';
import type { Config } from '../config';
import type { Logger } from '../logger';

export type OpId = keyof operations;
type Op<O extends OpId> = operations[O];

type Defined<T> = [Exclude<T, undefined>] extends [never] ? Record<string, never> : Exclude<T, undefined>;
type Parameters<O extends OpId> = Op<O> extends { parameters: infer P } ? P : never;
type PathParams<O extends OpId> = Defined<Parameters<O> extends { path?: infer T } ? T : never>;
type QueryParams<O extends OpId> = Defined<Parameters<O> extends { query?: infer T } ? T : never>;
type RequestBody<O extends OpId> =
  Exclude<Op<O>['requestBody'], undefined> extends { content: infer C } ? C[keyof C] : undefined;

type Responses<O extends OpId> = Op<O>['responses'];
type SuccessStatus<O extends OpId> = Extract<keyof Responses<O>, 200 | 201 | 202 | 204 | 304>;
type JsonBody<R> = R extends { content: { 'application/json': infer B } } ? B : undefined;

/** What a handler may answer: only the success statuses its operation documents, with their body types. */
export type Reply<O extends OpId> = {
  [S in SuccessStatus<O>]: JsonBody<Responses<O>[S]> extends undefined
    ? { status: S; body?: undefined; headers?: Record<string, string> }
    : { status: S; body: JsonBody<Responses<O>[S]>; headers?: Record<string, string> };
}[SuccessStatus<O>];

/** The request after express-openapi-validator checked and coerced it. */
export interface OperationRequest<O extends OpId> {
  params: PathParams<O>;
  query: QueryParams<O>;
  body: RequestBody<O>;
  headers: IncomingHttpHeaders;
  /** Set on every operation whose spec declares security. */
  principal: Principal | undefined;
  requestId: string;
}

export interface HandlerDeps {
  config: Config;
  /**
   * The store's aggregates. An operation that takes an Idempotency-Key or an If-Match, or emits
   * events (`x-events`), runs in one transaction (the pipeline owns it): then these are bound to
   * it, and all its writes commit together.
   */
  store: Aggregates;
  auth: AuthService;
  apiKeys: ApiKeyService;
  cursors: CursorCodec;
  logger: Logger;
  /** Events of this request, written in its transaction (operations that declare `x-events`). */
  events: Events;
  webhooks: WebhookTools;
  /** Which scope reads which event type (the contract's `x-read-scope`). */
  eventScopes: EventScopes;
}

/** What the webhook endpoint handlers need beyond the store. */
export interface WebhookTools {
  /** A new signing secret (`whsec_...`, shown once) and its sealed form (stored). */
  generateSecret(): { secret: string; sealed: Buffer };
  /** Throws 400 validation_failed for a URL deliveries may not go to (scheme, internal address). */
  checkUrl(url: string): Promise<void>;
  /** Endpoints per workspace. */
  maxEndpoints: number;
  /** Asks the delivery worker to look for due deliveries now (after a commit that queued some). */
  wake(): void;
}

/** A handler answers one operation, given only the dependencies it declares in `uses`. */
export interface Handler<O extends OpId, D extends keyof HandlerDeps = keyof HandlerDeps> {
  operationId: O;
  uses: readonly D[];
  run: (req: OperationRequest<O>, deps: Pick<HandlerDeps, D>) => Reply<O> | Promise<Reply<O>>;
}

/**
 * `defineHandler('getProject', ['store'], async (req, { store }) => ...)`: the compiler checks the
 * reply against the operation's documented responses, and the handler can reach nothing it did not list.
 */
export function defineHandler<O extends OpId, D extends keyof HandlerDeps = never>(
  operationId: O,
  uses: readonly D[],
  run: Handler<O, D>['run'],
): Handler<O, D> {
  return { operationId, uses, run };
}

export type HandlerMap = { [O in OpId]: Handler<O> };

/** Any operation's handler, as the pipeline calls it once the handler's own types were checked. */
export interface AnyHandler {
  operationId: string;
  uses: readonly (keyof HandlerDeps)[];
  run: (req: OperationRequest<OpId>, deps: Partial<HandlerDeps>) => Promise<{ status: number; body?: unknown; headers?: Record<string, string> }> | { status: number; body?: unknown; headers?: Record<string, string> };
}

/** The principal of a secured operation (the pipeline's authorize step guarantees it). */
export function requirePrincipal(req: { principal: Principal | undefined }): Principal {
  if (!req.principal) throw new Error('secured operation reached without a principal');
  return req.principal;
}
