import type { IncomingHttpHeaders } from 'node:http';
import type { Principal } from '../../auth/principal';
import type { Step } from '../context';
import { errors } from '../../errors';
import { apiKeyAsBearer } from '../../auth/resolvePrincipal';
import { SpecError, type OpenApiDocument } from '../../contract/document';
import { type OperationInfo } from '../../contract/operations';

/** The kinds of credential this service understands, as security schemes of the contract. */
type Credential = 'access_token' | 'api_key';

/** One alternative of a security requirement: every scheme's credential, with its scopes. */
type Alternative = { kind: Credential; scopes: string[] }[];

/** Which credential each security scheme of the contract stands for; SpecError for one we cannot check. */
export function credentialsOfSchemes(spec: OpenApiDocument): Map<string, Credential> {
  const schemes = ((spec.components as { securitySchemes?: Record<string, unknown> } | undefined)?.securitySchemes ??
    {}) as Record<string, { type?: string; scheme?: string; in?: string; name?: string }>;
  const kinds = new Map<string, Credential>();
  for (const [name, s] of Object.entries(schemes)) {
    if (s.type === 'http' && s.scheme?.toLowerCase() === 'bearer') kinds.set(name, 'access_token');
    else if (s.type === 'apiKey' && s.in === 'header' && s.name?.toLowerCase() === 'x-api-key') kinds.set(name, 'api_key');
    else throw new SpecError(`security scheme ${name} is not one this service can check (bearer token or x-api-key header)`);
  }
  return kinds;
}

/**
 * RFC 6750 3.1: a request without a credential of a scheme is unauthenticated, not "invalid". An
 * Authorization header that mentions bearer at all is taken as an attempt, and judged.
 */
function carries(headers: IncomingHttpHeaders, kind: Credential): boolean {
  // An API key sent as a bearer token is an API key, not an access token.
  const keyAsBearer = apiKeyAsBearer(headers.authorization) !== undefined;
  if (kind === 'api_key') return !!headers['x-api-key'] || keyAsBearer;
  return !keyAsBearer && !!headers.authorization?.toLowerCase().includes('bearer');
}

function presented(p: Principal): Set<Credential> {
  const held = new Set<Credential>();
  if (p.apiKeyId) held.add('api_key');
  if (p.sessionId) held.add('access_token');
  return held;
}

/**
 * Enforces the operation's security requirement as the contract states it: some alternative must
 * name only schemes whose credentials the request carried, and the caller must hold every scope it
 * lists. Otherwise 401 (no or bad credentials, WWW-Authenticate set) or 403 naming the first
 * missing scope. Runs after the rate limits and before request validation, so a bad credential is
 * reported before a bad parameter. Undefined for an operation without security.
 */
export function authorize(op: OperationInfo, kinds: Map<string, Credential>): Step | undefined {
  const alternatives: Alternative[] = op.security.map((alt) =>
    Object.entries(alt).map(([scheme, scopes]) => {
      const kind = kinds.get(scheme);
      if (!kind) throw new SpecError(`${op.operationId} requires security scheme ${scheme}, which is not defined`);
      return { kind, scopes };
    }),
  );
  if (!alternatives.length) return undefined;
  // The challenge offers only the schemes the operation takes: no API key where only a user can act.
  const userOnly = alternatives.every((alt) => alt.every((s) => s.kind === 'access_token'));
  const unauthenticated = userOnly ? errors.bearerRequired : () => errors.unauthenticated();
  return (ctx) => {
    if (!alternatives.some((alt) => alt.every((s) => carries(ctx.req.headers, s.kind)))) throw unauthenticated();
    if (ctx.authFailure !== undefined) throw ctx.authFailure;
    const principal = ctx.principal;
    if (!principal) throw unauthenticated();
    const held = presented(principal);
    let missing: string | undefined;
    for (const alt of alternatives) {
      if (!alt.every((s) => held.has(s.kind))) continue;
      const lacking = alt.flatMap((s) => s.scopes).find((s) => !(principal.scopes as readonly string[]).includes(s));
      if (lacking === undefined) return;
      missing ??= lacking;
    }
    throw missing === undefined ? unauthenticated() : errors.insufficientScope(missing, principal.type);
  };
}
