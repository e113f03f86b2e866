// What each variable may be, and the readers that hold a value to it; config.ts assembles the Config.
export class ConfigError extends Error {
  constructor(readonly variable: string, problem: string) {
    super(`Invalid configuration: ${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

export type Env = Record<string, string | undefined>;

type Rule =
  | { kind: 'integer' | 'decimal' | 'characters'; min: number; max: number }
  | { kind: 'choice'; values: readonly string[] }
  | { kind: 'boolean' }
  | { kind: 'format'; accepts: string }
  | { kind: 'any' };

/**
 * What start-up accepts for each variable loadConfig reads. The README's configuration table
 * states the same (test/config/readme.test.ts), so a range changed here fails until it is documented.
 */
export const RULES = {
  NODE_ENV: { kind: 'choice', values: ['development', 'production', 'test'] },
  PORT: { kind: 'integer', min: 0, max: 65535 },
  HOST: { kind: 'any' }, DATA_DIR: { kind: 'any' }, DATABASE_PATH: { kind: 'any' },
  DATABASE_URL: { kind: 'format', accepts: 'a postgres:// or postgresql:// URL' },
  PUBLIC_URL: { kind: 'format', accepts: 'an absolute http:// or https:// URL' },
  LOG_LEVEL: { kind: 'choice', values: ['debug', 'info', 'warn', 'error', 'silent'] },
  VALIDATE_RESPONSES: { kind: 'boolean' },
  BODY_LIMIT_BYTES: { kind: 'integer', min: 1024, max: 10 * 1024 * 1024 },
  ACCESS_TOKEN_TTL_SECONDS: { kind: 'integer', min: 60, max: 86_400 },
  REFRESH_TOKEN_IDLE_TTL_SECONDS: { kind: 'integer', min: 60, max: 30 * 86_400 },
  REFRESH_TOKEN_ABSOLUTE_TTL_SECONDS: { kind: 'integer', min: 60, max: 365 * 86_400 },
  INVITATION_TTL_SECONDS: { kind: 'integer', min: 60, max: 30 * 86_400 },
  PASSWORD_HASH_COST: { kind: 'integer', min: 10, max: 20 },
  PASSWORD_MIN_LENGTH: { kind: 'integer', min: 8, max: 128 },
  TRUST_PROXY: { kind: 'boolean' },
  WORKERS: { kind: 'integer', min: 1, max: 64 },
  RATE_LIMIT_STORE: { kind: 'choice', values: ['memory', 'database', 'sqlite', 'redis'] },
  REDIS_URL: { kind: 'format', accepts: 'a redis:// or rediss:// URL' },
  REDIS_KEY_PREFIX: { kind: 'any' },
  RATE_LIMIT_MULTIPLIER: { kind: 'decimal', min: 0.001, max: 1_000_000 },
  USAGE_FLUSH_INTERVAL_MS: { kind: 'integer', min: 50, max: 60_000 },
  IDEMPOTENCY_RETENTION_SECONDS: { kind: 'integer', min: 1, max: 30 * 86_400 },
  WEBHOOK_ALLOW_PRIVATE: { kind: 'boolean' },
  WEBHOOK_TIMEOUT_MS: { kind: 'integer', min: 10, max: 120_000 },
  WEBHOOK_RETRY_SCHEDULE: { kind: 'format', accepts: '1 to 50 comma-separated seconds (each at most 604800)' },
  WEBHOOK_DISABLE_AFTER_SECONDS: { kind: 'integer', min: 1, max: 365 * 86_400 },
  EVENT_RETENTION_DAYS: { kind: 'integer', min: 1, max: 3650 },
  WEBHOOK_CONCURRENCY: { kind: 'integer', min: 1, max: 1024 },
  WEBHOOK_ENDPOINT_CONCURRENCY: { kind: 'integer', min: 1, max: 1024 },
  WEBHOOK_POLL_INTERVAL_MS: { kind: 'integer', min: 10, max: 600_000 },
  WEBHOOK_MAX_ENDPOINTS: { kind: 'integer', min: 1, max: 1000 },
  CORS_ORIGINS: { kind: 'format', accepts: 'comma-separated origins, or * alone' },
  METRICS_TOKEN: { kind: 'characters', min: 16, max: 512 },
  METRICS_PORT: { kind: 'integer', min: 1, max: 65535 },
  CONSOLE: { kind: 'choice', values: ['on', 'off'] },
  // OpenTelemetry's own variables (src/tracing/config.ts), with the values this service supports.
  OTEL_EXPORTER_OTLP_ENDPOINT: { kind: 'format', accepts: 'an absolute http:// or https:// URL' },
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: { kind: 'format', accepts: 'an absolute http:// or https:// URL' },
  OTEL_EXPORTER_OTLP_PROTOCOL: { kind: 'choice', values: ['http/protobuf', 'http/json'] },
  OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: { kind: 'choice', values: ['http/protobuf', 'http/json'] },
  OTEL_TRACES_EXPORTER: { kind: 'choice', values: ['otlp', 'none'] },
  OTEL_SDK_DISABLED: { kind: 'boolean' },
  OTEL_SERVICE_NAME: { kind: 'any' },
  OTEL_RESOURCE_ATTRIBUTES: { kind: 'format', accepts: 'comma-separated key=value pairs' },
  OTEL_TRACES_SAMPLER: {
    kind: 'choice',
    values: ['parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio', 'always_on', 'always_off', 'traceidratio'],
  },
  OTEL_TRACES_SAMPLER_ARG: { kind: 'decimal', min: 0, max: 1 },
  OTEL_BSP_SCHEDULE_DELAY: { kind: 'integer', min: 1, max: 3_600_000 },
  OTEL_BSP_EXPORT_TIMEOUT: { kind: 'integer', min: 1, max: 600_000 },
  OTEL_BSP_MAX_QUEUE_SIZE: { kind: 'integer', min: 1, max: 1_000_000 },
  OTEL_BSP_MAX_EXPORT_BATCH_SIZE: { kind: 'integer', min: 1, max: 1_000_000 },
} as const satisfies Record<string, Rule>;

type Rules = typeof RULES;
type Named<K extends Rule['kind']> = { [N in keyof Rules]: Rules[N]['kind'] extends K ? N : never }[keyof Rules];
type ChoiceOf<N extends Named<'choice'>> = Rules[N]['values'][number];

export const BOOLEAN_WORDS: Record<'true' | 'false', readonly string[]> = { true: ['true', '1', 'yes', 'on'], false: ['false', '0', 'no', 'off'] };

export function number(env: Env, name: Named<'integer' | 'decimal'>, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const { kind, min, max } = RULES[name];
  const shape = kind === 'integer' ? /^\d+$/ : /^\d+(\.\d+)?$/;
  if (!shape.test(raw)) throw new ConfigError(name, `must be ${kind === 'integer' ? 'an integer' : 'a decimal number'} between ${min} and ${max}, got '${raw}'`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

export function oneOf<N extends Named<'choice'>>(env: Env, name: N, fallback: ChoiceOf<N>): ChoiceOf<N> {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const allowed: readonly string[] = RULES[name].values;
  if (!allowed.includes(raw)) throw new ConfigError(name, `must be one of ${allowed.join(', ')}, got '${raw}'`);
  return raw as ChoiceOf<N>;
}

export function boolean(env: Env, name: Named<'boolean'>, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (BOOLEAN_WORDS.true.includes(raw.toLowerCase())) return true;
  if (BOOLEAN_WORDS.false.includes(raw.toLowerCase())) return false;
  throw new ConfigError(name, `must be true or false, got '${raw}'`);
}
