import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, runScript, startServer, type RunningServer } from './run';
import { until } from './clusterClient';
import { REDIS_URL, redisRun } from '../support/redis';
import { testSchema } from '../support/postgres';
import { parseEnvLines } from '../support/envLines';

export const EMAIL = 'ana@example.com';
export const PASSWORD = 'a long passphrase';

/** The service as two processes clients alternate between: two instances, or two workers behind one port. */
export interface ClusterSetup {
  name: string;
  /** What the suite calls the two processes in test names. */
  processes: string;
  enabled: boolean;
  start(): Promise<void>;
  /** The two base URLs a client alternates between (with workers, one URL twice: a new connection each call). */
  targets(): readonly [string, string];
  /** SIGKILLs one instance or worker; resolves once it is back (restarted, or replaced by the primary). */
  killOne(): Promise<void>;
  /** Which process answered the request with this X-Request-Id, from the access logs; undefined until logged. */
  servedBy(requestId: string): string | undefined;
  /** The processes serving now (for "both answer"). */
  live(): string[];
  stop(): Promise<void>;
}

const requestLines = (stdout: string) =>
  stdout.split('\n').filter((l) => l.includes('"msg":"request"')).map((l) => JSON.parse(l) as { request_id: string; pid?: number });
const logLines = (s: RunningServer, msg: string) =>
  s.stdout().split('\n').filter((l) => l.includes(`"msg":"${msg}"`)).map((l) => JSON.parse(l) as { pid: number });

async function createUser(env: Record<string, string>) {
  const made = await runScript('scripts/cli.ts', ['create-user', '--email', EMAIL, '--password', PASSWORD], env);
  assert.equal(made.code, 0, made.stderr);
}

// RATE_LIMIT_MULTIPLIER: the write load is hundreds of creates a minute; the limits have tests of their own.
const BASE_ENV = { PASSWORD_HASH_COST: '10', NODE_ENV: 'production', RATE_LIMIT_MULTIPLIER: '1000' };

/** Two instances on one PostgreSQL schema and one Redis key prefix of the run's own; each keeps its port across restarts. */
export function postgresPair(databaseUrl: string | undefined, redisUrl = REDIS_URL): ClusterSetup {
  const redis = redisRun(redisUrl);
  const dirs: string[] = [];
  let schema: Awaited<ReturnType<typeof testSchema>> | undefined;
  const envs: Record<string, string>[] = [];
  const current: RunningServer[] = [];
  /** Every process each instance ran, the killed ones too (their logs say what they served). */
  const generations: RunningServer[][] = [[], []];
  let kills = 0;
  const launch = async (i: number) => {
    current[i] = await startServer(envs[i]);
    generations[i].push(current[i]);
  };
  return {
    name: 'two instances on PostgreSQL and Redis',
    processes: 'instances',
    enabled: Boolean(databaseUrl && redisUrl),
    async start() {
      schema = await testSchema(databaseUrl!);
      const env = {
        ...parseEnvLines((await runScript('scripts/cli.ts', ['generate-secrets'], {})).stdout),
        ...BASE_ENV,
        DATABASE_URL: schema.url,
        REDIS_URL: redisUrl!,
        REDIS_KEY_PREFIX: redis.prefix,
        // The JWT issuer and audience: the one origin of the deployment, not each instance's own port.
        PUBLIC_URL: 'http://api.cluster.test',
      };
      await createUser(env);
      for (const i of [0, 1]) {
        dirs.push(mkdtempSync(join(tmpdir(), 'cloud-api-cluster-pg-')));
        envs.push({ ...env, DATA_DIR: dirs[i], PORT: String(await freePort()) });
      }
      await Promise.all([0, 1].map(launch));
    },
    targets: () => [current[0].url, current[1].url],
    async killOne() {
      const i = kills++ % 2;
      await current[i].stop('SIGKILL');
      await launch(i);
    },
    servedBy(requestId) {
      for (const [i, runs] of generations.entries()) {
        const run = runs.findIndex((s) => requestLines(s.stdout()).some((l) => l.request_id === requestId));
        if (run >= 0) return `instance ${i} run ${run + 1}`;
      }
      return undefined;
    },
    live: () => generations.map((runs, i) => `instance ${i} run ${runs.length}`),
    async stop() {
      await Promise.all(current.map((s) => s.stop('SIGKILL')));
      await schema?.drop();
      await redis.cleanUp();
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    },
  };
}

/** WORKERS=2 on one SQLite file in a temporary DATA_DIR, the rate-limit counters in the database. */
export function sqliteWorkers(): ClusterSetup {
  let dataDir: string;
  let server: RunningServer;
  const started = () => logLines(server, 'worker started').map((l) => l.pid);
  const died = () => logLines(server, 'worker died; starting another').map((l) => l.pid);
  const live = () => started().filter((pid) => !died().includes(pid));
  const listening = () => logLines(server, 'listening').length;
  return {
    name: 'WORKERS=2 on SQLite',
    processes: 'workers',
    enabled: true,
    async start() {
      dataDir = mkdtempSync(join(tmpdir(), 'cloud-api-cluster-workers-'));
      const env = { ...BASE_ENV, DATA_DIR: dataDir, WORKERS: '2', RATE_LIMIT_STORE: 'sqlite' };
      await createUser(env);
      server = await startServer(env);
      await until(() => listening() === 2);
    },
    targets: () => [server.url, server.url],
    async killOne() {
      const [victim] = live();
      const before = listening();
      process.kill(victim, 'SIGKILL');
      await until(() => died().includes(victim) && listening() === before + 1);
    },
    servedBy(requestId) {
      const line = requestLines(server.stdout()).find((l) => l.request_id === requestId);
      return line && `pid ${line.pid}`;
    },
    live: () => live().map((pid) => `pid ${pid}`),
    async stop() {
      if (server) assert.equal(await server.stop('SIGTERM'), 0, 'the primary drains its workers');
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
