import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, startServer } from '../process/run';
import { startReceiver } from '../../scripts/otlpReceiver';
import { call, callerContext } from './tracing.support';

const SERVER = 2;

describe('tracing: off costs nothing, and a shutdown exports what is buffered', function () {
  this.timeout(120_000);

  it('with no OTLP endpoint, nothing of the OpenTelemetry SDK is loaded by the service modules', () => {
    // What src/main.ts loads up front, the store engines included; src/tracing/start.ts imports
    // the SDK only when tracing is on. (@opentelemetry/api alone is loaded, by prom-client, for
    // its exemplars, as before tracing existed: a few no-op classes.)
    const script = `
      require('./src/app.ts'); require('./src/store/sqlite/async.ts'); require('./src/store/postgres/index.ts');
      require('./src/webhooks/worker.ts'); require('./src/tracing/start.ts'); require('./src/config.ts').loadConfig({});
      console.log(JSON.stringify(Object.keys(require.cache).filter((k) => k.includes('@opentelemetry') && !k.includes('@opentelemetry/api/'))));`;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], { cwd: ROOT, encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    assert.deepEqual(JSON.parse(run.stdout.trim().split('\n').at(-1)!), []);
  });

  for (const workers of ['1', '2']) {
    it(`SIGTERM exports the spans still buffered (WORKERS=${workers}, the batch processor's delay a minute away)`, async () => {
      const receiver = await startReceiver();
      const dataDir = mkdtempSync(join(tmpdir(), 'cloud-api-trace-stop-'));
      try {
        const server = await startServer({
          DATA_DIR: dataDir,
          WORKERS: workers,
          OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
          OTEL_BSP_SCHEDULE_DELAY: '60000',
        });
        const callers = [callerContext(), callerContext(), callerContext()];
        for (const c of callers) assert.equal((await call(server.url, 'GET', '/v1/projects', { traceparent: c.traceparent })).status, 401);
        assert.equal(receiver.spans.length, 0, 'nothing exported before the delay');
        assert.equal(await server.stop('SIGTERM'), 0);
        for (const c of callers) assert.ok(receiver.spans.some((s) => s.traceId === c.traceId && s.kind === SERVER), `the span of ${c.traceId}`);
      } finally {
        await receiver.close();
        rmSync(dataDir, { recursive: true, force: true });
      }
    });
  }
});
