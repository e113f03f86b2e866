import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

/** Redis at REDIS_URL (.ci/run sets it), or undefined: tests that need it are skipped. */
export const REDIS_URL = process.env.REDIS_URL;

/** A key prefix of one test run's own. */
export const redisRunPrefix = (name = 'cloud-api-test') => `${name}:${randomBytes(6).toString('hex')}`;

/**
 * Deletes every key under `prefix`. SCAN walks the keyspace in steps instead of blocking a shared
 * server the way KEYS does; UNLINK frees the values in the background.
 */
export async function deleteKeys(client: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    if (keys.length) await client.unlink(...keys);
    cursor = next;
  } while (cursor !== '0');
}

/**
 * A key prefix of this test run's own, and the clients the tests open; after() disconnects them
 * and removes every key under the prefix, so runs on a shared Redis never see each other.
 */
export function redisRun(url = REDIS_URL, name = 'cloud-api-test') {
  const prefix = redisRunPrefix(name);
  const clients: Redis[] = [];
  return {
    prefix,
    clients,
    track: (client: Redis) => (clients.push(client), client),
    async cleanUp() {
      const admin = new Redis(url!);
      await deleteKeys(admin, prefix);
      admin.disconnect();
      for (const c of clients) c.disconnect();
    },
  };
}
