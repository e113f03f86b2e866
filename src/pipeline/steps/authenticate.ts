import type { PrincipalResolver } from '../../auth/resolvePrincipal';
import type { Step } from '../context';

/**
 * Resolves the credentials a request presents, before the rate limits (which count per caller).
 * A refusal is kept for `authorize`, which reports it after the limits and the body, in the order
 * the contract's errors are documented. Only secured operations have this step: a credential sent
 * to `login` is not looked at.
 */
export function authenticate(resolve: PrincipalResolver): Step {
  return async (ctx) => {
    const { headers } = ctx.req;
    if (!headers.authorization && headers['x-api-key'] === undefined) return;
    try {
      ctx.principal = await resolve(headers);
    } catch (err) {
      ctx.authFailure = err;
    }
  };
}
