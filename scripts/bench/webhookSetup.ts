// What the webhooks part of the bench runs against: a self-signed certificate for 127.0.0.1, the
// receiver process (scripts/bench/receiver.ts), the service that trusts that certificate and may
// deliver to loopback, its endpoints, and backlogs of events queued straight into its database.
import { spawnSync } from 'node:child_process';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { openAsyncSqliteStore } from '../../src/store/sqlite/async';
import type { Aggregates } from '../../src/store/ports';
import { expectOk, request, sleep } from './client';
import type { BenchOptions } from './options';
import type { Processes } from './processes';
import type { ReceiverStats } from './receiver';
import { seed } from './seed';
import { serverEnv, serviceEnv, startService, startUntilListening, type Running } from './servers';
import { login } from './sides';

const user = (n: number, workspace: string) => ({ email: `hooks${n}@bench.example`, password: `hooks-password-${n}`, workspace });

/** Workspaces of the webhooks part: the read load, the two write sides, the delivery-rate rows. */
export const HOOK_USERS = {
  read: user(1, 'Hooks read'),
  writesA: user(2, 'Hooks writes, no endpoint'),
  writesB: user(3, 'Hooks writes, one endpoint'),
  rate: user(4, 'Hooks delivery rate'),
  deep: user(5, 'Hooks unused deep'),
};
export type HookUser = keyof typeof HOOK_USERS;

