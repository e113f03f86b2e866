// BENCHMARKS.md as a full run writes it. The method section says exactly what ran, so that a
// reader can judge the figures without reading the script.
import type { BenchOptions } from './options';
import type { Machine } from './machine';
import type { Seeded } from './seed';
import type { DeepResult } from './deep';
import { pairedRatio, summarize, type ScenarioResult } from './rounds';
import { fmt, ms, ratio } from './format';
import { sidesSection, type SidesInfo } from './reportSides';
import { webhooksSection } from './reportWebhooks';
import type { WebhooksResult } from './webhooks';
import { startupSection, type StartupResult } from './startup';
import { loggingSection, type LoggingResult } from './logging';
import { tracingSection, type TracingResult } from './tracing';
import { beforeAfterSection, memorySection, tailSection, targetLines, type Memory } from './reportTail';
import type { Before } from './before';
import type { WrkResult } from './wrk';

export interface ReportData {
  opts: BenchOptions;
  host: Machine;
  elapsedSeconds: number;
  load: { start: number; end: number };
  results: ScenarioResult[];
  seeded: Seeded;
  deep: DeepResult;
  memory: Memory;
  /** BENCH_BEFORE's build, when it ran as a side. */
  before?: Before;
  /** Undefined when wrk did not run. */
  wrk?: WrkResult;
  startups: StartupResult;
  /** Undefined when BENCH_LOGGING=0. */
  logging?: LoggingResult;
  /** Undefined when BENCH_TRACING=0. */
  tracing?: TracingResult;
  sides: SidesInfo;
  /** Undefined when BENCH_WEBHOOKS=0. */
  webhooks?: WebhooksResult;
}

function method(d: ReportData): string[] {
  const { opts, host } = d;
  const busy = Math.max(d.load.start, d.load.end) > host.nproc / 2;
  const names: Record<string, string> = { bare: 'bare', full: 'full', before: 'before', pg: 'PostgreSQL', oneWorker: 'WORKERS=1', workers: `WORKERS=${d.sides.workers}` };
  const sides = Object.keys(d.results[0]?.rounds ?? {}).map((side) => names[side]).join(', ');
  return [
    '## Method',
    '',
    `- Machine: ${host.nproc} CPUs, ${host.cpuModel}, ${fmt(host.memGiB, 1)} GiB RAM, Linux ${host.kernel}, Node.js ${host.node}; ` +
      `1-min load average ${fmt(d.load.start, 2)} at the start and ${fmt(d.load.end, 2)} at the end of the run` +
      `${busy ? ' (other work was running: treat absolute figures with extra caution)' : ''}.`,
    `- Code measured: commit ${host.commit}.`,
    '- Server under test: the service as `npm start` runs it (`node dist/src/main.js`, compiled by `npm run build`) in its own process, on 127.0.0.1, ' +
      '`NODE_ENV=production` (response validation off), `LOG_LEVEL=warn`, `RATE_LIMIT_MULTIPLIER=1000000` (the limiter runs on every ' +
      'request but never refuses), `METRICS_TOKEN` set (the bench reads the event-loop delay from `/metrics`), a fresh temporary `DATA_DIR`, ' +
      'seeded through the store before start; requests carry a bearer token from `POST /v1/auth/login`.',
    '- Baseline: bare Express 5 (`scripts/bench/bare.ts`, defaults, no middleware but `express.json()` on POST), compiled to plain JavaScript by esbuild and started the same way; ' +
      'its GET routes `res.json` the bodies the service returned (the list body is checked byte for byte), its POST parses JSON and answers a similar 201.',
    `- Load: autocannon 9 in a separate process per measurement (\`scripts/bench/load.ts\`), ${opts.connections} connections, no pipelining; ` +
      `${opts.pin ? `server pinned to CPU ${opts.serverCpu} and load generator to CPU ${opts.loadCpu} (\`taskset\`)` : 'no CPU pinning'}` +
      `${opts.pin && d.sides.workers > 1 ? `, except the \`WORKERS=${d.sides.workers}\` server (see below)` : ''}.`,
    `- Per endpoint: one ${opts.warmup} s warm-up per side, then ${opts.rounds} interleaved rounds of ${opts.duration} s per side (each round visits ${sides} in turn). ` +
      'Figures are medians over rounds; p50/p99 are exact percentiles of every response time of a round (sub-millisecond). ' +
      'Any non-2xx response, socket error or timeout stops the run.',
    `- Data: ${fmt(opts.projects)} projects in the measured workspace; \`POST\` writes into a separate workspace so the list body stays fixed; ` +
      `a third workspace holds ${fmt(opts.deepRows)} projects for the deep-page test, all in the same database file.`,
    '- Absolute requests/s swing a lot between runs on shared machines; compare the ratios, which are measured within one run.',
    '',
  ];
}

