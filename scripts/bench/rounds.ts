// Measurement rounds: each is one autocannon process (scripts/bench/load.ts) against one server,
// with the server's CPU time read around it. Sides alternate within a round so that drift of the
// machine between rounds hits every side alike.
import type { LoadResult, LoadSpec } from './load';
import { cpuSecondsOf, type Processes } from './processes';
import type { BenchOptions } from './options';
import { serverEnv } from './servers';
import { median } from './stats';
import type { LoopReader } from './eventLoop';

/** The servers of the main rounds (`before`: BENCH_BEFORE's build), and the two LOG_LEVELs of the logging part. */
export type Side = 'bare' | 'full' | 'before' | 'pg' | 'oneWorker' | 'workers' | 'info' | 'warn' | 'off' | 'all' | 'ratio';

/** Cumulative CPU seconds by `component:id` (`server:<pid>`, `postgres:<pid>`, `redis:server`). */
export type CpuSample = Map<string, number>;
export type Component = 'server' | 'postgres' | 'redis';

export type Paths = { list: string; get: string; usage: string };

/** A server as the rounds see it. */
export interface Target {
  side: Side;
  url: string;
  /** Request headers (a bearer token) for each seeded user. */
  auth: (user: 'main' | 'writes' | 'deep') => Record<string, string>;
  /** URLs of the measured endpoints on this server (project ids differ between databases). */
  paths: Paths;
  cpu: () => Promise<CpuSample>;
  /** The server's event-loop delay since the last call (eventLoop.ts); absent for a cluster. */
  eventLoop?: LoopReader;
}

export interface Scenario {
  key: string;
  title: string;
  spec: (target: Target) => LoadSpec;
}

/** One round of one side, with CPU time per response and event-loop delay (ms) over the round (NaN where not measured). */
export type Round = LoadResult & Measured;

export interface ScenarioResult {
  scenario: Scenario;
  rounds: Partial<Record<Side, Round[]>>;
}

/** CPU µs per response of each component; a process that appeared during the round counts from zero. */
function perResponse(before: CpuSample, after: CpuSample, responses: number): Record<Component, number> {
  const total: Partial<Record<Component, number>> = {};
  for (const [key, seconds] of after) {
    const component = key.split(':')[0] as Component;
    total[component] = (total[component] ?? 0) + seconds - (before.get(key) ?? 0);
  }
  const us = (c: Component) => ((total[c] ?? NaN) * 1e6) / responses;
  return { server: us('server'), postgres: us('postgres'), redis: us('redis') };
}

/** What a round measures of its server besides the load generator's own figures. */
export type Measured = { serverCpuUs: number; postgresCpuUs: number; redisCpuUs: number; loopP50: number; loopP99: number; loopMax: number };

/**
 * Runs one round (`run`: a load generator, autocannon or wrk) with the server's CPU time per
 * response and its event-loop delay (reset just before) read around it.
 */
export async function measured<R extends { responses: number }>(target: Pick<Target, 'cpu' | 'eventLoop'>, run: () => Promise<R>): Promise<R & Measured> {
  await target.eventLoop?.();
  const before = await target.cpu();
  const r = await run();
  const cpu = perResponse(before, await target.cpu(), r.responses);
  const loop = (await target.eventLoop?.()) ?? { p50: NaN, p99: NaN, max: NaN };
  return { ...r, serverCpuUs: cpu.server, postgresCpuUs: cpu.postgres, redisCpuUs: cpu.redis, loopP50: loop.p50, loopP99: loop.p99, loopMax: loop.max };
}

/** Server CPU of processes read from /proc: one pid, or a cluster primary and its workers. */
export const processCpu = (pids: () => number[]) => async (): Promise<CpuSample> =>
  new Map(pids().map((pid) => [`server:${pid}`, cpuSecondsOf(pid)]));

