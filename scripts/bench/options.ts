// Options of `npm run bench`, from flags or the environment (the list is in scripts/bench.ts).
import { availableParallelism } from 'node:os';

export interface BenchOptions {
  quick: boolean;
  rounds: number;
  /** Seconds per measured round. */
  duration: number;
  /** Seconds of warm-up per side and endpoint. */
  warmup: number;
  connections: number;
  projects: number;
  deepRows: number;
  deepDepth: number;
  seqRequests: number;
  pin: boolean;
  write: boolean;
  timeoutSeconds: number;
  nproc: number;
  /** CPU list (taskset) of the single-process servers, and of the load generator. */
  serverCpu: string;
  loadCpu: string;
  /** PostgreSQL and Redis for the `pg` side; without both, that side is left out. */
  databaseUrl: string | undefined;
  redisUrl: string | undefined;
  /** WORKERS of the `workers` side; 1 leaves it out. */
  workers: number;
  /** The webhooks part (scripts/bench/webhooks.ts); BENCH_WEBHOOKS=0 leaves it out. */
  webhooks: boolean;
  /** BENCH_ONLY=webhooks|startup|logging|tracing (or --only=...): that part alone, printed, never written. */
  only: Only | undefined;
  /** Spawns of the compiled service (and of bare Express) in the start-up part. */
  startupRuns: number;
  /** The access-log cost part (scripts/bench/logging.ts); BENCH_LOGGING=0 leaves it out. */
  logging: boolean;
  /** The tracing cost part (scripts/bench/tracing.ts); BENCH_TRACING=0 leaves it out. */
  tracing: boolean;
  /** Deliveries in each backlog of the delivery-rate measurement. */
  webhookDeliveries: number;
  /** Endpoints of each delivery-rate row (all subscribed to `*`, in one workspace). */
  webhookEndpoints: number[];
  /** BENCH_BEFORE: a commit whose build runs as the `before` side (scripts/bench/before.ts). */
  before: string | undefined;
  /** The wrk cross-check of the list page's tail; BENCH_WRK=0 leaves it out. */
  wrk: boolean;
}

type Env = Record<string, string | undefined>;
const ONLY = ['webhooks', 'startup', 'logging', 'tracing'] as const;
export type Only = (typeof ONLY)[number];

const flagOf = (env: Env, name: string): boolean | undefined => {
  const v = env[name];
  if (v === undefined || v === '') return undefined;
  return ['1', 'true', 'yes', 'on'].includes(v.toLowerCase());
};

const numberOf = (env: Env, name: string, fallback: number): number => {
  const v = env[name];
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number, got '${v}'`);
  return n;
};

export function readOptions(args: string[], env: Env = process.env): BenchOptions {
  const argv = new Set(args);
  const quick = argv.has('--quick') || flagOf(env, 'BENCH_QUICK') === true;
  const nproc = availableParallelism();
  const only = env.BENCH_ONLY || args.find((a) => a.startsWith('--only='))?.slice('--only='.length) || undefined;
  if (only !== undefined && !(ONLY as readonly string[]).includes(only)) throw new Error(`BENCH_ONLY / --only must be one of ${ONLY.join(', ')}, got '${only}'`);
  const endpoints = (env.BENCH_WEBHOOK_ENDPOINTS || '1,8').split(',').map(Number);
  if (!endpoints.every((n) => Number.isInteger(n) && n >= 1 && n <= 16)) throw new Error(`BENCH_WEBHOOK_ENDPOINTS must list numbers of 1 to 16, got '${env.BENCH_WEBHOOK_ENDPOINTS}'`);
  const deepRows = numberOf(env, 'BENCH_DEEP_ROWS', quick ? 200_000 : 1_000_000);
  return {
    quick,
    rounds: numberOf(env, 'BENCH_ROUNDS', quick ? 2 : 5),
    duration: numberOf(env, 'BENCH_DURATION', quick ? 2 : 5),
    warmup: numberOf(env, 'BENCH_WARMUP', quick ? 1 : 3),
    connections: numberOf(env, 'BENCH_CONNECTIONS', 50),
    projects: numberOf(env, 'BENCH_PROJECTS', 1000),
    deepRows,
    deepDepth: Math.min(numberOf(env, 'BENCH_DEEP_DEPTH', Math.floor(deepRows / 2)), deepRows - 100),
    seqRequests: numberOf(env, 'BENCH_SEQ_REQUESTS', 200),
    pin: flagOf(env, 'BENCH_PIN') ?? nproc >= 2,
    write: only ? false : argv.has('--write') ? true : argv.has('--no-write') ? false : (flagOf(env, 'BENCH_WRITE') ?? !quick),
    timeoutSeconds: numberOf(env, 'BENCH_TIMEOUT', quick ? 900 : 2400),
    nproc,
    // Server (and baseline) on one core, the load generator on another, as in shared/PERFORMANCE.md.
    serverCpu: '0',
    loadCpu: nproc >= 2 ? '1' : '0',
    // The same variables as the tests' (.ci/run sets them); BENCH_POSTGRES=0 leaves the side out anyway.
    databaseUrl: flagOf(env, 'BENCH_POSTGRES') === false ? undefined : env.BENCH_DATABASE_URL || env.DATABASE_URL || undefined,
    redisUrl: flagOf(env, 'BENCH_POSTGRES') === false ? undefined : env.BENCH_REDIS_URL || env.REDIS_URL || undefined,
    workers: Math.floor(numberOf(env, 'BENCH_WORKERS', 2)),
    webhooks: only === 'webhooks' || (only === undefined && flagOf(env, 'BENCH_WEBHOOKS') !== false),
    only: only as Only | undefined,
    startupRuns: Math.floor(numberOf(env, 'BENCH_STARTUP_RUNS', quick ? 6 : 10)),
    logging: only === 'logging' || (only === undefined && flagOf(env, 'BENCH_LOGGING') !== false),
    tracing: only === 'tracing' || (only === undefined && flagOf(env, 'BENCH_TRACING') !== false),
    webhookDeliveries: Math.floor(numberOf(env, 'BENCH_WEBHOOK_DELIVERIES', quick ? 1000 : 2000)),
    webhookEndpoints: endpoints,
    before: env.BENCH_BEFORE || undefined,
    wrk: flagOf(env, 'BENCH_WRK') !== false,
  };
}

export const log = (msg: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${msg}\n`);
