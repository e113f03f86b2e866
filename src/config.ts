import { resolve, join } from 'node:path';
import { DEFAULT_MIN_PASSWORD_LENGTH } from './auth/passwordPolicy';
import { DEFAULT_RETRY_SCHEDULE, parseRetrySchedule } from './webhooks/schedule';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent';

export interface Config {
  env: 'development' | 'production' | 'test';
  port: number;
  host: string;
  dataDir: string;
  /** SQLite file, or ':memory:' (tests); unused when `databaseUrl` is set. */
  databasePath: string;
  /** postgres:// URL: PostgreSQL holds the state instead of SQLite. */
  databaseUrl: string | undefined;
  /** Origin clients reach us at; the JWT issuer and audience and the base of `Link` headers. */
  publicUrl: string;
  logLevel: LogLevel;
  validateResponses: boolean;
  bodyLimitBytes: number;
  accessTokenTtlSeconds: number;
  refreshIdleTtlSeconds: number;
  refreshAbsoluteTtlSeconds: number;
  /** log2 of scrypt's N for new password hashes. */
  passwordHashCost: number;
  /** Fewest characters a new password may have (NIST SP 800-63B). */
  passwordMinLength: number;
  trustProxy: boolean;
  /** Where rate-limit counters live: this process, the database (shared by processes), or Redis (shared by instances). */
  rateLimitStore: 'memory' | 'database' | 'redis';
  /** redis:// or rediss:// URL; set, it makes `redis` the default rate-limit store. */
  redisUrl: string | undefined;
  /** Prefix of every Redis key, so deployments (or test runs) sharing a server never mix. */
  redisKeyPrefix: string;
  /** Processes serving on the port (node:cluster); 1 runs without a primary. */
  workers: number;
  /** Multiplies every limit declared in the contract (load tests, benchmarks). */
  rateLimitMultiplier: number;
  usageFlushIntervalMs: number;
  idempotencyRetentionSeconds: number;
  webhooks: WebhookConfig;
  /** Browser origins allowed to call the API (`*`: any); empty: no CORS headers at all. */
  corsOrigins: '*' | string[];
  metrics: MetricsConfig;
}

/** Where GET /metrics is served: nowhere (both unset), on PORT behind the token, or on 127.0.0.1:port. */
export interface MetricsConfig {
  /** Bearer token a scrape must present (wherever /metrics is served). */
  token: string | undefined;
  /** A listener on 127.0.0.1 for /metrics alone; set, /metrics is not served on PORT. */
  port: number | undefined;
}

export interface WebhookConfig {
  /** Deliveries may go to loopback, private and other internal addresses (tests, local development only). */
  allowPrivate: boolean;
  /** Endpoint URLs must be https: in production. */
  requireHttps: boolean;
  /** One delivery attempt, connect to response headers. */
  timeoutMs: number;
  /** Seconds before each attempt (the first is due when the event is written); its length is the number of attempts. */
  retrySchedule: number[];
  /** An endpoint whose deliveries have all failed for this long is disabled (reason `failing`). */
  disableAfterSeconds: number;
  eventRetentionDays: number;
  /** Deliveries in flight at once in this process, and to one endpoint. */
  concurrency: number;
  endpointConcurrency: number;
  pollIntervalMs: number;
  /** Endpoints per workspace. */
  maxEndpoints: number;
}