function results(d: ReportData): string[] {
  const rows = d.results.map((r) => ({ r, bare: summarize(r.rounds.bare!), full: summarize(r.rounds.full!) }));
  const md = [`## Results (${d.opts.connections} connections)`, ''];
  md.push('| endpoint | bare req/s | full req/s | full/bare throughput | bare p50 ms | full p50 ms | bare p99 ms | full p99 ms | full/bare p99 | bytes/response bare, full |');
  md.push('|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|');
  for (const { r, bare: b, full: f } of rows) {
    md.push(`| \`${r.scenario.title}\` | ${fmt(b.rps)} | ${fmt(f.rps)} | **${ratio(f.rps / b.rps)}** | ${ms(b.p50)} | ${ms(f.p50)} | ${ms(b.p99)} | ${ms(f.p99)} | **${ratio(f.p99 / b.p99)}** | ${fmt(b.bytes)}, ${fmt(f.bytes)} |`);
  }
  md.push('', 'Requests/s of every round (min to max over rounds):', '');
  md.push('| endpoint | bare rounds | full rounds |');
  md.push('|---|---|---|');
  for (const { r, bare: b, full: f } of rows) {
    md.push(`| \`${r.scenario.title}\` | ${r.rounds.bare!.map((x) => fmt(x.rps)).join(', ')} (${fmt(b.rpsMin)}-${fmt(b.rpsMax)}) | ` +
      `${r.rounds.full!.map((x) => fmt(x.rps)).join(', ')} (${fmt(f.rpsMin)}-${fmt(f.rpsMax)}) |`);
  }
  md.push('');
  md.push('Cross-checks of the ratios above. Paired: the median over rounds of full/bare within the same round, which cancels drift ' +
    'between rounds. Server CPU: the process\'s own user + system time over a round divided by its responses (from `/proc`), ' +
    'which does not depend on how fast the load generator is; bare/full of it is the throughput the full stack would reach ' +
    'relative to bare Express if the server\'s core were the only limit.', '');
  md.push('| endpoint | full/bare throughput, paired | full/bare p99, paired | server CPU µs/response bare, full | bare/full CPU per response |');
  md.push('|---|--:|--:|--:|--:|');
  for (const { r, bare: b, full: f } of rows) {
    const [full, bare] = [r.rounds.full!, r.rounds.bare!];
    md.push(`| \`${r.scenario.title}\` | ${ratio(pairedRatio(full, bare, (x) => x.rps))} | ${ratio(pairedRatio(full, bare, (x) => x.p99))} | ` +
      `${fmt(b.cpuUs)}, ${fmt(f.cpuUs)} | ${ratio(b.cpuUs / f.cpuUs)} |`);
  }
  md.push('');
  return md;
}

function deepPages(d: ReportData): string[] {
  const { opts, seeded, deep } = d;
  const { first, deep: at } = deep.load;
  return [
    '## Deep pages (keyset pagination)',
    '',
    `${fmt(opts.deepRows)} projects in one workspace, bulk-inserted in ${fmt(seeded.deep.seconds, 1)} s. A cursor after ${fmt(opts.deepDepth)} rows ` +
      `was reached by walking the listing with \`limit=100\` (${fmt(deep.walkRequests)} requests in ${fmt(deep.walkSeconds, 1)} s, ` +
      `${fmt(deep.walkRequests / deep.walkSeconds)} pages/s). Both pages below use \`limit=20\`.`,
    '',
    `| page | sequential median ms | sequential p99 ms | req/s at ${opts.connections} conns | p99 ms at ${opts.connections} conns | server CPU µs/response |`,
    '|---|--:|--:|--:|--:|--:|',
    `| page 1 | ${ms(deep.seqFirst.p50)} | ${ms(deep.seqFirst.p99)} | ${fmt(first.rps)} | ${ms(first.p99)} | ${fmt(first.cpuUs)} |`,
    `| after ${fmt(opts.deepDepth)} rows | ${ms(deep.seqDeep.p50)} | ${ms(deep.seqDeep.p99)} | ${fmt(at.rps)} | ${ms(at.p99)} | ${fmt(at.cpuUs)} |`,
    '',
    `Sequential: ${opts.seqRequests} requests each on one keep-alive connection, alternating page 1 and the deep page, ` +
      `measured from the benchmark process. Under load: ${opts.rounds} interleaved rounds of ${opts.duration} s, medians. ` +
      `Deep/page-1 latency ratio: ${ratio(deep.seqDeep.p50 / deep.seqFirst.p50)} sequential, ${ratio(at.p99 / first.p99)} p99 under load.`,
    '',
    `For contrast, inside SQLite (no HTTP) at the same depth: the store's keyset query ${ms(seeded.sqlite.keysetMs)} ms, ` +
      `the same page by \`OFFSET ${fmt(seeded.sqlite.depth)}\` ${ms(seeded.sqlite.offsetMs)} ms.`,
    '',
  ];
}

