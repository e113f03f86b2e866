import type { RequestContext } from '../pipeline/context';
import { REQUEST_LABELS, type Metrics } from './metrics';

/**
 * Times every request from its arrival to its response's last byte handed to the socket, labelled
 * by operation. A request whose client went away before the response finished is not counted.
 */
export function timeRequests(metrics: Metrics): (ctx: RequestContext, api: boolean) => void {
  return (ctx, api) => {
    ctx.res.once('finish', () => {
      const { op, req, res } = ctx;
      // Under the API prefix without an operation, only a CORS preflight is answered 204; the rest
      // there are 404s and 405s.
      const operation =
        op?.operationId ?? (!api ? REQUEST_LABELS.site : res.statusCode === 204 ? REQUEST_LABELS.preflight : REQUEST_LABELS.unmatched);
      metrics.request(operation, req.method, res.statusCode, Number(process.hrtime.bigint() - ctx.started) / 1e9);
    });
  };
}
