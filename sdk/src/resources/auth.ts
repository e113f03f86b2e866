// `client.auth`: the generated namespace, and what the contract cannot say. `logout()` without a
// refresh token ends the session this client opened itself (made with email and password), a
// token the contract never sees; so its body is optional here, though the operation requires one.
import { ApiPromise } from '../apiPromise.js';
import type { SessionCredentials } from '../credentials.js';
import { AuthResource } from '../generated/resources.js';
import type { CallOptions, RefreshRequest } from '../types.js';
import type { Context } from './base.js';

/**
 * Log in, refresh, log out. A client made with `email` and `password` does all three itself; these
 * are for code that keeps tokens of its own. Tokens are secrets: keep them out of logs.
 */
export class Auth extends AuthResource {
  readonly #session: SessionCredentials | undefined;

  constructor(ctx: Context, session?: SessionCredentials) {
    super(ctx);
    this.#session = session;
  }

  /**
   * Ends the session of `refresh_token`; without it, the session this client opened (if any: with
   * none open nothing is sent, and `withResponse()` rejects).
   */
  override logout(body?: RefreshRequest, options?: CallOptions): ApiPromise<void> {
    if (body) return super.logout(body, options);
    return this.#session?.logout() ?? ApiPromise.withoutRequest(undefined, 'auth.logout(): no session was open, so no request was sent.');
  }
}
