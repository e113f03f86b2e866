// Child processes of the bench and what it reads about them from /proc. Everything started here
// (processes, temporary files) is undone by cleanup(), on success, failure or a signal alike.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

export interface Processes {
  /** Runs `node --import tsx <script>`, pinned to `cpu` when pinning is on, in its own process group. */
  launch(args: string[], env: NodeJS.ProcessEnv, cpu?: string): ChildProcess;
  /** Runs `argv` as it is (`node dist/src/main.js`, `npm start`), pinned and grouped like launch(). */
  spawn(argv: string[], env: NodeJS.ProcessEnv, cpu?: string): ChildProcess;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when the process has exited. */
  stop(child: ChildProcess, graceMs?: number): Promise<void>;
  kill(child: ChildProcess): void;
  /** Runs at cleanup, after every child process is gone (a server may still hold what it removes). */
  onCleanup(fn: () => void | Promise<void>): void;
  cleanup(): Promise<void>;
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    /* already gone */
  }
}

export function createProcesses(root: string, pin: boolean, log: (msg: string) => void): Processes {
  const children = new Set<ChildProcess>();
  let cleanups: (() => void | Promise<void>)[] = [];
  const killAll = () => {
    for (const child of children) signalGroup(child, 'SIGKILL');
  };
  const runCleanups = () => {
    const fns = cleanups.reverse();
    cleanups = [];
    return fns;
  };
  // Last resort (an uncaught exception): the synchronous part of every cleanup still runs.
  process.on('exit', () => {
    killAll();
    for (const fn of runCleanups()) {
      try {
        void Promise.resolve(fn()).catch(() => undefined);
      } catch {
        /* nothing more can be done while exiting */
      }
    }
  });
  const run = (argv: string[], env: NodeJS.ProcessEnv, cpu?: string) => {
    const cmd = pin && cpu !== undefined ? ['taskset', '-c', cpu, ...argv] : argv;
    const child = spawn(cmd[0], cmd.slice(1), { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    children.add(child);
    child.on('exit', () => children.delete(child));
    return child;
  };
  return {
    launch: (args, env, cpu) => run([process.execPath, '--import', 'tsx', ...args], env, cpu),
    spawn: run,
    stop(child, graceMs = 10_000) {
      if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
      return new Promise((resolve) => {
        const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), graceMs);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        signalGroup(child, 'SIGTERM');
      });
    },
    kill: (child) => signalGroup(child, 'SIGKILL'),
    onCleanup: (fn) => void cleanups.push(fn),
    async cleanup() {
      const exited = [...children].map((c) => new Promise((resolve) => c.once('exit', resolve)));
      killAll();
      await Promise.race([Promise.all(exited), new Promise((resolve) => setTimeout(resolve, 5_000))]);
      for (const fn of runCleanups()) {
        try {
          await Promise.race([fn(), new Promise((_, reject) => setTimeout(() => reject(new Error('timed out')), 15_000))]);
        } catch (err) {
          log(`cleanup failed: ${err instanceof Error ? err.message : String(err)}`);
        }
      }
    },
  };
}

const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim()) || 100;

/** CPU seconds (user + system) the process has used so far; NaN where /proc is not available. */
export function cpuSecondsOf(pid: number): number {
  try {
    // Fields after the command name (which may contain spaces): utime and stime are the 12th and 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}

/** Pids whose parent is `pid` (the workers of a node:cluster primary). */
export function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (Number(readFileSync(`/proc/${name}/stat`, 'utf8').split(') ')[1].split(' ')[1]) === pid) out.push(Number(name));
    } catch {
      /* exited meanwhile */
    }
  }
  return out;
}

export function memoryOf(pid: number): { hwmKiB: number; rssKiB: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { hwmKiB: field('VmHWM'), rssKiB: field('VmRSS') };
}
