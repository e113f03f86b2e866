// The bench process's own HTTP client: set-up requests and the sequential latency measurements.
// One keep-alive socket, so that a sequential timing never includes a TCP handshake.
import http from 'node:http';
import net from 'node:net';

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

export interface Reply {
  status: number;
  body: string;
  ms: number;
}

export interface RequestInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
}

export function request(url: string, init: RequestInit = {}, retried = false): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const req = http.request(url, { method: init.method ?? 'GET', headers: init.headers, agent, timeout: 30_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString('utf8'),
          ms: Number(process.hrtime.bigint() - t0) / 1e6,
        }),
      );
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`timeout: ${init.method ?? 'GET'} ${url}`)));
    // A kept-alive socket the server closed (its keep-alive timeout) as this request went out on it:
    // the request never reached the server, so it is sent once more on a new socket (as Node's
    // documentation advises). Seen as `read ECONNRESET` ending whole runs on a busy machine.
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (!retried && req.reusedSocket && err.code === 'ECONNRESET') resolve(request(url, init, true));
      else reject(err);
    });
    req.end(init.body);
  });
}

export async function expectOk(url: string, init: RequestInit, what: string): Promise<Reply> {
  const reply = await request(url, init);
  if (reply.status < 200 || reply.status > 299) throw new Error(`${what}: HTTP ${reply.status}: ${reply.body.slice(0, 500)}`);
  return reply;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
