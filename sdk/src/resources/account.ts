// The operations about the caller rather than a resource: auth, identity and usage.
import { ApiPromise } from '../apiPromise.js';
import type { SessionCredentials } from '../credentials.js';
import type { CallOptions, LoginRequest, Me, RefreshRequest, TokenPair, Usage, UsageQuery } from '../types.js';
import { done, unwrap, type Context } from './base.js';

/**
 * Log in, refresh, log out. A client made with `email` and `password` does all three itself; these
 * are for code that keeps tokens of its own. Tokens are secrets: keep them out of logs.
 */
export class Auth {
  readonly #session: SessionCredentials | undefined;

  constructor(
    private readonly ctx: Context,
    session?: SessionCredentials,
  ) {
    this.#session = session;
  }

  login(body: LoginRequest, options?: CallOptions): ApiPromise<TokenPair> {
    return unwrap(this.ctx.api.POST('/auth/login', { body, fetch: this.ctx.fetch(options, true) }));
  }

  /** Rotates the refresh token: the one sent stops working, and sending it again ends its session. */
  refresh(body: RefreshRequest, options?: CallOptions): ApiPromise<TokenPair> {
    return unwrap(this.ctx.api.POST('/auth/refresh', { body, fetch: this.ctx.fetch(options, true) }));
  }

  /**
   * Ends the session of `refresh_token`; without it, the session this client opened (if any: with
   * none open nothing is sent, and `withResponse()` rejects).
   */
  logout(body?: RefreshRequest, options?: CallOptions): ApiPromise<void> {
    if (body) return done(this.ctx.api.POST('/auth/logout', { body, fetch: this.ctx.fetch(options, true) }));
    return this.#session?.logout() ?? ApiPromise.withoutRequest(undefined, 'auth.logout(): no session was open, so no request was sent.');
  }
}

export class Identity {
  constructor(private readonly ctx: Context) {}

  /** The caller: user or API key, its workspace, role and scopes. */
  get(options?: CallOptions): ApiPromise<Me> {
    return unwrap(this.ctx.api.GET('/me', { fetch: this.ctx.fetch(options) }));
  }
}

export class UsageReports {
  constructor(private readonly ctx: Context) {}

  /** Request counts and error rate in `[from, to)`, in buckets of `granularity`, optionally grouped. */
  get(query: UsageQuery, options?: CallOptions): ApiPromise<Usage> {
    return unwrap(this.ctx.api.GET('/usage', { params: { query }, fetch: this.ctx.fetch(options) }));
  }
}
