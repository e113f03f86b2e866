// The webhook receiver of the bench, in its own process so that its CPU is not the service's: HTTPS
// on 127.0.0.1 (the service requires https in production) with the certificate in BENCH_TLS_KEY and
// BENCH_TLS_CERT, answering every delivery 204 at once and counting it. Every BENCH_VERIFY_EVERY-th
// delivery (default 50) is verified with standardwebhooks against the secrets the bench sets.
//
// A second, plain-http listener is the bench's control: GET /stats, POST /reset (body: the secrets
// as a JSON array). Prints {"msg":"listening","url":...,"control":...} on stdout once both listen.
import { createServer as createHttps } from 'node:https';
import { createServer as createHttp, type IncomingMessage } from 'node:http';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface ReceiverStats {
  count: number;
  /** Arrival times (ms, this process's clock) of the first and the last delivery since the reset. */
  firstMs: number | null;
  lastMs: number | null;
  verified: number;
  verifyFailed: number;
  /** Deliveries by request path (one path per endpoint). */
  byPath: Record<string, number>;
}

const verifyEvery = Number(process.env.BENCH_VERIFY_EVERY ?? 50);
let stats: ReceiverStats;
let hooks: Webhook[] = [];
const reset = (secrets: string[]) => {
  stats = { count: 0, firstMs: null, lastMs: null, verified: 0, verifyFailed: 0, byPath: {} };
  hooks = secrets.map((s) => new Webhook(s));
};
reset([]);

function readBody(req: IncomingMessage, then: (body: string) => void): void {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => then(Buffer.concat(chunks).toString('utf8')));
}

/** Whether any of the endpoints' secrets verifies the delivery (each endpoint has its own). */
function verifies(body: string, headers: IncomingMessage['headers']): boolean {
  return hooks.some((hook) => {
    try {
      hook.verify(body, headers as Record<string, string>);
      return true;
    } catch {
      return false;
    }
  });
}

const deliveries = createHttps({ key: readFileSync(process.env.BENCH_TLS_KEY ?? ''), cert: readFileSync(process.env.BENCH_TLS_CERT ?? '') }, (req, res) => {
  readBody(req, (body) => {
    const at = performance.timeOrigin + performance.now();
    stats.count++;
    stats.firstMs ??= at;
    stats.lastMs = at;
    const path = req.url ?? '/';
    stats.byPath[path] = (stats.byPath[path] ?? 0) + 1;
    if (hooks.length && stats.count % verifyEvery === 1) {
      if (verifies(body, req.headers)) stats.verified++;
      else stats.verifyFailed++;
    }
    res.writeHead(204).end();
  });
});

const control = createHttp((req, res) => {
  readBody(req, (body) => {
    if (req.method === 'POST' && req.url === '/reset') reset(JSON.parse(body || '[]') as string[]);
    else if (!(req.method === 'GET' && req.url === '/stats')) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(stats));
  });
});

const listen = (server: typeof control | typeof deliveries) =>
  new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));

void Promise.all([listen(deliveries), listen(control)]).then(([port, controlPort]) => {
  const line = { level: 'info', msg: 'listening', url: `https://127.0.0.1:${port}`, control: `http://127.0.0.1:${controlPort}` };
  process.stdout.write(JSON.stringify(line) + '\n');
});

const stop = () => {
  deliveries.closeAllConnections();
  control.closeAllConnections();
  deliveries.close(() => control.close(() => process.exit(0)));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
