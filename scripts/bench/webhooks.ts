// The webhooks part of `npm run bench` (issue #14 item 7), against its own service and receiver:
// 1. deliveries per second: a backlog of events due at once, delivered to a receiver process;
// 2. the API with and without an active endpoint: interleaved rounds of the same service, side A
//    with nothing to deliver, side B while deliveries to a `*` endpoint happen.
import { join } from 'node:path';
import type { BenchOptions } from './options';
import { cpuSecondsOf, type Processes } from './processes';
import { checkClean, processCpu, type createRounds, type Round } from './rounds';
import { sleep } from './client';
import type { ReceiverStats } from './receiver';
import { median } from './stats';
import { timeClaims, timeOutbox, type ClaimTiming, type OutboxTiming } from './webhookOutbox';
import {
  createEndpoints, deleteEndpoints, makeCertificate, queueBacklog, startHookedService, startReceiver, untilDelivered,
  type HookUser, type HookedService, type Receiver,
} from './webhookSetup';

export interface RateRun {
  deliveries: number;
  /** From the first arrival to the last, at the receiver. */
  seconds: number;
  perSecond: number;
  /** CPU µs per delivery, from the backlog's commit to the last arrival. */
  serverCpuUs: number;
  receiverCpuUs: number;
  /** From the commit to the first arrival (the worker's poll). */
  firstAfterMs: number;
  verified: number;
}

export interface SideRounds {
  key: 'list' | 'create';
  title: string;
  a: Round[];
  b: Round[];
  /** Side B, per round: deliveries that arrived during the round, and what was left to deliver after it. */
  deliveredInRound: number[];
  drainSeconds: number[];
  /** Server CPU after the round until all was delivered, µs per response of the round. */
  drainCpuUs: number[];
}

export interface WebhooksResult {
  rates: { endpoints: number; runs: RateRun[] }[];
  sides: SideRounds[];
  outbox: OutboxTiming;
  claims: ClaimTiming[];
  backlogForReads: number;
  /** What the service logged at warn or above. */
  serviceLogs: string;
}

type Log = (msg: string) => void;

async function untilArrived(receiver: Receiver, count: number, what: string): Promise<ReceiverStats> {
  let last = -1;
  let stalledSince = Date.now();
  for (;;) {
    const s = await receiver.stats();
    if (s.count >= count) return s;
    if (s.count !== last) [last, stalledSince] = [s.count, Date.now()];
    if (Date.now() - stalledSince > 30_000) throw new Error(`${what}: ${s.count} of ${count} deliveries arrived, none for 30 s`);
    await sleep(20);
  }
}

/** One backlog of about `deliveries` spread over `endpoints` new endpoints, timed at the receiver. */
async function deliveryRate(service: HookedService, receiver: Receiver, endpoints: number, deliveries: number): Promise<RateRun> {
  const made = await createEndpoints(service, 'rate', receiver.url, endpoints);
  await untilDelivered(service, 'rate', made);
  await receiver.reset(made.secrets);
  const events = Math.ceil(deliveries / endpoints);
  const cpu = () => [cpuSecondsOf(service.running.pid), cpuSecondsOf(receiver.running.pid)];
  await queueBacklog(service.databasePath, 'rate', events);
  const [server0, receiver0] = cpu();
  const committed = Date.now();
  const s = await untilArrived(receiver, events * endpoints, `${endpoints} endpoint(s)`);
  const [server1, receiver1] = cpu();
  await untilDelivered(service, 'rate', made);
  const after = await receiver.stats();
  if (after.count !== events * endpoints) throw new Error(`${after.count} deliveries arrived for ${events * endpoints} queued`);
  if (after.verifyFailed > 0) throw new Error(`${after.verifyFailed} sampled deliveries failed signature verification`);
  await deleteEndpoints(service, 'rate', made);
  const seconds = (s.lastMs! - s.firstMs!) / 1000;
  return {
    deliveries: s.count,
    seconds,
    perSecond: (s.count - 1) / seconds,
    serverCpuUs: ((server1 - server0) * 1e6) / s.count,
    receiverCpuUs: ((receiver1 - receiver0) * 1e6) / s.count,
    firstAfterMs: s.firstMs! - committed,
    verified: after.verified,
  };
}

