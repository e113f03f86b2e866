import type { Request, RequestHandler, Response } from 'express';
import Ajv2020, { type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { API_PREFIX, listOperations, loadSpec, SPEC_PATH, type OpenApiDocument, type OperationInfo } from '../../src/http/spec';
import { strictContract } from '../../src/contract/strict';
import { operationTable } from '../../src/pipeline/match';

/** A response that does not match the strict contract; the root hooks fail the test that caused it. */
export interface Violation {
  request: string;
  status: number;
  problem: string;
}

/**
 * What the suite observed: `operationId status` -> count of conforming responses. Apps built from a
 * changed copy of the contract count too (their 429s come from lowered limits); the coverage report
 * keeps only pairs the real contract documents.
 */
export const observed = new Map<string, number>();
const violations: Violation[] = [];

/**
 * Counts a conforming response that no test app's middleware saw, for tests that check it
 * themselves: answers of the HTTP server before Express (408, 417, 431), or of a spawned process.
 */
export function countObserved(operationId: string, status: number): void {
  observed.set(`${operationId} ${status}`, (observed.get(`${operationId} ${status}`) ?? 0) + 1);
}

/** The violations recorded since the last call, removed (for tests that provoke one on purpose). */
export function takeViolations(): Violation[] {
  return violations.splice(0);
}

interface HeaderCheck {
  name: string;
  required: boolean;
  integer: boolean;
  validate: ValidateFunction;
}

interface Documented {
  media: Map<string, ValidateFunction>;
  headers: HeaderCheck[];
}

interface Contract {
  ops: Map<string, { info: OperationInfo; responses: Map<string, Documented> }>;
  errorEnvelope: ValidateFunction;
  /** Each operation's path pattern, for a 405, which answers for the path's operations. */
  paths: { operationId: string; pattern: RegExp }[];
  /** The operation a request is for, found as the service finds it. */
  match: ReturnType<typeof operationTable>;
}

interface DeclaredHeader {
  $ref?: string;
  required?: boolean;
  schema?: { type?: unknown };
}
interface DeclaredResponse {
  $ref?: string;
  content?: Record<string, unknown>;
  headers?: Record<string, DeclaredHeader>;
}

const DOC_ID = 'contract.json';
const pointerPart = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

function compile(doc: OpenApiDocument): Contract {
  const ajv = new Ajv2020({ strict: false, allErrors: false, validateSchema: false });
  addFormats(ajv);
  ajv.addSchema(strictContract(doc), DOC_ID);
  // Compiled on first use: compiling every response of the contract took most of a single test
  // file's start-up (about 10 s of CPU), and a file sees a few of them.
  const ref = (pointer: string): ValidateFunction => {
    let compiled: ValidateFunction | undefined;
    const validate = ((data: unknown) => {
      compiled ??= ajv.compile({ $ref: `${DOC_ID}#${pointer}` });
      const ok = compiled(data) as boolean;
      validate.errors = compiled.errors;
      return ok;
    }) as ValidateFunction;
    return validate;
  };
  const ops: Contract['ops'] = new Map();
  const components = doc.components as { responses: Record<string, DeclaredResponse>; headers: Record<string, DeclaredHeader> };
  for (const info of listOperations(doc)) {
    const op = doc.paths[info.path][info.method] as { responses: Record<string, DeclaredResponse> };
    const responses = new Map<string, Documented>();
    for (const [status, declared] of Object.entries(op.responses)) {
      let pointer = `/paths/${pointerPart(info.path)}/${info.method}/responses/${status}`;
      let response = declared;
      if (declared.$ref) {
        pointer = declared.$ref.slice(1);
        response = components.responses[declared.$ref.split('/').pop()!];
      }
      const media = new Map<string, ValidateFunction>();
      for (const type of Object.keys(response.content ?? {})) {
        media.set(type, ref(`${pointer}/content/${pointerPart(type)}/schema`));
      }
      const headers = Object.entries(response.headers ?? {}).map(([name, h]) => {
        const at = h.$ref ? h.$ref.slice(1) : `${pointer}/headers/${pointerPart(name)}`;
        const header = h.$ref ? components.headers[h.$ref.split('/').pop()!] : h;
        return { name: name.toLowerCase(), required: header.required === true, integer: header.schema?.type === 'integer', validate: ref(`${at}/schema`) };
      });
      responses.set(status, { media, headers });
    }
    ops.set(info.operationId, { info, responses });
  }
  const paths = [...ops.values()].map(({ info }) => ({
    operationId: info.operationId,
    pattern: new RegExp('^' + info.route.replace(/:[^/]+/g, '[^/]+') + '/?$', 'i'),
  }));
  return { ops, errorEnvelope: ref('/components/schemas/ErrorEnvelope'), paths, match: operationTable(listOperations(doc)) };
}

const contracts = new Map<string | OpenApiDocument, Contract>();
function contractAt(spec: string | OpenApiDocument): Contract {
  let c = contracts.get(spec);
  if (!c) contracts.set(spec, (c = compile(typeof spec === 'string' ? loadSpec(spec) : spec)));
  return c;
}

function describeErrors(v: ValidateFunction): string {
  return (v.errors ?? [])
    .slice(0, 3)
    .map((e) => `${e.instancePath || '/'} ${e.message}${e.params && Object.keys(e.params).length ? ' ' + JSON.stringify(e.params) : ''}`)
    .join('; ');
}

function bodyOf(res: Response, chunks: Buffer[]): { type?: string; value?: unknown; problem?: string } {
  const text = Buffer.concat(chunks).toString('utf8');
  if (res.req.method === 'HEAD' || text === '') return {};
  const type = String(res.getHeader('content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (type !== 'application/json') return { type, value: text };
  try {
    return { type, value: JSON.parse(text) };
  } catch {
    return { type, problem: 'body is not JSON' };
  }
}

function checkHeaders(headers: HeaderCheck[], res: Response): string | undefined {
  for (const h of headers) {
    const raw = res.getHeader(h.name);
    if (raw === undefined) {
      if (h.required) return `header ${h.name} is required but missing`;
      continue;
    }
    const text = String(raw);
    const value = h.integer && /^-?\d+$/.test(text) ? Number(text) : text;
    if (!h.validate(value)) return `header ${h.name}: ${JSON.stringify(text)} ${describeErrors(h.validate)}`;
  }
  return undefined;
}

/**
 * The operations a response answers for: the request's own, or for a 405 (a method the path does
 * not have) the operations of the path that document 405.
 */
function answeringFor(contract: Contract, res: Response, operationOf: OperationOf): string[] {
  const op = operationOf(res.req);
  if (op) return [op];
  if (res.statusCode !== 405) return [];
  const path = res.req.path;
  return contract.paths
    .filter((p) => p.pattern.test(path) && contract.ops.get(p.operationId)?.responses.has('405'))
    .map((p) => p.operationId);
}

/** The problem with a response answering for `operationId`, or undefined when it conforms to the strict contract. */
function check(contract: Contract, res: Response, body: ReturnType<typeof bodyOf>, operationId: string | undefined): string | undefined {
  const status = res.statusCode;
  if (body.problem) return body.problem;
  if (!operationId) {
    // Outside the operations, only errors are contract business: they have the one error shape.
    const api = res.req.path.toLowerCase().startsWith(API_PREFIX);
    // CORS preflights are answered outside the contract (src/http/cors.ts), like /docs.
    if (api && status === 204 && isPreflight(res.req)) return undefined;
    if (api && status !== 404 && status !== 405) return `status ${status} for a request that matches no operation`;
    if (status < 400 || body.type !== 'application/json') return api ? 'error without a JSON body' : undefined;
    return contract.errorEnvelope(body.value) ? undefined : `not the error envelope: ${describeErrors(contract.errorEnvelope)}`;
  }
  const responses = contract.ops.get(operationId)?.responses;
  const documented = responses?.get(String(status)) ?? responses?.get(`${String(status)[0]}XX`) ?? responses?.get('default');
  if (!documented) return `status ${status} is not documented on ${operationId}`;
  const headerProblem = checkHeaders(documented.headers, res);
  if (headerProblem) return headerProblem;
  const media = documented.media;
  if (body.type === undefined) {
    const isHead = res.req.method === 'HEAD';
    return media.size > 0 && !isHead && status !== 304 ? `no body, but ${status} documents one` : undefined;
  }
  const validate = media.get(body.type);
  if (!validate) return `content type ${body.type} is not documented for ${operationId} ${status}`;
  return validate(body.value) ? undefined : `body does not match the strict contract: ${describeErrors(validate)}`;
}

const isPreflight = (req: Request) =>
  req.method === 'OPTIONS' && req.headers.origin !== undefined && req.headers['access-control-request-method'] !== undefined;

function record(contract: Contract, res: Response, chunks: Buffer[], operationOf: OperationOf): void {
  const body = bodyOf(res, chunks);
  const ids = answeringFor(contract, res, operationOf);
  for (const id of ids.length ? ids : [undefined]) {
    const problem = check(contract, res, body, id);
    if (problem) violations.push({ request: `${res.req.method} ${res.req.originalUrl}`, status: res.statusCode, problem });
    else if (id) countObserved(id, res.statusCode);
  }
}

/** The operationId a request is for; undefined outside the contract's operations. */
type OperationOf = (req: Request) => string | undefined;

/**
 * A middleware for test apps only: checks every response after the app wrote it against the strict
 * form of the contract (whatever produced it: handler, validator, error handler, rate limiter),
 * records the (operation, status) pairs that conformed, and records the others as violations.
 */
export function contractCheck(spec: string | OpenApiDocument = SPEC_PATH, operationOf?: OperationOf): RequestHandler {
  const contract = contractAt(spec);
  const find: OperationOf = operationOf ?? ((req) => contract.match(req.method, req.path)?.op?.operationId);
  return (_req, res, next) => {
    const chunks: Buffer[] = [];
    const keep = (chunk: unknown, encoding?: unknown) => {
      if (chunk === undefined || chunk === null || typeof chunk === 'function') return;
      chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk), typeof encoding === 'string' ? (encoding as BufferEncoding) : 'utf8'));
    };
    const write = res.write.bind(res);
    const end = res.end.bind(res);
    res.write = ((chunk: unknown, ...rest: unknown[]) => {
      keep(chunk, rest[0]);
      return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
    }) as typeof res.write;
    // Checked before the response leaves, so the test that sent the request sees the violation.
    res.end = ((chunk?: unknown, ...rest: unknown[]) => {
      keep(chunk, rest[0]);
      record(contract, res, chunks, find);
      return (end as (...a: unknown[]) => Response)(chunk, ...rest);
    }) as typeof res.end;
    next();
  };
}
