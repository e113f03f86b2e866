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
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { join } from 'node:path';
import { readOptions, log, type BenchOptions } from './bench/options';
import { createProcesses, cpuSecondsOf, memoryOf, type Processes } from './bench/processes';
import { expectOk } from './bench/client';
import { serverEnv, serviceEnv, startService, startUntilListening, measureStartups } from './bench/servers';
import { createRounds, type Scenario, type ScenarioResult, type Target } from './bench/rounds';
import { measureDeepPages } from './bench/deep';
import { machine } from './bench/machine';
import { renderReport } from './bench/report';
import { seed } from './bench/seed';
import { ms } from './bench/format';

const ROOT = join(__dirname, '..');

const USERS = {
  main: { email: 'bench@bench.example', password: 'bench-password-1', workspace: 'Bench' },
  writes: { email: 'writes@bench.example', password: 'bench-password-2', workspace: 'Bench writes' },
  deep: { email: 'deep@bench.example', password: 'bench-password-3', workspace: 'Bench deep' },
};
type UserKey = keyof typeof USERS;
type Auth = (key: UserKey) => Record<string, string>;

async function login(url: string): Promise<Auth> {
  const tokens = {} as Record<UserKey, string>;
  for (const key of Object.keys(USERS) as UserKey[]) {
    const { email, password } = USERS[key];
    const body = JSON.stringify({ email, password });
    const r = await expectOk(`${url}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }, `login ${email}`);
    tokens[key] = (JSON.parse(r.body) as { data: { access_token: string } }).data.access_token;
  }
  return (key) => ({ authorization: `Bearer ${tokens[key]}` });
}

function scenarios(opts: BenchOptions, paths: { list: string; get: string; usage: string }, auth: Auth): Scenario[] {
  const get = (path: string) => (base: string) => ({ url: base + path, headers: auth('main'), connections: opts.connections, duration: opts.duration });
  return [
    { key: 'list', title: 'GET /v1/projects?limit=20', spec: get(paths.list) },
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
    { key: 'get', title: 'GET /v1/projects/{id}', spec: get(paths.get) },
    { key: 'usage', title: 'GET /v1/usage?from=..&to=..', spec: get(paths.usage) },
  ];
}

async function main(opts: BenchOptions, procs: Processes): Promise<void> {
  const started = Date.now();
  const host = machine(ROOT, opts.nproc);
  log(`${opts.quick ? 'quick' : 'full'} run: ${opts.rounds} rounds x ${opts.duration} s, warm-up ${opts.warmup} s, ${opts.connections} connections; ` +
    `${host.nproc} CPUs (${host.cpuModel}), node ${host.node}; pinning ${opts.pin ? `server cpu ${opts.serverCpu}, load cpu ${opts.loadCpu}` : 'off'}`);
  const loadStart = loadavg()[0];
  if (loadStart > opts.nproc / 2) log(`warning: the machine is busy (1-min load average ${loadStart.toFixed(2)} on ${opts.nproc} CPUs); figures will be noisy`);

  const tmp = mkdtempSync(join(tmpdir(), 'cloud-api-bench-'));
  procs.onCleanup(() => rmSync(tmp, { recursive: true, force: true }));
  const dataDir = join(tmp, 'data');

  // 1. Seed (the service is not running yet).
  log(`seeding: ${opts.projects} projects through the store, ${opts.deepRows.toLocaleString('en-US')} bulk-inserted in a separate workspace`);
  const seeded = await seed({
    databasePath: join(dataDir, 'cloud-api.sqlite'),
    users: Object.values(USERS),
    passwordHashCost: 10,
    small: { workspace: USERS.main.workspace, projects: opts.projects },
    deep: { workspace: USERS.deep.workspace, projects: opts.deepRows, depth: opts.deepDepth },
  });
  log(`seeded in ${((Date.now() - started) / 1000).toFixed(1)} s (bulk insert ${seeded.deep.seconds.toFixed(1)} s); ` +
    `SQLite at depth ${seeded.sqlite.depth}: keyset ${ms(seeded.sqlite.keysetMs)} ms, OFFSET ${ms(seeded.sqlite.offsetMs)} ms`);

  // 2. The service, then tokens and the bodies the baseline will serve.
  const full = await startService(procs, serviceEnv(dataDir), opts.serverCpu);
  log(`service ready at ${full.url} (pid ${full.pid})`);
  const auth = await login(full.url);
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  const paths = { list: '/v1/projects?limit=20', usage: `/v1/usage?from=${day(-1)}&to=${day(1)}`, get: '' };
  const fetchBody = async (path: string, what: string) => (await expectOk(full.url + path, { headers: auth('main') }, what)).body;
  const listBody = await fetchBody(paths.list, 'GET list');
  const list = JSON.parse(listBody) as { data: { id: string }[] };
  if (list.data.length !== 20) throw new Error(`GET list returned ${list.data.length} items, expected 20`);
  paths.get = `/v1/projects/${list.data[0].id}`;
  const bodiesFile = join(tmp, 'bodies.json');
  writeFileSync(bodiesFile, JSON.stringify({ list: listBody, get: await fetchBody(paths.get, 'GET project'), usage: await fetchBody(paths.usage, 'GET usage') }));

  // 3. The baseline, checked to serve the very same list bytes.
  const bareEnv = serverEnv({ NODE_ENV: 'production', PORT: '0', BENCH_BODIES: bodiesFile });
  const bare = await startUntilListening(procs, ['scripts/bench/bare.ts'], bareEnv, opts.serverCpu);
  log(`bare Express ready at ${bare.url} (pid ${bare.pid})`);
  const bareList = await expectOk(bare.url + paths.list, { headers: auth('main') }, 'bare GET list');
  if (bareList.body !== listBody) throw new Error('the baseline does not serve the same list body bytes');

  // 4. Interleaved rounds.
  const rounds = createRounds(procs, opts, log);
  const targets: Target[] = [
    { side: 'bare', url: bare.url, cpuSeconds: () => cpuSecondsOf(bare.pid) },
    { side: 'full', url: full.url, cpuSeconds: () => cpuSecondsOf(full.pid) },
  ];
  const results: ScenarioResult[] = [];
  for (const sc of scenarios(opts, paths, auth)) {
    log(sc.title);
    results.push(await rounds.measure(sc, targets));
  }
  const memAfterMain = { full: memoryOf(full.pid), bare: memoryOf(bare.pid) };

  // 5. Deep pages.
  const deep = await measureDeepPages(targets[1], auth('deep'), opts, rounds, log);
  const memEnd = memoryOf(full.pid);

  // 6. Stop both; anything the service logged at warn or above is worth reporting.
  await procs.stop(bare.child);
  await procs.stop(full.child);
  const serviceLog = full.output().trim();

  // 7. Start-up on the seeded data (LOG_LEVEL=info just for the "listening" line).
  const startups = await measureStartups(procs, serviceEnv(dataDir, { LOG_LEVEL: 'info', PORT: '0' }), opts.serverCpu);
  log(`start-up: node --import tsx ${startups.node.map((x) => x.toFixed(0)).join(', ')} ms; tsx CLI ${startups.cli.map((x) => x.toFixed(0)).join(', ')} ms`);

  const report = renderReport({
    opts,
    host,
    elapsedSeconds: (Date.now() - started) / 1000,
    load: { start: loadStart, end: loadavg()[0] },
    results,
    seeded,
    deep,
    memory: { fullAfterMain: memAfterMain.full.hwmKiB, fullEnd: memEnd.hwmKiB, bare: memAfterMain.bare.hwmKiB },
    startups,
  });
  process.stdout.write('\n' + report);
  if (serviceLog) process.stdout.write(`\nThe service logged (LOG_LEVEL=warn):\n${serviceLog.slice(0, 4000)}\n`);
  if (opts.write) {
    writeFileSync(join(ROOT, 'BENCHMARKS.md'), report);
    log('wrote BENCHMARKS.md');
  } else {
    log('BENCHMARKS.md not written (quick run; pass --write to save)');
  }
}

const opts = readOptions(process.argv.slice(2));
const procs = createProcesses(ROOT, opts.pin, log);
// The first reason to stop wins: killing the children makes the run itself fail, which must not
// report a second, misleading failure or exit before the cleanup is done.
let finishing: Promise<void> | undefined;
const finish = (code: number) =>
  (finishing ??= procs.cleanup().then(() => process.exit(code)));
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(sig, () => {
    log(`${sig}: stopping`);
    void finish(130);
  });
}
const watchdog = setTimeout(() => {
  log(`the run exceeded BENCH_TIMEOUT=${opts.timeoutSeconds} s; stopping`);
  void finish(3);
}, opts.timeoutSeconds * 1000);

main(opts, procs).then(
  () => {
    clearTimeout(watchdog);
    return finish(0);
  },
  (err) => {
    clearTimeout(watchdog);
    if (finishing) return finishing;
    process.stderr.write(`\nbench failed: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    return finish(1);
  },
);
