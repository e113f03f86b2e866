// One load measurement, run in its own process by scripts/bench.ts so that the load generator never
// shares an event loop (or, when pinned, a core) with the server under test.
//
//   tsx scripts/bench/load.ts '<json LoadSpec>'   ->  one JSON LoadResult line on stdout
//
// Latencies are collected per response (autocannon's `response` event, sub-millisecond) so the
// percentiles are exact; autocannon's own histogram rounds to whole milliseconds.

import { percentile } from './stats';

export interface LoadSpec {
  url: string;
  method?: 'GET' | 'POST';
  headers?: Record<string, string>;
  body?: string;
  /** Replace `[<id>]` in the body with a unique id per request (autocannon's idReplacement). */
  idReplacement?: boolean;
  connections: number;
  /** Seconds. */
  duration: number;
}

export interface LoadResult {
  responses: number;
  seconds: number;
  rps: number;
  /** Milliseconds. */
  p50: number;
  p90: number;
  p99: number;
  max: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  /** Mean bytes per response, headers included. */
  bytesPerResponse: number;
  /** CPU seconds this load generator used over the run: near `seconds`, it was the bottleneck. */
  loadCpuSeconds: number;
}

interface AutocannonResult {
  duration: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodeStats: Record<string, { count: number }>;
  throughput: { total: number };
}

interface AutocannonInstance {
  on(event: 'response', fn: (client: unknown, statusCode: number, resBytes: number, responseTime: number) => void): void;
  on(event: 'done', fn: (result: AutocannonResult) => void): void;
  on(event: 'error', fn: (err: Error) => void): void;
}

type Autocannon = (opts: Record<string, unknown>, cb: (err: Error | null, result: AutocannonResult) => void) => AutocannonInstance;

// autocannon ships no type declarations; the little used here is typed above.
const autocannon = require('autocannon') as Autocannon;

function run(spec: LoadSpec): Promise<LoadResult> {
  let latencies = new Float64Array(1 << 16);
  let n = 0;
  let bytes = 0;
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const cpuBefore = process.cpuUsage();
    const instance = autocannon(
      {
        url: spec.url,
        method: spec.method ?? 'GET',
        headers: spec.headers ?? {},
        body: spec.body,
        idReplacement: spec.idReplacement ?? false,
        connections: spec.connections,
        pipelining: 1,
        duration: spec.duration,
        timeout: 10,
        excludeErrorStats: false,
      },
      (err, result) => {
        if (err) return reject(err);
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        const sorted = latencies.subarray(0, n).sort();
        const statusCodes: Record<string, number> = {};
        for (const [code, s] of Object.entries(result.statusCodeStats)) statusCodes[code] = s.count;
        resolve({
          responses: n,
          seconds: result.duration || seconds,
          rps: n / (result.duration || seconds),
          p50: percentile(sorted, 50),
          p90: percentile(sorted, 90),
          p99: percentile(sorted, 99),
          max: n ? sorted[n - 1] : NaN,
          non2xx: result.non2xx,
          errors: result.errors,
          timeouts: result.timeouts,
          statusCodes,
          bytesPerResponse: n ? bytes / n : 0,
          loadCpuSeconds: ((cpu) => (cpu.user + cpu.system) / 1e6)(process.cpuUsage(cpuBefore)),
        });
      },
    );
    instance.on('response', (_client, _status, resBytes, responseTime) => {
      if (n === latencies.length) {
        const bigger = new Float64Array(latencies.length * 2);
        bigger.set(latencies);
        latencies = bigger;
      }
      latencies[n++] = responseTime;
      bytes += resBytes;
    });
  });
}

if (require.main === module) {
  const spec = JSON.parse(process.argv[2] ?? '') as LoadSpec;
  run(spec).then(
    (result) => {
      process.stdout.write(JSON.stringify(result) + '\n');
      process.exit(0);
    },
    (err) => {
      process.stderr.write(`load failed: ${err instanceof Error ? err.stack : String(err)}\n`);
      process.exit(1);
    },
  );
}
