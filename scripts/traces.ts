// `npm run traces`: an OTLP/HTTP receiver on 127.0.0.1:4318 (TRACES_PORT) that prints each span it
// gets as one line, children under their parents' trace, for trying tracing without a collector:
//   npm run traces                                            # this terminal
//   OTEL_EXPORTER_OTLP_ENDPOINT=http://127.0.0.1:4318 npm start   # another one
import { startReceiver, type ReceivedSpan } from './otlpReceiver';

const KINDS = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];
// The attributes worth a glance on one line; the rest is in any real collector.
const SHOWN = ['http.response.status_code', 'http.route', 'error.type', 'db.collection.name', 'server.address', 'cloud_api.operation_id'];

function line(s: ReceivedSpan): string {
  const attributes = SHOWN.filter((k) => s.attributes[k] !== undefined).map((k) => `${k}=${s.attributes[k]}`);
  const links = s.links.map((l) => `link=${l.traceId.slice(0, 8)}/${l.spanId.slice(0, 8)}`);
  return [s.traceId.slice(0, 8), s.spanId.slice(0, 8), `<- ${s.parentSpanId?.slice(0, 8) ?? 'root    '}`, KINDS[s.kind] ?? s.kind, JSON.stringify(s.name), `${s.durationMs.toFixed(2)} ms`, ...attributes, ...links].join(' ');
}

async function main(): Promise<void> {
  const port = Number(process.env.TRACES_PORT ?? 4318);
  const receiver = await startReceiver(port, (spans) => {
    for (const s of spans) process.stdout.write(line(s) + '\n');
    // Only what the spans hold: the receiver keeps nothing between exports.
    receiver.spans.length = 0;
  });
  process.stderr.write(`OTLP/HTTP receiver at ${receiver.url} (protobuf and JSON); start the service with OTEL_EXPORTER_OTLP_ENDPOINT=${receiver.url}\n`);
}

main().catch((err) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
