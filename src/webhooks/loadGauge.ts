import type { Server } from 'node:http';
import { performance } from 'node:perf_hooks';

// Sampled this often: short enough to react within a few requests' time, long enough that one
// slow callback does not flip it.
const SAMPLE_MS = 100;
// The event loop busier than this while requests arrive: requests are queueing behind each other.
const SATURATED = 0.9;

/** Whether this process is saturated by API requests, for the delivery worker to give way. */
export interface LoadGauge {
  saturated(): boolean;
  /** Counts the requests of this server from now on. */
  watch(server: Server): void;
  stop(): void;
}

/**
 * Saturated: over the last sample the event loop was more than 90% busy and requests arrived. A
 * delivery backlog alone keeps the loop busy too, so it takes requests as well to count: deliveries
 * then run at full concurrency when nobody is waiting for a response, and give way when somebody is.
 */
export function createLoadGauge(): LoadGauge {
  let requests = 0;
  let saturated = false;
  let last = performance.eventLoopUtilization();
  const onRequest = () => void requests++;
  const watched: Server[] = [];
  const timer = setInterval(() => {
    const now = performance.eventLoopUtilization();
    saturated = requests > 0 && performance.eventLoopUtilization(now, last).utilization > SATURATED;
    last = now;
    requests = 0;
  }, SAMPLE_MS).unref();
  return {
    saturated: () => saturated,
    watch(server) {
      server.on('request', onRequest);
      watched.push(server);
    },
    stop() {
      clearInterval(timer);
      for (const server of watched) server.off('request', onRequest);
    },
  };
}
