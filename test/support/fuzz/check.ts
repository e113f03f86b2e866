import type { Violation } from '../contractCheck';
import type { WireRequest, WireResponse } from './client';
import type { FuzzRequest } from './requests';

/** One request that broke a rule, and why. */
export interface Failure {
  rule: '5xx' | 'envelope' | 'contract' | 'transport';
  problem: string;
  req: FuzzRequest;
  wire: WireRequest;
  status: number;
  code?: string;
  /** The first lines the server logged for this request (its error, for a 500). */
  log?: string[];
}

/** What is wrong with a response by the fuzz rules (no 5xx; every 4xx in the error envelope), or undefined. */
export function problemOf(res: WireResponse): Pick<Failure, 'rule' | 'problem'> | undefined {
  if (res.status >= 500) return { rule: '5xx', problem: `status ${res.status}` };
  if (res.status < 400) return undefined;
  const error = res.json?.error;
  const requestId = res.headers['x-request-id'];
  if (!error || typeof error.code !== 'string' || typeof error.message !== 'string' || !Array.isArray(error.details)) {
    return { rule: 'envelope', problem: `not the error envelope: ${res.text.slice(0, 120)}` };
  }
  if (!requestId) return { rule: 'envelope', problem: 'no X-Request-Id header' };
  // A replay is the first response byte for byte, its request_id included; it has its own X-Request-Id.
  const replayed = res.headers['idempotent-replayed'] === 'true';
  if (!replayed && error.request_id !== requestId) return { rule: 'envelope', problem: `X-Request-Id ${requestId} vs request_id ${error.request_id}` };
  return undefined;
}

/** Contract violations recorded by the app's checker, as failures of the request that caused them. */
export function violationFailures(found: Violation[], req: FuzzRequest, wire: WireRequest, res: WireResponse): Failure[] {
  return found.map((v) => ({ rule: 'contract', problem: v.problem, req, wire, status: v.status, code: res.json?.error?.code }));
}

/** Lines of the app's log that carry this request id, shortened: the cause of a 500. */
export function logLinesOf(lines: () => string[], requestId: string | undefined): string[] {
  if (!requestId) return [];
  return lines()
    .filter((l) => l.includes(`"${requestId}"`) && !l.includes('"msg":"request"'))
    .slice(0, 3)
    .map((l) => {
      const { msg, error, stack } = JSON.parse(l);
      const where = typeof stack === 'string' ? stack.split('\n').slice(1, 3).map((s: string) => s.trim()).join(' < ') : '';
      return `${msg}: ${error ?? ''} ${where}`.slice(0, 400);
    });
}

const short = (text: string, max = 160) => (text.length > max ? `${text.slice(0, max)}...(${text.length} chars)` : text);
const printable = (text: string) => JSON.stringify(text).slice(1, -1);

/** One line of a wire request: method, URL, the non-credential headers and the body, truncated. */
export function describeRequest(wire: WireRequest): string {
  const headers = Object.entries(wire.headers)
    .filter(([k]) => !/^(authorization|x-api-key)$/i.test(k))
    .map(([k, v]) => `${k}: ${printable(short(v, 60))}`);
  const body = wire.body ? ` body ${printable(short(wire.body.toString('utf8')))}` : '';
  return `${wire.method.toUpperCase()} ${short(wire.url, 200)}${headers.length ? ` [${headers.join('; ')}]` : ''}${body}`;
}

/** The failure's kind, without what varies between two requests that fail the same way. */
const signature = (f: Failure) =>
  [f.rule, f.req.operationId, f.status, f.code ?? '', (f.log?.[0] ?? f.problem).replace(/\b[a-z]+_[0-9A-Z]{26}\b/g, 'ID').replace(/\d+/g, 'N').slice(0, 120)].join(' | ');

/** Failures grouped by kind, each group shown by its shortest request, most frequent first. */
export function summarise(failures: Failure[], limit = 40): string {
  const groups = new Map<string, { count: number; example: Failure }>();
  for (const f of failures) {
    const key = signature(f);
    const g = groups.get(key);
    const size = (x: Failure) => x.wire.url.length + (x.wire.body?.length ?? 0);
    if (!g) groups.set(key, { count: 1, example: f });
    else {
      g.count++;
      if (size(f) < size(g.example)) g.example = f;
    }
  }
  const sorted = [...groups.values()].sort((a, b) => b.count - a.count);
  const lines = sorted.slice(0, limit).map(({ count, example: f }) => {
    const head = `${count}x ${f.rule} ${f.req.operationId} -> ${f.status}${f.code ? ` ${f.code}` : ''} (${f.req.mutation}, auth ${f.req.auth}): ${short(f.problem, 200)}`;
    return [head, `    ${describeRequest(f.wire)}`, ...(f.log ?? []).map((l) => `    log: ${l}`)].join('\n');
  });
  if (sorted.length > limit) lines.push(`... and ${sorted.length - limit} more kinds`);
  return `${failures.length} failing responses, ${groups.size} kinds:\n${lines.join('\n')}`;
}
