import type { Request, RequestHandler } from 'express';
import type { Principal } from '../auth/principal';
import type { PrincipalResolver } from '../auth/resolvePrincipal';
import { errors } from '../errors';
import { operationOf } from './operationMatcher';
import { SpecError, type OpenApiDocument, type OperationInfo } from './spec';

type Outcome = { principal: Principal; error?: undefined } | { principal?: undefined; error: unknown };

// Authentication runs once per request, before rate limiting (which partitions by caller); the
// security check then reuses the outcome.
const OUTCOME = Symbol('authOutcome');

type AuthRequest = Request & { [OUTCOME]?: Outcome | Promise<Outcome> };

function authenticate(req: Request, resolve: PrincipalResolver): Outcome | Promise<Outcome> {
  const r = req as AuthRequest;
  r[OUTCOME] ??= resolve(req.headers).then(
    (principal) => (r[OUTCOME] = { principal }),
    (error: unknown) => (r[OUTCOME] = { error }),
  );
  return r[OUTCOME];
}

/** The authenticated caller, once authentication has finished, if the request carried a valid credential. */
export function principalOf(req: Request): Principal | undefined {
  const outcome = (req as AuthRequest)[OUTCOME];
  return outcome instanceof Promise ? undefined : outcome?.principal;
}

/** Resolves credentials early when present; failing is left to the operation's security. */
export function authenticateEarly(resolve: PrincipalResolver): RequestHandler {
  return (req, _res, next) => {
    if (!req.headers.authorization && req.headers['x-api-key'] === undefined) return next();
    Promise.resolve(authenticate(req, resolve)).then(() => next(), next);
  };
}

/** The kinds of credential this service understands, as security schemes of the contract. */
type Credential = 'access_token' | 'api_key';

/** One alternative of a security requirement: every scheme's credential, with its scopes. */
type Alternative = { kind: Credential; scopes: string[] }[];

/** Which credential each security scheme of the contract stands for; SpecError for one we cannot check. */
function credentialsOfSchemes(spec: OpenApiDocument): Map<string, Credential> {
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
function carries(req: Request, kind: Credential): boolean {
  if (kind === 'api_key') return !!req.headers['x-api-key'];
  return !!req.headers.authorization?.toLowerCase().includes('bearer');
}

function presented(p: Principal): Set<Credential> {
  const held = new Set<Credential>();
  if (p.apiKeyId) held.add('api_key');
  if (p.sessionId) held.add('access_token');
  return held;
}

/**
 * Enforces each operation's security requirement as the contract states it: some alternative must
 * name only schemes whose credentials the request carried, and the caller must hold every scope it
 * lists. Otherwise 401 (no or bad credentials, WWW-Authenticate set) or 403 naming the first
 * missing scope. Runs after rate limiting and before request validation, like the validator's
 * own security step did, so a bad credential is reported before a bad parameter.
 */
export function requireSecurity(operations: OperationInfo[], spec: OpenApiDocument, resolve: PrincipalResolver): RequestHandler {
  const kinds = credentialsOfSchemes(spec);
  const rules = new Map<string, Alternative[]>(
    operations.map((op) => {
      const alternatives = op.security.map((alt) =>
        Object.entries(alt).map(([scheme, scopes]) => {
          const kind = kinds.get(scheme);
          if (!kind) throw new SpecError(`${op.operationId} requires security scheme ${scheme}, which is not defined`);
          return { kind, scopes };
        }),
      );
      return [op.operationId, alternatives] as const;
    }),
  );
  return (req, res, next) => {
    const op = operationOf(res);
    const alternatives = op ? rules.get(op.operationId) : undefined;
    if (!alternatives?.length) return next();
    if (!alternatives.some((alt) => alt.every((s) => carries(req, s.kind)))) return next(errors.unauthenticated());
    const outcome = authenticate(req, resolve);
    if (outcome instanceof Promise) outcome.then((done) => enforce(done, alternatives, next), next);
    else enforce(outcome, alternatives, next);
  };
}

/** Some alternative fully presented, with every scope it lists: next(); else 401 or 403. */
function enforce(outcome: Outcome, alternatives: Alternative[], next: (err?: unknown) => void): void {
  if (!outcome.principal) return next(outcome.error);
  const principal = outcome.principal;
  const held = presented(principal);
  let missing: string | undefined;
  for (const alt of alternatives) {
    if (!alt.every((s) => held.has(s.kind))) continue;
    const lacking = alt.flatMap((s) => s.scopes).find((s) => !(principal.scopes as readonly string[]).includes(s));
    if (lacking === undefined) return next();
    missing ??= lacking;
  }
  next(missing === undefined ? errors.unauthenticated() : errors.insufficientScope(missing, principal.type));
}
