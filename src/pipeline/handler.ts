import type { IncomingHttpHeaders } from 'node:http';
import type { operations } from '../../generated/openapi';
import type { OperationEvents, TransactionalOperation } from '../../generated/operations';
import type { EventScopes } from '../contract/eventScopes';
import { SpecError } from '../contract/document';
import type { OperationInfo } from '../contract/operations';
import type { Principal } from '../auth/principal';
import type { AuthService } from '../auth/authService';
import type { ApiKeyService } from '../auth/apiKeyService';
import type { InvitationService } from '../identity/invitations';
import type { CursorCodec } from '../http/cursor';
import type { Aggregates, DirectAggregates } from '../store/ports';
import type { Events } from './events';
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
   * it, and all its writes commit together. Other operations get them without what only works
   * in a transaction (DepsOf).
   */
  store: Aggregates;
  auth: AuthService;
  apiKeys: ApiKeyService;
  invitations: InvitationService;
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

/**
 * The dependencies an operation's handler can have. Whether it runs in a transaction is the
 * contract's to say (generated/operations.ts, from the same rule the pipeline follows), and the
 * types follow: only a transactional operation gets `events` (they commit with its change), may
 * emit only the event types of its `x-events`, and gets the store's reads that lock a row. A
 * handler that needs any of these does not compile against an operation that runs without a
 * transaction.
 */
export type DepsOf<O extends OpId> = O extends TransactionalOperation
  ? Omit<HandlerDeps, 'events'> & { events: Events<OperationEvents[O]> }
  : Omit<HandlerDeps, 'events' | 'store'> & { store: DirectAggregates };

/** What a handler's `prepare` gets: its dependencies outside any transaction (no events, no locking reads). */
export type PrepareDeps = Omit<HandlerDeps, 'events' | 'store'> & { store: DirectAggregates };

/** A handler answers one operation, given only the dependencies it declares in `uses`. */
export interface Handler<O extends OpId, D extends keyof DepsOf<O> = keyof DepsOf<O>, P = void> {
  operationId: O;
  uses: readonly D[];
  /**
   * Slow work that must not hold the operation's transaction (checking or hashing a password takes
   * a quarter of a second, while the transaction holds SQLite's write lock or a pooled connection):
   * runs first, outside it; what it returns is `run`'s third argument.
   */
  prepare?: (req: OperationRequest<O>, deps: Pick<PrepareDeps, Extract<D, keyof PrepareDeps>>) => Promise<P>;
  run: (req: OperationRequest<O>, deps: Pick<DepsOf<O>, D>, prepared: P) => Reply<O> | Promise<Reply<O>>;
}

/**
 * `defineHandler('getProject', ['store'], async (req, { store }) => ...)`: the compiler checks the
 * reply against the operation's documented responses, and the handler can reach nothing it did not list.
 */
export function defineHandler<O extends OpId, D extends keyof DepsOf<O> = never>(
  operationId: O,
  uses: readonly D[],
  run: Handler<O, D>['run'],
): Handler<O, D> {
  return { operationId, uses, run };
}

/** defineHandler with a `prepare` step that runs before the operation's transaction (see Handler). */
export function definePreparedHandler<O extends OpId, D extends keyof DepsOf<O>, P>(
  operationId: O,
  uses: readonly D[],
  prepare: NonNullable<Handler<O, D, P>['prepare']>,
  run: Handler<O, D, P>['run'],
): Handler<O, D, P> {
  return { operationId, uses, prepare, run };
}

// `any`: each handler's own `prepare` and `run` agree on what passes between them (definePreparedHandler checks it).
export type HandlerMap = { [O in OpId]: Handler<O, keyof DepsOf<O>, any> };

/** Any operation's handler, as the pipeline calls it once the handler's own types were checked. */
export interface AnyHandler {
  operationId: string;
  uses: readonly (keyof HandlerDeps)[];
  prepare?: (req: OperationRequest<OpId>, deps: Partial<HandlerDeps>) => Promise<unknown>;
  run: (req: OperationRequest<OpId>, deps: Partial<HandlerDeps>, prepared: unknown) => Promise<{ status: number; body?: unknown; headers?: Record<string, string> }> | { status: number; body?: unknown; headers?: Record<string, string> };
}

/** The principal of a secured operation (the pipeline's authorize step guarantees it). */
export function requirePrincipal(req: { principal: Principal | undefined }): Principal {
  if (!req.principal) throw new Error('secured operation reached without a principal');
  return req.principal;
}

const isHandler = (h: unknown, operationId: string) =>
  typeof (h as { run?: unknown })?.run === 'function' && (h as { operationId?: unknown }).operationId === operationId;

/** Every operation has a handler and every handler an operation; otherwise refuse to start. */
export function checkHandlers(ops: OperationInfo[], handlers: Record<string, unknown>): void {
  const missing = ops.filter((o) => !isHandler(handlers[o.operationId], o.operationId)).map((o) => o.operationId);
  const ids = new Set(ops.map((o) => o.operationId));
  const extra = Object.keys(handlers).filter((id) => !ids.has(id));
  if (missing.length) throw new SpecError(`no handler for operation(s): ${missing.join(', ')}`);
  if (extra.length) throw new SpecError(`handler(s) without an operation: ${extra.join(', ')}`);
  // The types say the same for the real contract; a changed copy of it is only checked here.
  const unbound = ops.filter((o) => !o.transactional && (handlers[o.operationId] as AnyHandler).uses.includes('events'));
  if (unbound.length) throw new SpecError(`handler(s) emit events without a transaction (no Idempotency-Key, If-Match or x-events): ${unbound.map((o) => o.operationId).join(', ')}`);
}
