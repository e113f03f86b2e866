// `npm run bench`: the service against a bare Express 5 route, measured in the same run.
//
// - The server under test is the real service as `npm start` runs it (compiled, dist/) in its own
//   process on loopback, production-like: NODE_ENV=production (response validation off),
//   LOG_LEVEL=warn, rate limits multiplied so the limiter runs but never refuses, METRICS_TOKEN set
//   (the rounds read the event-loop delay from /metrics), a fresh temporary DATA_DIR seeded through
//   the store before it starts.
// - The baseline (scripts/bench/bare.ts) is bare Express 5, compiled by esbuild and started the
//   same way, answering with the same JSON bodies.
// - Each measurement is a separate autocannon process (scripts/bench/load.ts). Rounds alternate
//   baseline and service; the figures are medians over rounds and only ratios are compared.
// - Two other builds of the service take their turn in the same rounds (scripts/bench/sides.ts):
//   on PostgreSQL + Redis when DATABASE_URL and REDIS_URL are set (a schema and key prefix of the
//   run's own, removed at the end), and with WORKERS=2 on the SQLite file.
//
// Options (flags or environment): --quick / BENCH_QUICK=1 (2 rounds of 2 s, smaller deep table),
// BENCH_ROUNDS, BENCH_DURATION (s), BENCH_WARMUP (s), BENCH_CONNECTIONS, BENCH_PROJECTS,
// BENCH_DEEP_ROWS, BENCH_DEEP_DEPTH, BENCH_SEQ_REQUESTS, BENCH_PIN=0 (no CPU pinning),
// BENCH_TIMEOUT (s, whole run), BENCH_WORKERS (1: no workers side), BENCH_POSTGRES=0 (no PostgreSQL
// side), BENCH_DATABASE_URL / BENCH_REDIS_URL (instead of DATABASE_URL / REDIS_URL), BENCH_WEBHOOKS=0
// (no webhooks part), BENCH_LOGGING=0 (no access-logging part), BENCH_TRACING=0 (no tracing part),
// BENCH_STARTUP_RUNS (spawns of the compiled service), BENCH_ONLY=webhooks|startup|logging|tracing / --only=... (that part alone, printed
// only), BENCH_WEBHOOK_DELIVERIES (per backlog), BENCH_WEBHOOK_ENDPOINTS (rows, e.g. 1,8),
// BENCH_BEFORE=<commit> (that commit's build as one more side: before/after in one run),
// BENCH_WRK=0 (no wrk cross-check of the list page's tail).
// Every server runs compiled (the service as `npm start` runs it): dist/ is built first when stale.
// BENCHMARKS.md is rewritten by a full run; a quick run only prints unless --write / BENCH_WRITE=1
// (--no-write / BENCH_WRITE=0 keeps a full run from writing).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir, loadavg } from 'node:os';
import { join } from 'node:path';
import { readOptions, log, type BenchOptions } from './bench/options';
import { createProcesses, memoryOf, type Processes } from './bench/processes';
import { expectOk } from './bench/client';
import { serverEnv, serviceEnv, startService, startUntilListening } from './bench/servers';
import { createRounds, processCpu, type ScenarioResult, type Target } from './bench/rounds';
import { USERS, scenarios, serviceTarget, startPostgresSide, startWorkersSide } from './bench/sides';
import { prepareEngines } from './bench/engines';
import { measureDeepPages } from './bench/deep';
import { machine } from './bench/machine';
import { renderReport } from './bench/report';
import { seed, seedPostgres } from './bench/seed';
import { ms } from './bench/format';
import { measureWebhooks, type WebhooksResult } from './bench/webhooks';
import { webhooksSection } from './bench/reportWebhooks';
import { measureStartup, startupSection } from './bench/startup';
import { ensureBuilt } from './built';
import { loggingSection, measureLogging } from './bench/logging';
import { measureTracing, tracingSection } from './bench/tracing';
import { bareLoop } from './bench/eventLoop';
import { buildBefore, startBeforeSide } from './bench/before';
import { findWrk, measureWrk } from './bench/wrk';

