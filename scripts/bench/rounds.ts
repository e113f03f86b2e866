// Measurement rounds: each is one autocannon process (scripts/bench/load.ts) against one server,
// with the server's CPU time read around it. Sides alternate within a round so that drift of the
// machine between rounds hits every side alike.
import type { LoadResult, LoadSpec } from './load';
import type { Processes } from './processes';
import type { BenchOptions } from './options';
import { serverEnv } from './servers';
import { median } from './stats';

export type Side = 'bare' | 'full';

/** A server as the rounds see it. */
export interface Target {
  side: Side;
  url: string;
  /** CPU seconds the server's processes have used so far. */
  cpuSeconds: () => number;
}

export interface Scenario {
  key: string;
  title: string;
  spec: (base: string) => LoadSpec;
}

/** One round of one side, with the server's own CPU time per response over the round. */
export type Round = LoadResult & { serverCpuUs: number };

export interface ScenarioResult {
  scenario: Scenario;
  rounds: Partial<Record<Side, Round[]>>;
}

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

  async function loadRound(spec: LoadSpec, target: Pick<Target, 'cpuSeconds'>): Promise<Round> {
    const cpuBefore = target.cpuSeconds();
    const r = await load(spec);
    return { ...r, serverCpuUs: ((target.cpuSeconds() - cpuBefore) * 1e6) / r.responses };
  }

  /** A warm-up per target, then `opts.rounds` rounds that visit every target in turn. */
  async function measure(sc: Scenario, targets: Target[]): Promise<ScenarioResult> {
    const result: ScenarioResult = { scenario: sc, rounds: {} };
    for (const t of targets) {
      const r = await load({ ...sc.spec(t.url), duration: opts.warmup });
      checkClean(r, t.side, `${sc.title} warm-up`);
      result.rounds[t.side] = [];
    }
    for (let round = 1; round <= opts.rounds; round++) {
      for (const t of targets) {
        const r = await loadRound(sc.spec(t.url), t);
        checkClean(r, t.side, `${sc.title} round ${round}`);
        result.rounds[t.side]!.push(r);
        log(`  ${sc.key} round ${round} ${t.side}: ${Math.round(r.rps)} req/s, p99 ${r.p99.toFixed(2)} ms, server CPU ${r.serverCpuUs.toFixed(0)} µs/response`);
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
  };
}

/** Median over rounds of a/b within each round: drift between rounds cancels out. */
export function pairedRatio(a: Round[], b: Round[], value: (r: Round) => number): number {
  return median(a.map((x, i) => value(x) / value(b[i])));
}
