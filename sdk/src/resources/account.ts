// The operations about the caller rather than a resource: auth, identity and usage.
import type { SessionCredentials } from '../credentials.js';
import type { CallOptions, LoginRequest, Me, RefreshRequest, TokenPair, Usage, UsageQuery } from '../types.js';
import { ok, unwrap, type Context } from './base.js';

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

  login(body: LoginRequest, options?: CallOptions): Promise<TokenPair> {
    return unwrap(this.ctx.api.POST('/auth/login', { body, fetch: this.ctx.fetch(options, true) }));
  }

  /** Rotates the refresh token: the one sent stops working, and sending it again ends its session. */
  refresh(body: RefreshRequest, options?: CallOptions): Promise<TokenPair> {
    return unwrap(this.ctx.api.POST('/auth/refresh', { body, fetch: this.ctx.fetch(options, true) }));
  }

  /** Ends the session of `refresh_token`; without it, the session this client opened (if any). */
  async logout(body?: RefreshRequest, options?: CallOptions): Promise<void> {
    if (!body) return this.#session?.logout();
    await ok(this.ctx.api.POST('/auth/logout', { body, fetch: this.ctx.fetch(options, true) }));
  }
}

export class Identity {
  constructor(private readonly ctx: Context) {}

  /** The caller: user or API key, its workspace, role and scopes. */
  get(options?: CallOptions): Promise<Me> {
    return unwrap(this.ctx.api.GET('/me', { fetch: this.ctx.fetch(options) }));
  }
}

export class UsageReports {
  constructor(private readonly ctx: Context) {}

  /** Request counts and error rate in `[from, to)`, in buckets of `granularity`, optionally grouped. */
  get(query: UsageQuery, options?: CallOptions): Promise<Usage> {
    return unwrap(this.ctx.api.GET('/usage', { params: { query }, fetch: this.ctx.fetch(options) }));
  }
}
