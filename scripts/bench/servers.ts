// Starting the servers under test: the service as `npm start` runs it (compiled, dist/src/main.js,
// plain node) and the bare Express baseline, compiled the same way, so that neither side carries
// a TypeScript loader (tsx's loader thread alone holds tens of MiB and its own CPU).
import type { ChildProcess } from 'node:child_process';
import { basename, join } from 'node:path';
import { buildSync } from 'esbuild';
import type { Processes } from './processes';
import { freePort, request, sleep } from './client';
import { METRICS_TOKEN } from './eventLoop';
import { startArgv } from '../built';

/** The service as `npm start` runs it, node's flags included (`npm run build`; bench.ts builds when stale). */
const SERVICE = startArgv(join(__dirname, '..', '..'));

export interface Running {
  child: ChildProcess;
  pid: number;
  url: string;
  /** Everything the process wrote, for the report. */
  output: () => string;
}

export function serverEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  // Nothing from the caller's shell may change what is measured.
  for (const k of Object.keys(env)) {
    if (/^(VALIDATE_RESPONSES|DATABASE_PATH|PUBLIC_URL|RATE_LIMIT_STORE|REDIS_URL|REDIS_KEY_PREFIX|DATABASE_URL|WORKERS|USAGE_FLUSH_INTERVAL_MS|BODY_LIMIT_BYTES|TRUST_PROXY|HOST|PORT|NODE_OPTIONS|NODE_EXTRA_CA_CERTS|EVENT_RETENTION_DAYS|WEBHOOK_.*)$/.test(k)) delete env[k];
    if (k.startsWith('BENCH_')) delete env[k];
  }
  return { ...env, ...extra };
}

/** Production settings with a limiter that runs on every request but never refuses. */
export function serviceEnv(dataDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return serverEnv({
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    RATE_LIMIT_MULTIPLIER: '1000000',
    DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    PASSWORD_HASH_COST: '10',
    ACCESS_TOKEN_TTL_SECONDS: '3600',
    // The rounds read the event-loop delay from /metrics (prom-client's nodejs_eventloop_lag_*).
    METRICS_TOKEN: METRICS_TOKEN,
    ...extra,
  });
}

/**
 * A bench script (bare Express, the webhook receiver) as one plain JavaScript file: esbuild bundles
 * its own modules and leaves packages to `require`, which finds them from node_modules/.cache.
 */
export function compiledScript(root: string, script: string): string {
  const outfile = join(root, 'node_modules', '.cache', 'cloud-api-bench', basename(script).replace(/\.ts$/, '.js'));
  buildSync({ entryPoints: [join(root, script)], outfile, bundle: true, packages: 'external', platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning' });
  return outfile;
}

/** Runs `script` compiled (compiledScript) and waits for its `"msg":"listening"` line. */
export function startUntilListening(
  procs: Processes,
  root: string,
  script: string,
  env: NodeJS.ProcessEnv,
  cpu: string,
): Promise<Running & { startupMs: number }> {
  const file = compiledScript(root, script);
  return untilListening(procs, () => procs.spawn([process.execPath, file], env, cpu), script);
}

/** Starts `start()`'s process and waits for its `"msg":"listening"` line; `what` names it in errors. */
export function untilListening(procs: Processes, start: () => ChildProcess, what: string): Promise<Running & { startupMs: number }> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = start();
    let out = '';
    let done = false;
    const timer = setTimeout(() => finish(new Error(`${what} did not print "listening" within 60 s`)), 60_000);
    const finish = (err?: Error, value?: Running & { startupMs: number }) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (err) {
        procs.kill(child);
        reject(new Error(`${err.message}\n--- output ---\n${out}`));
      } else resolve(value!);
    };
    child.stderr!.on('data', (d) => (out += d));
    child.stdout!.on('data', (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.includes('"msg":"listening"'));
      if (!line) return;
      const startupMs = Number(process.hrtime.bigint() - t0) / 1e6;
      finish(undefined, { child, pid: child.pid!, url: JSON.parse(line).url as string, startupMs, output: () => out });
    });
    child.on('exit', (code, signal) => finish(new Error(`${what} exited (${code ?? signal}) before listening`)));
  });
}

/**
 * The service with LOG_LEVEL=warn prints no "listening" line: a known port, then poll /readyz.
 * `keepStdout: false` (an access log at info) drains stdout without keeping it; stderr is kept.
 * `argv`: another build's command (the `before` side) instead of this one's `npm start`.
 */
export async function startService(
  procs: Processes,
  env: NodeJS.ProcessEnv,
  cpu?: string,
  opts: { keepStdout?: boolean; argv?: string[] } = {},
): Promise<Running> {
  const port = await freePort();
  const child = procs.spawn(opts.argv ?? SERVICE, { ...env, PORT: String(port) }, cpu);
  let out = '';
  child.stdout!.on('data', (d) => void (opts.keepStdout !== false && (out += d)));
  child.stderr!.on('data', (d) => (out += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the service exited before it was ready:\n${out}`);
    if (Date.now() > deadline) throw new Error(`the service was not ready within 60 s:\n${out}`);
    const ok = await request(`${url}/readyz`).then(
      (r) => r.status === 200,
      () => false,
    );
    if (ok) break;
    await sleep(50);
  }
  return { child, pid: child.pid!, url, output: () => out };
}
