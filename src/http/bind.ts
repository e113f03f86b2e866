import type { Request, RequestHandler, Response } from 'express';
import type { OperationInfo } from './spec';
import type { HandlerDeps, HandlerMap, OperationRequest, OpId } from './operation';
import { joined, type AsyncStore, type Transactional } from '../store/async';
import { principalOf } from './security';
import { operationOf } from './operationMatcher';
import { principalId } from '../auth/principal';
import { AppError, errorBody, errors } from '../errors';
import { IdempotencyKeyReused, type Idempotency, type StoredResponse } from '../idempotency/idempotency';

/** Any operation's reply, as the binder sees it once the handler's own types were checked. */
interface AnyReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

type AnyHandler = (req: OperationRequest<OpId>, deps: HandlerDeps) => AnyReply | Promise<AnyReply>;

function send(res: Response, reply: AnyReply, validatingResponses: boolean): void {
  if (reply.headers) res.set(reply.headers);
  res.status(reply.status);
  if (reply.body === undefined) res.end();
  // The response validator checks bodies in res.json, so with validation on it must be used.
  else if (validatingResponses) res.json(reply.body);
  else sendJson(res, JSON.stringify(reply.body));
}

/**
 * JSON text as res.json would send it (same headers, same bytes), written directly: Express turns
 * a body string into a Buffer, which then goes out as a second buffer after the headers; a string
 * is written together with them. Also how a stored idempotent response is replayed.
 */
function sendJson(res: Response, text: string): void {
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  if (res.req.method === 'HEAD') res.end();
  else res.end(text);
}

/** What express-openapi-validator leaves on a request it matched to an operation. */
type ValidatedRequest = Request & { openapi?: { schema?: { operationId?: string }; pathParams?: Record<string, string> } };

/** The validator's own (decoded, validated) path parameters: no Express route runs here. */
const pathParams = (req: Request): Record<string, string> => (req as ValidatedRequest).openapi?.pathParams ?? {};

function operationRequest(req: Request, res: Response): OperationRequest<OpId> {
  return {
    params: pathParams(req) as never,
    query: req.query as never,
    body: req.body,
    headers: req.headers,
    principal: principalOf(req),
    requestId: res.locals.requestId,
  };
}

// Errors that mean "the operation did not decide anything": not stored under an idempotency key.
const NOT_DECIDED = new Set([401, 403, 429]);
// A validation 400 does not use up the key either, whether the validator or the handler found it:
// the client corrects the body and retries with the same key.
const notDecided = (err: AppError) => NOT_DECIDED.has(err.status) || err.code === 'validation_failed';

/**
 * The handler, its change and the stored response under the Idempotency-Key commit in one
 * transaction (or not at all), so a retry after a crash or a timeout finds either nothing or the
 * complete outcome. Requests with the same key wait for each other inside the transaction (the
 * store's lock on the record), so the write runs once; a SQLite writer in another process that
 * cannot get the lock in time is told the key is in use.
 */
async function runIdempotent(
  req: Request,
  res: Response,
  op: OperationInfo,
  key: string,
  call: (store: Transactional) => Promise<AnyReply>,
  store: AsyncStore,
  idempotency: Idempotency,
): Promise<{ replayed: boolean; response: StoredResponse; reply?: AnyReply }> {
  const principal = principalOf(req);
  if (!principal) throw new Error('idempotent operation reached without a principal');
  const scope = { workspaceId: principal.workspaceId, principalId: principalId(principal), method: op.method, route: op.route, key };
  let reply: AnyReply | undefined;
  try {
    const outcome = await store.transaction((tx) =>
      idempotency.execute(tx.idempotency, scope, { params: pathParams(req), body: req.body ?? null }, async () => {
        try {
          reply = await call(joined(tx));
        } catch (err) {
          if (!(err instanceof AppError) || err.status >= 500 || notDecided(err)) throw err;
          reply = { status: err.status, headers: err.headers, body: errorBody(err, res.locals.requestId) };
        }
        return { status: reply.status, headers: reply.headers ?? {}, body: reply.body === undefined ? undefined : JSON.stringify(reply.body) };
      }),
    );
    return { ...outcome, reply };
  } catch (err) {
    if (err instanceof IdempotencyKeyReused) throw errors.idempotencyKeyReused(key);
    if ((err as { code?: string }).code === 'SQLITE_BUSY') throw errors.idempotencyKeyInUse();
    throw err;
  }
}

/**
 * Calls the handler bound to the request's operation by operationId. The operation was found by
 * operationMatcher and validated by express-openapi-validator; the two must agree, so a request
 * the validator matched to another operation (or to none) goes on to the 404 handler instead.
 */
export function dispatchOperations(
  ops: OperationInfo[],
  handlers: HandlerMap,
  deps: Omit<HandlerDeps, 'store'> & { store: AsyncStore; idempotency: Idempotency },
): RequestHandler {
  const validating = deps.config.validateResponses;
  const bound = new Map(
    ops.map((op) => {
      const handler = handlers[op.operationId as OpId] as AnyHandler;
      const run = async (req: Request, res: Response) => {
        const key = op.idempotent ? req.headers['idempotency-key'] : undefined;
        if (typeof key !== 'string') {
          const reply = handler(operationRequest(req, res), deps);
          send(res, reply instanceof Promise ? await reply : reply, validating);
          return;
        }
        const call = async (store: Transactional) => handler(operationRequest(req, res), { ...deps, store });
        const { replayed, response, reply } = await runIdempotent(req, res, op, key, call, deps.store, deps.idempotency);
        if (!replayed && reply) {
          // First time: send as usual, so the response is validated against the contract.
          send(res, reply, validating);
          return;
        }
        res.set(response.headers).set('Idempotent-Replayed', 'true').status(response.status);
        if (response.body === undefined) res.end();
        else sendJson(res, response.body);
      };
      return [op.operationId, run] as const;
    }),
  );
  return (req, res, next) => {
    const op = operationOf(res);
    const validated = (req as ValidatedRequest).openapi?.schema?.operationId;
    const run = op && validated === op.operationId ? bound.get(op.operationId) : undefined;
    if (!run) return next();
    run(req, res).catch(next);
  };
}
