// `npm run bench`: the service against a bare Express 5 route, measured in the same run.
//
// - The server under test is the real service (src/main.ts) in its own process on loopback,
//   production-like: NODE_ENV=production (response validation off), LOG_LEVEL=warn, rate limits
//   multiplied so the limiter runs but never refuses, a fresh temporary DATA_DIR seeded through
//   the store before it starts.
// - The baseline (scripts/bench/bare.ts) is bare Express 5 started the same way, answering with the
//   same JSON bodies.
// - Each measurement is a separate autocannon process (scripts/bench/load.ts). Rounds alternate
//   baseline and service; the figures are medians over rounds and only ratios are compared.
//
// Options (flags or environment): --quick / BENCH_QUICK=1 (2 rounds of 2 s, smaller deep table),
// BENCH_ROUNDS, BENCH_DURATION (s), BENCH_WARMUP (s), BENCH_CONNECTIONS, BENCH_PROJECTS,
// BENCH_DEEP_ROWS, BENCH_DEEP_DEPTH, BENCH_SEQ_REQUESTS, BENCH_PIN=0 (no CPU pinning),
// BENCH_TIMEOUT (s, whole run). BENCHMARKS.md is rewritten by a full run; a quick run only prints
// unless --write / BENCH_WRITE=1 (--no-write / BENCH_WRITE=0 keeps a full run from writing).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir, cpus, totalmem, release, availableParallelism, loadavg } from 'node:os';
import { join } from 'node:path';
import http from 'node:http';
import net from 'node:net';
import { seed, type Seeded } from './bench/seed';
import { median, percentile } from './bench/stats';
import type { LoadResult, LoadSpec } from './bench/load';

const ROOT = join(__dirname, '..');

// ---------------------------------------------------------------- options

