// The SDK against the real service: the app of makeTestApp() (fresh database, every response
// checked against the strict contract) served on an ephemeral port, and clients that record
// every attempt they send.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { createServer } from '../../src/http/server';
import { createUser, makeTestApp, type TestApp, type TestUser } from '../helpers';
import { CloudApi, type ClientOptions, type FetchLike, type RetryInfo } from '../../sdk/src';
import { scopeValues } from '../../sdk/src/generated/openapi';

/** One attempt as the client's fetch saw it. */
export interface Sent {
  method: string;
  path: string;
  status?: number;
  error?: string;
  headers: Headers;
}

export interface Recorder {
  fetch: FetchLike;
  sent: Sent[];
  retries: RetryInfo[];
  onRetry: (info: RetryInfo) => void;
  /** Attempts of `method` whose path matches. */
  count(method: string, path: RegExp): number;
}

/** A fetch that records what it sends and how it ends, in front of `inner` (global fetch by default). */
export function recorder(inner: FetchLike = (input, init) => fetch(input, init)): Recorder {
  const sent: Sent[] = [];
  const retries: RetryInfo[] = [];
  return {
    sent,
    retries,
    onRetry: (info) => retries.push(info),
    count: (method, path) => sent.filter((s) => s.method === method && path.test(s.path)).length,
    async fetch(input, init) {
      const entry: Sent = { method: init.method ?? 'GET', path: new URL(input).pathname + new URL(input).search, headers: new Headers(init.headers) };
      sent.push(entry);
      try {
        const res = await inner(input, init);
        entry.status = res.status;
        return res;
      } catch (err) {
        entry.error = err instanceof Error ? err.name : String(err);
        throw err;
      }
    },
  };
}

export interface Live {
  t: TestApp;
  /** The service's origin, `http://127.0.0.1:<port>`. */
  url: string;
  user: TestUser;
  /** An API key of the user's workspace with every scope. */
  apiKey: string;
  /** A client of the API key (unless the options give other credentials), recording into `rec`. */
  client(options?: Partial<ClientOptions>, rec?: Recorder): CloudApi;
  close(): Promise<void>;
}

export function listen(handler: Parameters<typeof createServer>[0]): Promise<{ server: Server; url: string }> {
  const server = createServer(handler);
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })),
  );
}

export function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

/** Serves `t` (by default a fresh makeTestApp()) with a user and an all-scopes API key. */
export async function live(t: TestApp = makeTestApp()): Promise<Live> {
  const { server, url } = await listen(t.app);
  const user = await createUser(t);
  const owner = new CloudApi({ baseUrl: url, email: user.email, password: user.password });
  const created = await owner.apiKeys.create({ name: 'sdk tests', scopes: [...scopeValues] });
  await owner.auth.logout();
  return {
    t,
    url,
    user,
    apiKey: created.key,
    client(options = {}, rec) {
      const credentials = options.email || options.apiKey ? {} : { apiKey: created.key };
      return new CloudApi({ baseUrl: url, ...credentials, ...options, ...(rec && { fetch: rec.fetch, onRetry: rec.onRetry }) });
    },
    close: () => closeServer(server),
  };
}
