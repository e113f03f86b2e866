import type { Redis } from 'ioredis';
import { createApp } from '../../../src/app';
import { createLogger } from '../../../src/logger';
import { ephemeralSecrets } from '../../../src/secrets';
import { createRateLimitRedis } from '../../../src/http/rateLimit/redisBuckets';
import { testAppOf, testConfig, type TestApp } from '../../helpers';
import { contractCheck } from '../contractCheck';
import { pgRun } from '../pgRun';
import { runName } from '../postgres';
import { deleteKeys, redisRunPrefix } from '../redis';

async function connected(url: string): Promise<Redis> {
  const client = createRateLimitRedis(url, createLogger('silent'));
  if (client.status === 'ready') return client;
  try {
    await new Promise((resolve, reject) => {
      client.once('ready', resolve);
      setTimeout(() => reject(new Error(`Redis at ${url} is not reachable`)), 5000).unref();
    });
  } catch (err) {
    client.disconnect();
    throw err;
  }
  return client;
}

/**
 * From the SQLite pass, a test app on PostgreSQL at DATABASE_URL (a database of its own) with its
 * rate limits in Redis at REDIS_URL when set (a key prefix of its own), as production runs;
 * remove() drops the database and deletes the keys.
 */
export async function postgresApp(env: Record<string, string>): Promise<{ t: TestApp; remove: () => Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('postgresApp needs DATABASE_URL');
  const run = pgRun(url, runName());
  await run.start();
  const redisUrl = process.env.REDIS_URL;
  const prefix = redisRunPrefix('cloud-api-differential');
  let redis: Redis | undefined;
  try {
    redis = redisUrl ? await connected(redisUrl) : undefined;
  } catch (err) {
    await run.drop();
    throw err;
  }
  const config = testConfig({
    ...env,
    DATABASE_URL: run.databaseUrl,
    ...(redisUrl && { REDIS_URL: redisUrl, RATE_LIMIT_STORE: 'redis', REDIS_KEY_PREFIX: prefix }),
  });
  const lines: string[] = [];
  const logger = createLogger(config.logLevel, (line) => lines.push(line));
  const { store, pool } = run.openStore();
  const secrets = ephemeralSecrets();
  const { app, meter } = createApp({ config, store, secrets, logger, redis, inspect: contractCheck() });
  const t = testAppOf({ app, meter, store, config, secrets, lines, rows: async (sql) => (await pool.query(sql)).rows });
  const remove = async () => {
    if (redis) {
      await deleteKeys(redis, prefix);
      redis.disconnect();
    }
    await run.drop();
  };
  return { t, remove };
}
