import type { Router, Request, Response } from 'express';
import type { OperationInfo } from './spec';
import type { HandlerDeps, HandlerMap, OperationRequest, OpId } from './operation';
import { principalOf } from './security';

/** Any operation's reply, as the binder sees it once the handler's own types were checked. */
interface AnyReply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

function send(res: Response, reply: AnyReply): void {
  if (reply.headers) res.set(reply.headers);
  res.status(reply.status);
  if (reply.body === undefined) res.end();
  else res.json(reply.body);
}

/** Mounts one express route per spec operation, calling the handler bound by operationId. */
export function bindOperations(router: Router, ops: OperationInfo[], handlers: HandlerMap, deps: HandlerDeps): void {
  for (const op of ops) {
    const handler = handlers[op.operationId as OpId] as (
      req: OperationRequest<OpId>,
      deps: HandlerDeps,
    ) => Promise<AnyReply>;
    router[op.method](op.route, async (req: Request, res: Response) => {
      const reply = await handler(
        {
          params: req.params as never,
          query: req.query as never,
          body: req.body,
          headers: req.headers,
          principal: principalOf(req),
          requestId: res.locals.requestId,
        },
        deps,
      );
      send(res, reply);
    });
  }
}
