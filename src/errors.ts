import { detailCodeValues, type components } from '../generated/openapi';
import type { PrincipalType } from './auth/principal';

export type ErrorCode = components['schemas']['ErrorCode'];
export type DetailCode = components['schemas']['DetailCode'];
/**
 * A detail as the service sends it. The published `code` is an open enum (any string, for clients);
 * what the service sends must be one of this version's `DetailCode`s, so a typo fails typecheck.
 */
export type ErrorDetail = Omit<components['schemas']['ErrorDetail'], 'code'> & { code: DetailCode };

export const isDetailCode = (value: string): value is DetailCode => (detailCodeValues as readonly string[]).includes(value);

/** A failure the client caused or may handle; the sender (src/pipeline/send.ts) renders it as the envelope. */
export class AppError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetail[] = [],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'AppError';
  }
}

const REALM = 'Bearer realm="cloud-api"';
const API_KEY_REALM = 'ApiKey realm="cloud-api", header="x-api-key"';

/** The envelope every error response carries. */
export function errorBody(err: AppError, requestId: string) {
  return { error: { code: err.code, message: err.message, details: err.details, request_id: requestId } };
}

/** The error catalogue: every code with its status, in one place. */
export const errors = {
  validationFailed: (details: ErrorDetail[], message = 'Request validation failed.') =>
    new AppError(400, 'validation_failed', message, details),
  malformedJson: (reason: string) =>
    new AppError(400, 'malformed_json', 'The request body is not valid JSON.', [
      { pointer: '/body', code: 'malformed_json', message: reason.slice(0, 1024) },
    ]),
  invalidCursor: (reason: string) =>
    new AppError(400, 'invalid_cursor', reason, [{ pointer: '/query/cursor', code: 'invalid_cursor', message: reason }]),
  unauthenticated: (message = 'Authentication required: send Authorization: Bearer <access_token> or x-api-key.') =>
    new AppError(401, 'unauthenticated', message, [], { 'WWW-Authenticate': `${REALM}, ${API_KEY_REALM}` }),
  /** For an operation only a signed-in user can call (switching workspace): the challenge names the bearer scheme alone. */
  bearerRequired: () =>
    new AppError(401, 'unauthenticated', "This operation needs a signed-in user's access token: send Authorization: Bearer <access_token>.", [], {
      'WWW-Authenticate': REALM,
    }),
  invalidToken: (message: string) =>
    new AppError(401, 'invalid_token', message, [], {
      'WWW-Authenticate': `${REALM}, error="invalid_token", error_description="${message.replace(/"/g, "'")}"`,
    }),
  invalidApiKey: (message: string) =>
    new AppError(401, 'invalid_api_key', message, [], { 'WWW-Authenticate': `${API_KEY_REALM}, error="invalid_key"` }),
  /** GET /metrics without the METRICS_TOKEN (outside the contract; the same envelope). */
  metricsTokenRequired: () =>
    new AppError(401, 'unauthenticated', 'Metrics need Authorization: Bearer <METRICS_TOKEN>.', [], { 'WWW-Authenticate': 'Bearer realm="cloud-api-metrics"' }),
  invalidCredentials: () => new AppError(401, 'invalid_credentials', 'Email or password is incorrect.'),
  invalidRefreshToken: () => new AppError(401, 'invalid_refresh_token', 'The refresh token is not valid.'),
  /** The challenge names the scheme the caller used: an API key is not told to send a bearer token. */
  insufficientScope: (scope: string, via: PrincipalType = 'user') =>
    new AppError(403, 'insufficient_scope', `This operation needs the '${scope}' scope.`, [
      { field: 'scope', code: 'missing_scope', message: scope },
    ], { 'WWW-Authenticate': `${via === 'api_key' ? API_KEY_REALM : REALM}, error="insufficient_scope", scope="${scope}"` }),
  /** A role rule, not a scope: only an owner makes, changes or removes an owner. */
  insufficientRole: (message: string) =>
    new AppError(403, 'insufficient_role', message, [{ field: 'role', code: 'owner_only', message: 'only an owner may do this' }]),
  invalidInvitation: () => new AppError(401, 'invalid_invitation', 'The invitation token or the password is not valid.'),
  /** A new password the policy refuses (src/auth/passwordPolicy.ts), with its reason. */
  weakPassword: (problem: string) =>
    errors.validationFailed([{ pointer: '/body/password', code: 'weak_password', message: `password ${problem}` }], `The password ${problem}.`),
  projectNotFound: (id: string) => new AppError(404, 'not_found', `Project ${id} was not found.`),
  memberNotFound: (userId: string) => new AppError(404, 'not_found', `Member ${userId} was not found.`),
  invitationNotFound: (id: string) => new AppError(404, 'not_found', `Invitation ${id} was not found.`),
  workspaceNotFound: (id: string) => new AppError(404, 'not_found', `Workspace ${id} was not found.`),
  lastOwner: (userId: string) =>
    new AppError(409, 'last_owner', 'The workspace would be left without an owner: make another member an owner first.', [
      { pointer: '/path/user_id', code: 'last_owner', message: `${userId} is the last owner` },
    ]),
  alreadyMember: (email: string) =>
    new AppError(409, 'already_member', `${email} is already a member of this workspace.`, [
      { pointer: '/body/email', code: 'already_member', message: 'already a member' },
    ]),
  alreadyInvited: (email: string) =>
    new AppError(409, 'already_invited', `${email} already has a pending invitation; revoke it to invite again.`, [
      { pointer: '/body/email', code: 'already_invited', message: 'already invited' },
    ]),
  apiKeyNotFound: (id: string) => new AppError(404, 'not_found', `API key ${id} was not found.`),
  webhookEndpointNotFound: (id: string) => new AppError(404, 'not_found', `Webhook endpoint ${id} was not found.`),
  deliveryNotFound: (id: string) => new AppError(404, 'not_found', `Delivery ${id} was not found.`),
  eventNotFound: (id: string) => new AppError(404, 'not_found', `Event ${id} was not found.`),
  limitExceeded: (message: string) => new AppError(409, 'limit_exceeded', message),
  endpointDisabled: (id: string) =>
    new AppError(409, 'endpoint_disabled', `Webhook endpoint ${id} is disabled; enable it (PATCH status: enabled) first.`),
  routeNotFound: (method: string, path: string) =>
    new AppError(404, 'route_not_found', `No route for ${method} ${path.slice(0, 200)}.`),
  methodNotAllowed: (method: string, allow: string) =>
    new AppError(405, 'method_not_allowed', `${method} is not allowed here. Allowed: ${allow}.`, [], { Allow: allow }),
  slugTaken: (slug: string) =>
    new AppError(409, 'slug_taken', `Another project in this workspace already uses the slug '${slug}'.`, [
      { pointer: '/body/slug', code: 'slug_taken', message: `slug '${slug}' is taken` },
    ]),
  idempotencyKeyInUse: () =>
    new AppError(409, 'idempotency_key_in_use', 'A request with this Idempotency-Key is still being processed; retry shortly.', [
      { field: 'Idempotency-Key', code: 'idempotency_key_in_use', message: 'in progress' },
    ], { 'Retry-After': '1' }),
  idempotencyKeyReused: (key: string) =>
    new AppError(422, 'idempotency_key_reused', 'This Idempotency-Key was used with a different request body or target.', [
      { field: 'Idempotency-Key', code: 'idempotency_key_reused', message: key.slice(0, 255) },
    ]),
  preconditionFailed: (current: string, resource: 'project' | 'member' = 'project') =>
    new AppError(412, 'precondition_failed', `The ${resource} has changed since the version you sent in If-Match.`, [
      { field: 'If-Match', code: 'stale', message: `current ETag is ${current}` },
    ]),
  payloadTooLarge: (limitBytes: number) =>
    new AppError(413, 'payload_too_large', `The request body exceeds ${Math.floor(limitBytes / 1024)} kB.`),
  unsupportedMediaType: (contentType: string | undefined) =>
    new AppError(
      415,
      'unsupported_media_type',
      `Unsupported Content-Type: ${(contentType ?? 'none').slice(0, 100)}. Send application/json.`,
    ),
  rateLimited: (policy: { group: string; limit: number; window: number }, retryAfterSeconds: number) =>
    new AppError(
      429,
      'rate_limited',
      `Rate limit exceeded: ${policy.limit} requests per ${policy.window} s (group '${policy.group}'). Retry after ${retryAfterSeconds} s.`,
      [{ field: 'policy', code: 'rate_limited', message: `"${policy.group}";q=${policy.limit};w=${policy.window}` }],
      { 'Retry-After': String(retryAfterSeconds) },
    ),
  internal: () => new AppError(500, 'internal_error', 'An unexpected error occurred.'),
  /** The database could not be had in time (lock or connection wait, serialization failure): nothing changed. */
  serviceUnavailable: (retryAfterSeconds = 1) =>
    new AppError(503, 'service_unavailable', `The service is busy; retry after ${retryAfterSeconds} s.`, [], {
      'Retry-After': String(retryAfterSeconds),
    }),
  expectationFailed: () =>
    new AppError(417, 'expectation_failed', 'Unsupported Expect header: only 100-continue is supported.', [
      { field: 'Expect', code: 'unsupported_expectation', message: 'only 100-continue is supported' },
    ]),
  /** The connection-level refusals below are sent by the HTTP server before any request exists. */
  malformedRequest: (reason: string) =>
    new AppError(400, 'malformed_request', `The request is not valid HTTP/1.1: ${reason.slice(0, 200)}.`),
  requestTimeout: () => new AppError(408, 'request_timeout', 'The request was not received in time.'),
  headersTooLarge: () => new AppError(431, 'headers_too_large', 'The request header section is too large.'),
  chunkExtensionsTooLarge: () =>
    new AppError(413, 'payload_too_large', 'The chunk extensions of the request body are too large.'),
};
