import type { OperationContext } from '../context';
import type { AnyReply } from '../send';
import type { Aggregates } from '../../store/async';
import type { AnyHandler, HandlerDeps, OperationRequest, OpId } from '../../http/operation';

/** Calls the operation's handler with the validated request and only the dependencies it declared. */
export type Handle = (ctx: OperationContext, store: Aggregates) => Promise<AnyReply>;

export function handle(handler: AnyHandler, deps: Omit<HandlerDeps, 'store'>): Handle {
  const given: Partial<HandlerDeps> = {};
  for (const name of handler.uses) if (name !== 'store') Object.assign(given, { [name]: deps[name] });
  const usesStore = handler.uses.includes('store');
  return async (ctx, store) => {
    const request: OperationRequest<OpId> = {
      params: ctx.params as never,
      query: ctx.req.query as never,
      body: ctx.req.body,
      headers: ctx.req.headers,
      principal: ctx.principal,
      requestId: ctx.requestId,
    };
    return handler.run(request, usesStore ? { ...given, store } : given);
  };
}
