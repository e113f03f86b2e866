import type { TracingConfig } from './config';
import type { Tracing } from './port';

/**
 * OpenTelemetry is loaded here, on demand: with tracing off this is never called, so no request
 * and no start-up pays for the SDK (`import()` of the implementation, not a static import).
 */
export async function startTracing(config: TracingConfig): Promise<Tracing> {
  const { createTracing } = await import('./otel/tracing');
  return createTracing(config);
}
