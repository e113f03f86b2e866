// An OTLP/HTTP trace receiver for tests and `npm run traces`: it decodes what the exporter sends, as protobuf (decoded
// here from the wire format, field numbers from opentelemetry-proto's trace.proto) or as JSON, into
// one shape, and keeps the raw bodies for searches (no secret may appear anywhere in an export).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type AttributeValue = string | number | boolean | null;

export interface ReceivedSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  /** 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  attributes: Record<string, AttributeValue>;
  links: { traceId: string; spanId: string }[];
  /** 0 unset, 1 ok, 2 error. */
  status: number;
  durationMs: number;
  resource: Record<string, AttributeValue>;
}

export interface Receiver {
  /** The base URL to give as OTEL_EXPORTER_OTLP_ENDPOINT (the exporter appends /v1/traces). */
  url: string;
  spans: ReceivedSpan[];
  /** Every request body as received, and the content types seen. */
  bodies: Buffer[];
  contentTypes: Set<string>;
  /** Resolves once a span matching `test` has arrived (polls; rejects after `timeoutMs`). */
  waitFor(test: (s: ReceivedSpan) => boolean, timeoutMs?: number): Promise<ReceivedSpan>;
  close(): Promise<void>;
}

type Field = { wire: number; value: bigint | Buffer };

/** The fields of one protobuf message, by number, in order (length-delimited ones left undecoded). */
export function fields(buf: Buffer): Map<number, Field[]> {
  const out = new Map<number, Field[]>();
  let at = 0;
  const varint = (): bigint => {
    let result = 0n;
    for (let shift = 0n; ; shift += 7n) {
      const byte = buf[at++];
      result |= BigInt(byte & 0x7f) << shift;
      if (byte < 0x80) return result;
    }
  };
  while (at < buf.length) {
    const tag = Number(varint());
    const [no, wire] = [tag >>> 3, tag & 7];
    let value: bigint | Buffer;
    if (wire === 0) value = varint();
    else if (wire === 1) value = buf.subarray(at, (at += 8));
    else if (wire === 5) value = buf.subarray(at, (at += 4));
    else if (wire === 2) {
      const length = Number(varint());
      value = buf.subarray(at, (at += length));
    } else throw new Error(`unsupported wire type ${wire}`);
    out.set(no, [...(out.get(no) ?? []), { wire, value }]);
  }
  return out;
}

const all = (m: Map<number, Field[]>, no: number) => (m.get(no) ?? []).map((f) => f.value);
const bytes = (m: Map<number, Field[]>, no: number) => all(m, no)[0] as Buffer | undefined;
const text = (m: Map<number, Field[]>, no: number) => bytes(m, no)?.toString('utf8') ?? '';
const int = (m: Map<number, Field[]>, no: number) => Number((all(m, no)[0] as bigint | undefined) ?? 0n);
const hex = (b: Buffer | undefined) => (b && b.length ? b.toString('hex') : undefined);

function protoValue(any: Buffer): AttributeValue {
  const m = fields(any);
  if (m.has(1)) return text(m, 1);
  if (m.has(2)) return int(m, 2) === 1;
  if (m.has(3)) return int(m, 3);
  if (m.has(4)) return (bytes(m, 4) as Buffer).readDoubleLE(0);
  return null;
}

function protoAttributes(list: (bigint | Buffer)[]): Record<string, AttributeValue> {
  return Object.fromEntries(
    list.map((kv) => {
      const m = fields(kv as Buffer);
      return [text(m, 1), protoValue(bytes(m, 2) ?? Buffer.alloc(0))];
    }),
  );
}

function fromProtobuf(body: Buffer): ReceivedSpan[] {
  return all(fields(body), 1).flatMap((rs) => {
    const resourceSpans = fields(rs as Buffer);
    const resource = protoAttributes(all(fields(bytes(resourceSpans, 1) ?? Buffer.alloc(0)), 1));
    return all(resourceSpans, 2).flatMap((ss) =>
      all(fields(ss as Buffer), 2).map((raw) => {
        const s = fields(raw as Buffer);
        const links = all(s, 13).map((l) => {
          const link = fields(l as Buffer);
          return { traceId: hex(bytes(link, 1))!, spanId: hex(bytes(link, 2))! };
        });
        const status = bytes(s, 15);
        const nanos = (no: number) => (bytes(s, no) ?? Buffer.alloc(8)).readBigUInt64LE(0);
        return {
          traceId: hex(bytes(s, 1))!,
          spanId: hex(bytes(s, 2))!,
          parentSpanId: hex(bytes(s, 4)),
          name: text(s, 5),
          kind: int(s, 6),
          attributes: protoAttributes(all(s, 9)),
          links,
          status: status ? int(fields(status), 3) : 0,
          durationMs: Number(nanos(8) - nanos(7)) / 1e6,
          resource,
        };
      }),
    );
  });
}

type JsonKeyValue = { key: string; value: Record<string, unknown> };

function jsonValue(v: Record<string, unknown>): AttributeValue {
  if ('stringValue' in v) return v.stringValue as string;
  if ('boolValue' in v) return v.boolValue as boolean;
  if ('intValue' in v) return Number(v.intValue);
  if ('doubleValue' in v) return Number(v.doubleValue);
  return null;
}

const jsonAttributes = (list: JsonKeyValue[] = []) => Object.fromEntries(list.map((kv) => [kv.key, jsonValue(kv.value)]));
// OTLP/JSON writes ids as hex; an empty parent is absent or "".
const jsonId = (id: unknown) => (typeof id === 'string' && id !== '' ? id.toLowerCase() : undefined);

function fromJson(body: Buffer): ReceivedSpan[] {
  const request = JSON.parse(body.toString('utf8'));
  return (request.resourceSpans ?? []).flatMap((rs: any) =>
    (rs.scopeSpans ?? []).flatMap((ss: any) =>
      (ss.spans ?? []).map((s: any) => ({
        traceId: jsonId(s.traceId)!,
        spanId: jsonId(s.spanId)!,
        parentSpanId: jsonId(s.parentSpanId),
        name: s.name,
        kind: Number(s.kind ?? 0),
        attributes: jsonAttributes(s.attributes),
        links: (s.links ?? []).map((l: any) => ({ traceId: jsonId(l.traceId)!, spanId: jsonId(l.spanId)! })),
        status: Number(s.status?.code ?? 0),
        durationMs: Number(BigInt(s.endTimeUnixNano ?? 0) - BigInt(s.startTimeUnixNano ?? 0)) / 1e6,
        resource: jsonAttributes(rs.resource?.attributes),
      })),
    ),
  );
}

/** Starts the receiver on `port` of 127.0.0.1 (0: any free port); `onSpans` sees each export's spans as they arrive. */
export async function startReceiver(port = 0, onSpans?: (spans: ReceivedSpan[]) => void): Promise<Receiver> {
  const spans: ReceivedSpan[] = [];
  const bodies: Buffer[] = [];
  const contentTypes = new Set<string>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const type = String(req.headers['content-type'] ?? '');
      bodies.push(body);
      contentTypes.add(type);
      const json = type.includes('json');
      const received = json ? fromJson(body) : fromProtobuf(body);
      spans.push(...received);
      onSpans?.(received);
      res.writeHead(200, { 'content-type': json ? 'application/json' : 'application/x-protobuf' });
      res.end(json ? '{}' : undefined);
    });
  });
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
  const bound = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${bound}`,
    spans,
    bodies,
    contentTypes,
    async waitFor(test, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = spans.find(test);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no such span within ${timeoutMs} ms; received: ${spans.map((s) => s.name).join(', ')}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
