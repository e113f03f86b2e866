// The event-loop delay of a server over one round: how long a timer due on the server waited
// behind other work (perf_hooks.monitorEventLoopDelay, sampled every 10 ms). Read once before the
// round, which resets the histogram, and once after. The service reports it through its own
// /metrics (prom-client's nodejs_eventloop_lag_* gauges, computed and reset at each scrape); the
// bare baseline through a route of its own with the same resolution.
import { expectOk } from './client';

/** What the bench's services are started with (servers.ts), so that their /metrics can be read. */
export const METRICS_TOKEN = 'bench-metrics-token-0123456789abcdef';

/** Milliseconds. */
export interface LoopDelay {
  p50: number;
  p99: number;
  max: number;
}

export type LoopReader = () => Promise<LoopDelay>;

export function serviceLoop(url: string): LoopReader {
  return async () => {
    const r = await expectOk(`${url}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } }, 'GET /metrics');
    const gauge = (name: string) => {
      const m = new RegExp(`^nodejs_eventloop_lag_${name}_seconds(?:\\{[^}]*\\})? (\\S+)$`, 'm').exec(r.body);
      if (!m) throw new Error(`/metrics has no nodejs_eventloop_lag_${name}_seconds`);
      return Number(m[1]) * 1000;
    };
    return { p50: gauge('p50'), p99: gauge('p99'), max: gauge('max') };
  };
}

export const BARE_LOOP_PATH = '/__bench/event-loop';

export function bareLoop(url: string): LoopReader {
  return async () => JSON.parse((await expectOk(url + BARE_LOOP_PATH, {}, 'bare event loop')).body) as LoopDelay;
}
