import { boolean, ConfigError, number, oneOf, RULES, type Env } from '../configRules';

/** Tracing as the standard OTEL_* variables configure it; the SDK reads the same variables itself. */
export interface TracingConfig {
  /** How spans are sent: OTLP over HTTP as protobuf (the default) or JSON. */
  protocol: 'http/protobuf' | 'http/json';
}

const RATIO_SAMPLERS = new Set(['traceidratio', 'parentbased_traceidratio']);

function endpoint(env: Env, name: 'OTEL_EXPORTER_OTLP_ENDPOINT' | 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'): string | undefined {
  const raw = env[name];
  if (!raw) return undefined;
  const parsed = URL.canParse(raw) ? new URL(raw) : undefined;
  if (parsed?.protocol !== 'http:' && parsed?.protocol !== 'https:') throw new ConfigError(name, `must be ${RULES[name].accepts}, got '${raw}'`);
  return raw;
}

/**
 * Tracing is on when an OTLP endpoint is set (and neither OTEL_SDK_DISABLED nor
 * OTEL_TRACES_EXPORTER=none turns it off). The SDK would log a bad value and carry on with its
 * default, so every variable it reads is checked here, at start, like any other setting (also
 * with tracing off: a value that would break the day tracing is turned on is said now).
 */
export function tracingConfig(env: Env): TracingConfig | undefined {
  const endpoints = [endpoint(env, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT'), endpoint(env, 'OTEL_EXPORTER_OTLP_ENDPOINT')];
  const disabled = boolean(env, 'OTEL_SDK_DISABLED', false) || oneOf(env, 'OTEL_TRACES_EXPORTER', 'otlp') === 'none';
  const protocol = oneOf(env, 'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL', oneOf(env, 'OTEL_EXPORTER_OTLP_PROTOCOL', 'http/protobuf'));
  const sampler = oneOf(env, 'OTEL_TRACES_SAMPLER', 'parentbased_always_on');
  const ratio = number(env, 'OTEL_TRACES_SAMPLER_ARG', 1);
  if (env.OTEL_TRACES_SAMPLER_ARG && !RATIO_SAMPLERS.has(sampler)) {
    throw new ConfigError('OTEL_TRACES_SAMPLER_ARG', `applies only to the ratio samplers (traceidratio, parentbased_traceidratio), got ${ratio} with ${sampler}`);
  }
  const queue = number(env, 'OTEL_BSP_MAX_QUEUE_SIZE', 2048);
  const batch = number(env, 'OTEL_BSP_MAX_EXPORT_BATCH_SIZE', 512);
  if (batch > queue) throw new ConfigError('OTEL_BSP_MAX_EXPORT_BATCH_SIZE', `must not exceed OTEL_BSP_MAX_QUEUE_SIZE (${queue}), got ${batch}`);
  number(env, 'OTEL_BSP_SCHEDULE_DELAY', 5000);
  number(env, 'OTEL_BSP_EXPORT_TIMEOUT', 30_000);
  void env.OTEL_SERVICE_NAME; // any text; read by the SDK's resource detector
  const attributes = env.OTEL_RESOURCE_ATTRIBUTES;
  if (attributes && !attributes.split(',').every((pair) => /^[^=,\s]+=[^,]*$/.test(pair.trim()))) {
    throw new ConfigError('OTEL_RESOURCE_ATTRIBUTES', `must be ${RULES.OTEL_RESOURCE_ATTRIBUTES.accepts}, got '${attributes}'`);
  }
  return endpoints.some(Boolean) && !disabled ? { protocol } : undefined;
}
