import { randomBytes } from 'node:crypto';

/**
 * The id of this mocha run. Set in the environment on first use, which is in the main process
 * (it loads the root hooks before any worker starts), so that mocha's --parallel workers inherit
 * it: the global teardown finds every worker's database, Redis keys and observations by it.
 */
export function testRunId(): string {
  return (process.env.TEST_RUN_ID ??= randomBytes(6).toString('hex'));
}

/** This process within the run: `w0`, `w1`... for a --parallel worker, `main` for a serial run. */
export const processTag = process.env.MOCHA_WORKER_ID === undefined ? 'main' : `w${process.env.MOCHA_WORKER_ID}`;

/** The PostgreSQL database of this process on the HTTP suite's PostgreSQL pass. */
export const DATABASE_PREFIX = 'cloud_api_test_';
export const runDatabase = () => `${DATABASE_PREFIX}${testRunId()}_${processTag}`;

/** The Redis key prefix of the run; each process has its own under it. */
export const runRedisPrefix = () => `cloud-api-test:${testRunId()}`;
