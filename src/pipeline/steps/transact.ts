import type { OperationContext } from '../context';
import type { AnyReply, Outcome } from '../send';
import type { HandlerCall } from './handle';
import type { AsyncStore } from '../../store/ports';
import { principalId } from '../../auth/principal';
import { errorBody, errors, type AppError } from '../../errors';
import { catalogued } from '../../http/errorEnvelope';
import { IdempotencyKeyReused, type Idempotency } from '../../idempotency/idempotency';

/** How an operation's handler runs: what the pipeline does last before sending. */
export type Execute = (ctx: OperationContext) => Promise<Outcome>;

/** An operation the contract does not make transactional: the handler on the store itself. */
export const direct =
  (handled: HandlerCall, store: AsyncStore): Execute =>
  async (ctx) => ({ reply: await handled(ctx, store, await handled.prepare?.(ctx, store)) });

// Errors that mean "the operation did not decide anything": not stored under an idempotency key.
const NOT_DECIDED = new Set([401, 403, 429]);
// A validation 400 does not use up the key either, whether the validator or the handler found it:
// the client corrects the body and retries with the same key.
const notDecided = (err: AppError) => NOT_DECIDED.has(err.status) || err.code === 'validation_failed';

/**
 * The one layer that owns request transactions. An operation that takes an Idempotency-Key or an
 * If-Match, or emits events, runs its handler in one transaction (its events commit with it): the read-compare-write of If-Match is atomic, and
 * with a key the change and the stored response commit together (or not at all), so a retry after
 * a crash or a timeout finds either nothing or the complete outcome. Requests with the same key
 * wait for each other inside the transaction (the store's lock on the record), so the write runs
 * once; one that waits for the record past the busy timeout is told the key is in use.
 */
export function transactional(
  handled: HandlerCall,
  store: AsyncStore,
  idempotency: Idempotency,
  hooks: { wake: () => void; replayed: (operationId: string) => void },
): Execute {
  const execute = once(handled, store, idempotency);
  return async (ctx) => {
    const outcome = await execute(ctx);
    // Deliveries were queued with the change: the worker need not wait for its next poll.
    if (ctx.queuedDeliveries) hooks.wake();
    if (outcome.replay) hooks.replayed(ctx.op.operationId);
    return outcome;
  };
}

function once(handled: HandlerCall, store: AsyncStore, idempotency: Idempotency): Execute {
  return async (ctx) => {
    const key = ctx.op.idempotent ? ctx.req.headers['idempotency-key'] : undefined;
    // Before the transaction: what it does must not hold the write lock or a connection.
    const prepared = await handled.prepare?.(ctx, store);
    if (typeof key !== 'string') return { reply: await store.transaction((tx) => handled(ctx, tx, prepared)) };
    if (!ctx.principal) throw new Error('idempotent operation reached without a principal');
    const { op, principal } = ctx;
    const scope = { workspaceId: principal.workspaceId, principalId: principalId(principal), method: op.method, route: op.route, key };
    let reply: AnyReply | undefined;
    try {
      const outcome = await store.transaction((tx) =>
        idempotency.execute(tx.idempotency, scope, { params: ctx.params, body: ctx.req.body ?? null }, async () => {
          try {
            reply = await handled(ctx, tx, prepared);
          } catch (err) {
            // A store's domain error (a taken slug) is the handler's 409 as much as one it threw itself.
            const known = catalogued(err);
            if (!known || known.status >= 500 || notDecided(known)) throw err;
            reply = { status: known.status, headers: known.headers, body: errorBody(known, ctx.requestId) };
          }
          return { status: reply.status, headers: reply.headers ?? {}, body: reply.body === undefined ? undefined : JSON.stringify(reply.body) };
        }),
      );
      // First time: sent as a reply, so it is validated against the contract like any other.
      return outcome.replayed || !reply ? { replay: outcome.response } : { reply };
    } catch (err) {
      if (err instanceof IdempotencyKeyReused) throw errors.idempotencyKeyReused(key);
      throw err;
    }
  };
}
