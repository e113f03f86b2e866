// Two costs of webhooks timed through the store in the bench process, without HTTP, with the service
// stopped (nothing else uses the database file or the core meanwhile):
// - the outbox write of `POST /v1/projects`: a project and its event in one transaction, for a
//   workspace without endpoints and one with a `*` endpoint (which marks the event for fan-out);
// - the fan-out of those marked events into deliveries, as the worker's claim does it, in batches;
// - the worker's claim (`claimDue`) against backlogs of pending deliveries, for an endpoint already
//   at its bound, which is what every wake-up after a commit runs while that endpoint is busy.
import { openAsyncSqliteStore } from '../../src/store/sqlite/async';
import type { AsyncStore } from '../../src/store/ports';
import { median } from './stats';
import { FANOUT_BATCH } from '../../src/store/shared/webhookRows';
import { HOOK_USERS, projectWithEvent, type HookUser } from './webhookSetup';

export interface OutboxTiming {
  transactions: number;
  /** µs per transaction (project + event), median of batches. */
  withoutUs: number;
  withUs: number;
  /** µs per delivery for the worker's fan-out of the marked events (a claim that starts nothing). */
  fanOutUs: number;
}

export interface ClaimTiming {
  /** Pending deliveries when timed. */
  backlog: number;
  /** µs per claimDue call that finds nothing to start (the endpoint at its bound), median of batches. */
  claimUs: number;
}

const time = async (n: number, fn: () => Promise<unknown>) => {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) await fn();
  return Number(process.hrtime.bigint() - t0) / 1e3 / n;
};

const workspaceOf = async (store: AsyncStore, as: HookUser) => (await store.identity.findWorkspaceByName(HOOK_USERS[as].workspace))!.id;

/** Run before timeOutbox: the only pending deliveries are the ones queued here. */
export async function timeClaims(databasePath: string, backlogs: number[]): Promise<ClaimTiming[]> {
  const store = openAsyncSqliteStore(databasePath);
  try {
    const ws = await workspaceOf(store, 'rate');
    const endpoint = await store.webhooks.createEndpoint(ws, { url: 'https://127.0.0.1:9/claims', description: null, enabledEvents: ['*'], secret: Buffer.alloc(32) });
    const room = { perEndpoint: 2, inFlight: { [endpoint.id]: 2 } };
    const claim = () => store.webhooks.claimDue(new Date().toISOString(), new Date(Date.now() + 20_000).toISOString(), 14, room);
    const out: ClaimTiming[] = [];
    let queued = 0;
    for (const backlog of backlogs) {
      await store.transaction(async (tx) => {
        for (; queued < backlog; queued++) await projectWithEvent(tx, ws, `Claims ${queued}`, `claims-${queued}`);
      });
      // The first claims fan the new events out (a batch each); the timed ones only look for work.
      for (let i = 0; i <= Math.ceil(backlog / FANOUT_BATCH); i++) {
        if ((await claim()).length) throw new Error('claimDue started a delivery of an endpoint at its bound');
      }
      const runs = [];
      for (let i = 0; i < 5; i++) runs.push(await time(40, claim));
      out.push({ backlog, claimUs: median(runs) });
    }
    await store.webhooks.deleteEndpoint(ws, endpoint.id);
    return out;
  } finally {
    await store.close();
  }
}

export async function timeOutbox(databasePath: string, transactions: number): Promise<OutboxTiming> {
  const store = openAsyncSqliteStore(databasePath);
  try {
    const ids = {} as Record<HookUser, string>;
    for (const as of ['writesA', 'writesB'] as const) ids[as] = await workspaceOf(store, as);
    let seq = 0;
    const batch = (as: HookUser, n: number) =>
      time(n, () =>
        store.transaction((tx) => (seq++, projectWithEvent(tx, ids[as], `Outbox ${seq}`, `outbox-${seq}`))),
      );
    await batch('writesA', 100);
    await batch('writesB', 100);
    const runs = { writesA: [] as number[], writesB: [] as number[] };
    const size = Math.max(1, Math.floor(transactions / 5));
    for (let i = 0; i < 5; i++) for (const as of ['writesA', 'writesB'] as const) runs[as].push(await batch(as, size));
    // writesB's events are marked: claims with its endpoint at its bound fan them out and start nothing.
    const [endpoint] = await store.webhooks.listEndpoints(ids.writesB, undefined, 1);
    const room = { perEndpoint: 2, inFlight: { [endpoint.id]: 2 } };
    const marked = size * 5 + 100;
    const fanOutUs = (await time(Math.ceil(marked / FANOUT_BATCH), () =>
      store.webhooks.claimDue(new Date().toISOString(), new Date(Date.now() + 20_000).toISOString(), 14, room),
    )) * Math.ceil(marked / FANOUT_BATCH) / marked;
    return { transactions: size * 5, withoutUs: median(runs.writesA), withUs: median(runs.writesB), fanOutUs };
  } finally {
    await store.close();
  }
}
