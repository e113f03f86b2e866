import fc from 'fast-check';
import { fuzzOperations, type FuzzOperation, type Param } from './contract';
import { hostileValue } from './hostile';
import { validValue } from './values';

/** Who a request authenticates as; the world (world.ts) turns it into headers. */
export const AUTHS = ['owner', 'key', 'readKey', 'pooledKey', 'otherOwner', 'both', 'none', 'badBearer', 'badKey', 'mixed'] as const;
export type Auth = (typeof AUTHS)[number];

/** A query entry; `raw` values go into the URL as they are (hostile percent-encoding, `+`, `&`). */
export interface QueryEntry {
  name: string;
  value: unknown;
  raw?: boolean;
}

/** A generated request, before its references are resolved for one app. */
export interface FuzzRequest {
  operationId: string;
  method: string;
  path: string;
  pathParams: Record<string, { value: unknown; raw?: boolean }>;
  query: QueryEntry[];
  headers: Record<string, unknown>;
  auth: Auth;
  /** Which of the pooled API keys `pooledKey` uses. */
  authPick: number;
  /** A JSON value to send, or `text` to send as it is; `contentType` when not application/json. */
  body?: { json?: unknown; text?: string; contentType?: string };
  /** What was made hostile, for the report (`valid` when nothing). */
  mutation: string;
}

const RAW_QUERY = ['%00', 'a%00b', '+', 'a+b', ',', 'a,b', ':', '2026-01-01T00:00:00+01:00', '%', '%E0%A4%A', '%ED%A0%80', '%C0%80', '&', '=', '[]', '%2B'];
const RAW_PATH = ['%00', '%2F', '..', '.', '%20', '%ED%A0%80', '%E0%A4%A', 'a%2Fb', '%25', '%C0%AE', 'x'.repeat(2048)];
const MALFORMED_JSON = ['{"name": ', '{"a":1}garbage', 'nul', '\u0000', '{"name":"x",}', "{'name':'x'}", '[' .repeat(5000), '{"name":"\\ud800"}', '"\\u0000"', '{"name":"x","name":"y"}', ''];
const CONTENT_TYPES = ['text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1', 'application/merge-patch+json'];

const pick = <T>(items: T[]) => fc.constantFrom(...items);

/** A valid value of a parameter; header values stay within what HTTP can carry. */
const paramValue = (p: Param) => validValue(p.schema, { name: p.name, ascii: p.in === 'header' });

/** Printable ASCII and Latin-1, the most a header value can carry (Node refuses control characters). */
const hostileHeader = (p: Param) =>
  fc.oneof(
    fc.constantFrom('', ' ', 'x'.repeat((p.schema.maxLength ?? 255) + 1), '\u00e9t\u00e9', '\u00ff\u00fe', 'a\tb', '"unterminated', 'W/', '*, "a"'),
    fc.string({ unit: fc.integer({ min: 0x20, max: 0xff }).map((c) => String.fromCharCode(c)), minLength: 1, maxLength: 40 }),
  );

function paramsOf(op: FuzzOperation) {
  const inPath = op.params.filter((p) => p.in === 'path');
  const inQuery = op.params.filter((p) => p.in === 'query');
  const inHeader = op.params.filter((p) => p.in === 'header');
  const pathArb = fc.record(Object.fromEntries(inPath.map((p) => [p.name, paramValue(p).map((value) => ({ value }))])));
  // Each optional parameter is left out a third of the time.
  const present = (p: Param) => (p.required ? paramValue(p).map((v) => [v]) : fc.option(paramValue(p), { freq: 2 }).map((v) => (v === null ? [] : [v])));
  const queryArb = fc
    .tuple(...inQuery.map(present))
    .map((values) => values.flatMap((vs, i) => vs.map((value) => ({ name: inQuery[i].name, value }))));
  const headerArb = fc
    .tuple(...inHeader.map((p) => fc.option(paramValue(p), { freq: 2 })))
    .map((values) => Object.fromEntries(values.flatMap((v, i) => (v === null ? [] : [[inHeader[i].name, v]]))));
  return { inPath, inQuery, inHeader, pathArb, queryArb, headerArb };
}

type Parts = Pick<FuzzRequest, 'pathParams' | 'query' | 'headers' | 'body'> & { mutation: string };
type Change = fc.Arbitrary<(r: Parts) => Parts>;

/** A change to a valid request: what `apply` returns for a value of `values`, labelled `mutation`. */
const change = <T>(values: fc.Arbitrary<T>, mutation: string, apply: (r: Parts, v: T) => Partial<Parts>): Change =>
  values.map((v) => (r) => ({ ...r, ...apply(r, v), mutation }));

