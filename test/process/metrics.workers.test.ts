import assert from 'node:assert/strict';
import { request } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, startServer, type RunningServer } from './run';
import { until } from './clusterClient';
import { parseSamples, total, type Sample } from '../metrics/prometheusText';

const TOKEN = 'scrape-token-0123456789abcdef';

/** GET on a connection of its own: with WORKERS=2 consecutive calls reach different workers. */
function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; text: string; type: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { agent: false, headers });
    req.on('error', reject);
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode!, text, type: String(res.headers['content-type']) }));
    });
    req.end();
  });
}

const logLines = (s: RunningServer, msg: string) =>
  s.stdout().split('\n').filter((l) => l.includes(`"msg":"${msg}"`)).map((l) => JSON.parse(l));

/** The workers' access-log lines for GET /v1/me, by pid. */
const meRequests = (s: RunningServer) => logLines(s, 'request').filter((l) => l.route === '/v1/me' && l.status === 401);

// Issue #15 item 3: with WORKERS > 1 a scrape answers for every worker, whichever serves it.
describe('metrics with WORKERS=2 (aggregated by the primary)', function () {
  this.timeout(90_000);
  let dataDir: string;
  let server: RunningServer | undefined;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'cloud-api-metrics-'));
  });
  afterEach(async () => {
    await server?.stop('SIGKILL');
    server = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  const start = async (env: Record<string, string>) => {
    server = await startServer({ DATA_DIR: dataDir, PASSWORD_HASH_COST: '10', NODE_ENV: 'production', WORKERS: '2', ...env });
    const s = server;
    await until(() => logLines(s, 'listening').length === 2);
    for (let i = 0; i < 12; i++) assert.equal((await get(`${s.url}/v1/me`)).status, 401);
    await until(() => meRequests(s).length === 14); // and the two self-checks
    const pids = new Set(meRequests(s).map((l) => l.pid));
    assert.equal(pids.size, 2, 'both workers served some');
    return s;
  };

  const assertAggregated = (samples: Sample[], what: string) => {
    const labels = { operation: 'getMe', method: 'GET', status_class: '4xx' };
    assert.equal(total(samples, 'http_request_duration_seconds_count', labels), 14, `${what}: every worker's requests`);
    assert.equal(total(samples, 'auth_failures_total', { reason: 'unauthenticated' }), 14, what);
    assert.ok(total(samples, 'process_cpu_user_seconds_total') > 0, `${what}: Node's default metrics`);
    assert.equal(samples.filter((s) => s.name === 'nodejs_version_info').length, 1, `${what}: one version, not one per worker`);
  };

  it('METRICS_TOKEN: GET /metrics on PORT, from either worker, is every worker\'s metrics; refused without the token', async () => {
    const s = await start({ METRICS_TOKEN: TOKEN });
    const refused = await get(`${s.url}/metrics`);
    assert.equal(refused.status, 401);
    assert.equal(JSON.parse(refused.text).error.code, 'unauthenticated');
    for (let i = 0; i < 2; i++) {
      const scrape = await get(`${s.url}/metrics`, { authorization: `Bearer ${TOKEN}` });
      assert.equal(scrape.status, 200, scrape.text);
      assert.match(scrape.type, /^text\/plain; version=0\.0\.4/);
      assertAggregated(parseSamples(scrape.text), `scrape ${i + 1}`);
    }
  });

  it('METRICS_PORT: the primary serves it on 127.0.0.1 (with the token when one is set); PORT does not', async () => {
    const port = await freePort();
    const s = await start({ METRICS_PORT: String(port), METRICS_TOKEN: TOKEN });
    assert.equal(logLines(s, 'metrics listening').length, 1, 'the primary alone listens');
    assert.equal((await get(`${s.url}/metrics`, { authorization: `Bearer ${TOKEN}` })).status, 404);
    const metrics = `http://127.0.0.1:${port}`;
    const refused = await get(`${metrics}/metrics`);
    assert.equal(refused.status, 401);
    assert.equal(JSON.parse(refused.text).error.code, 'unauthenticated');
    const elsewhere = await get(`${metrics}/v1/me`, { authorization: `Bearer ${TOKEN}` });
    assert.equal(elsewhere.status, 404);
    assert.equal(JSON.parse(elsewhere.text).error.code, 'route_not_found');
    const scrape = await get(`${metrics}/metrics`, { authorization: `Bearer ${TOKEN}` });
    assert.equal(scrape.status, 200, scrape.text);
    assertAggregated(parseSamples(scrape.text), 'METRICS_PORT');
  });
});

describe('metrics with one process: METRICS_PORT without a token', function () {
  this.timeout(60_000);
  it('serves this process on 127.0.0.1 to anyone on the host', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'cloud-api-metrics-'));
    const port = await freePort();
    const server = await startServer({ DATA_DIR: dataDir, PASSWORD_HASH_COST: '10', NODE_ENV: 'production', METRICS_PORT: String(port) });
    try {
      assert.equal((await get(`${server.url}/v1/me`)).status, 401);
      const samples = parseSamples((await get(`http://127.0.0.1:${port}/metrics`)).text);
      assert.equal(total(samples, 'http_request_duration_seconds_count', { operation: 'getMe', status_class: '4xx' }), 2, 'with the self-check');
      assert.ok(total(samples, 'process_resident_memory_bytes') > 0);
    } finally {
      await server.stop('SIGKILL');
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
