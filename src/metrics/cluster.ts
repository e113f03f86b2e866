import cluster from 'node:cluster';
import { AggregatorRegistry, type Registry } from 'prom-client';
import type { MetricsConfig } from '../config';
import type { Logger } from '../logger';
import { listenForScrapes, type MetricsText } from './endpoint';

const ASK = 'cloud-api:metrics?';
const ANSWER = 'cloud-api:metrics';
// Longer than prom-client's own wait for the workers (5 s), so its error is the one reported.
const ANSWER_TIMEOUT_MS = 10_000;

type Answer = { type: typeof ANSWER; id: number; text?: string; error?: string };

/**
 * The primary of `WORKERS` > 1 holds no metrics of its own: a scrape is every worker's registry,
 * collected over the cluster's IPC channel and summed (prom-client's AggregatorRegistry; gauges of
 * the default metrics by their own rules). It serves METRICS_PORT itself, and answers a worker
 * asked on PORT (METRICS_TOKEN).
 */
export async function servePrimaryMetrics(config: MetricsConfig, logger: Logger): Promise<void> {
  if (config.token === undefined && config.port === undefined) return;
  const aggregator = new AggregatorRegistry();
  const text: MetricsText = () => aggregator.clusterMetrics();
  cluster.on('message', (worker, message: { type?: string; id?: number }) => {
    if (message?.type !== ASK) return;
    const answer = (fields: Partial<Answer>) => worker.isConnected() && worker.send({ type: ANSWER, id: message.id, ...fields });
    text().then(
      (body) => answer({ text: body }),
      (err: Error) => answer({ error: err.message }),
    );
  });
  if (config.port === undefined) return;
  await listenForScrapes(config.port, config.token, text, logger);
  logger.info('metrics listening', { url: `http://127.0.0.1:${config.port}/metrics`, workers: 'aggregated' });
}

/**
 * A worker's side: its registry is what it reports to the primary's aggregation, and a scrape it
 * receives on PORT is answered with the aggregate, which it asks the primary for.
 */
export function workerMetrics(registry: Registry): MetricsText {
  AggregatorRegistry.setRegistries([registry]);
  // Constructed for its side effect: in a worker, prom-client answers the primary's requests from then on.
  new AggregatorRegistry();
  const pending = new Map<number, (answer: Answer) => void>();
  let next = 0;
  process.on('message', (message: Answer) => {
    if (message?.type === ANSWER) pending.get(message.id)?.(message);
  });
  return () =>
    new Promise((resolve, reject) => {
      const id = next++;
      const timer = setTimeout(() => settle({ type: ANSWER, id, error: 'the primary did not answer in time' }), ANSWER_TIMEOUT_MS);
      const settle = (answer: Answer) => {
        clearTimeout(timer);
        pending.delete(id);
        if (answer.text !== undefined) resolve(answer.text);
        else reject(new Error(`cluster metrics: ${answer.error}`));
      };
      pending.set(id, settle);
      process.send!({ type: ASK, id });
    });
}
