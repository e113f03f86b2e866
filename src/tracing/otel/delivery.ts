import { SpanKind, SpanStatusCode, type Link, type Tracer } from '@opentelemetry/api';
import { ATTR_ERROR_TYPE, ATTR_HTTP_REQUEST_METHOD, ATTR_HTTP_RESPONSE_STATUS_CODE, ATTR_SERVER_ADDRESS, ATTR_SERVER_PORT, ATTR_URL_SCHEME } from '@opentelemetry/semantic-conventions';
import type { DeliveryTracing } from '../port';
import { settle, spanContextOf } from './spans';

const DEFAULT_PORTS: Record<string, number> = { 'http:': 80, 'https:': 443 };

/**
 * A delivery is the root of a trace of its own (it runs later, off any request), linked to the
 * server span of the request whose change emitted the event: a collector shows the way from a
 * change to every attempt it caused. The attempt is its client span, with the receiver's host and
 * answer; neither the URL's path or query (they may hold a receiver's token) nor any header.
 */
export function deliverySpans(tracer: Tracer): DeliveryTracing {
  return {
    delivery(delivery, fn) {
      const origin = delivery.traceparent ? spanContextOf(delivery.traceparent) : undefined;
      const links: Link[] = origin ? [{ context: origin }] : [];
      const attributes = {
        'cloud_api.workspace_id': delivery.workspaceId,
        'cloud_api.webhook.delivery_id': delivery.id,
        'cloud_api.webhook.endpoint_id': delivery.endpointId,
        'cloud_api.webhook.attempt': delivery.attemptCount + 1,
        'cloud_api.event.id': delivery.event.id,
        'cloud_api.event.type': delivery.event.type,
      };
      return tracer.startActiveSpan('webhook delivery', { root: true, links, attributes }, (span) => settle(span, fn()));
    },
    attempt(url, fn) {
      const attributes = {
        [ATTR_HTTP_REQUEST_METHOD]: 'POST',
        [ATTR_URL_SCHEME]: url.protocol.slice(0, -1),
        [ATTR_SERVER_ADDRESS]: url.hostname,
        [ATTR_SERVER_PORT]: url.port ? Number(url.port) : (DEFAULT_PORTS[url.protocol] ?? 0),
      };
      return tracer.startActiveSpan('POST', { kind: SpanKind.CLIENT, attributes }, (span) =>
        settle(
          span,
          fn().then((result) => {
            if (result.status !== null) span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, result.status);
            const failed = result.status === null || result.status >= 400;
            if (failed) {
              // No answer: why, in words of our own (`timeout`, `host not found`) made a name; else the status.
              span.setAttribute(ATTR_ERROR_TYPE, result.status === null ? (result.error ?? 'failed').replace(/\W+/g, '_') : String(result.status));
              span.setStatus({ code: SpanStatusCode.ERROR });
            }
            return result;
          }),
        ),
      );
    },
  };
}
