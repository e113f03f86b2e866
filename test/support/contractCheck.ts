import type { Request, RequestHandler, Response } from 'express';
import { API_PREFIX, loadSpec, SPEC_PATH, type OpenApiDocument } from '../../src/contract/document';
import { listOperations } from '../../src/contract/operations';
import { createRouter, type Router } from '../../src/contract/router';
import { compileResponseCheck, type ResponseCheck } from '../../src/contract/responses';

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

interface Contract {
  check: ResponseCheck;
  /** The operations of the contract, as the service routes requests to them. */
  router: Router;
}

const contracts = new Map<string | OpenApiDocument, Contract>();
function contractAt(spec: string | OpenApiDocument): Contract {
  let c = contracts.get(spec);
  if (!c) {
    const doc = typeof spec === 'string' ? loadSpec(spec) : spec;
    contracts.set(spec, (c = { check: compileResponseCheck(doc), router: createRouter(listOperations(doc)) }));
  }
  return c;
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

/**
 * The operations a response answers for: the request's own, or for a 405 (a method the path does
 * not have) the operations of the path that document 405.
 */
function answeringFor(contract: Contract, res: Response, operationOf: OperationOf): string[] {
  const op = operationOf(res.req);
  if (op) return [op];
  if (res.statusCode !== 405) return [];
  return contract.router
    .operationsAt(res.req.path)
    .filter((o) => contract.check.documents(o.operationId, 405))
    .map((o) => o.operationId);
}

/** The problem with a response answering for `operationId`, or undefined when it conforms to the strict contract. */
function check(contract: Contract, res: Response, body: ReturnType<typeof bodyOf>, operationId: string | undefined): string | undefined {
  const status = res.statusCode;
  if (body.problem) return body.problem;
  if (operationId) return contract.check.problem(operationId, { status, method: res.req.method, header: (name) => res.getHeader(name), body });
  // Outside the operations, only errors are contract business: they have the one error shape.
  const api = res.req.path.toLowerCase().startsWith(API_PREFIX);
  // CORS preflights are answered outside the contract (src/http/cors.ts), like /docs.
  if (api && status === 204 && isPreflight(res.req)) return undefined;
  if (api && status !== 404 && status !== 405) return `status ${status} for a request that matches no operation`;
  if (status < 400 || body.type !== 'application/json') return api ? 'error without a JSON body' : undefined;
  return contract.check.envelopeProblem(body.value);
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
  const find: OperationOf = operationOf ?? ((req) => contract.router.match(req.method, req.path)?.op?.operationId);
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