export class ConfigError extends Error {
  constructor(readonly variable: string, problem: string) {
    super(`Invalid configuration: ${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) throw new ConfigError(name, `must be an integer, got '${raw}'`);
  const value = Number(raw);
  if (value < min || value > max) throw new ConfigError(name, `must be between ${min} and ${max}, got ${value}`);
  return value;
}

function oneOf<T extends string>(env: Env, name: string, fallback: T, allowed: readonly T[]): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(allowed as readonly string[]).includes(raw)) {
    throw new ConfigError(name, `must be one of ${allowed.join(', ')}, got '${raw}'`);
  }
  return raw as T;
}

function boolean(env: Env, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(name, `must be true or false, got '${raw}'`);
}

function url(env: Env, name: string, fallback: string): string {
  const raw = env[name] || fallback;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(name, `must be an absolute http(s) URL, got '${raw}'`);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new ConfigError(name, `must be an http(s) URL, got '${raw}'`);
  }
  return parsed.origin + parsed.pathname.replace(/\/+$/, '');
}

function webhookConfig(env: Env, nodeEnv: Config['env']): WebhookConfig {
  const rawSchedule = env.WEBHOOK_RETRY_SCHEDULE;
  const retrySchedule = rawSchedule ? parseRetrySchedule(rawSchedule) : DEFAULT_RETRY_SCHEDULE;
  if (!retrySchedule) {
    throw new ConfigError('WEBHOOK_RETRY_SCHEDULE', `must be 1 to 50 comma-separated seconds (each at most 604800), got '${rawSchedule}'`);
  }
  const concurrency = integer(env, 'WEBHOOK_CONCURRENCY', 16, 1, 1024);
  const endpointConcurrency = integer(env, 'WEBHOOK_ENDPOINT_CONCURRENCY', 2, 1, 1024);
  if (endpointConcurrency > concurrency) {
    throw new ConfigError('WEBHOOK_ENDPOINT_CONCURRENCY', `must not exceed WEBHOOK_CONCURRENCY (${concurrency}), got ${endpointConcurrency}`);
  }
  return {
    allowPrivate: boolean(env, 'WEBHOOK_ALLOW_PRIVATE', false),
    requireHttps: nodeEnv === 'production',
    timeoutMs: integer(env, 'WEBHOOK_TIMEOUT_MS', 15_000, 10, 120_000),
    retrySchedule,
    disableAfterSeconds: integer(env, 'WEBHOOK_DISABLE_AFTER_SECONDS', 5 * 86_400, 1, 365 * 86_400),
    eventRetentionDays: integer(env, 'EVENT_RETENTION_DAYS', 30, 1, 3650),
    concurrency,
    endpointConcurrency,
    pollIntervalMs: integer(env, 'WEBHOOK_POLL_INTERVAL_MS', 1000, 10, 600_000),
    maxEndpoints: integer(env, 'WEBHOOK_MAX_ENDPOINTS', 16, 1, 1000),
  };
}

const ORIGIN_SHAPE = /^https?:\/\/[^/?#@\s]+$/i;

/**
 * Exact origins as browsers send them in `Origin`: scheme, host and port, nothing after. Case and
 * a default port are normalized; `null` (sandboxed documents, file:) is never an allowed origin.
 */
function corsOrigins(env: Env): '*' | string[] {
  const listed = (env.CORS_ORIGINS ?? '').split(',').map((o) => o.trim()).filter(Boolean);
  if (listed.includes('*')) {
    if (listed.length > 1) throw new ConfigError('CORS_ORIGINS', "is '*' (any origin) or a list of origins, not both");
    return '*';
  }
  return [
    ...new Set(
      listed.map((raw) => {
        if (raw.includes('*')) throw new ConfigError('CORS_ORIGINS', `lists exact origins; '*' stands alone for any origin, there are no wildcard subdomains: got '${raw}'`);
        const origin = ORIGIN_SHAPE.test(raw) && URL.canParse(raw) ? new URL(raw).origin : 'null';
        if (origin === 'null') {
          throw new ConfigError('CORS_ORIGINS', `lists exact origins such as https://app.example.com (http or https, host, optional port; no path, not even a trailing slash), got '${raw}'`);
        }
        return origin;
      }),
    ),
  ];
}

function metricsConfig(env: Env, port: number): MetricsConfig {
  const token = env.METRICS_TOKEN || undefined;
  // The value is a secret: never echoed in the message.
  if (token !== undefined && !/^[\x21-\x7e]{16,512}$/.test(token)) {
    throw new ConfigError('METRICS_TOKEN', 'must be 16 to 512 printable ASCII characters without spaces (for example `openssl rand -hex 32`)');
  }
  const metricsPort = env.METRICS_PORT ? integer(env, 'METRICS_PORT', 0, 1, 65535) : undefined;
  if (metricsPort !== undefined && metricsPort === port) throw new ConfigError('METRICS_PORT', `must differ from PORT (${port})`);
  return { token, port: metricsPort };
}

