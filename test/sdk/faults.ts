// Network faults between the SDK and the real service, made with plain TCP on 127.0.0.1, and a
// server that is always busy.
import net, { type AddressInfo } from 'node:net';

export interface Fault {
  url: string;
  /** How many exchanges were cut so far. */
  cut: () => number;
  close(): Promise<void>;
}

function serve(server: net.Server, sockets: Set<net.Socket>, cut: () => number): Promise<Fault> {
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        cut,
        close: () => {
          for (const s of sockets) s.destroy();
          return new Promise((r) => server.close(() => r()));
        },
      }),
    ),
  );
}

/**
 * A proxy to `target` that, for the first `drops` connections whose first request line matches
 * `match`, forwards the request and then closes the client's connection as the answer starts to
 * come back: the server did the work, the client never hears of it (a connection lost in flight).
 */
export function droppingProxy(target: string, match: RegExp, drops = 1): Promise<Fault> {
  const { hostname, port } = new URL(target);
  const sockets = new Set<net.Socket>();
  let left = drops;
  let cut = 0;
  const server = net.createServer((client) => {
    const upstream = net.connect(Number(port), hostname);
    sockets.add(upstream);
    let drop: boolean | undefined;
    client.on('data', (chunk: Buffer) => {
      if (drop === undefined) {
        drop = left > 0 && match.test(chunk.toString('latin1').split('\r\n')[0]);
        if (drop) left--;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (!drop) return void client.write(chunk);
      cut++;
      client.destroy();
      upstream.destroy();
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.on('error', () => {});
    upstream.on('error', () => {});
  });
  return serve(server, sockets, () => cut);
}

/** Accepts connections and never answers: every request on it times out. */
export function blackHole(): Promise<Fault> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => s.on('error', () => {}));
  return serve(server, sockets, () => 0);
}

/**
 * Answers every request `status` in the error envelope with `Retry-After: retryAfter` (seconds),
 * as the service does when busy (503 service_unavailable) or over a limit (429 rate_limited).
 */
export function busy(status: 429 | 503, retryAfter: number): Promise<Fault> {
  const code = status === 429 ? 'rate_limited' : 'service_unavailable';
  const body = JSON.stringify({ error: { code, message: 'Try again later.', details: [], request_id: 'req_busy' } });
  const sockets = new Set<net.Socket>();
  const server = net.createServer((s) => {
    s.on('error', () => {});
    s.once('data', () => {
      const head = [`HTTP/1.1 ${status} Busy`, 'Content-Type: application/json', `Retry-After: ${retryAfter}`, 'X-Request-Id: req_busy'];
      s.end(`${head.join('\r\n')}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
    });
  });
  return serve(server, sockets, () => 0);
}

/** Closes what a test opened, in order (its fault, then its live service), skipping what it did not. */
export async function closeAll(...opened: ({ close(): Promise<void> } | undefined)[]): Promise<void> {
  for (const thing of opened) await thing?.close();
}
