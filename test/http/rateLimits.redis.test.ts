import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REDIS_URL, redisRun } from '../support/redis';
import { signedIn } from '../helpers';
import { appFromSpec, specWithLimits } from '../support/specCopy';
import { createRateLimitRedis } from '../../src/http/rateLimit/redisBuckets';
import { createLogger } from '../../src/logger';


// Issue #13 item 3 at the HTTP level: two instances of the app (on one database, as two processes
// would share it: a SQLite file, or on the PostgreSQL pass one schema) count one budget in Redis.
(REDIS_URL ? describe : describe.skip)('rate limits across instances in Redis (listProjects, REDIS_URL)', () => {
  const run = redisRun();
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'cloud-api-redis-'));
  });
  after(async () => {
    await run.cleanUp();
    rmSync(dir, { recursive: true, force: true });
  });

  it('listProjects: 200 for exactly L of 2L concurrent requests spread over two instances, 429 for the rest', async () => {
    const spec = specWithLimits({ 'projects-read': { limit: 8 } });
    const env = { DATABASE_PATH: join(dir, 'shared.sqlite'), REDIS_URL: REDIS_URL!, REDIS_KEY_PREFIX: run.prefix };
    const client = () => run.track(createRateLimitRedis(REDIS_URL!, createLogger('silent')));
    const a = appFromSpec(spec, env, { redis: client() });
    const b = appFromSpec(spec, env, { secrets: a.secrets, redis: client() });
    assert.equal(a.config.rateLimitStore, 'redis', 'REDIS_URL makes Redis the default store');
    const u = await signedIn(a);
    const responses = await Promise.all(
      Array.from({ length: 16 }, (_, i) => (i % 2 ? b : a).http.get('/v1/projects').set('Authorization', u.auth)),
    );
    const statuses = responses.map((r) => r.status);
    assert.equal(statuses.filter((s) => s === 200).length, 8, statuses.join(' '));
    assert.equal(statuses.filter((s) => s === 429).length, 8, statuses.join(' '));
    const remaining = responses.filter((r) => r.status === 200).map((r) => Number(r.headers['x-ratelimit-remaining']));
    assert.deepEqual(remaining.sort((x, y) => x - y), [0, 1, 2, 3, 4, 5, 6, 7]);
    a.store.close();
    b.store.close();
  });
});
