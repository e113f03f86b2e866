import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, TraceFlags, trace, type Attributes, type Tracer } from '@opentelemetry/api';
import {
  ATTR_ERROR_TYPE,
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_SERVER_ADDRESS,
  ATTR_URL_SCHEME,
  ATTR_USER_AGENT_ORIGINAL,
} from '@opentelemetry/semantic-conventions';
import type { RequestContext } from '../../pipeline/context';
import { API_PREFIX } from '../../contract/document';
import { traceparentOf } from './spans';

// The methods the HTTP conventions name; anything else is `_OTHER`, so a client cannot make up span names.
const KNOWN_METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'CONNECT', 'OPTIONS', 'TRACE', 'PATCH']);

/**
 * The server span of each request (stable HTTP semantic conventions). It continues the caller's
 * trace when the request carries a W3C `traceparent` (and `tracestate`). Of the request it records
 * the method, scheme, host, user agent and, once known, the route template, operation, workspace
 * and status: never another header, the query string or a body. `error.type` is the error's
 * catalogue code (`not_found`) on every 4xx and 5xx, a low-cardinality name a collector can group
 * by; only a 5xx, or an answer cut short, marks the span failed, as the conventions say.
 */
export function serverSpans(tracer: Tracer): (ctx: RequestContext, handle: () => void) => void {
  return (ctx, handle) => {
    const { req, res } = ctx;
    const method = KNOWN_METHODS.has(req.method) ? req.method : '_OTHER';
    const parent = propagation.extract(ROOT_CONTEXT, req.headers);
    const attributes: Attributes = {
      [ATTR_HTTP_REQUEST_METHOD]: method,
      [ATTR_URL_SCHEME]: req.protocol,
      [ATTR_SERVER_ADDRESS]: req.hostname,
      'cloud_api.request_id': ctx.requestId,
    };
    const agent = req.headers['user-agent'];
    if (agent) attributes[ATTR_USER_AGENT_ORIGINAL] = agent;
    const span = tracer.startSpan(method === '_OTHER' ? 'HTTP' : method, { kind: SpanKind.SERVER, attributes }, parent);
    if (span.isRecording()) {
      const own = span.spanContext();
      if (own.traceFlags & TraceFlags.SAMPLED) ctx.traceparent = traceparentOf(own);
      res.once('close', () => {
        if (ctx.op) {
          const route = API_PREFIX + ctx.op.path;
          span.updateName(`${method} ${route}`);
          span.setAttribute(ATTR_HTTP_ROUTE, route);
          span.setAttribute('cloud_api.operation_id', ctx.op.operationId);
        }
        if (ctx.principal) span.setAttribute('cloud_api.workspace_id', ctx.principal.workspaceId);
        const status = res.statusCode;
        span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
        const cut = !res.writableFinished;
        if (cut || status >= 400) span.setAttribute(ATTR_ERROR_TYPE, cut ? 'response_incomplete' : (ctx.errorCode ?? String(status)));
        if (cut || status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        span.end();
      });
    }
    // Also when not sampled: the children then know not to record either.
    context.with(trace.setSpan(parent, span), handle);
  };
}
