import assert from 'node:assert/strict';
import { ConfigError, loadConfig } from '../../src/config';

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
