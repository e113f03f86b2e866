// The cost of tracing (issue #27): the same service and database with tracing off, on with every
// request sampled, and on with parentbased_traceidratio at 0.1, in interleaved rounds of
// GET /v1/projects?limit=20. The spans go over OTLP/HTTP protobuf (the default) to a sink in the
// bench process that counts them, so the export is paid for as in production, and a span lost to
// a full queue shows as fewer spans per response.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BenchOptions } from './options';
import type { Processes } from './processes';
import { serviceEnv, startService } from './servers';
import { serviceTarget, scenarios } from './sides';
import { pairedRatio, processCpu, summarize, type createRounds, type Round } from './rounds';
import { median } from './stats';
import { fields } from '../otlpReceiver';

export interface TracingResult {
  off: Round[];
  all: Round[];
  ratio: Round[];
  /** Spans the sink received from each traced service over the part (warm-up included), and the responses it gave. */
  spans: { all: number; ratio: number };
  responses: { all: number; ratio: number };
}

type Log = (msg: string) => void;

/** The length-delimited fields numbered `no` of one protobuf message, undecoded. */
const messages = (buf: Buffer, no: number) => (fields(buf).get(no) ?? []).map((f) => f.value as Buffer);

/** Spans in an ExportTraceServiceRequest: resource_spans (1) > scope_spans (2) > spans (2). */
const spansIn = (body: Buffer) => messages(body, 1).reduce((n, rs) => n + messages(rs, 2).reduce((m, ss) => m + messages(ss, 2).length, 0), 0);

/** An OTLP/HTTP receiver that counts the spans of each service (by the path it was given) and answers at once. */
async function startSink(): Promise<{ server: Server; url: (name: string) => string; spans: Map<string, number> }> {
  const spans = new Map<string, number>();
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const name = req.url!.split('/')[1];
      spans.set(name, (spans.get(name) ?? 0) + spansIn(Buffer.concat(chunks)));
      res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: (name) => `http://127.0.0.1:${port}/${name}/v1/traces`, spans };
}

export async function measureTracing(
  opts: BenchOptions,
  procs: Processes,
  dataDir: string,
  rounds: ReturnType<typeof createRounds>,
  log: Log,
): Promise<TracingResult> {
  const sink = await startSink();
  const traced = (name: string, sampler: Record<string, string>) => serviceEnv(dataDir, { OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: sink.url(name), ...sampler });
  const off = await startService(procs, serviceEnv(dataDir), opts.serverCpu);
  const all = await startService(procs, traced('all', {}), opts.serverCpu);
  const ratio = await startService(procs, traced('ratio', { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' }), opts.serverCpu);
  try {
    const sides = await Promise.all(
      ([['off', off], ['all', all], ['ratio', ratio]] as const).map(async ([name, s]) => (await serviceTarget(name, s, processCpu(() => [s.pid]))).target),
    );
    const list = scenarios(opts).find((s) => s.key === 'list')!;
    log(`${list.title}: tracing off, on with every request sampled, and on at a ratio of 0.1`);
    const measured = await rounds.measure(list, sides);
    // The last batches go out within the processor's delay (5 s): stopping the services exports them.
    await procs.stop(all.child);
    await procs.stop(ratio.child);
    const responses = (name: 'all' | 'ratio') => measured.rounds[name]!.reduce((n, r) => n + r.responses, 0);
    const result = {
      off: measured.rounds.off!,
      all: measured.rounds.all!,
      ratio: measured.rounds.ratio!,
      spans: { all: sink.spans.get('all') ?? 0, ratio: sink.spans.get('ratio') ?? 0 },
      responses: { all: responses('all'), ratio: responses('ratio') },
    };
    if (result.spans.all < result.responses.all) throw new Error(`the traced service exported ${result.spans.all} spans for ${result.responses.all} responses: tracing is not on`);
    return result;
  } finally {
    for (const s of [off, all, ratio]) await procs.stop(s.child);
    sink.server.close();
  }
}

export function tracingSection(opts: BenchOptions, r: TracingResult): string[] {
  const rows = [
    ['off', r.off, undefined],
    ['on, every request sampled', r.all, r.spans.all / r.responses.all],
    ['on, `parentbased_traceidratio` 0.1', r.ratio, r.spans.ratio / r.responses.ratio],
  ] as const;
  const cpuOff = median(r.off.map((x) => x.serverCpuUs));
  return [
    '## Tracing',
    '',
    `GET /v1/projects?limit=20, ${opts.connections} connections, ${opts.rounds} interleaved rounds of ${opts.duration} s, the same service and database ` +
      'with tracing off and on (OTLP/HTTP protobuf to a sink in the bench process that counts the spans; the batch processor at its defaults). ' +
      'Tracing off is the service as it was before tracing existed (no SDK loaded); compare it with `BENCH_BEFORE` in the main table.',
    '',
    '| tracing | req/s (median) | of off | p99 ms | server CPU µs/response | spans exported per response (warm-up included) |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(([name, rs, spans]) => {
      const s = summarize(rs);
      const of = rs === r.off ? '1.00' : pairedRatio(rs, r.off, (x) => x.rps).toFixed(2);
      return `| ${name} | ${s.rps.toFixed(0)} | ${of} | ${s.p99.toFixed(1)} | ${s.cpuUs.toFixed(0)} (+${(s.cpuUs - cpuOff).toFixed(0)}) | ${spans === undefined ? '-' : spans.toFixed(2)} |`;
    }).map((line) => line.replace('(+-', '(-')),
    '',
    'Targets (issue #27): every request sampled at least 0.85 of off, a ratio of 0.1 at least 0.95.',
    '',
  ];
}