/** An EC P-256 certificate for IP 127.0.0.1, valid two days: the receiver serves it, the service trusts it. */
export function makeCertificate(dir: string): { key: string; cert: string } {
  const key = join(dir, 'receiver-key.pem');
  const cert = join(dir, 'receiver-cert.pem');
  const args = ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert,
    '-days', '2', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'];
  const r = spawnSync('openssl', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl could not make the receiver's certificate: ${r.error?.message ?? r.stderr}`);
  return { key, cert };
}

export interface Receiver {
  running: Running;
  /** `https://127.0.0.1:<port>`: endpoints add a path of their own. */
  url: string;
  stats(): Promise<ReceiverStats>;
  /** Zeroes the counts; `secrets` are what the sampled deliveries are verified with. */
  reset(secrets: string[]): Promise<ReceiverStats>;
}

export async function startReceiver(procs: Processes, tls: { key: string; cert: string }, cpu: string): Promise<Receiver> {
  const env = serverEnv({ BENCH_TLS_KEY: tls.key, BENCH_TLS_CERT: tls.cert });
  const running = await startUntilListening(procs, join(__dirname, '..', '..'), 'scripts/bench/receiver.ts', env, cpu);
  const line = running.output().split('\n').find((l) => l.includes('"msg":"listening"'))!;
  const control = (JSON.parse(line) as { control: string }).control;
  const call = async (path: string, body?: string) =>
    JSON.parse((await expectOk(control + path, body === undefined ? {} : { method: 'POST', body }, `receiver ${path}`)).body) as ReceiverStats;
  return { running, url: running.url, stats: () => call('/stats'), reset: (secrets) => call('/reset', JSON.stringify(secrets)) };
}

export interface HookedService {
  running: Running;
  databasePath: string;
  auth: (user: HookUser) => Record<string, string>;
}

/**
 * The service as the rest of the bench runs it, plus WEBHOOK_ALLOW_PRIVATE=true (the receiver is on
 * loopback) and the receiver's certificate trusted (NODE_EXTRA_CA_CERTS); the webhook settings are
 * the defaults. Seeded like the main part: users through the store, projects in the read workspace.
 */
export async function startHookedService(procs: Processes, opts: BenchOptions, dataDir: string, cert: string): Promise<HookedService> {
  const databasePath = join(dataDir, 'cloud-api.sqlite');
  await seed({
    databasePath,
    users: Object.values(HOOK_USERS),
    passwordHashCost: 10,
    small: { workspace: HOOK_USERS.read.workspace, projects: opts.projects },
    deep: { workspace: HOOK_USERS.deep.workspace, projects: 100, depth: 50 },
  });
  const env = serviceEnv(dataDir, { WEBHOOK_ALLOW_PRIVATE: 'true', NODE_EXTRA_CA_CERTS: cert });
  const running = await startService(procs, env, opts.serverCpu);
  return { running, databasePath, auth: await login(running.url, HOOK_USERS) };
}

export interface Endpoints {
  ids: string[];
  secrets: string[];
}

/** `count` endpoints subscribed to `*`, through the API, each to a path of its own on the receiver. */
export async function createEndpoints(service: HookedService, as: HookUser, receiverUrl: string, count: number): Promise<Endpoints> {
  const made: Endpoints = { ids: [], secrets: [] };
  for (let i = 1; i <= count; i++) {
    const body = JSON.stringify({ url: `${receiverUrl}/${as}/${i}`, enabled_events: ['*'], description: `bench ${as} ${i}` });
    const headers = { ...service.auth(as), 'content-type': 'application/json' };
    const r = await expectOk(`${service.running.url}/v1/webhook-endpoints`, { method: 'POST', headers, body }, 'create webhook endpoint');
    const { id, secret } = (JSON.parse(r.body) as { data: { id: string; secret: string } }).data;
    made.ids.push(id);
    made.secrets.push(secret);
  }
  return made;
}

/** Deletes `as`'s endpoints (with their deliveries), so that a later row starts with none. */
export async function deleteEndpoints(service: HookedService, as: HookUser, endpoints: Endpoints): Promise<void> {
  for (const id of endpoints.ids) {
    const r = await request(`${service.running.url}/v1/webhook-endpoints/${id}`, { method: 'DELETE', headers: service.auth(as) });
    if (r.status !== 204) throw new Error(`delete webhook endpoint ${id}: HTTP ${r.status}: ${r.body.slice(0, 300)}`);
  }
}

let backlogs = 0;

/** A project and its `project.created` event through `tx` (the outbox's `append`), as `POST /v1/projects` writes them. */
export async function projectWithEvent(tx: Aggregates, workspaceId: string, name: string, slug: string): Promise<void> {
  const project = await tx.projects.create(workspaceId, { name, slug, description: null });
  await tx.events.append({ type: 'project.created', workspaceId, object: project, requestId: null, idempotencyKey: null });
}

/**
 * `events` project.created events in `as`'s workspace, each a real project, written through the
 * store in one transaction from this process (the outbox's own `append`, as the service does for
 * `POST /v1/projects`): a delivery per subscribed endpoint, all due at once when it commits. The
 * running service's worker finds them at its next poll (WEBHOOK_POLL_INTERVAL_MS, 1 s by default).
 */
export async function queueBacklog(databasePath: string, as: HookUser, events: number): Promise<void> {
  const store = openAsyncSqliteStore(databasePath);
  const run = ++backlogs;
  try {
    const workspace = await store.identity.findWorkspaceByName(HOOK_USERS[as].workspace);
    if (!workspace) throw new Error(`no workspace ${HOOK_USERS[as].workspace}`);
    await store.transaction(async (tx) => {
      for (let i = 1; i <= events; i++) await projectWithEvent(tx, workspace.id, `Backlog ${run} ${i}`, `backlog-${run}-${i}`);
    });
  } finally {
    await store.close();
  }
}

/** Until no delivery to `endpoints` is pending (queued, in flight or waiting for a retry), asked through the API. */
export async function untilDelivered(service: HookedService, as: HookUser, endpoints: Endpoints, timeoutMs = 300_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  // Deliveries exist once the worker has fanned their events out: until then the API lists none.
  const db = new Database(service.databasePath, { readonly: true, fileMustExist: true });
  try {
    while (db.prepare('SELECT count(*) FROM events WHERE fanout = 1').pluck().get() !== 0) {
      if (Date.now() > deadline) throw new Error(`events still marked for fan-out after ${timeoutMs / 1000} s`);
      await sleep(20);
    }
  } finally {
    db.close();
  }
  for (const id of endpoints.ids) {
    for (;;) {
      const r = await expectOk(`${service.running.url}/v1/webhook-endpoints/${id}/deliveries?status=pending&limit=1`, { headers: service.auth(as) }, 'pending deliveries');
      if ((JSON.parse(r.body) as { data: unknown[] }).data.length === 0) break;
      if (Date.now() > deadline) throw new Error(`deliveries to ${id} still pending after ${timeoutMs / 1000} s`);
      await sleep(100);
    }
  }
}
