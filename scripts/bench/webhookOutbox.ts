// The outbox write of `POST /v1/projects` without HTTP: a project and its event in one transaction
// through the store, as the service commits them, timed in a tight loop in the bench process for a
// workspace without endpoints and one with a `*` endpoint (which adds the delivery row). Run with
// the service stopped, so nothing else uses the database file or the core meanwhile.
import { openAsyncSqliteStore } from '../../src/store/sqlite/async';
import { median } from './stats';
import { HOOK_USERS, type HookUser } from './webhookSetup';

export interface OutboxTiming {
  transactions: number;
  /** µs per transaction (project + event), median of batches. */
  withoutUs: number;
  withUs: number;
}

export async function timeOutbox(databasePath: string, transactions: number): Promise<OutboxTiming> {
  const store = openAsyncSqliteStore(databasePath);
  try {
    const ids = {} as Record<HookUser, string>;
    for (const as of ['writesA', 'writesB'] as const) ids[as] = (await store.identity.findWorkspaceByName(HOOK_USERS[as].workspace))!.id;
    let seq = 0;
    const batch = async (as: HookUser, n: number) => {
      const t0 = process.hrtime.bigint();
      for (let i = 0; i < n; i++) {
        seq++;
        await store.transaction(async (tx) => {
          const project = await tx.projects.create(ids[as], { name: `Outbox ${seq}`, slug: `outbox-${seq}`, description: null });
          await tx.events.append({ type: 'project.created', workspaceId: ids[as], object: project, requestId: null, idempotencyKey: null });
        });
      }
      return Number(process.hrtime.bigint() - t0) / 1e3 / n;
    };
    await batch('writesA', 100);
    await batch('writesB', 100);
    const runs = { writesA: [] as number[], writesB: [] as number[] };
    const size = Math.max(1, Math.floor(transactions / 5));
    for (let i = 0; i < 5; i++) for (const as of ['writesA', 'writesB'] as const) runs[as].push(await batch(as, size));
    return { transactions: size * 5, withoutUs: median(runs.writesA), withUs: median(runs.writesB) };
  } finally {
    await store.close();
  }
}