const ROOT = join(__dirname, '..');

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
  // Before anything is measured (a build would disturb the rounds): every side runs dist/.
  ensureBuilt(ROOT, log);
  if (opts.only === 'webhooks') return webhooksOnly(opts, procs, tmp);

  // 1. Seed (the services are not running yet); PostgreSQL too when there is one.
  const { plan, seeded } = await seedSqlite(opts, dataDir, started);
  if (opts.only) return partOnly(opts, procs, dataDir);
  const engines = opts.databaseUrl && opts.redisUrl ? await prepareEngines(opts.databaseUrl, opts.redisUrl, procs) : undefined;
  if (engines) {
    await seedPostgres(engines.databaseUrl, plan);
    log(`PostgreSQL ${engines.postgresVersion}: seeded schema ${engines.schema}; Redis key prefix ${engines.redisKeyPrefix}`);
  } else {
    log('no PostgreSQL + Redis side: set DATABASE_URL and REDIS_URL (or BENCH_DATABASE_URL and BENCH_REDIS_URL)');
  }

  // 2. The service, then tokens and the bodies the baseline will serve.
  const full = await startService(procs, serviceEnv(dataDir), opts.serverCpu);
  log(`service ready at ${full.url} (pid ${full.pid})`);
  const fullSide = await serviceTarget('full', full, processCpu(() => [full.pid]));
  const bodiesFile = join(tmp, 'bodies.json');
  writeFileSync(bodiesFile, JSON.stringify(fullSide.bodies));

  // 3. The baseline, checked to serve the very same list bytes.
  const bareEnv = serverEnv({ NODE_ENV: 'production', PORT: '0', BENCH_BODIES: bodiesFile });
  const bare = await startUntilListening(procs, ROOT, 'scripts/bench/bare.ts', bareEnv, opts.serverCpu);
  log(`bare Express ready at ${bare.url} (pid ${bare.pid})`);
  const bareList = await expectOk(bare.url + fullSide.target.paths.list, {}, 'bare GET list');
  if (bareList.body !== fullSide.bodies.list) throw new Error('the baseline does not serve the same list body bytes');
  const bareTarget: Target = { ...fullSide.target, side: 'bare', url: bare.url, cpu: processCpu(() => [bare.pid]), eventLoop: bareLoop(bare.url) };

  // 4. The other builds of the service: BENCH_BEFORE's, on PostgreSQL + Redis, and with several workers (not pinned: see the report).
  const beforeBuild = opts.before ? buildBefore(ROOT, opts.before, join(tmp, 'before'), procs, log) : undefined;
  const before = beforeBuild && (await startBeforeSide(procs, beforeBuild, serviceEnv(dataDir), opts.serverCpu));
  if (before && before.bodies.list !== fullSide.bodies.list) throw new Error('BENCH_BEFORE: its list body differs from this build\'s; the sides would not be comparable');
  const pg = engines ? await startPostgresSide(procs, opts, engines, join(tmp, 'data-pg')) : undefined;
  if (pg) log(`service on PostgreSQL + Redis ready at ${pg.running.url} (pid ${pg.running.pid})`);
  const oneWorker = opts.workers > 1 ? await startWorkersSide(procs, dataDir, 1, opts.serverCpu) : undefined;
  const workers = opts.workers > 1 ? await startWorkersSide(procs, dataDir, opts.workers) : undefined;
  if (workers) log(`service with WORKERS=1 and ${opts.workers}, database counters, ready at ${oneWorker!.running.url}, ${workers.running.url}`);

  // 5. Interleaved rounds.
  const rounds = createRounds(procs, opts, log);
  const targets = [bareTarget, fullSide.target, before?.target, pg?.target, oneWorker?.target, workers?.target].filter((t): t is Target => t !== undefined);
  const results: ScenarioResult[] = [];
  for (const sc of scenarios(opts)) {
    log(sc.title);
    results.push(await rounds.measure(sc, targets));
  }
  const memAfterMain = { full: memoryOf(full.pid), bare: memoryOf(bare.pid), before: before && memoryOf(before.running.pid) };
  for (const side of [pg, oneWorker, workers]) if (side) await procs.stop(side.running.child);

  // The list page's tail once more, with wrk (Debian's) as the load generator.
  const wrkPath = opts.wrk ? findWrk(log) : undefined;
  if (opts.wrk && !wrkPath) log('wrk is not installed and cannot be (not root, or no apt-get): no wrk cross-check');
  const wrk = wrkPath ? await measureWrk(wrkPath, procs, opts, [bareTarget, fullSide.target, before?.target].filter((t): t is Target => t !== undefined), log) : undefined;
  if (before) await procs.stop(before.running.child);

  // 6. Deep pages.
  const deep = await measureDeepPages(fullSide.target, fullSide.target.auth('deep'), opts, rounds, log);
  const memEnd = memoryOf(full.pid);

  // 7. Stop both; anything the services logged at warn or above is worth reporting.
  await procs.stop(bare.child);
  await procs.stop(full.child);
  const serviceLogs = [['SQLite', full], ['before', before?.running], ['PostgreSQL + Redis', pg?.running], ['WORKERS=1', oneWorker?.running], [`WORKERS=${opts.workers}`, workers?.running]] as const;

  // 8. Start-up on the seeded data (LOG_LEVEL=info just for the "listening" line), then the access log's cost.
  const startups = await measureStartup(ROOT, procs, opts, serviceEnv(dataDir, { LOG_LEVEL: 'info', PORT: '0' }), log);
  const logging = opts.logging ? await measureLogging(opts, procs, dataDir, rounds, log) : undefined;
  const tracing = opts.tracing ? await measureTracing(opts, procs, dataDir, rounds, log) : undefined;

  // 9. Webhooks: delivery rate, and the API with and without an active endpoint (its own service and receiver).
  const webhooks = opts.webhooks ? await measureWebhooks(opts, procs, tmp, rounds, log) : undefined;

  const report = renderReport({
    opts,
    host,
    elapsedSeconds: (Date.now() - started) / 1000,
    load: { start: loadStart, end: loadavg()[0] },
    results,
    seeded,
    deep,
    memory: { fullAfterMain: memAfterMain.full.hwmKiB, fullEnd: memEnd.hwmKiB, bare: memAfterMain.bare.hwmKiB, before: memAfterMain.before?.hwmKiB },
    before: beforeBuild,
    wrk,
    startups,
    logging,
    tracing,
    sides: { workers: opts.workers, postgres: engines && { version: engines.postgresVersion, host: new URL(engines.databaseUrl).host } },
    webhooks,
  });
  process.stdout.write('\n' + report);
  for (const [name, running] of serviceLogs) printLogs(name, running?.output());
  printLogs('webhooks', webhooks?.serviceLogs);
  if (opts.write) {
    writeFileSync(join(ROOT, 'BENCHMARKS.md'), report);
    log('wrote BENCHMARKS.md');
  } else {
    log(`BENCHMARKS.md not written (${opts.quick ? 'quick run; pass --write to save' : '--no-write'})`);
  }
}