const reproduce = [
  '## Reproduce',
  '',
  '```sh',
  'npm ci',
  'export DATABASE_URL=postgres://postgres@127.0.0.1:5432/test REDIS_URL=redis://127.0.0.1:6379   # for the PostgreSQL + Redis side',
  'npm run bench                 # full run, rewrites BENCHMARKS.md (10-15 minutes)',
  'BENCH_QUICK=1 npm run bench   # 2 rounds of 2 s, 200k deep rows; prints only (add --write to save)',
  '```',
  '',
  'Other knobs: `BENCH_ROUNDS`, `BENCH_DURATION`, `BENCH_WARMUP`, `BENCH_CONNECTIONS`, `BENCH_PROJECTS`, `BENCH_DEEP_ROWS`, ' +
    '`BENCH_DEEP_DEPTH`, `BENCH_SEQ_REQUESTS`, `BENCH_PIN=0`, `BENCH_TIMEOUT`, `BENCH_WORKERS` (1 leaves that side out), ' +
    '`BENCH_POSTGRES=0`, `BENCH_DATABASE_URL` and `BENCH_REDIS_URL` (instead of `DATABASE_URL` and `REDIS_URL`), ' +
    '`BENCH_WEBHOOKS=0` (no webhooks part), `BENCH_LOGGING=0` (no access-logging part), `BENCH_TRACING=0` (no tracing part), `BENCH_STARTUP_RUNS`, ' +
    '`BENCH_ONLY=webhooks`, `startup`, `logging` or `tracing` (that part alone, printed only), `BENCH_WEBHOOK_DELIVERIES`, `BENCH_WEBHOOK_ENDPOINTS` (e.g. `1,8`), ' +
    '`BENCH_BEFORE=<commit>` (that commit\'s build as one more side, for before/after figures from one run), `BENCH_WRK=0` (no wrk cross-check; ' +
    'otherwise wrk is installed from Debian\'s packages when missing and the bench runs as root). ' +
    'Only loopback traffic; temporary files, child processes, the PostgreSQL schema and the Redis keys are removed at the end, also when the run fails.',
];

export function renderReport(d: ReportData): string {
  const header = [
    '# Benchmarks',
    '',
    `Generated by \`npm run bench\` (scripts/bench.ts) on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC` +
      `${d.opts.quick ? ' in quick mode' : ''}; the run took ${fmt(d.elapsedSeconds)} s. Rerun to regenerate; do not edit by hand.`,
    '',
  ];
  const sides = sidesSection(d.opts, d.results, d.sides);
  const webhooks = webhooksSection(d.opts, d.webhooks);
  const logging = d.logging ? loggingSection(d.opts, d.logging) : [];
  const tracing = d.tracing ? tracingSection(d.opts, d.tracing) : [];
  const startup = startupSection(d.startups, d.opts.deepRows);
  const runtime = [
    ...beforeAfterSection(d.results, d.before, d.wrk),
    ...tailSection(d.opts, d.results, d.wrk),
    ...memorySection(d.opts, d.memory),
    ...targetLines(d.results, d.wrk, d.memory),
  ];
  return [...header, ...method(d), ...results(d), ...runtime, ...sides, ...deepPages(d), ...startup, ...logging, ...tracing, ...webhooks, ...reproduce].join('\n') + '\n';
}
