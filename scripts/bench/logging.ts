// The cost of the access log (issue #15 item 2): one service at LOG_LEVEL=info (a JSON line per
// request, through pino's asynchronous destination into a pipe the bench drains, as a log
// collector would) and one at LOG_LEVEL=warn (no line, and no listener to build one), on the
// same database and CPU, in interleaved rounds of GET /v1/projects?limit=20.
import type { BenchOptions } from './options';
import type { Processes } from './processes';
import { serviceEnv, startService } from './servers';
import { serviceTarget, scenarios } from './sides';
import { pairedRatio, processCpu, summarize, type createRounds, type Round } from './rounds';
import { median } from './stats';

export interface LoggingResult {
  info: Round[];
  warn: Round[];
  /** Lines the info service wrote over the part (warm-up included), and the responses of its measured rounds. */
  lines: number;
  responses: number;
}

type Log = (msg: string) => void;

export async function measureLogging(
  opts: BenchOptions,
  procs: Processes,
  dataDir: string,
  rounds: ReturnType<typeof createRounds>,
  log: Log,
): Promise<LoggingResult> {
  const info = await startService(procs, serviceEnv(dataDir, { LOG_LEVEL: 'info' }), opts.serverCpu, { keepStdout: false });
  const warn = await startService(procs, serviceEnv(dataDir, { LOG_LEVEL: 'warn' }), opts.serverCpu);
  let lines = 0;
  info.child.stdout!.on('data', (d: Buffer) => {
    for (let i = d.indexOf(10); i !== -1; i = d.indexOf(10, i + 1)) lines++;
  });
  try {
    const infoSide = (await serviceTarget('info', info, processCpu(() => [info.pid]))).target;
    const warnSide = (await serviceTarget('warn', warn, processCpu(() => [warn.pid]))).target;
    const list = scenarios(opts).find((s) => s.key === 'list')!;
    log(`${list.title}: the access log at LOG_LEVEL=info against warn`);
    const measured = await rounds.measure(list, [warnSide, infoSide]);
    const result = { info: measured.rounds.info!, warn: measured.rounds.warn! };
    const responses = result.info.reduce((n, r) => n + r.responses, 0);
    // What the pipe still holds arrives within moments of the last response.
    await new Promise((r) => setTimeout(r, 200));
    if (lines < responses) throw new Error(`the info service wrote ${lines} lines for ${responses} responses: the access log is not on`);
    return { ...result, lines, responses };
  } finally {
    await procs.stop(info.child);
    await procs.stop(warn.child);
  }
}

export function loggingSection(opts: BenchOptions, r: LoggingResult): string[] {
  const info = summarize(r.info);
  const warn = summarize(r.warn);
  const ratio = pairedRatio(r.info, r.warn, (x) => x.rps);
  const cpu = median(r.info.map((x) => x.serverCpuUs)) - median(r.warn.map((x) => x.serverCpuUs));
  return [
    '## Access logging',
    '',
    `GET /v1/projects?limit=20, ${opts.connections} connections, ${opts.rounds} interleaved rounds of ${opts.duration} s, the same service and database ` +
      'at LOG_LEVEL=info (one JSON line per request to a pipe the bench drains) and at LOG_LEVEL=warn (no access line).',
    '',
    '| LOG_LEVEL | req/s (median) | p99 ms | server CPU µs/response |',
    '| --- | ---: | ---: | ---: |',
    `| info | ${info.rps.toFixed(0)} | ${info.p99.toFixed(1)} | ${info.cpuUs.toFixed(0)} |`,
    `| warn | ${warn.rps.toFixed(0)} | ${warn.p99.toFixed(1)} | ${warn.cpuUs.toFixed(0)} |`,
    '',
    `Throughput at info is **${ratio.toFixed(2)}** of warn's (median of the per-round ratios); the access line costs about ` +
      `${cpu.toFixed(0)} µs of server CPU per response (${r.lines.toLocaleString('en-US')} lines written for ${r.responses.toLocaleString('en-US')} measured responses and the warm-up).`,
    '',
  ];
}
