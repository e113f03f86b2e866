import createClient from 'openapi-fetch';
import { ApiKeyCredentials, SessionCredentials, type Credentials } from './credentials.js';
import type { paths } from './generated/openapi.js';
import type { RetryInfo } from './retry.js';
import { Transport, type FetchLike } from './transport.js';
import { Resources } from './generated/resources.js';
import { Auth } from './resources/auth.js';
import type { Context } from './resources/base.js';

export interface ClientOptions {
  /** The deployment's origin, e.g. `https://api.example.com` (`/v1` is added unless it ends with it). */
  baseUrl: string;
  /** An API key (`cp_live_...`), sent as `x-api-key`. */
  apiKey?: string;
  /** With `password`: the client logs in, and refreshes the access token before it expires. */
  email?: string;
  password?: string;
  /** The workspace to log in to, for a user of several (default: their oldest membership). */
  workspaceId?: string;
  /** Retries of a failed call (429, 502, 503, 504, network errors, timeouts); default 2. */
  maxRetries?: number;
  /** Milliseconds one attempt may take; default 60 000. */
  timeout?: number;
  /** Milliseconds a whole call may take, its retries and their waits included; default none. */
  totalTimeout?: number;
  /** The fetch to send requests with; default `globalThis.fetch`. */
  fetch?: FetchLike;
  /** Called before each wait for a retry: for metrics or logs (it holds no secret). */
  onRetry?: (info: RetryInfo) => void;
}

const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_MAX_RETRIES = 2;

/**
 * The Cloud API client: one namespace per resource, one method per operation of the contract
 * (generated from its `x-sdk`: Resources).
 *
 *     const client = new CloudApi({ baseUrl: 'https://api.example.com', apiKey: process.env.CLOUD_API_KEY });
 *     for await (const project of client.projects.list({ name: 'pay' })) console.log(project.name);
 */
export class CloudApi extends Resources {
  // Replaced after super(): auth knows the session this client opens (resources/auth.ts).
  declare readonly auth: Auth;

  constructor(options: ClientOptions) {
    const { apiKey, email, password, workspaceId } = options;
    if (apiKey !== undefined && (email !== undefined || password !== undefined)) {
      throw new TypeError('CloudApi: give either apiKey, or email and password, not both.');
    }
    if ((email === undefined) !== (password === undefined)) throw new TypeError('CloudApi: email and password go together.');
    const maxRetries = options.maxRetries ?? DEFAULT_MAX_RETRIES;
    const timeout = options.timeout ?? DEFAULT_TIMEOUT_MS;
    if (!Number.isInteger(maxRetries) || maxRetries < 0) throw new TypeError('CloudApi: maxRetries must be a whole number, 0 or more.');
    if (!(timeout > 0)) throw new TypeError('CloudApi: timeout must be a positive number of milliseconds.');
    const { totalTimeout } = options;
    if (totalTimeout !== undefined && !(totalTimeout > 0)) throw new TypeError('CloudApi: totalTimeout must be a positive number of milliseconds.');
    const send = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
    const transport = new Transport({ fetch: send, timeout, totalTimeout, maxRetries, onRetry: options.onRetry });

    let credentials: Credentials | undefined;
    const ctx: Context = {
      api: createClient<paths>({ baseUrl: apiBase(options.baseUrl) }),
      fetch: (call, anonymous) => transport.fetcher(call ?? {}, anonymous ? undefined : credentials),
    };
    // The session logs in and refreshes through the auth operations, which send no credential.
    const anonymous = new Auth(ctx);
    let session: SessionCredentials | undefined;
    if (email !== undefined && password !== undefined) {
      const login = { email, password, ...(workspaceId !== undefined && { workspace_id: workspaceId }) };
      credentials = session = new SessionCredentials({
        login: () => anonymous.login(login),
        refresh: (refreshToken) => anonymous.refresh({ refresh_token: refreshToken }),
        logout: (refreshToken) => anonymous.logout({ refresh_token: refreshToken }),
      });
    } else if (apiKey !== undefined) {
      credentials = new ApiKeyCredentials(apiKey);
    }
    super(ctx);
    this.auth = session ? new Auth(ctx, session) : anonymous;
  }
}

/** The URL the contract's relative server (`/v1`) means at this origin. */
function apiBase(baseUrl: string): string {
  const trimmed = baseUrl.replace(/\/+$/, '');
  if (!/^https?:\/\//.test(trimmed)) throw new TypeError(`CloudApi: baseUrl must be an http(s) URL, got '${baseUrl}'.`);
  return trimmed.endsWith('/v1') ? trimmed : `${trimmed}/v1`;
}
