// The contract's types under short names. All of them come from generated/openapi.ts: nothing here
// describes a payload by hand.
import type { components, operations, webhooks } from './generated/openapi.js';

type Schemas = components['schemas'];
type Query<O extends keyof operations> = NonNullable<operations[O]['parameters']['query']>;

export type OperationId = keyof operations;
export type ErrorCode = Schemas['ErrorCode'];
export type ErrorDetail = Schemas['ErrorDetail'];
/** The detail codes this version knows; `ErrorDetail.code` may also be one added later. */
export type DetailCode = Schemas['DetailCode'];
export type PageMeta = Schemas['PageMeta'];

export type TokenPair = Schemas['TokenPair'];
export type LoginRequest = Schemas['LoginRequest'];
export type RefreshRequest = Schemas['RefreshRequest'];
export type Me = Schemas['Me'];
export type PrincipalType = Schemas['PrincipalType'];
export type Scope = Schemas['Scope'];
export type Role = Schemas['Role'];

export type Project = Schemas['Project'];
export type ProjectCreate = Schemas['ProjectCreate'];
export type ProjectUpdate = Schemas['ProjectUpdate'];
export type ListProjectsQuery = Query<'listProjects'>;

export type ApiKey = Schemas['ApiKey'];
export type ApiKeyCreated = Schemas['ApiKeyCreated'];
export type ApiKeyCreate = Schemas['ApiKeyCreate'];
export type ApiKeyRotate = Schemas['ApiKeyRotate'];
export type ListApiKeysQuery = Query<'listApiKeys'>;

export type Usage = Schemas['Usage'];
export type UsageQuery = Query<'getUsage'>;

export type WebhookEndpoint = Schemas['WebhookEndpoint'];
export type WebhookEndpointWithSecret = Schemas['WebhookEndpointWithSecret'];
export type WebhookEndpointCreate = Schemas['WebhookEndpointCreate'];
export type WebhookEndpointUpdate = Schemas['WebhookEndpointUpdate'];
export type WebhookDelivery = Schemas['WebhookDelivery'];
export type WebhookRecover = Schemas['WebhookRecover'];
export type WebhookRecoverResult = Schemas['WebhookRecoverResultEnvelope']['data'];
export type ListWebhookEndpointsQuery = Query<'listWebhookEndpoints'>;
export type ListWebhookDeliveriesQuery = Query<'listWebhookDeliveries'>;

export type Event = Schemas['Event'];
export type EventType = Schemas['EventType'];
export type ListEventsQuery = Query<'listEvents'>;

/** The event types of the contract's `webhooks:` map. */
export type WebhookEventType = keyof webhooks & string;
/** The payload the contract's `webhooks:` map declares for `T`, its `type` narrowed to `T`. */
export type WebhookEventOf<T extends WebhookEventType> = webhooks[T]['post']['requestBody']['content']['application/json'] & { type: T };
/** Any event a webhook delivers: a union discriminated by `type`. */
export type WebhookEvent = { [T in WebhookEventType]: WebhookEventOf<T> }[WebhookEventType];

/** A project with the `ETag` of the version returned, for `If-Match` on a later update or delete. */
export interface Versioned<T> {
  data: T;
  etag: string;
}

/** Options every call takes. */
export interface CallOptions {
  /** Cancels the call, its retries and its waits; the call rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Milliseconds one attempt may take (connect to the last byte); default: the client's `timeout`. */
  timeout?: number;
  /** Retries of this call; default: the client's `maxRetries`. */
  maxRetries?: number;
  /**
   * Milliseconds the whole call may take: its attempts and the waits between them; default: the
   * client's `totalTimeout` (none). A wait that would end past it is not begun: the call fails at
   * once with a TimeoutError (`scope: 'call'`, the last failure as its `cause`).
   */
  totalTimeout?: number;
  /** Sent as `X-Request-Id`, to find the call in the server's logs (every attempt carries it). */
  requestId?: string;
  /**
   * More headers, on every attempt. They add to the SDK's and never replace them: Authorization,
   * x-api-key, Idempotency-Key, If-Match and Content-Type are refused (TypeError; use the client's
   * credentials, `idempotencyKey`, `ifMatch`), and X-Request-Id too when `requestId` is given.
   */
  headers?: Record<string, string>;
  /**
   * More query parameters (a filter newer than this SDK's types, say), on every attempt and page.
   * A name the call already sends, and `cursor`, are refused (TypeError): use the typed query.
   */
  query?: Record<string, string | number | boolean>;
}

/** `If-Match`: act only on the version with this ETag (`412 precondition_failed` otherwise). */
export interface IfMatch {
  ifMatch?: string;
}

/** Options of a POST or PATCH. */
export interface WriteOptions extends CallOptions {
  /** Sent as `Idempotency-Key` on every attempt; by default a random UUID per call. */
  idempotencyKey?: string;
}
