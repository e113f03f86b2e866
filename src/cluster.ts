import cluster, { type Worker } from 'node:cluster';
import type { Config } from './config';
import type { Logger } from './logger';
import { servePrimaryMetrics } from './metrics/cluster';

const RESTART_DELAY_MS = 500;
const STOP_GRACE_MS = 15_000;

/**
 * The primary of `WORKERS=N`: forks N workers that each run a full instance on the same port (the
 * primary hands them connections), replaces a worker that dies, and on SIGTERM or SIGINT passes
 * the signal on and exits once every worker has drained. It serves no requests itself, but for
 * METRICS_PORT (every worker's metrics, aggregated).
 */
export async function runPrimary(config: Config, logger: Logger): Promise<void> {
  let stopping = false;
  const fork = () => {
    const worker = cluster.fork();
    logger.info('worker started', { worker: worker.id, pid: worker.process.pid });
  };
  cluster.on('exit', (worker: Worker, code, signal) => {
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) {
        logger.info('stopped');
        logger.flush();
        process.exit(0);
      }
      return;
    }
    // A worker that dies is replaced, a little later so a crash loop does not spin the CPU.
    logger.error('worker died; starting another', { worker: worker.id, pid: worker.process.pid, code, signal });
    setTimeout(fork, RESTART_DELAY_MS).unref();
  });
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal, workers: Object.keys(cluster.workers ?? {}).length });
    for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
    setTimeout(() => {
      logger.warn('workers did not stop in time; ending them');
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill('SIGKILL');
      logger.flush();
      process.exit(1);
    }, STOP_GRACE_MS).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  await servePrimaryMetrics(config.metrics, logger);
  for (let i = 0; i < config.workers; i++) fork();
}
