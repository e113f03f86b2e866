// A second load generator for the list page: wrk from Debian's packages (C, one thread, 50
// connections, its own latency histogram), against the same servers as autocannon and interleaved
// the same way, so the tail ratio does not rest on one client's way of measuring it. The event-loop
// delay and server CPU are read around each round as in rounds.ts.
import { spawnSync } from 'node:child_process';
import type { BenchOptions } from './options';
import type { Processes } from './processes';
import { measured, type Side, type Target } from './rounds';
import { serverEnv } from './servers';

export interface WrkRound {
  rps: number;
  /** Milliseconds. */
  p50: number;
  p99: number;
  serverCpuUs: number;
  loopP99: number;
}

export type WrkResult = { version: string; rounds: Partial<Record<Side, WrkRound[]>> };

/** wrk's path; installed from Debian's packages when missing and this process may (root with apt-get). */
export function findWrk(log: (msg: string) => void): string | undefined {
  const which = () => spawnSync('sh', ['-c', 'command -v wrk'], { encoding: 'utf8' }).stdout.trim() || undefined;
  if (which()) return which();
  if (process.getuid?.() !== 0 || !spawnSync('sh', ['-c', 'command -v apt-get']).stdout.length) return undefined;
  log('wrk is not installed: apt-get install wrk');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const install = spawnSync('sh', ['-c', 'apt-get install -y -qq --no-install-recommends wrk || (apt-get update -qq && apt-get install -y -qq --no-install-recommends wrk)'], { env, stdio: 'ignore' });
  return install.status === 0 ? which() : undefined;
}

const UNIT_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, m: 60_000 };

function parse(out: string): { rps: number; responses: number; p50: number; p99: number } {
  const latency = (pct: string) => {
    const m = new RegExp(`^\\s*${pct}%\\s+([\\d.]+)(us|ms|s|m)\\s*$`, 'm').exec(out);
    if (!m) throw new Error(`wrk printed no ${pct}% latency:\n${out}`);
    return Number(m[1]) * UNIT_MS[m[2]];
  };
  if (/Non-2xx or 3xx responses|Socket errors/.test(out)) throw new Error(`wrk saw errors; a benchmark of errors is meaningless:\n${out}`);
  const responses = Number(/(\d+) requests in/.exec(out)?.[1]);
  const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1]);
  return { rps, responses, p50: latency('50'), p99: latency('99') };
}

export async function measureWrk(
  wrk: string,
  procs: Processes,
  opts: BenchOptions,
  targets: Target[],
  log: (msg: string) => void,
): Promise<WrkResult> {
  const version = spawnSync(wrk, ['-v'], { encoding: 'utf8' }).stdout.split('\n')[0].trim();
  const run = (t: Target, seconds: number) =>
    new Promise<string>((resolve, reject) => {
      const headers = Object.entries(t.auth('main')).flatMap(([k, v]) => ['-H', `${k}: ${v}`]);
      const argv = [wrk, '-t1', `-c${opts.connections}`, `-d${seconds}s`, '--latency', ...headers, t.url + t.paths.list];
      const child = procs.spawn(argv, serverEnv({}), opts.loadCpu);
      let out = '';
      child.stdout!.on('data', (d) => (out += d));
      child.stderr!.on('data', (d) => (out += d));
      child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`wrk exited ${code}:\n${out}`))));
    });
  const result: WrkResult = { version, rounds: {} };
  for (const t of targets) {
    parse(await run(t, opts.warmup));
    result.rounds[t.side] = [];
  }
  for (let round = 1; round <= opts.rounds; round++) {
    for (const t of targets) {
      const r = await measured(t, async () => parse(await run(t, opts.duration)));
      const w: WrkRound = { rps: r.rps, p50: r.p50, p99: r.p99, serverCpuUs: r.serverCpuUs, loopP99: r.loopP99 };
      result.rounds[t.side]!.push(w);
      log(`  wrk list round ${round} ${t.side}: ${Math.round(w.rps)} req/s, p50 ${w.p50.toFixed(2)} ms, p99 ${w.p99.toFixed(2)} ms, ` +
        `event-loop delay p99 ${w.loopP99.toFixed(1)} ms, server CPU ${w.serverCpuUs.toFixed(0)} µs/response`);
    }
  }
  return result;
}