async function apiSides(
  opts: BenchOptions, service: HookedService, receiver: Receiver, rounds: ReturnType<typeof createRounds>, backlog: number, log: Log,
): Promise<SideRounds[]> {
  const endpoint = await createEndpoints(service, 'writesB', receiver.url, 1);
  await untilDelivered(service, 'writesB', endpoint);
  await receiver.reset(endpoint.secrets);
  const cpu = processCpu(() => [service.running.pid]);
  const url = service.running.url;
  const list = (as: HookUser) => ({ url: `${url}/v1/projects?limit=20`, headers: service.auth(as), connections: opts.connections, duration: opts.duration });
  const create = (as: HookUser) => ({
    url: `${url}/v1/projects`, method: 'POST' as const, headers: { ...service.auth(as), 'content-type': 'application/json' },
    body: JSON.stringify({ name: 'hooks [<id>]', description: 'Created by the benchmark.' }), idReplacement: true, connections: opts.connections, duration: opts.duration,
  });
  // Reads: the same URL on both sides; side B runs while a backlog to writesB's endpoint is delivered.
  const scenarios = [
    { key: 'list' as const, title: 'GET /v1/projects?limit=20', a: list('read'), b: list('read'), backlog },
    { key: 'create' as const, title: 'POST /v1/projects', a: create('writesA'), b: create('writesB'), backlog: 0 },
  ];
  const results: SideRounds[] = [];
  for (const sc of scenarios) {
    log(`webhooks: ${sc.title}, A no endpoint, B one \`*\` endpoint delivering`);
    checkClean(await rounds.load({ ...sc.a, duration: opts.warmup }), 'A', `${sc.title} warm-up`);
    checkClean(await rounds.load({ ...sc.b, duration: opts.warmup }), 'B', `${sc.title} warm-up`);
    await untilDelivered(service, 'writesB', endpoint);
    const r: SideRounds = { key: sc.key, title: sc.title, a: [], b: [], deliveredInRound: [], drainSeconds: [], drainCpuUs: [] };
    for (let round = 1; round <= opts.rounds; round++) {
      const a = await rounds.loadRound(sc.a, { cpu });
      checkClean(a, 'A', `${sc.title} round ${round}`);
      if (sc.backlog) {
        const before = (await receiver.stats()).count;
        await queueBacklog(service.databasePath, 'writesB', sc.backlog);
        await untilArrived(receiver, before + 1, 'backlog for the read rounds'); // the worker has begun
      }
      const arrived0 = (await receiver.stats()).count;
      const b = await rounds.loadRound(sc.b, { cpu });
      checkClean(b, 'B', `${sc.title} round ${round}`);
      const cpuEnd = cpuSecondsOf(service.running.pid);
      const arrived1 = (await receiver.stats()).count;
      const drainStart = Date.now();
      await untilDelivered(service, 'writesB', endpoint);
      r.drainSeconds.push((Date.now() - drainStart) / 1000);
      r.drainCpuUs.push(((cpuSecondsOf(service.running.pid) - cpuEnd) * 1e6) / b.responses);
      r.deliveredInRound.push(arrived1 - arrived0);
      r.a.push(a);
      r.b.push(b);
      log(`  ${sc.key} round ${round}: A ${Math.round(a.rps)} req/s, ${a.serverCpuUs.toFixed(0)} µs/response; B ${Math.round(b.rps)} req/s, ` +
        `${b.serverCpuUs.toFixed(0)} µs/response, ${arrived1 - arrived0} delivered in the round, drained ${r.drainSeconds.at(-1)!.toFixed(1)} s later`);
    }
    results.push(r);
  }
  const s = await receiver.stats();
  if (s.verifyFailed > 0) throw new Error(`${s.verifyFailed} sampled deliveries failed signature verification`);
  return results;
}

export async function measureWebhooks(opts: BenchOptions, procs: Processes, tmp: string, rounds: ReturnType<typeof createRounds>, log: Log): Promise<WebhooksResult> {
  const tls = makeCertificate(tmp);
  const receiver = await startReceiver(procs, tls, opts.loadCpu);
  const service = await startHookedService(procs, opts, join(tmp, 'data-hooks'), tls.cert);
  log(`webhooks: service at ${service.running.url} (pid ${service.running.pid}), receiver at ${receiver.url} (pid ${receiver.running.pid})`);

  const rates = opts.webhookEndpoints.map((endpoints) => ({ endpoints, runs: [] as RateRun[] }));
  for (let round = 1; round <= opts.rounds; round++) {
    for (const row of rates) {
      const run = await deliveryRate(service, receiver, row.endpoints, opts.webhookDeliveries);
      row.runs.push(run);
      log(`  delivery rate, ${row.endpoints} endpoint(s), round ${round}: ${run.deliveries} in ${run.seconds.toFixed(2)} s = ${Math.round(run.perSecond)}/s; ` +
        `server CPU ${run.serverCpuUs.toFixed(0)} µs/delivery, receiver ${run.receiverCpuUs.toFixed(0)}; first after ${run.firstAfterMs.toFixed(0)} ms`);
    }
  }
  // Enough for the read rounds to run entirely while deliveries happen (they slow down under load).
  const oneRate = median(rates.find((r) => r.endpoints === 1)?.runs.map((x) => x.perSecond) ?? []);
  const backlogForReads = Math.ceil((Number.isFinite(oneRate) ? oneRate : 300) * (opts.duration + 1));
  const sides = await apiSides(opts, service, receiver, rounds, backlogForReads, log);
  await procs.stop(service.running.child);
  await procs.stop(receiver.running.child);
  const claims = await timeClaims(service.databasePath, [10, 1000, 5000]);
  log(`  claimDue for an endpoint at its bound: ${claims.map((c) => `${c.claimUs.toFixed(0)} µs with ${c.backlog} pending`).join(', ')}`);
  const outbox = await timeOutbox(service.databasePath, opts.quick ? 500 : 2000);
  log(`  outbox in a tight loop (project + event per transaction): ${outbox.withoutUs.toFixed(0)} µs without an endpoint, ${outbox.withUs.toFixed(0)} µs with one`);
  return { rates, sides, outbox, claims, backlogForReads, serviceLogs: service.running.output().trim() };
}