export function createRounds(procs: Processes, opts: BenchOptions, log: (msg: string) => void) {
  function load(spec: LoadSpec): Promise<LoadResult> {
    return new Promise((resolve, reject) => {
      const child = procs.launch(['scripts/bench/load.ts', JSON.stringify(spec)], serverEnv({}), opts.loadCpu);
      let out = '';
      let err = '';
      child.stdout!.on('data', (d) => (out += d));
      child.stderr!.on('data', (d) => (err += d));
      const timer = setTimeout(() => procs.kill(child), (spec.duration + 60) * 1000);
      child.on('exit', (code, signal) => {
        clearTimeout(timer);
        const line = out.trim().split('\n').at(-1);
        if (code !== 0 || !line) return reject(new Error(`load generator failed (${code ?? signal}): ${err}${out}`));
        resolve(JSON.parse(line) as LoadResult);
      });
    });
  }

  const loadRound = (spec: LoadSpec, target: Pick<Target, 'cpu' | 'eventLoop'>): Promise<Round> => measured(target, () => load(spec));

  /** A warm-up per target, then `opts.rounds` rounds that visit every target in turn. */
  async function measure(sc: Scenario, targets: Target[]): Promise<ScenarioResult> {
    const result: ScenarioResult = { scenario: sc, rounds: {} };
    for (const t of targets) {
      const r = await load({ ...sc.spec(t), duration: opts.warmup });
      checkClean(r, t.side, `${sc.title} warm-up`);
      result.rounds[t.side] = [];
    }
    for (let round = 1; round <= opts.rounds; round++) {
      for (const t of targets) {
        const r = await loadRound(sc.spec(t), t);
        checkClean(r, t.side, `${sc.title} round ${round}`);
        result.rounds[t.side]!.push(r);
        const engines = Number.isNaN(r.postgresCpuUs) ? '' : ` (PostgreSQL ${r.postgresCpuUs.toFixed(0)}, Redis ${r.redisCpuUs.toFixed(0)})`;
        const loop = Number.isNaN(r.loopP99) ? '' : `, event-loop delay p99 ${r.loopP99.toFixed(1)} ms`;
        log(`  ${sc.key} round ${round} ${t.side}: ${Math.round(r.rps)} req/s, p99 ${r.p99.toFixed(2)} ms${loop}, ` +
          `server CPU ${r.serverCpuUs.toFixed(0)} µs/response${engines}, load generator ${((100 * r.loadCpuSeconds) / r.seconds).toFixed(0)}% of a core`);
      }
    }
    return result;
  }

  return { load, loadRound, measure };
}

export function checkClean(r: LoadResult, side: string, what: string): void {
  if (r.non2xx === 0 && r.errors === 0 && r.timeouts === 0) return;
  const msg = `${what} [${side}]: ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts; status codes ${JSON.stringify(r.statusCodes)}`;
  throw new Error(`${msg}\nA benchmark of errors is meaningless; stopping.`);
}

export interface Summary {
  rps: number;
  rpsMin: number;
  rpsMax: number;
  p50: number;
  p99: number;
  bytes: number;
  /** Server CPU µs per response (median over rounds); NaN without /proc. */
  cpuUs: number;
  postgresCpuUs: number;
  redisCpuUs: number;
  /** The load generator's CPU time over the round's duration: 1 is a whole core. */
  loadCpuShare: number;
  /** Event-loop delay percentiles over the round, ms (median over rounds). */
  loopP50: number;
  loopP99: number;
}

export function summarize(rs: Round[]): Summary {
  const rps = rs.map((r) => r.rps);
  return {
    rps: median(rps),
    rpsMin: Math.min(...rps),
    rpsMax: Math.max(...rps),
    p50: median(rs.map((r) => r.p50)),
    p99: median(rs.map((r) => r.p99)),
    bytes: median(rs.map((r) => r.bytesPerResponse)),
    cpuUs: median(rs.map((r) => r.serverCpuUs)),
    postgresCpuUs: median(rs.map((r) => r.postgresCpuUs)),
    redisCpuUs: median(rs.map((r) => r.redisCpuUs)),
    loadCpuShare: median(rs.map((r) => r.loadCpuSeconds / r.seconds)),
    loopP50: median(rs.map((r) => r.loopP50)),
    loopP99: median(rs.map((r) => r.loopP99)),
  };
}

/** Median over rounds of a/b within each round: drift between rounds cancels out. */
export function pairedRatio(a: Round[], b: Round[], value: (r: Round) => number): number {
  return median(a.map((x, i) => value(x) / value(b[i])));
}
