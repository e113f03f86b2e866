// How a request is authenticated: an API key, or a session the SDK opens with an email and a
// password and keeps alive. Secrets live in private fields: nothing the SDK logs, throws or
// prints when inspected holds one.
import type { ApiPromise } from './apiPromise.js';
import { isApiError, NetworkError, TimeoutError } from './errors.js';
import type { TokenPair } from './types.js';

export interface Credentials {
  /** Puts the credential on the request; returns the access token used, if any. */
  apply(headers: Headers, signal?: AbortSignal): Promise<string | undefined>;
  /**
   * The server answered `401 invalid_token` to `used`: gets a new access token (refresh, else a
   * new login) unless another request already did. False when nothing can be renewed.
   */
  renew(used: string | undefined, signal?: AbortSignal): Promise<boolean>;
}

export class ApiKeyCredentials implements Credentials {
  readonly #key: string;
  constructor(key: string) {
    this.#key = key;
  }
  async apply(headers: Headers) {
    headers.set('x-api-key', this.#key);
    return undefined;
  }
  async renew() {
    return false;
  }
}

interface Tokens {
  access: string;
  refresh: string;
  /** Date.now() at which the access token should be replaced (some time before it expires). */
  renewAt: number;
}

/** Calls of the auth operations, made without credentials and without retries. */
export interface SessionCalls {
  login(): Promise<TokenPair>;
  refresh(refreshToken: string): Promise<TokenPair>;
  logout(refreshToken: string): ApiPromise<void>;
}

/** Replaced this long before it expires: a quarter of its lifetime, at most a minute. */
const renewalMarginMs = (ttlSeconds: number) => Math.min(60_000, (ttlSeconds * 1000) / 4);

export class SessionCredentials implements Credentials {
  readonly #calls: SessionCalls;
  #tokens: Tokens | undefined;
  #pending: Promise<Tokens> | undefined;

  constructor(calls: SessionCalls) {
    this.#calls = calls;
  }

  async apply(headers: Headers, signal?: AbortSignal) {
    const current = this.#tokens;
    const tokens = current && Date.now() < current.renewAt ? current : await this.#replace(current, signal);
    headers.set('authorization', `Bearer ${tokens.access}`);
    return tokens.access;
  }

  async renew(used: string | undefined, signal?: AbortSignal) {
    const current = this.#tokens;
    await this.#replace(current && current.access === used ? current : undefined, signal);
    return true;
  }

  /** Ends the session on the server (its refresh and access tokens stop working); undefined when none is open. */
  logout(): ApiPromise<void> | undefined {
    const tokens = this.#tokens;
    this.#tokens = undefined;
    return tokens && this.#calls.logout(tokens.refresh);
  }

  /**
   * New tokens in place of `stale` (none yet: a login). One renewal at a time, shared by every
   * request waiting for it: a refresh token is single-use, and presenting it twice would make the
   * server revoke the session.
   */
  #replace(stale: Tokens | undefined, signal?: AbortSignal): Promise<Tokens> {
    if (this.#tokens && this.#tokens !== stale && !this.#pending) return Promise.resolve(this.#tokens);
    if (!this.#pending) {
      // Shared, so no one caller's signal cancels it: each caller stops waiting on its own abort
      // and sees a failure through its own wait (hence the catch: none may be left waiting).
      this.#pending = this.#obtain(stale).finally(() => (this.#pending = undefined));
      this.#pending.catch(() => {});
    }
    return untilAborted(this.#pending, signal);
  }

  async #obtain(stale: Tokens | undefined): Promise<Tokens> {
    const asked = Date.now();
    let pair: TokenPair | undefined;
    if (stale) {
      try {
        pair = await this.#calls.refresh(stale.refresh);
      } catch (err) {
        // A refresh token that is spent, expired or revoked (or whose fate a lost answer hides)
        // cannot be saved: log in again. Anything else (429, 5xx) is the caller's to see.
        const lost = err instanceof NetworkError || err instanceof TimeoutError;
        if (!lost && !(isApiError(err) && err.status === 401)) throw err;
      }
    }
    this.#tokens = undefined;
    pair ??= await this.#calls.login();
    this.#tokens = {
      access: pair.access_token,
      refresh: pair.refresh_token,
      renewAt: asked + pair.expires_in * 1000 - renewalMarginMs(pair.expires_in),
    };
    return this.#tokens;
  }
}

/** `work`, unless `signal` aborts first (then its reason; `work` goes on for whoever else waits). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const abort = () => reject(signal.reason);
    signal.addEventListener('abort', abort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}
