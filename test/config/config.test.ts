import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../src/config';
import { scaleLimits } from '../../src/contract/rateLimits';

const refused = (env: Record<string, string>, variable: string, message: RegExp) =>
  assert.throws(
    () => loadConfig(env),
    (err: unknown) => err instanceof ConfigError && err.variable === variable && message.test(err.message),
  );

describe('config: loadConfig', () => {
  it('zero configuration: memory rate limits, no Redis, passwords of at least 12 characters', () => {
    const config = loadConfig({});
    assert.equal(config.rateLimitStore, 'memory');
    assert.equal(config.redisUrl, undefined);
    assert.equal(config.passwordMinLength, 12);
  });

  it('LOG_LEVEL: info by default, one of debug, info, warn, error and silent, anything else refused by name', () => {
    assert.equal(loadConfig({}).logLevel, 'info');
    for (const level of ['debug', 'info', 'warn', 'error', 'silent']) assert.equal(loadConfig({ LOG_LEVEL: level }).logLevel, level);
    refused({ LOG_LEVEL: 'verbose' }, 'LOG_LEVEL', /must be one of debug, info, warn, error, silent, got 'verbose'/);
  });

  it('REDIS_URL makes Redis the rate-limit store unless RATE_LIMIT_STORE says otherwise', () => {
    assert.equal(loadConfig({ REDIS_URL: 'redis://127.0.0.1:6379' }).rateLimitStore, 'redis');
    assert.equal(loadConfig({ REDIS_URL: 'rediss://cache:6380/2', RATE_LIMIT_STORE: 'sqlite' }).rateLimitStore, 'database', 'sqlite is the older name of database');
    assert.equal(loadConfig({ REDIS_KEY_PREFIX: 'acme:rl' }).redisKeyPrefix, 'acme:rl');
  });

  it('WORKERS > 1 or PostgreSQL shares rate limits in the database unless Redis is configured; a per-worker memory store is refused', () => {
    assert.equal(loadConfig({ WORKERS: '4' }).rateLimitStore, 'database');
    assert.equal(loadConfig({ DATABASE_URL: 'postgres://db/cloud' }).rateLimitStore, 'database', 'instances on PostgreSQL share it');
    assert.equal(loadConfig({ WORKERS: '4', REDIS_URL: 'redis://127.0.0.1:6379' }).rateLimitStore, 'redis');
    refused({ WORKERS: '2', RATE_LIMIT_STORE: 'memory' }, 'RATE_LIMIT_STORE', /one budget per worker/);
    refused({ WORKERS: '0' }, 'WORKERS', /between 1 and 64/);
  });

  it('names the variable of a bad value', () => {
    refused({ REDIS_URL: 'http://cache:6379' }, 'REDIS_URL', /redis:\/\/ or rediss:\/\//);
    refused({ RATE_LIMIT_STORE: 'redis' }, 'RATE_LIMIT_STORE', /REDIS_URL is not set/);
    refused({ RATE_LIMIT_STORE: 'etcd' }, 'RATE_LIMIT_STORE', /one of memory, database, sqlite, redis/);
    refused({ DATABASE_URL: 'mysql://db/x' }, 'DATABASE_URL', /postgres:\/\//);
    refused({ PASSWORD_MIN_LENGTH: '6' }, 'PASSWORD_MIN_LENGTH', /between 8 and 128/);
  });
});

describe('config: RATE_LIMIT_MULTIPLIER', () => {
  const scaled = (limit: number, multiplier: number) =>
    scaleLimits(new Map([['op', [{ group: 'g', limit, window: 60, by: 'principal' as const }]]]), multiplier).get('op')![0].limit;

  it('a decimal from 0.001 to 1000000: each limit becomes max(1, round(limit * multiplier))', () => {
    assert.equal(loadConfig({}).rateLimitMultiplier, 1);
    assert.equal(loadConfig({ RATE_LIMIT_MULTIPLIER: '0.05' }).rateLimitMultiplier, 0.05);
    assert.equal(loadConfig({ RATE_LIMIT_MULTIPLIER: '0.001' }).rateLimitMultiplier, 0.001);
    assert.equal(loadConfig({ RATE_LIMIT_MULTIPLIER: '1000000' }).rateLimitMultiplier, 1_000_000);
    assert.equal(scaled(60, 0.05), 3);
    assert.equal(scaled(10, 0.05), 1, 'never below one request');
    assert.equal(scaled(300, 0.001), 1);
    assert.equal(scaled(120, 2.5), 300);
    assert.equal(scaled(7, 0.5), 4, 'half rounds up');
  });

  it('0, negative, beyond the range and non-numbers are refused by name', () => {
    for (const bad of ['0', '0.0001', '1000001']) refused({ RATE_LIMIT_MULTIPLIER: bad }, 'RATE_LIMIT_MULTIPLIER', /between 0\.001 and 1000000, got/);
    for (const bad of ['-1', '-0.5', 'fast', '1e3', '.5', '1,5', '0x10', 'Infinity', 'NaN']) {
      refused({ RATE_LIMIT_MULTIPLIER: bad }, 'RATE_LIMIT_MULTIPLIER', new RegExp(`must be a decimal number between 0\\.001 and 1000000, got '${bad.replace('.', '\\.')}'`));
    }
  });
});

describe('config: webhooks', () => {
  it('defaults: 15 s timeout, the documented schedule, 5 days to disable, 30 days of events, private addresses refused', () => {
    const { webhooks } = loadConfig({});
    assert.deepEqual(webhooks, {
      allowPrivate: false,
      requireHttps: false,
      timeoutMs: 15_000,
      retrySchedule: [0, 5, 300, 1800, 7200, 18000, 36000, 36000],
      disableAfterSeconds: 432_000,
      eventRetentionDays: 30,
      concurrency: 16,
      endpointConcurrency: 2,
      pollIntervalMs: 1000,
      maxEndpoints: 16,
    });
  });

  it('production requires https; WEBHOOK_ALLOW_PRIVATE and the schedule are read', () => {
    assert.equal(loadConfig({ NODE_ENV: 'production' }).webhooks.requireHttps, true);
    const { webhooks } = loadConfig({ WEBHOOK_ALLOW_PRIVATE: 'true', WEBHOOK_RETRY_SCHEDULE: '0, 0.05,1', WEBHOOK_CONCURRENCY: '4', WEBHOOK_ENDPOINT_CONCURRENCY: '4' });
    assert.equal(webhooks.allowPrivate, true);
    assert.deepEqual(webhooks.retrySchedule, [0, 0.05, 1]);
    assert.equal(webhooks.endpointConcurrency, 4);
  });

  it('names the variable of a bad value', () => {
    refused({ WEBHOOK_ALLOW_PRIVATE: 'maybe' }, 'WEBHOOK_ALLOW_PRIVATE', /true or false/);
    refused({ WEBHOOK_RETRY_SCHEDULE: '0,5m' }, 'WEBHOOK_RETRY_SCHEDULE', /comma-separated seconds/);
    refused({ WEBHOOK_RETRY_SCHEDULE: '0,,5' }, 'WEBHOOK_RETRY_SCHEDULE', /comma-separated seconds/);
    refused({ WEBHOOK_RETRY_SCHEDULE: '0,999999' }, 'WEBHOOK_RETRY_SCHEDULE', /at most 604800/);
    refused({ WEBHOOK_TIMEOUT_MS: '0' }, 'WEBHOOK_TIMEOUT_MS', /between/);
    refused({ WEBHOOK_CONCURRENCY: '2', WEBHOOK_ENDPOINT_CONCURRENCY: '3' }, 'WEBHOOK_ENDPOINT_CONCURRENCY', /must not exceed WEBHOOK_CONCURRENCY/);
    refused({ EVENT_RETENTION_DAYS: '0' }, 'EVENT_RETENTION_DAYS', /between 1 and 3650/);
    refused({ WEBHOOK_MAX_ENDPOINTS: 'many' }, 'WEBHOOK_MAX_ENDPOINTS', /integer/);
  });
});

describe('config: CORS_ORIGINS, METRICS_TOKEN, METRICS_PORT', () => {
  it('defaults: no CORS, no metrics', () => {
    const config = loadConfig({});
    assert.deepEqual(config.corsOrigins, []);
    assert.deepEqual(config.metrics, { token: undefined, port: undefined });
  });

  it('CORS_ORIGINS: exact origins, case and default ports normalized, duplicates dropped; or * alone', () => {
    const { corsOrigins } = loadConfig({ CORS_ORIGINS: 'https://App.Example.com, http://localhost:5173,https://app.example.com:443, http://[::1]:8081' });
    assert.deepEqual(corsOrigins, ['https://app.example.com', 'http://localhost:5173', 'http://[::1]:8081']);
    assert.equal(loadConfig({ CORS_ORIGINS: ' * ' }).corsOrigins, '*');
    assert.deepEqual(loadConfig({ CORS_ORIGINS: ' , ' }).corsOrigins, []);
  });

  it('CORS_ORIGINS: anything but an origin is refused, with an example of one', () => {
    for (const bad of ['https://app.example.com/', 'https://app.example.com/app', 'app.example.com', 'ftp://files.example.com', 'null',
      'https://user:pw@app.example.com', 'https://app.example.com?x=1', 'https://']) {
      refused({ CORS_ORIGINS: bad }, 'CORS_ORIGINS', /exact origins such as https:\/\/app\.example\.com/);
    }
    refused({ CORS_ORIGINS: 'https://*.example.com' }, 'CORS_ORIGINS', /no wildcard subdomains/);
    refused({ CORS_ORIGINS: '*, https://app.example.com' }, 'CORS_ORIGINS', /'\*' \(any origin\) or a list of origins, not both/);
  });

  it('METRICS_TOKEN: at least 16 printable characters, never echoed; METRICS_PORT: a port other than PORT', () => {
    assert.equal(loadConfig({ METRICS_TOKEN: 'x'.repeat(16) }).metrics.token, 'x'.repeat(16));
    assert.equal(loadConfig({ METRICS_PORT: '9464' }).metrics.port, 9464);
    for (const bad of ['short-secret', 'sixteen chars with spaces']) {
      refused({ METRICS_TOKEN: bad }, 'METRICS_TOKEN', /16 to 512 printable ASCII characters without spaces/);
      assert.throws(() => loadConfig({ METRICS_TOKEN: bad }), (err: Error) => !err.message.includes(bad), 'the value is not in the message');
    }
    refused({ METRICS_PORT: '0' }, 'METRICS_PORT', /between 1 and 65535/);
    refused({ METRICS_PORT: 'http' }, 'METRICS_PORT', /integer/);
    refused({ PORT: '9000', METRICS_PORT: '9000' }, 'METRICS_PORT', /must differ from PORT \(9000\)/);
  });
});
