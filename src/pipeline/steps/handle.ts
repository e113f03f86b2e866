import type { OperationContext } from '../context';
import type { AnyReply } from '../send';
import type { Aggregates } from '../../store/ports';
import type { AnyHandler, HandlerDeps, OperationRequest, OpId } from '../handler';
import { requestEvents } from '../events';

/**
 * Calls the operation's handler with the validated request and only the dependencies it declared;
 * `prepare`, when the handler has one, is to be called first, outside the transaction, and its
 * result passed on.
 */
export interface HandlerCall {
  (ctx: OperationContext, store: Aggregates, prepared?: unknown): Promise<AnyReply>;
  prepare?: (ctx: OperationContext, store: Aggregates) => Promise<unknown>;
}

/** The dependencies bound to one request (its transaction), as opposed to those built once at start. */
type PerRequest = 'store' | 'events';

export function handle(handler: AnyHandler, deps: Omit<HandlerDeps, PerRequest>): HandlerCall {
  const given: Partial<HandlerDeps> = {};
  for (const name of handler.uses) if (name !== 'store' && name !== 'events') Object.assign(given, { [name]: deps[name] });
  const usesStore = handler.uses.includes('store');
  const usesEvents = handler.uses.includes('events');
  const call: HandlerCall = async (ctx, store, prepared) => {
    const request = requestOf(ctx);
    if (!usesStore && !usesEvents) return handler.run(request, given, prepared);
    return handler.run(request, { ...given, ...(usesStore && { store }), ...(usesEvents && { events: requestEvents(ctx, store) }) }, prepared);
  };
  const { prepare } = handler;
  if (prepare) call.prepare = (ctx, store) => prepare(requestOf(ctx), { ...given, ...(usesStore && { store }) });
  return call;
}

function requestOf(ctx: OperationContext): OperationRequest<OpId> {
  return {
    params: ctx.params as never,
    query: ctx.req.query as never,
    body: ctx.req.body,
    headers: ctx.req.headers,
    principal: ctx.principal,
    requestId: ctx.requestId,
  };
}
