// A service started with tracing on against a test receiver, signed in, with an API key and a
// webhook endpoint to a local receiver: the secrets an export must never carry are kept here.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../process/run';
import { startReceiver, type ReceivedSpan, type Receiver } from '../../scripts/otlpReceiver';

export interface Traced {
  server: RunningServer;
  receiver: Receiver;
  /** The webhook receiver's URL, and how many deliveries it got. */
  hooks: { url: string; received: () => number };
  password: string;
  accessToken: string;
  refreshToken: string;
  apiKey: string;
  webhookSecret: string;
  stop(): Promise<void>;
}

/** A W3C traceparent of a caller: new random trace and span ids, sampled. */
export function callerContext() {
  const traceId = randomBytes(16).toString('hex');
  const spanId = randomBytes(8).toString('hex');
  return { traceId, spanId, traceparent: `00-${traceId}-${spanId}-01` };
}

/** The spans of one trace that descend from `root` (not `root` itself). */
export function descendants(spans: ReceivedSpan[], root: ReceivedSpan): ReceivedSpan[] {
  const inTrace = spans.filter((s) => s.traceId === root.traceId);
  const out: ReceivedSpan[] = [];
  let frontier = [root.spanId];
  while (frontier.length) {
    const next = inTrace.filter((s) => s.parentSpanId !== undefined && frontier.includes(s.parentSpanId));
    out.push(...next);
    frontier = next.map((s) => s.spanId);
  }
  return out;
}

export async function call(base: string, method: string, path: string, headers: Record<string, string> = {}, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, headers: res.headers, body: (await res.json().catch(() => undefined)) as any };
}

async function hookReceiver(): Promise<{ server: Server; url: string; received: () => number }> {
  let received = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received++;
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`, received: () => received };
}

/** Starts the service with `env` (tracing to a new receiver over `protocol`) and sets up the caller. */
export async function startTraced(protocol: 'http/protobuf' | 'http/json', env: Record<string, string> = {}): Promise<Traced> {
  const receiver = await startReceiver();
  const hooks = await hookReceiver();
  const dataDir = mkdtempSync(join(tmpdir(), 'cloud-api-trace-'));
  const server = await startServer({
    DATA_DIR: dataDir,
    PASSWORD_HASH_COST: '10',
    WEBHOOK_ALLOW_PRIVATE: 'true',
    WEBHOOK_POLL_INTERVAL_MS: '100',
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
    OTEL_BSP_SCHEDULE_DELAY: '100',
    OTEL_SERVICE_NAME: 'cloud-api-test',
    ...env,
  });
  const stop = async () => {
    await server.stop();
    await receiver.close();
    await new Promise((r) => hooks.server.close(r));
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    const m = /email:\s+(\S+)\n\s+password:\s+(\S+)/.exec(server.stderr());
    assert.ok(m, `the first start prints credentials: ${server.stderr()}`);
    const [, email, password] = m;
    const login = await call(server.url, 'POST', '/v1/auth/login', {}, { email, password });
    assert.equal(login.status, 200, JSON.stringify(login.body));
    const bearer = { authorization: `Bearer ${login.body.data.access_token}` };
    const key = await call(server.url, 'POST', '/v1/api-keys', bearer, { name: 'tracing', scopes: ['projects:read', 'projects:write'] });
    assert.equal(key.status, 201, JSON.stringify(key.body));
    const endpoint = await call(server.url, 'POST', '/v1/webhook-endpoints', bearer, { url: hooks.url, enabled_events: ['project.created'] });
    assert.equal(endpoint.status, 201, JSON.stringify(endpoint.body));
    return {
      server,
      receiver,
      hooks,
      password,
      accessToken: login.body.data.access_token,
      refreshToken: login.body.data.refresh_token,
      apiKey: key.body.data.key,
      webhookSecret: endpoint.body.data.secret,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
