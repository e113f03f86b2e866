import { createServer, type AddressInfo } from 'node:net';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { startArgv } from '../../scripts/built';

export const ROOT = join(__dirname, '..', '..');
// node itself with tsx's loader, not the tsx CLI: signals then reach the server directly (the CLI
// is a wrapper process that a SIGKILL would leave the server behind).
const NODE_ARGS = ['--import', 'tsx'];

export interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The environment a child process inherits: without the engines' URLs, which .ci/run sets for the
 * store tests; a process test that wants PostgreSQL or Redis passes them, with its own schema or
 * key prefix, explicitly.
 */
export function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const { DATABASE_URL: _db, REDIS_URL: _redis, ...inherited } = process.env;
  return { ...inherited, ...env };
}

/** Runs a TypeScript entry point of the repo to completion. */
export function runScript(script: string, args: string[], env: Record<string, string>): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...NODE_ARGS, join(ROOT, script), ...args], { env: childEnv(env), cwd: ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

export interface RunningServer {
  child: ChildProcess;
  url: string;
  stdout: () => string;
  stderr: () => string;
  /** Sends the signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** A TCP port nothing listens on now (for a server that must know its own URL before it starts). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/**
 * How a test starts the service: from source through tsx's loader (the default: tests never
 * depend on a build), or as `npm start` runs it, the compiled dist/ with plain node (npm itself
 * left out, so that signals reach the service).
 */
export type Entry = 'source' | 'compiled';

const ENTRIES: Record<Entry, string[]> = {
  source: [...NODE_ARGS, join(ROOT, 'src/main.ts')],
  compiled: startArgv(ROOT).slice(1),
};

const START_LIMIT_MS = 45_000;

/** Starts the service on a free port and waits for its "listening" log line. */
export function startServer(env: Record<string, string>, entry: Entry = 'source'): Promise<RunningServer> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ENTRIES[entry], {
      env: childEnv({ PORT: '0', LOG_LEVEL: 'info', ...env }),
      cwd: ROOT,
    });
    let stdout = '';
    let stderr = '';
    const exited = new Promise<number | null>((r) => child.on('close', (code) => r(code)));
    const fail = (why: string) => reject(new Error(`${why}\nstdout: ${stdout}\nstderr: ${stderr}`));
    // A guard against a server that never starts, not a measure of its start: from source, tsx
    // compiles it first, which took 10 to 20 s on a shared two-core machine running parallel tests.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(`server did not start within ${START_LIMIT_MS / 1000} s`);
    }, START_LIMIT_MS);
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.on('data', (d) => {
      stdout += d;
      const line = stdout.split('\n').find((l) => l.includes('"msg":"listening"'));
      if (!line) return;
      clearTimeout(timer);
      resolve({
        child,
        url: JSON.parse(line).url,
        stdout: () => stdout,
        stderr: () => stderr,
        stop: (signal = 'SIGTERM') => {
          child.kill(signal);
          return exited;
        },
      });
    });
    exited.then((code) => {
      clearTimeout(timer);
      fail(`server exited with ${code} before listening`);
    });
  });
}
