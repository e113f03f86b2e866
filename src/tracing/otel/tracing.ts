import { context, trace } from '@opentelemetry/api';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { defaultResource, detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import { OTLPTraceExporter as ProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import type { TracingConfig } from '../config';
import type { Tracing } from '../port';
import { instrumentPg, instrumentSqlite } from './database';
import { instrumentRedis } from './redis';
import { deliverySpans } from './delivery';
import { serverSpans } from './server';
import { settle } from './spans';

/**
 * The SDK as the standard variables configure it: the exporters read the OTLP endpoint (and
 * headers, timeout, compression), the provider the sampler, the batch processor OTEL_BSP_*, the
 * resource OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES (over our default name `cloud-api`).
 * Registered globally, with the AsyncLocalStorage context manager and the W3C propagators.
 */
export function createTracing(config: TracingConfig): Tracing {
  const exporter = config.protocol === 'http/json' ? new JsonExporter() : new ProtobufExporter();
  const resource = defaultResource()
    .merge(resourceFromAttributes({ 'service.name': 'cloud-api' }))
    .merge(detectResources({ detectors: [envDetector] }));
  const provider = new NodeTracerProvider({ resource, spanProcessors: [new BatchSpanProcessor(exporter)] });
  provider.register();
  const tracer = provider.getTracer('cloud-api');
  return {
    serve: serverSpans(tracer),
    // Inside a request the sampler left out, no child span: the request's own is not recorded either.
    around: (name, fn, attributes) => {
      const active = trace.getSpan(context.active());
      if (active && !active.isRecording()) return fn();
      return tracer.startActiveSpan(name, { attributes }, (span) => settle(span, fn()));
    },
    instrumentSqlite: (db) => instrumentSqlite(tracer, db),
    instrumentPg: (pool) => instrumentPg(tracer, pool),
    instrumentRedis: (redis) => instrumentRedis(tracer, redis),
    ...deliverySpans(tracer),
    logFields(): Record<string, string> {
      const span = trace.getSpan(context.active());
      if (!span) return {};
      const { traceId, spanId } = span.spanContext();
      return { trace_id: traceId, span_id: spanId };
    },
    shutdown: () => provider.shutdown(),
  };
}
