import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** Which of the receiver's secrets verified the signature header (standardwebhooks' own verify). */
  verifiedWith: string[];
}

/** How the receiver answers the n-th request (0-based) to a path. */
export type Answer = (res: ServerResponse, n: number, path: string) => void;

export interface Receiver {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  received: Received[];
  /** Secrets to verify with; set them before deliveries arrive. */
  secrets: string[];
  answer: Answer;
  /** Resolves once `count` requests have arrived. */
  waitFor(count: number, timeoutMs?: number): Promise<Received[]>;
  close(): Promise<void>;
  /** The HTTP server itself, for tests that watch its connections. */
  server: Server;
}

export const status =
  (code: number, headers: Record<string, string> = {}, body = ''): Answer =>
  (res) => {
    res.writeHead(code, headers).end(body);
  };

/** A real receiver on 127.0.0.1 that records requests and checks every signature as a customer would. */
export async function startReceiver(answer: Answer = status(200)): Promise<Receiver> {
  const counts = new Map<string, number>();
  const waiters: { count: number; resolve: () => void }[] = [];
  const receiver: Omit<Receiver, 'server'> = {
    origin: '',
    received: [],
    secrets: [],
    answer,
    waitFor(count, timeoutMs = 1500) {
      if (receiver.received.length >= count) return Promise.resolve(receiver.received);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`expected ${count} requests, got ${receiver.received.length}`)),
          timeoutMs,
        );
        waiters.push({ count, resolve: () => (clearTimeout(timer), resolve(receiver.received)) });
      });
    },
    close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const path = req.url ?? '/';
      const verifiedWith = receiver.secrets.filter((secret) => {
        try {
          new Webhook(secret).verify(body, req.headers as Record<string, string>);
          return true;
        } catch {
          return false;
        }
      });
      receiver.received.push({ path, headers: req.headers, body, verifiedWith });
      const n = counts.get(path) ?? 0;
      counts.set(path, n + 1);
      for (const w of waiters.filter((w) => receiver.received.length >= w.count)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
      receiver.answer(res, n, path);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(receiver, { server });
}