const REQUEST_ID: Param = { name: 'X-Request-Id', in: 'header', required: false, schema: { maxLength: 128 }, reserved: false };
const UNKNOWN_PARAMS = ['unknown_param', 'LIMIT', 'limit[]', '__proto__', ''];
const asText = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

/** One hostile change to a valid request, at a place the operation has. */
function mutations(op: FuzzOperation, ps: ReturnType<typeof paramsOf>): Change[] {
  const out: Change[] = [];
  for (const p of ps.inPath) {
    const set = (r: Parts, value: unknown, raw?: boolean) => ({ pathParams: { ...r.pathParams, [p.name]: { value, raw } } });
    out.push(change(hostileValue(p.schema, { name: p.name }), `path ${p.name}`, (r, v) => set(r, v)));
    out.push(change(pick(RAW_PATH), `raw path ${p.name}`, (r, v) => set(r, v, true)));
  }
  for (const p of ps.inQuery) {
    const set = (r: Parts, ...entries: QueryEntry[]) => ({ query: [...r.query.filter((q) => q.name !== p.name), ...entries] });
    const name = p.name;
    out.push(change(hostileValue(p.schema, { name }), `query ${name}`, (r, v) => set(r, { name, value: asText(v) })));
    out.push(
      change(fc.tuple(paramValue(p), pick(RAW_QUERY)), `raw query ${name}`, (r, [v, raw]) =>
        set(r, { name, value: `${typeof v === 'string' ? encodeURIComponent(v) : ''}${raw}`, raw: true }),
      ),
    );
    out.push(change(fc.tuple(paramValue(p), paramValue(p)), `repeated query ${name}`, (r, [a, b]) => set(r, { name, value: a }, { name, value: b })));
  }
  out.push(change(pick(UNKNOWN_PARAMS), 'unknown query parameter', (r, name) => ({ query: [...r.query, { name, value: '1' }] })));
  for (const p of [...ps.inHeader, REQUEST_ID]) out.push(change(hostileHeader(p), `header ${p.name}`, (r, v) => ({ headers: { ...r.headers, [p.name]: v } })));
  if (op.body) {
    const hostileBody = change(hostileValue(op.body.schema), 'body', (_r, json) => ({ body: { json } }));
    out.push(hostileBody, hostileBody);
    out.push(change(pick(MALFORMED_JSON), 'malformed JSON', (_r, text) => ({ body: { text } })));
    out.push(change(pick(CONTENT_TYPES), 'content type', (r, contentType) => ({ body: { ...r.body, contentType } })));
  }
  return out;
}

const validBody = (op: FuzzOperation): fc.Arbitrary<FuzzRequest['body']> => {
  if (!op.body) return fc.constant(undefined);
  const json = validValue(op.body.schema);
  if (op.body.required) return json.map((j) => ({ json: j }));
  return fc.option(json, { freq: 3 }).map((j) => (j === null ? undefined : { json: j }));
};

/** Mostly the owner's bearer token or key of every scope, so that requests reach the handlers. */
const auths = fc.oneof(
  { weight: 12, arbitrary: fc.constantFrom<Auth>('owner', 'key') },
  { weight: 3, arbitrary: fc.constantFrom<Auth>('readKey', 'pooledKey', 'otherOwner', 'both') },
  { weight: 2, arbitrary: fc.constantFrom<Auth>('none', 'badBearer', 'badKey', 'mixed') },
);

/** Requests to one operation: valid ones, and valid ones with one hostile change. */
function requestsTo(op: FuzzOperation): fc.Arbitrary<FuzzRequest> {
  const ps = paramsOf(op);
  const valid: fc.Arbitrary<Parts> = fc.record({ pathParams: ps.pathArb, query: ps.queryArb, headers: ps.headerArb, body: validBody(op), mutation: fc.constant('valid') });
  const changed = fc.tuple(valid, fc.oneof(...mutations(op, ps))).map(([r, apply]) => apply(r));
  const parts = fc.oneof({ weight: 3, arbitrary: valid }, { weight: 2, arbitrary: changed });
  return fc.tuple(parts, auths, fc.nat()).map(([p, auth, authPick]) => ({ operationId: op.operationId, method: op.method, path: op.path, auth, authPick, ...p }));
}

/** Requests to every operation of the contract, equally often. */
export function requestArbitrary(ops: FuzzOperation[] = fuzzOperations()): fc.Arbitrary<FuzzRequest> {
  return fc.oneof(...ops.map(requestsTo));
}

/** `count` requests, the same ones for the same seed. */
export function generateRequests(seed: number, count: number, ops?: FuzzOperation[]): FuzzRequest[] {
  return fc.sample(requestArbitrary(ops), { seed, numRuns: count });
}