const argv = new Set(process.argv.slice(2));
const envFlag = (name: string): boolean | undefined => {
  const v = process.env[name];
  if (v === undefined || v === '') return undefined;
  return ['1', 'true', 'yes', 'on'].includes(v.toLowerCase());
};
const envNumber = (name: string, fallback: number): number => {
  const v = process.env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got '${v}'`);
  return n;
};

const QUICK = argv.has('--quick') || envFlag('BENCH_QUICK') === true;
const NPROC = availableParallelism();
const opts = {
  quick: QUICK,
  rounds: envNumber('BENCH_ROUNDS', QUICK ? 2 : 5),
  duration: envNumber('BENCH_DURATION', QUICK ? 2 : 5),
  warmup: envNumber('BENCH_WARMUP', QUICK ? 1 : 3),
  connections: envNumber('BENCH_CONNECTIONS', 50),
  projects: envNumber('BENCH_PROJECTS', 1000),
  deepRows: envNumber('BENCH_DEEP_ROWS', QUICK ? 200_000 : 1_000_000),
  deepDepth: 0,
  seqRequests: envNumber('BENCH_SEQ_REQUESTS', 200),
  pin: envFlag('BENCH_PIN') ?? NPROC >= 2,
  write: argv.has('--write') ? true : argv.has('--no-write') ? false : (envFlag('BENCH_WRITE') ?? !QUICK),
  timeoutSeconds: envNumber('BENCH_TIMEOUT', QUICK ? 900 : 2400),
};
opts.deepDepth = Math.min(envNumber('BENCH_DEEP_DEPTH', Math.floor(opts.deepRows / 2)), opts.deepRows - 100);
// Server (and baseline) on one core, the load generator on another, as in shared/PERFORMANCE.md.
const SERVER_CPU = '0';
const LOAD_CPU = NPROC >= 2 ? '1' : '0';

const log = (msg: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

// ---------------------------------------------------------------- child processes

const children = new Set<ChildProcess>();
let tmp = '';

/** Runs `node --import tsx <script>` (optionally pinned), in its own process group. */
function launch(args: string[], env: NodeJS.ProcessEnv, cpu?: string, tsxCli = false): ChildProcess {
  const node = tsxCli ? [join(ROOT, 'node_modules', '.bin', 'tsx'), ...args] : [process.execPath, '--import', 'tsx', ...args];
  const cmd = opts.pin && cpu !== undefined ? ['taskset', '-c', cpu, ...node] : node;
  const child = spawn(cmd[0], cmd.slice(1), { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  children.add(child);
  child.on('exit', () => children.delete(child));
  return child;
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    /* already gone */
  }
}

/** SIGTERM, then SIGKILL after `graceMs`; resolves when the process has exited. */
function stop(child: ChildProcess, graceMs = 10_000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    signalGroup(child, 'SIGTERM');
  });
}

function cleanupSync(): void {
  for (const child of children) signalGroup(child, 'SIGKILL');
  if (tmp) rmSync(tmp, { recursive: true, force: true });
  tmp = '';
}

process.on('exit', cleanupSync);
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(sig, () => {
    log(`${sig}: stopping`);
    cleanupSync();
    process.exit(130);
  });
}

// ---------------------------------------------------------------- HTTP client (bench process)

const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

interface Reply {
  status: number;
  body: string;
  ms: number;
}

function request(url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const req = http.request(url, { method: init.method ?? 'GET', headers: init.headers, agent, timeout: 30_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          body: Buffer.concat(chunks).toString('utf8'),
          ms: Number(process.hrtime.bigint() - t0) / 1e6,
        }),
      );
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`timeout: ${init.method ?? 'GET'} ${url}`)));
    req.on('error', reject);
    req.end(init.body);
  });
}

async function expectOk(url: string, init: Parameters<typeof request>[1], what: string): Promise<Reply> {
  const reply = await request(url, init);
  if (reply.status < 200 || reply.status > 299) throw new Error(`${what}: HTTP ${reply.status}: ${reply.body.slice(0, 500)}`);
  return reply;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------- servers

interface Running {
  child: ChildProcess;
  pid: number;
  url: string;
  /** Everything the process wrote, for the report. */
  output: () => string;
}

function serverEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  // Nothing from the caller's shell may change what is measured.
  for (const k of Object.keys(env)) {
    if (/^(VALIDATE_RESPONSES|DATABASE_PATH|PUBLIC_URL|RATE_LIMIT_STORE|REDIS_URL|DATABASE_URL|USAGE_FLUSH_INTERVAL_MS|BODY_LIMIT_BYTES|TRUST_PROXY|HOST|PORT|NODE_OPTIONS)$/.test(k)) delete env[k];
    if (k.startsWith('BENCH_')) delete env[k];
  }
  return { ...env, ...extra };
}

/** Waits for the `"msg":"listening"` line on stdout; resolves with the URL and the time it took. */
function startUntilListening(args: string[], env: NodeJS.ProcessEnv, tsxCli = false): Promise<Running & { startupMs: number }> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = launch(args, env, SERVER_CPU, tsxCli);
    let out = '';
    let done = false;
    const timer = setTimeout(() => finish(new Error(`${args[0]} did not print "listening" within 60 s`)), 60_000);
    const finish = (err?: Error, value?: Running & { startupMs: number }) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (err) {
        signalGroup(child, 'SIGKILL');
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
    child.on('exit', (code, signal) => finish(new Error(`${args[0]} exited (${code ?? signal}) before listening`)));
  });
}

/** The service with LOG_LEVEL=warn prints no "listening" line: a known port, then poll /readyz. */
async function startService(dataDir: string): Promise<Running> {
  const port = await freePort();
  const env = serverEnv({
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    RATE_LIMIT_MULTIPLIER: '1000000',
    DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    PORT: String(port),
    PASSWORD_HASH_COST: '10',
    ACCESS_TOKEN_TTL_SECONDS: '3600',
  });
  const child = launch(['src/main.ts'], env, SERVER_CPU);
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
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

const CLOCK_TICKS = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout?.trim()) || 100;

/** CPU seconds (user + system) the process has used so far; NaN where /proc is not available. */
function cpuSecondsOf(pid: number): number {
  try {
    // Fields after the command name (which may contain spaces): utime and stime are the 12th and 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return NaN;
  }
}

function memoryOf(pid: number): { hwmKiB: number; rssKiB: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { hwmKiB: field('VmHWM'), rssKiB: field('VmRSS') };
}

// ---------------------------------------------------------------- load

function load(spec: LoadSpec): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = launch(['scripts/bench/load.ts', JSON.stringify(spec)], serverEnv({}), LOAD_CPU);
    let out = '';
    let err = '';
    child.stdout!.on('data', (d) => (out += d));
    child.stderr!.on('data', (d) => (err += d));
    const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), (spec.duration + 60) * 1000);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const line = out.trim().split('\n').at(-1);
      if (code !== 0 || !line) return reject(new Error(`load generator failed (${code ?? signal}): ${err}${out}`));
      resolve(JSON.parse(line) as LoadResult);
    });
  });
}

type Side = 'bare' | 'full';

interface Scenario {
  key: string;
  title: string;
  spec: (base: string) => LoadSpec;
}

/** One round of one side, with the server's own CPU time per response over the round. */
type Round = LoadResult & { serverCpuUs: number };

async function loadRound(spec: LoadSpec, serverPid: number): Promise<Round> {
  const cpuBefore = cpuSecondsOf(serverPid);
  const r = await load(spec);
  return { ...r, serverCpuUs: ((cpuSecondsOf(serverPid) - cpuBefore) * 1e6) / r.responses };
}

interface ScenarioResult {
  scenario: Scenario;
  rounds: Record<Side, Round[]>;
}

function checkClean(r: LoadResult, side: Side, what: string): void {
  if (r.non2xx === 0 && r.errors === 0 && r.timeouts === 0) return;
  const msg = `${what} [${side}]: ${r.non2xx} non-2xx, ${r.errors} errors, ${r.timeouts} timeouts; status codes ${JSON.stringify(r.statusCodes)}`;
  throw new Error(`${msg}\nA benchmark of errors is meaningless; stopping.`);
}

async function measure(sc: Scenario, bases: Record<Side, string>, pids: Record<Side, number>): Promise<ScenarioResult> {
  const result: ScenarioResult = { scenario: sc, rounds: { bare: [], full: [] } };
  for (const side of ['bare', 'full'] as const) {
    const r = await load({ ...sc.spec(bases[side]), duration: opts.warmup });
    checkClean(r, side, `${sc.title} warm-up`);
  }
  for (let round = 1; round <= opts.rounds; round++) {
    for (const side of ['bare', 'full'] as const) {
      const r = await loadRound(sc.spec(bases[side]), pids[side]);
      checkClean(r, side, `${sc.title} round ${round}`);
      result.rounds[side].push(r);
      log(`  ${sc.key} round ${round} ${side}: ${Math.round(r.rps)} req/s, p99 ${r.p99.toFixed(2)} ms, server CPU ${r.serverCpuUs.toFixed(0)} µs/response`);
    }
  }
  return result;
}

interface Summary {
  rps: number;
  rpsMin: number;
  rpsMax: number;
  p50: number;
  p99: number;
  bytes: number;
  /** Server CPU µs per response (median over rounds); NaN without /proc. */
  cpuUs: number;
}

function summarize(rs: Round[]): Summary {
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

/** Median over rounds of full/bare within each round: drift between rounds cancels out. */
function pairedRatio(rounds: Record<Side, Round[]>, value: (r: Round) => number): number {
  return median(rounds.full.map((f, i) => value(f) / value(rounds.bare[i])));
}

// ---------------------------------------------------------------- machine

function machine() {
  let cpuModel = cpus()[0]?.model ?? 'unknown';
  try {
    cpuModel = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? cpuModel;
  } catch {
    /* not Linux */
  }
  const git = (...args: string[]) => spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' }).stdout?.trim() ?? '';
  const dirty = git('status', '--porcelain', '--', 'src', 'openapi.yaml', 'package-lock.json');
  return {
    commit: `${git('rev-parse', '--short', 'HEAD') || 'unknown'}${dirty ? ` with uncommitted changes in ${dirty.split('\n').length} file(s) under src/, openapi.yaml or package-lock.json` : ''}`,
    nproc: NPROC,
    cpuModel,
    memGiB: totalmem() / 2 ** 30,
    node: process.version,
    kernel: release(),
  };
}

// ---------------------------------------------------------------- main

const fmt = (n: number, d = 0) => (Number.isFinite(n) ? n.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d }) : 'n/a');
const ms = (n: number) => fmt(n, 2);
const ratio = (n: number) => fmt(n, 2);

async function main(): Promise<void> {
  const started = Date.now();
  const host = machine();
  log(`${opts.quick ? 'quick' : 'full'} run: ${opts.rounds} rounds x ${opts.duration} s, warm-up ${opts.warmup} s, ${opts.connections} connections; ` +
    `${host.nproc} CPUs (${host.cpuModel}), node ${host.node}; pinning ${opts.pin ? `server cpu ${SERVER_CPU}, load cpu ${LOAD_CPU}` : 'off'}`);

  const loadStart = loadavg()[0];
  if (loadStart > NPROC / 2) log(`warning: the machine is busy (1-min load average ${loadStart.toFixed(2)} on ${NPROC} CPUs); figures will be noisy`);

  tmp = mkdtempSync(join(tmpdir(), 'cloud-api-bench-'));
  const dataDir = join(tmp, 'data');

  // 1. Seed (the service is not running yet).
  const users = {
    main: { email: 'bench@bench.example', password: 'bench-password-1', workspace: 'Bench' },
    writes: { email: 'writes@bench.example', password: 'bench-password-2', workspace: 'Bench writes' },
    deep: { email: 'deep@bench.example', password: 'bench-password-3', workspace: 'Bench deep' },
  };
  log(`seeding: ${opts.projects} projects through the store, ${opts.deepRows.toLocaleString('en-US')} bulk-inserted in a separate workspace`);
  const seeded: Seeded = await seed({
    databasePath: join(dataDir, 'cloud-api.sqlite'),
    users: Object.values(users),
    passwordHashCost: 10,
    small: { workspace: users.main.workspace, projects: opts.projects },
    deep: { workspace: users.deep.workspace, projects: opts.deepRows, depth: opts.deepDepth },
  });
  log(`seeded in ${((Date.now() - started) / 1000).toFixed(1)} s (bulk insert ${seeded.deep.seconds.toFixed(1)} s); ` +
    `SQLite at depth ${seeded.sqlite.depth}: keyset ${ms(seeded.sqlite.keysetMs)} ms, OFFSET ${ms(seeded.sqlite.offsetMs)} ms`);

  // 2. The service, then tokens and the bodies the baseline will serve.
  const full = await startService(dataDir);
  log(`service ready at ${full.url} (pid ${full.pid})`);
  const tokens: Record<keyof typeof users, string> = { main: '', writes: '', deep: '' };
  for (const key of Object.keys(users) as (keyof typeof users)[]) {
    const { email, password } = users[key];
    const r = await expectOk(`${full.url}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    }, `login ${email}`);
    tokens[key] = (JSON.parse(r.body) as { data: { access_token: string } }).data.access_token;
  }
  const auth = (key: keyof typeof users) => ({ authorization: `Bearer ${tokens[key]}` });

  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  const paths = {
    list: '/v1/projects?limit=20',
    usage: `/v1/usage?from=${day(-1)}&to=${day(1)}`,
    get: '',
  };
  const listBody = (await expectOk(full.url + paths.list, { headers: auth('main') }, 'GET list')).body;
  const list = JSON.parse(listBody) as { data: { id: string }[] };
  if (list.data.length !== 20) throw new Error(`GET list returned ${list.data.length} items, expected 20`);
  paths.get = `/v1/projects/${list.data[0].id}`;
  const getBody = (await expectOk(full.url + paths.get, { headers: auth('main') }, 'GET project')).body;
  const usageBody = (await expectOk(full.url + paths.usage, { headers: auth('main') }, 'GET usage')).body;
  const bodiesFile = join(tmp, 'bodies.json');
  writeFileSync(bodiesFile, JSON.stringify({ list: listBody, get: getBody, usage: usageBody }));

  // 3. The baseline, checked to serve the very same list bytes.
  const bare = await startUntilListening(['scripts/bench/bare.ts'], serverEnv({ NODE_ENV: 'production', PORT: '0', BENCH_BODIES: bodiesFile }));
  log(`bare Express ready at ${bare.url} (pid ${bare.pid})`);
  const bareList = await expectOk(bare.url + paths.list, { headers: auth('main') }, 'bare GET list');
  if (bareList.body !== listBody) throw new Error('the baseline does not serve the same list body bytes');
  const bases: Record<Side, string> = { bare: bare.url, full: full.url };

  // 4. Interleaved rounds.
  const scenarios: Scenario[] = [
    {
      key: 'list',
      title: 'GET /v1/projects?limit=20',
      spec: (base) => ({ url: base + paths.list, headers: auth('main'), connections: opts.connections, duration: opts.duration }),
    },
    {
      key: 'create',
      title: 'POST /v1/projects',
      spec: (base) => ({
        url: base + '/v1/projects',
        method: 'POST',
        headers: { ...auth('writes'), 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'bench [<id>]', description: 'Created by the benchmark.' }),
        idReplacement: true,
        connections: opts.connections,
        duration: opts.duration,
      }),
    },
    {
      key: 'get',
      title: 'GET /v1/projects/{id}',
      spec: (base) => ({ url: base + paths.get, headers: auth('main'), connections: opts.connections, duration: opts.duration }),
    },
    {
      key: 'usage',
      title: 'GET /v1/usage?from=..&to=..',
      spec: (base) => ({ url: base + paths.usage, headers: auth('main'), connections: opts.connections, duration: opts.duration }),
    },
  ];
  const results: ScenarioResult[] = [];
  for (const sc of scenarios) {
    log(`${sc.title}`);
    results.push(await measure(sc, bases, { bare: bare.pid, full: full.pid }));
  }
  const memAfterMain = { full: memoryOf(full.pid), bare: memoryOf(bare.pid) };

  // 5. Deep pages: walk the cursor to the depth, then page 1 against the page there.
  log(`deep pages: walking ${opts.deepDepth.toLocaleString('en-US')} rows with limit=100`);
  const walkStart = process.hrtime.bigint();
  let cursor: string | null = null;
  let walked = 0;
  let walkRequests = 0;
  while (walked < opts.deepDepth) {
    const limit = Math.min(100, opts.deepDepth - walked);
    const q: string = `/v1/projects?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`;
    const r = await expectOk(full.url + q, { headers: auth('deep') }, `walk at ${walked}`);
    walkRequests++;
    const page = JSON.parse(r.body) as { data: unknown[]; meta: { next_cursor: string | null } };
    walked += page.data.length;
    cursor = page.meta.next_cursor;
    if (!cursor) throw new Error(`the listing ended after ${walked} rows`);
    if (walkRequests % 1000 === 0) log(`  ${walked.toLocaleString('en-US')} rows, last page ${ms(r.ms)} ms`);
  }
  const walkSeconds = Number(process.hrtime.bigint() - walkStart) / 1e9;
  const deepPaths = { first: '/v1/projects?limit=20', deep: `/v1/projects?limit=20&cursor=${cursor}` };
  const deepCheck = JSON.parse((await expectOk(full.url + deepPaths.deep, { headers: auth('deep') }, 'deep page')).body) as {
    data: { name: string }[];
  };
  const expectedName = `Deep project ${opts.deepRows - 1 - opts.deepDepth}`;
  if (deepCheck.data[0]?.name !== expectedName) throw new Error(`deep page starts with ${deepCheck.data[0]?.name}, expected ${expectedName}`);

  // Sequential, one connection, alternating, after a short warm-up: pure per-request latency.
  const seq = { first: [] as number[], deep: [] as number[] };
  for (let i = 0; i < 20; i++) {
    await expectOk(full.url + deepPaths.first, { headers: auth('deep') }, 'warm first');
    await expectOk(full.url + deepPaths.deep, { headers: auth('deep') }, 'warm deep');
  }
  for (let i = 0; i < opts.seqRequests; i++) {
    seq.first.push((await expectOk(full.url + deepPaths.first, { headers: auth('deep') }, 'page 1')).ms);
    seq.deep.push((await expectOk(full.url + deepPaths.deep, { headers: auth('deep') }, 'deep page')).ms);
  }
  const seqStats = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return { p50: percentile(s, 50), p99: percentile(s, 99) };
  };
  const seqFirst = seqStats(seq.first);
  const seqDeep = seqStats(seq.deep);
  log(`  sequential: page 1 median ${ms(seqFirst.p50)} ms, at ${opts.deepDepth} median ${ms(seqDeep.p50)} ms`);

  // Under load: the same two URLs, interleaved rounds at the same concurrency.
  const deepRounds = { first: [] as Round[], deep: [] as Round[] };
  for (const which of ['first', 'deep'] as const) {
    const r = await load({ url: full.url + deepPaths[which], headers: auth('deep'), connections: opts.connections, duration: opts.warmup });
    checkClean(r, 'full', `deep ${which} warm-up`);
  }
  for (let round = 1; round <= opts.rounds; round++) {
    for (const which of ['first', 'deep'] as const) {
      const r = await loadRound({ url: full.url + deepPaths[which], headers: auth('deep'), connections: opts.connections, duration: opts.duration }, full.pid);
      checkClean(r, 'full', `deep ${which} round ${round}`);
      deepRounds[which].push(r);
      log(`  ${which === 'first' ? 'page 1' : `after ${opts.deepDepth}`} round ${round}: ${Math.round(r.rps)} req/s, p99 ${r.p99.toFixed(2)} ms`);
    }
  }
  const deepLoad = { first: summarize(deepRounds.first), deep: summarize(deepRounds.deep) };
  const memEnd = memoryOf(full.pid);

  // 6. Stop both; anything the service logged at warn or above is worth reporting.
  await stop(bare.child);
  await stop(full.child);
  const serviceLog = full.output().trim();

  // 7. Start-up: spawn until the "listening" line (LOG_LEVEL=info just for that line), on the seeded data.
  const startEnv = serverEnv({
    NODE_ENV: 'production',
    LOG_LEVEL: 'info',
    RATE_LIMIT_MULTIPLIER: '1000000',
    DATA_DIR: dataDir,
    HOST: '127.0.0.1',
    PORT: '0',
  });
  const startups = { node: [] as number[], cli: [] as number[] };
  for (let i = 0; i < 3; i++) {
    for (const variant of ['node', 'cli'] as const) {
      const s = await startUntilListening(['src/main.ts'], startEnv, variant === 'cli');
      startups[variant].push(s.startupMs);
      await stop(s.child);
    }
  }
  log(`start-up: node --import tsx ${startups.node.map((x) => x.toFixed(0)).join(', ')} ms; tsx CLI ${startups.cli.map((x) => x.toFixed(0)).join(', ')} ms`);

  // ---------------------------------------------------------------- report
  const rows = results.map((r) => ({ r, bare: summarize(r.rounds.bare), full: summarize(r.rounds.full) }));
  const listRow = rows.find((x) => x.r.scenario.key === 'list')!;
  const tputRatio = listRow.full.rps / listRow.bare.rps;
  const p99Ratio = listRow.full.p99 / listRow.bare.p99;
  const targets = [
    { text: 'full-stack GET /v1/projects throughput >= 60% of bare Express', value: `${fmt(tputRatio * 100)}%`, met: tputRatio >= 0.6 },
    { text: 'full-stack GET /v1/projects p99 <= 2x bare Express p99', value: `${ratio(p99Ratio)}x`, met: p99Ratio <= 2 },
  ];
  const elapsed = (Date.now() - started) / 1000;
  const loadEnd = loadavg()[0];

  const md: string[] = [];
  md.push('# Benchmarks', '');
  md.push(`Generated by \`npm run bench\` (scripts/bench.ts) on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC` +
    `${opts.quick ? ' in quick mode' : ''}; the run took ${fmt(elapsed)} s. Rerun to regenerate; do not edit by hand.`, '');
  md.push('## Method', '');
  md.push(`- Machine: ${host.nproc} CPUs, ${host.cpuModel}, ${fmt(host.memGiB, 1)} GiB RAM, Linux ${host.kernel}, Node.js ${host.node}; ` +
    `1-min load average ${fmt(loadStart, 2)} at the start and ${fmt(loadEnd, 2)} at the end of the run` +
    `${Math.max(loadStart, loadEnd) > host.nproc / 2 ? ' (other work was running: treat absolute figures with extra caution)' : ''}.`);
  md.push(`- Code measured: commit ${host.commit}.`);
  md.push(`- Server under test: \`src/main.ts\` in its own process (\`node --import tsx\`), on 127.0.0.1, ` +
    '`NODE_ENV=production` (response validation off), `LOG_LEVEL=warn`, `RATE_LIMIT_MULTIPLIER=1000000` (the limiter runs on every ' +
    'request but never refuses), a fresh temporary `DATA_DIR`, seeded through the store before start; requests carry a bearer token from `POST /v1/auth/login`.');
  md.push('- Baseline: bare Express 5 (`scripts/bench/bare.ts`, defaults, no middleware but `express.json()` on POST) started the same way; ' +
    'its GET routes `res.json` the bodies the service returned (the list body is checked byte for byte), its POST parses JSON and answers a similar 201.');
  md.push(`- Load: autocannon 9 in a separate process per measurement (\`scripts/bench/load.ts\`), ${opts.connections} connections, no pipelining; ` +
    `${opts.pin ? `server pinned to CPU ${SERVER_CPU} and load generator to CPU ${LOAD_CPU} (\`taskset\`)` : 'no CPU pinning'}.`);
  md.push(`- Per endpoint: one ${opts.warmup} s warm-up per side, then ${opts.rounds} interleaved rounds (bare, full, bare, full, ...) of ${opts.duration} s. ` +
    'Figures are medians over rounds; p50/p99 are exact percentiles of every response time of a round (sub-millisecond). ' +
    'Any non-2xx response, socket error or timeout stops the run.');
  md.push(`- Data: ${fmt(opts.projects)} projects in the measured workspace; \`POST\` writes into a separate workspace so the list body stays fixed; ` +
    `a third workspace holds ${fmt(opts.deepRows)} projects for the deep-page test, all in the same database file.`);
  md.push('- Absolute requests/s swing a lot between runs on shared machines; compare the ratios, which are measured within one run.', '');

  md.push(`## Results (${opts.connections} connections)`, '');
  md.push('| endpoint | bare req/s | full req/s | full/bare throughput | bare p50 ms | full p50 ms | bare p99 ms | full p99 ms | full/bare p99 | bytes/response bare, full |');
  md.push('|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|');
  for (const { r, bare: b, full: f } of rows) {
    md.push(`| \`${r.scenario.title}\` | ${fmt(b.rps)} | ${fmt(f.rps)} | **${ratio(f.rps / b.rps)}** | ${ms(b.p50)} | ${ms(f.p50)} | ${ms(b.p99)} | ${ms(f.p99)} | **${ratio(f.p99 / b.p99)}** | ${fmt(b.bytes)}, ${fmt(f.bytes)} |`);
  }
  md.push('');
  md.push('Requests/s of every round (min to max over rounds):', '');
  md.push('| endpoint | bare rounds | full rounds |');
  md.push('|---|---|---|');
  for (const { r, bare: b, full: f } of rows) {
    md.push(`| \`${r.scenario.title}\` | ${r.rounds.bare.map((x) => fmt(x.rps)).join(', ')} (${fmt(b.rpsMin)}-${fmt(b.rpsMax)}) | ` +
      `${r.rounds.full.map((x) => fmt(x.rps)).join(', ')} (${fmt(f.rpsMin)}-${fmt(f.rpsMax)}) |`);
  }
  md.push('');
  md.push('Cross-checks of the ratios above. Paired: the median over rounds of full/bare within the same round, which cancels drift ' +
    'between rounds. Server CPU: the process\'s own user + system time over a round divided by its responses (from `/proc`), ' +
    'which does not depend on how fast the load generator is; bare/full of it is the throughput the full stack would reach ' +
    'relative to bare Express if the server\'s core were the only limit.', '');
  md.push('| endpoint | full/bare throughput, paired | full/bare p99, paired | server CPU µs/response bare, full | bare/full CPU per response |');
  md.push('|---|--:|--:|--:|--:|');
  for (const { r, bare: b, full: f } of rows) {
    md.push(`| \`${r.scenario.title}\` | ${ratio(pairedRatio(r.rounds, (x) => x.rps))} | ${ratio(pairedRatio(r.rounds, (x) => x.p99))} | ` +
      `${fmt(b.cpuUs)}, ${fmt(f.cpuUs)} | ${ratio(b.cpuUs / f.cpuUs)} |`);
  }
  md.push('');
  md.push('### Targets', '');
  for (const t of targets) md.push(`- ${t.met ? 'MET' : 'NOT MET'}: ${t.text} (measured ${t.value}).`);
  md.push('');

  md.push('## Deep pages (keyset pagination)', '');
  md.push(`${fmt(opts.deepRows)} projects in one workspace, bulk-inserted in ${fmt(seeded.deep.seconds, 1)} s. A cursor after ${fmt(opts.deepDepth)} rows ` +
    `was reached by walking the listing with \`limit=100\` (${fmt(walkRequests)} requests in ${fmt(walkSeconds, 1)} s, ${fmt(walkRequests / walkSeconds)} pages/s). ` +
    'Both pages below use `limit=20`.', '');
  md.push('| page | sequential median ms | sequential p99 ms | req/s at ' + opts.connections + ' conns | p99 ms at ' + opts.connections + ' conns | server CPU µs/response |');
  md.push('|---|--:|--:|--:|--:|--:|');
  md.push(`| page 1 | ${ms(seqFirst.p50)} | ${ms(seqFirst.p99)} | ${fmt(deepLoad.first.rps)} | ${ms(deepLoad.first.p99)} | ${fmt(deepLoad.first.cpuUs)} |`);
  md.push(`| after ${fmt(opts.deepDepth)} rows | ${ms(seqDeep.p50)} | ${ms(seqDeep.p99)} | ${fmt(deepLoad.deep.rps)} | ${ms(deepLoad.deep.p99)} | ${fmt(deepLoad.deep.cpuUs)} |`);
  md.push('');
  md.push(`Sequential: ${opts.seqRequests} requests each on one keep-alive connection, alternating page 1 and the deep page, ` +
    `measured from the benchmark process. Under load: ${opts.rounds} interleaved rounds of ${opts.duration} s, medians. ` +
    `Deep/page-1 latency ratio: ${ratio(seqDeep.p50 / seqFirst.p50)} sequential, ${ratio(deepLoad.deep.p99 / deepLoad.first.p99)} p99 under load.`, '');
  md.push(`For contrast, inside SQLite (no HTTP) at the same depth: the store's keyset query ${ms(seeded.sqlite.keysetMs)} ms, ` +
    `the same page by \`OFFSET ${fmt(seeded.sqlite.depth)}\` ${ms(seeded.sqlite.offsetMs)} ms.`, '');

  md.push('## Memory and start-up', '');
  md.push(`- Peak RSS (VmHWM) of the service: ${fmt(memAfterMain.full.hwmKiB / 1024, 1)} MiB after the endpoint runs, ` +
    `${fmt(memEnd.hwmKiB / 1024, 1)} MiB at the end (after walking and paging the ${fmt(opts.deepRows)}-row workspace; SQLite's mmap of the database file counts as resident). ` +
    `Bare Express: ${fmt(memAfterMain.bare.hwmKiB / 1024, 1)} MiB.`);
  md.push(`- Start-up, spawn until the \`listening\` log line, median of 3 on the seeded database: ${fmt(median(startups.node))} ms with ` +
    `\`node --import tsx src/main.ts\` (runs: ${startups.node.map((x) => fmt(x)).join(', ')}); ${fmt(median(startups.cli))} ms through the \`tsx\` CLI as \`npm start\` runs it ` +
    `(runs: ${startups.cli.map((x) => fmt(x)).join(', ')}). Includes loading TypeScript through tsx, the contract, opening SQLite and the self-check request.`);
  md.push('');
  md.push('## Reproduce', '');
  md.push('```sh');
  md.push('npm ci');
  md.push('npm run bench                 # full run, rewrites BENCHMARKS.md (6-10 minutes)');
  md.push('BENCH_QUICK=1 npm run bench   # 2 rounds of 2 s, 200k deep rows; prints only (add --write to save)');
  md.push('```');
  md.push('');
  md.push('Other knobs: `BENCH_ROUNDS`, `BENCH_DURATION`, `BENCH_WARMUP`, `BENCH_CONNECTIONS`, `BENCH_PROJECTS`, `BENCH_DEEP_ROWS`, ' +
    '`BENCH_DEEP_DEPTH`, `BENCH_SEQ_REQUESTS`, `BENCH_PIN=0`, `BENCH_TIMEOUT`. Only loopback traffic; temporary files and child processes are removed at the end.');
  const report = md.join('\n') + '\n';

  process.stdout.write('\n' + report);
  if (serviceLog) process.stdout.write(`\nThe service logged (LOG_LEVEL=warn):\n${serviceLog.slice(0, 4000)}\n`);
  if (opts.write) {
    writeFileSync(join(ROOT, 'BENCHMARKS.md'), report);
    log('wrote BENCHMARKS.md');
  } else {
    log('BENCHMARKS.md not written (quick run; pass --write to save)');
  }
}

const watchdog = setTimeout(() => {
  log(`the run exceeded BENCH_TIMEOUT=${opts.timeoutSeconds} s; stopping`);
  cleanupSync();
  process.exit(3);
}, opts.timeoutSeconds * 1000);

main().then(
  () => {
    clearTimeout(watchdog);
    cleanupSync();
    process.exit(0);
  },
  (err) => {
    clearTimeout(watchdog);
    process.stderr.write(`\nbench failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    cleanupSync();
    process.exit(1);
  },
);
