import type { OperationContext } from '../context';
import type { AnyReply } from '../send';
import type { Aggregates } from '../../store/ports';
import type { AnyHandler, HandlerDeps, OperationRequest, OpId } from '../handler';
import { requestEvents } from '../events';

/** Calls the operation's handler with the validated request and only the dependencies it declared. */
export type HandlerCall = (ctx: OperationContext, store: Aggregates) => Promise<AnyReply>;

/** The dependencies bound to one request (its transaction), as opposed to those built once at start. */
type PerRequest = 'store' | 'events';

export function handle(handler: AnyHandler, deps: Omit<HandlerDeps, PerRequest>): HandlerCall {
  const given: Partial<HandlerDeps> = {};
  for (const name of handler.uses) if (name !== 'store' && name !== 'events') Object.assign(given, { [name]: deps[name] });
  const usesStore = handler.uses.includes('store');
  const usesEvents = handler.uses.includes('events');
  return async (ctx, store) => {
    const request: OperationRequest<OpId> = {
      params: ctx.params as never,
      query: ctx.req.query as never,
      body: ctx.req.body,
      headers: ctx.req.headers,
      principal: ctx.principal,
      requestId: ctx.requestId,
    };
    if (!usesStore && !usesEvents) return handler.run(request, given);
    return handler.run(request, { ...given, ...(usesStore && { store }), ...(usesEvents && { events: requestEvents(ctx, store) }) });
  };
}
