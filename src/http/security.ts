import type { Request, RequestHandler } from 'express';
import type { Principal } from '../auth/principal';
import type { PrincipalResolver } from '../auth/resolvePrincipal';
import { AppError, errors } from '../errors';

type Outcome = { principal: Principal; error?: undefined } | { principal?: undefined; error: unknown };

// Authentication runs once per request, before rate limiting (which partitions by caller); the
// validator's security handlers then reuse the outcome. The validator also rebuilds a security
// error from its status and message only, so the original is kept here for the error middleware.
const OUTCOME = Symbol('authOutcome');
const FAILURE = Symbol('authFailure');

type AuthRequest = Request & { [OUTCOME]?: Outcome; [FAILURE]?: AppError };

function authenticate(req: Request, resolve: PrincipalResolver): Outcome {
  const r = req as AuthRequest;
  if (!r[OUTCOME]) {
    try {
      r[OUTCOME] = { principal: resolve(req.headers) };
    } catch (error) {
      r[OUTCOME] = { error };
    }
  }
  return r[OUTCOME];
}

/** The authenticated caller, if the request carried a valid credential. */
export function principalOf(req: Request): Principal | undefined {
  return (req as AuthRequest)[OUTCOME]?.principal;
}

/** The catalogue error behind a 401/403 the validator reported. */
export function authErrorOf(req: Request): AppError | undefined {
  return (req as AuthRequest)[FAILURE];
}

/** Resolves credentials early when present; failing is left to the operation's security. */
export function authenticateEarly(resolve: PrincipalResolver): RequestHandler {
  return (req, _res, next) => {
    if (req.headers.authorization || req.headers['x-api-key'] !== undefined) authenticate(req, resolve);
    next();
  };
}

/** One handler per security scheme: both authenticate the request, then enforce exactly the scopes the spec declares. */
export function createSecurityHandlers(resolve: PrincipalResolver) {
  const handler = (req: Request, scopes: string[]): true => {
    const outcome = authenticate(req, resolve);
    let failure = outcome.error;
    if (outcome.principal) {
      const missing = scopes.find((s) => !(outcome.principal.scopes as readonly string[]).includes(s));
      if (!missing) return true;
      failure = errors.insufficientScope(missing, outcome.principal.type);
    }
    if (failure instanceof AppError) (req as AuthRequest)[FAILURE] = failure;
    throw failure;
  };
  return { bearerAuth: handler, apiKeyAuth: handler };
}
