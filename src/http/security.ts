import type { Request } from 'express';
import type { Principal } from '../auth/principal';
import type { AuthService } from '../auth/authService';
import { AppError, errors } from '../errors';

// express-openapi-validator rebuilds a security error from its status and message only, so the
// security handler keeps the original here for the error middleware to render faithfully.
const AUTH_ERROR = Symbol('authError');
const PRINCIPAL = Symbol('principal');

type AuthRequest = Request & { [AUTH_ERROR]?: AppError; [PRINCIPAL]?: Principal };

export function principalOf(req: Request): Principal | undefined {
  return (req as AuthRequest)[PRINCIPAL];
}

export function authErrorOf(req: Request): AppError | undefined {
  return (req as AuthRequest)[AUTH_ERROR];
}

/** One handler per security scheme: authenticates, then enforces exactly the scopes the spec declares. */
export function createSecurityHandlers(auth: AuthService) {
  return {
    bearerAuth(req: Request, scopes: string[]): true {
      const r = req as AuthRequest;
      try {
        const principal = auth.authenticateBearer(req.headers.authorization);
        const missing = scopes.find((s) => !(principal.scopes as readonly string[]).includes(s));
        if (missing) throw errors.insufficientScope(missing);
        r[PRINCIPAL] = principal;
        return true;
      } catch (err) {
        if (err instanceof AppError) r[AUTH_ERROR] = err;
        throw err;
      }
    },
  };
}
