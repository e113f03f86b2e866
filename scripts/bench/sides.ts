// The sides measured against each other: the service on SQLite (`full`), bare Express (`bare`),
// the service on PostgreSQL + Redis (`pg`) and the service with WORKERS=2 on SQLite (`workers`),
// with the users they log in as and the endpoints every round requests.
import { expectOk, sleep } from './client';
import type { BenchOptions } from './options';
import { childrenOf, cpuSecondsOf, type Processes } from './processes';
import { processCpu, type Paths, type Scenario, type Side, type Target } from './rounds';
import { serviceEnv, startService, type Running } from './servers';
import type { Engines } from './engines';
import { serviceLoop } from './eventLoop';

export const USERS = {
  main: { email: 'bench@bench.example', password: 'bench-password-1', workspace: 'Bench' },
  writes: { email: 'writes@bench.example', password: 'bench-password-2', workspace: 'Bench writes' },
  deep: { email: 'deep@bench.example', password: 'bench-password-3', workspace: 'Bench deep' },
};
/** Logs every user of `users` in; the headers (a bearer token) of each by key. */
export async function login<K extends string>(url: string, users: Record<K, { email: string; password: string }>): Promise<(key: K) => Record<string, string>> {
  const tokens = {} as Record<K, string>;
  for (const key of Object.keys(users) as K[]) {
    const { email, password } = users[key];
    const body = JSON.stringify({ email, password });
    const r = await expectOk(`${url}/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body }, `login ${email}`);
    tokens[key] = (JSON.parse(r.body) as { data: { access_token: string } }).data.access_token;
  }
  return (key) => ({ authorization: `Bearer ${tokens[key]}` });
}

/** The endpoints on this service and the bodies they answer (for the baseline to serve). */
async function discover(url: string, auth: Target['auth']): Promise<{ paths: Paths; bodies: Record<keyof Paths, string> }> {
  const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
  const paths = { list: '/v1/projects?limit=20', usage: `/v1/usage?from=${day(-1)}&to=${day(1)}`, get: '' };
  const fetchBody = async (path: string, what: string) => (await expectOk(url + path, { headers: auth('main') }, what)).body;
  const list = await fetchBody(paths.list, 'GET list');
  const items = (JSON.parse(list) as { data: { id: string }[] }).data;
  if (items.length !== 20) throw new Error(`GET list returned ${items.length} items, expected 20`);
  paths.get = `/v1/projects/${items[0].id}`;
  return { paths, bodies: { list, get: await fetchBody(paths.get, 'GET project'), usage: await fetchBody(paths.usage, 'GET usage') } };
}

/** A started service as a target of the rounds, logged in, with its endpoints found. */
export async function serviceTarget(side: Side, running: Running, cpu: Target['cpu'], loop: 'event loop' | 'no event loop' = 'event loop') {
  const eventLoop = loop === 'event loop' ? serviceLoop(running.url) : undefined;
  const auth: Target['auth'] = await login(running.url, USERS);
  const { paths, bodies } = await discover(running.url, auth);
  const target: Target = { side, url: running.url, auth, paths, cpu, eventLoop };
  return { target, bodies };
}

export function scenarios(opts: BenchOptions): Scenario[] {
  const get = (path: keyof Paths) => (t: Target) => ({ url: t.url + t.paths[path], headers: t.auth('main'), connections: opts.connections, duration: opts.duration });
  return [
    { key: 'list', title: 'GET /v1/projects?limit=20', spec: get('list') },
    {
      key: 'create',
      title: 'POST /v1/projects',
      spec: (t) => ({
        url: t.url + '/v1/projects',
        method: 'POST',
        headers: { ...t.auth('writes'), 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'bench [<id>]', description: 'Created by the benchmark.' }),
        idReplacement: true,
        connections: opts.connections,
        duration: opts.duration,
      }),
    },
    { key: 'get', title: 'GET /v1/projects/{id}', spec: get('get') },
    { key: 'usage', title: 'GET /v1/usage?from=..&to=..', spec: get('usage') },
  ];
}

/** The service on PostgreSQL (the run's schema) with rate limits in Redis, pinned like the SQLite service. */
export async function startPostgresSide(procs: Processes, opts: BenchOptions, engines: Engines, dataDir: string) {
  const env = serviceEnv(dataDir, {
    DATABASE_URL: engines.databaseUrl,
    REDIS_URL: engines.redisUrl,
    REDIS_KEY_PREFIX: engines.redisKeyPrefix,
    RATE_LIMIT_STORE: 'redis',
  });
  const running = await startService(procs, env, opts.serverCpu);
  const server = processCpu(() => [running.pid]);
  const cpu = async () => new Map([...(await server()), ...(await engines.backendCpu()), ['redis:server', await engines.redisCpuSeconds()]]);
  return { running, ...(await serviceTarget('pg', running, cpu)) };
}

/** Until no process of `pids` uses more than 20 ms of CPU in half a second: start-up is over. */
async function untilIdle(pids: () => number[], what: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const before = pids().map(cpuSecondsOf);
    await sleep(500);
    const after = pids().map(cpuSecondsOf);
    if (after.length === before.length && after.every((x, i) => x - before[i] <= 0.02)) return;
    if (Date.now() > deadline) throw new Error(`${what} did not settle within 60 s`);
  }
}

/**
 * The SQLite service with WORKERS=`workers` on the same database file as `full`, rate limits in
 * the database: with several workers the service refuses memory counters, and the same setting
 * with one worker tells what the counters cost apart from what the workers do.
 */
export async function startWorkersSide(procs: Processes, dataDir: string, workers: number, cpus?: string) {
  const env = serviceEnv(dataDir, { WORKERS: String(workers), RATE_LIMIT_STORE: 'database' });
  const running = await startService(procs, env, cpus);
  const pids = () => [running.pid, ...childrenOf(running.pid)];
  // /readyz answered by one worker says nothing of the others: wait for all to exist and finish starting.
  const deadline = Date.now() + 60_000;
  while (workers > 1 && childrenOf(running.pid).length < workers) {
    if (Date.now() > deadline) throw new Error(`WORKERS=${workers}: the workers did not start:\n${running.output()}`);
    await sleep(100);
  }
  await untilIdle(pids, `WORKERS=${workers}`);
  // A scrape would answer for one worker (or aggregate the gauges of several): no event-loop delay here.
  return { running, ...(await serviceTarget(workers > 1 ? 'workers' : 'oneWorker', running, processCpu(pids), 'no event loop')) };
}
