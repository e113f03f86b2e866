import type { Server } from 'node:http';
import { loadConfig, ConfigError, type Config } from './config';
import { createLogger, type Logger } from './logger';
import cluster from 'node:cluster';
import { loadOrCreateSecrets, secretsFromEnv, SecretsError, type Secrets } from './secrets';
import { runPrimary } from './cluster';
import type { AsyncStore } from './store/ports';
import { openAsyncSqliteStore } from './store/sqlite/async';
import { createApp } from './app';
import type { Meter } from './metering/meter';
import { ensureFirstUser } from './identity/bootstrap';
import { SpecError } from './contract/document';
import { createRateLimitRedis } from './http/rateLimit/redisBuckets';
import type { Redis } from 'ioredis';
import { createServer } from './http/server';
import { consoleStatus } from './http/console';
import { createDeliveryWorker, type DeliveryWorker } from './webhooks/worker';
import { createLoadGauge } from './webhooks/loadGauge';
import { createWebhookSecrets } from './webhooks/secrets';
import { collectDefaultMetrics } from 'prom-client';
import { createMetrics, type Metrics } from './metrics/metrics';
import { listenForScrapes, type MetricsText } from './metrics/endpoint';
import { workerMetrics } from './metrics/cluster';
import { startTracing } from './tracing/start';
import type { Tracing } from './tracing/port';

const SHUTDOWN_GRACE_MS = 10_000;

/** One request to ourselves, once the validator is ready: the server answers, through the pipeline and the sender. */
async function selfCheck(config: Config, port: number): Promise<void> {
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  const res = await fetch(`http://${host.includes(':') ? `[${host}]` : host}:${port}/v1/me`);
  if (res.status !== 401) throw new Error(`self-check GET /v1/me answered ${res.status}, expected 401`);
}

interface Running {
  store: AsyncStore;
  meter: Meter;
  worker: DeliveryWorker;
  logger: Logger;
  redis?: Redis;
  tracing?: Tracing;
}

function shutdownOn(server: Server, { store, meter, worker, logger, redis, tracing }: Running): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    const force = setTimeout(() => {
      logger.warn('in-flight requests did not finish in time; closing anyway');
      server.closeAllConnections();
    }, SHUTDOWN_GRACE_MS);
    force.unref();
    server.close(async () => {
      // Deliveries in flight finish (or their lease lets another instance send them later).
      await worker.stop();
      await meter.stop();
      await store.close();
      redis?.disconnect();
      // Last: the spans of everything above go out with the rest still buffered.
      await tracing?.shutdown().catch((err: unknown) => logger.warn('spans not exported at shutdown', { error: String(err) }));
      logger.info('stopped');
      logger.flush();
      process.exit(0);
    });
    server.closeIdleConnections();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

/**
 * Secrets, migrations and the first user, once: by the primary before it forks workers (which
 * then find all three done), or by a single instance as it starts.
 */
async function prepare(config: Config, logger: Logger, tracing?: Tracing): Promise<{ secrets: Secrets; store: AsyncStore }> {
  // Several instances share secrets from the environment; one host alone may keep them in DATA_DIR.
  const fromEnv = secretsFromEnv(process.env);
  const { secrets, created } = fromEnv ? { secrets: fromEnv, created: false } : loadOrCreateSecrets(config.dataDir);
  if (created) logger.info('generated signing keys and secrets', { file: `${config.dataDir}/secrets.json` });
  // Opening migrates: PostgreSQL under an advisory lock, so instances starting together take turns.
  // PostgreSQL's modules load only when it is configured (pg alone is a tenth of the start-up).
  const store = config.databaseUrl
    ? await (await import('./store/postgres')).openPgStore(config.databaseUrl, { instrument: tracing?.instrumentPg })
    : openAsyncSqliteStore(config.databasePath, { instrument: tracing?.instrumentSqlite });
  await ensureFirstUser(store, config, (text) => process.stderr.write(text + '\n'));
  return { secrets, store };
}

/**
 * This process's metrics, with Node's default ones when they are served at all; what a scrape
 * reads: a worker's is every worker's (asked of the primary), a single instance's its own.
 */
function processMetrics(config: Config): { metrics: Metrics; text: MetricsText } {
  const metrics = createMetrics();
  const text: MetricsText = () => metrics.registry.metrics();
  if (config.metrics.token === undefined && config.metrics.port === undefined) return { metrics, text };
  collectDefaultMetrics({ register: metrics.registry });
  return { metrics, text: cluster.isWorker ? workerMetrics(metrics.registry) : text };
}

async function main(): Promise<void> {
  const config = loadConfig();
  const primary = config.workers > 1 && cluster.isPrimary;
  // Only the processes that serve requests trace; the SDK is loaded only then.
  const tracing = config.tracing && !primary ? await startTracing(config.tracing) : undefined;
  const logger = createLogger(config.logLevel, undefined, cluster.isWorker ? { pid: process.pid } : {}, tracing?.logFields);
  if (primary) {
    await (await prepare(config, logger)).store.close();
    await runPrimary(config, logger);
    return;
  }
  const { secrets, store } = await prepare(config, logger, tracing);
  const redis = config.rateLimitStore === 'redis' ? createRateLimitRedis(config.redisUrl!, logger) : undefined;
  if (redis) tracing?.instrumentRedis(redis);
  // Every instance (each worker of WORKERS) delivers webhooks: claims are leased, so none sends an
  // attempt twice. Deliveries give way to API requests while these saturate the process.
  const load = createLoadGauge();
  const { metrics, text } = processMetrics(config);
  const worker = createDeliveryWorker({
    store,
    secrets: createWebhookSecrets(secrets.pepper),
    config: config.webhooks,
    logger,
    saturated: load.saturated,
    attempted: metrics.webhookAttempted,
    tracing,
  });
  const deliveriesQueued = () => worker.wake();
  const { app, meter, fixedHeaders, ready } = createApp({ config, store, secrets, logger, redis, deliveriesQueued, metrics, metricsText: text, tracing });
  meter.start();
  worker.start();

  const server = createServer(app, fixedHeaders, logger).listen(config.port, config.host);
  load.watch(server);
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  await ready();
  await selfCheck(config, port);
  // A worker's METRICS_PORT is the primary's (src/cluster.ts).
  if (config.metrics.port !== undefined && !cluster.isWorker) {
    await listenForScrapes(config.metrics.port, config.metrics.token, text, logger);
    logger.info('metrics listening', { url: `http://127.0.0.1:${config.metrics.port}/metrics` });
  }
  shutdownOn(server, { store, meter, worker, logger, redis, tracing });
  logger.info('listening', {
    url: `http://${config.host}:${port}`,
    docs: `${config.publicUrl}/docs`,
    console: consoleStatus(config.console, config.publicUrl),
    tracing: config.tracing ? `OTLP ${config.tracing.protocol}` : 'off',
  });
  // At once, not with the next batch: supervisors and tests wait for this line.
  logger.flush();
}

main().catch((err) => {
  if (err instanceof ConfigError || err instanceof SpecError || err instanceof SecretsError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`failed to start: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
