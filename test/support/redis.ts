import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

/** Redis at REDIS_URL (.ci/run sets it), or undefined: tests that need it are skipped. */
export const REDIS_URL = process.env.REDIS_URL;

/**
 * A key prefix of this test run's own, and the clients the tests open; after() disconnects them
 * and removes every key under the prefix, so runs on a shared Redis never see each other.
 */
export function redisRun(url = REDIS_URL, name = 'cloud-api-test') {
  const prefix = `${name}:${randomBytes(6).toString('hex')}`;
  const clients: Redis[] = [];
  return {
    prefix,
    clients,
    track: (client: Redis) => (clients.push(client), client),
    async cleanUp() {
      const admin = new Redis(url!);
      const keys = await admin.keys(`${prefix}:*`);
      if (keys.length) await admin.del(...keys);
      admin.disconnect();
      for (const c of clients) c.disconnect();
    },
  };
}
