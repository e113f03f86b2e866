// The PostgreSQL + Redis side of the bench: a schema and a Redis key prefix of the run's own on
// servers that CI and other runs share (removed at cleanup, also after a failure), and the CPU
// time of the PostgreSQL backends and of Redis, which the service's own /proc figure leaves out.
import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { testSchema } from '../../test/support/postgres';
import { redisRun } from '../../test/support/redis';
import type { Processes } from './processes';
import { cpuSecondsOf } from './processes';

export interface Engines {
  /** DATABASE_URL for the service: the run's schema as search path, the run's application_name. */
  databaseUrl: string;
  redisUrl: string;
  redisKeyPrefix: string;
  schema: string;
  postgresVersion: string;
  /** CPU seconds so far of each PostgreSQL backend the service holds (by pid), NaN where /proc cannot see them. */
  backendCpu(): Promise<Map<string, number>>;
  /** CPU seconds so far of the whole Redis server (INFO cpu): other clients of a shared server count too. */
  redisCpuSeconds(): Promise<number>;
}

export async function prepareEngines(databaseUrl: string, redisUrl: string, procs: Processes): Promise<Engines> {
  const schema = await testSchema(databaseUrl, 'cloud_api_bench');
  procs.onCleanup(() => schema.drop());
  const redis = redisRun(redisUrl, 'cloud-api-bench');
  procs.onCleanup(() => redis.cleanUp());
  const info = redis.track(new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 1 }));
  await info.connect();
  const applicationName = `cloud-api-bench-${randomBytes(4).toString('hex')}`;
  const version = (await schema.admin.query('SHOW server_version')).rows[0]?.server_version as string;
  return {
    databaseUrl: `${schema.url}&application_name=${applicationName}`,
    redisUrl,
    redisKeyPrefix: redis.prefix,
    schema: schema.schema,
    postgresVersion: version,
    async backendCpu() {
      const { rows } = await schema.admin.query('SELECT pid FROM pg_stat_activity WHERE application_name = $1', [applicationName]);
      return new Map(rows.map((r: { pid: number }) => [`postgres:${r.pid}`, cpuSecondsOf(r.pid)]));
    },
    async redisCpuSeconds() {
      const text = await info.info('cpu');
      const field = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(text)?.[1] ?? NaN);
      return field('used_cpu_user') + field('used_cpu_sys');
    },
  };
}