/** Reads and validates the configuration; throws ConfigError naming the bad variable. */
export function loadConfig(env: Env = process.env): Config {
  const nodeEnv = oneOf(env, 'NODE_ENV', 'development', ['development', 'production', 'test'] as const);
  const port = integer(env, 'PORT', 8080, 0, 65535);
  const host = env.HOST || '127.0.0.1';
  const dataDir = resolve(env.DATA_DIR || './data');
  const databasePath = env.DATABASE_PATH || join(dataDir, 'cloud-api.sqlite');
  const refreshIdle = integer(env, 'REFRESH_TOKEN_IDLE_TTL_SECONDS', 7 * 86400, 60, 30 * 86400);
  const refreshAbsolute = integer(env, 'REFRESH_TOKEN_ABSOLUTE_TTL_SECONDS', 30 * 86400, 60, 365 * 86400);
  if (refreshAbsolute < refreshIdle) {
    throw new ConfigError('REFRESH_TOKEN_ABSOLUTE_TTL_SECONDS', 'must not be shorter than REFRESH_TOKEN_IDLE_TTL_SECONDS');
  }
  const redisUrl = env.REDIS_URL || undefined;
  if (redisUrl && !/^rediss?:\/\/[^\s]+$/.test(redisUrl)) {
    throw new ConfigError('REDIS_URL', `must be a redis:// or rediss:// URL, got '${redisUrl}'`);
  }
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\/\S+$/.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL', `must be a postgres:// or postgresql:// URL, got '${databaseUrl.replace(/:[^:@/]*@/, ':***@')}'`);
  }
  const workers = integer(env, 'WORKERS', 1, 1, 64);
  // Several workers or instances must share counters to keep limits exact: in Redis, or else in the database.
  const sharedStore = redisUrl ? 'redis' : workers > 1 || databaseUrl ? 'database' : 'memory';
  const chosen = oneOf(env, 'RATE_LIMIT_STORE', sharedStore, ['memory', 'database', 'sqlite', 'redis'] as const);
  // `sqlite` is the name from before PostgreSQL: the database, whichever it is.
  const rateLimitStore = chosen === 'sqlite' ? 'database' : chosen;
  if (rateLimitStore === 'redis' && !redisUrl) throw new ConfigError('RATE_LIMIT_STORE', 'is redis, but REDIS_URL is not set');
  if (rateLimitStore === 'memory' && workers > 1) {
    throw new ConfigError('RATE_LIMIT_STORE', 'memory keeps one budget per worker: use sqlite or redis with WORKERS > 1');
  }
  return {
    env: nodeEnv,
    port,
    host,
    dataDir,
    databasePath,
    databaseUrl,
    publicUrl: url(env, 'PUBLIC_URL', `http://localhost:${port}`),
    logLevel: oneOf(env, 'LOG_LEVEL', 'info', ['debug', 'info', 'warn', 'error', 'silent'] as const),
    validateResponses: boolean(env, 'VALIDATE_RESPONSES', nodeEnv !== 'production'),
    bodyLimitBytes: integer(env, 'BODY_LIMIT_BYTES', 100 * 1024, 1024, 10 * 1024 * 1024),
    accessTokenTtlSeconds: integer(env, 'ACCESS_TOKEN_TTL_SECONDS', 900, 60, 86400),
    refreshIdleTtlSeconds: refreshIdle,
    refreshAbsoluteTtlSeconds: refreshAbsolute,
    passwordHashCost: integer(env, 'PASSWORD_HASH_COST', 17, 10, 20),
    passwordMinLength: integer(env, 'PASSWORD_MIN_LENGTH', DEFAULT_MIN_PASSWORD_LENGTH, 8, 128),
    trustProxy: boolean(env, 'TRUST_PROXY', false),
    workers,
    rateLimitStore,
    redisUrl,
    redisKeyPrefix: env.REDIS_KEY_PREFIX || 'cloud-api:rl',
    rateLimitMultiplier: integer(env, 'RATE_LIMIT_MULTIPLIER', 1, 1, 1_000_000),
    usageFlushIntervalMs: integer(env, 'USAGE_FLUSH_INTERVAL_MS', 1000, 50, 60_000),
    idempotencyRetentionSeconds: integer(env, 'IDEMPOTENCY_RETENTION_SECONDS', 86_400, 1, 30 * 86_400),
    webhooks: webhookConfig(env, nodeEnv),
    corsOrigins: corsOrigins(env),
    metrics: metricsConfig(env, port),
  };
}