function printLogs(name: string, output: string | undefined): void {
  const text = output?.trim();
  if (text) process.stdout.write(`\nThe service (${name}) logged (LOG_LEVEL=warn):\n${text.slice(0, 4000)}\n`);
}

async function seedSqlite(opts: BenchOptions, dataDir: string, started: number) {
  log(`seeding: ${opts.projects} projects through the store, ${opts.deepRows.toLocaleString('en-US')} bulk-inserted in a separate workspace`);
  const plan = { users: Object.values(USERS), passwordHashCost: 10, small: { workspace: USERS.main.workspace, projects: opts.projects } };
  const seeded = await seed({
    ...plan,
    databasePath: join(dataDir, 'cloud-api.sqlite'),
    deep: { workspace: USERS.deep.workspace, projects: opts.deepRows, depth: opts.deepDepth },
  });
  log(`seeded in ${((Date.now() - started) / 1000).toFixed(1)} s (bulk insert ${seeded.deep.seconds.toFixed(1)} s); ` +
    `SQLite at depth ${seeded.sqlite.depth}: keyset ${ms(seeded.sqlite.keysetMs)} ms, OFFSET ${ms(seeded.sqlite.offsetMs)} ms`);
  return { plan, seeded };
}

/** BENCH_ONLY=startup or logging, on the seeded database: that section is printed, BENCHMARKS.md is left alone. */
async function partOnly(opts: BenchOptions, procs: Processes, dataDir: string): Promise<void> {
  const section =
    opts.only === 'startup'
      ? startupSection(await measureStartup(ROOT, procs, opts, serviceEnv(dataDir, { LOG_LEVEL: 'info', PORT: '0' }), log), opts.deepRows)
      : opts.only === 'tracing'
        ? tracingSection(opts, await measureTracing(opts, procs, dataDir, createRounds(procs, opts, log), log))
        : loggingSection(opts, await measureLogging(opts, procs, dataDir, createRounds(procs, opts, log), log));
  process.stdout.write('\n' + section.join('\n') + '\n');
  log(`BENCHMARKS.md not written (BENCH_ONLY=${opts.only})`);
}

/** BENCH_ONLY=webhooks: that part alone; its section is printed, BENCHMARKS.md is left alone. */
async function webhooksOnly(opts: BenchOptions, procs: Processes, tmp: string): Promise<void> {
  const webhooks: WebhooksResult = await measureWebhooks(opts, procs, tmp, createRounds(procs, opts, log), log);
  process.stdout.write('\n' + webhooksSection(opts, webhooks).join('\n') + '\n');
  printLogs('webhooks', webhooks.serviceLogs);
  log('BENCHMARKS.md not written (BENCH_ONLY=webhooks)');
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
