import { call, sleep, until, type Reply } from './clusterClient';

export interface LoadOptions {
  targets: () => readonly [string, string];
  auth: Record<string, string>;
  /** Names are `${prefix}-${i}`, keys `${prefix}-k-${i}`. */
  prefix: string;
  clients: number;
  kills: number;
  /** Creates acknowledged before each kill, and after the last one before the run ends. */
  acksBetweenKills: number;
  killOne: () => Promise<void>;
}

export interface LoadResult {
  /** i -> the id its 201 named. */
  acknowledged: Map<number, string>;
  /** Keys sent more than once (a connection error, a 5xx, or 409 idempotency_key_in_use first). */
  retried: Set<number>;
  figures: { kills: number; sent: number; acknowledged: number; retried: number; retryRequests: number; replayed: number; connectionErrors: number; status5xx: number; inUse409: number };
}

const retryable = (r: Reply | undefined) =>
  r === undefined || r.status >= 500 || (r.status === 409 && r.body?.error?.code === 'idempotency_key_in_use');

/**
 * Several clients create projects, each create with its own Idempotency-Key, alternating between the
 * two targets; a create that fails with a connection error, a 5xx or "key in use" is sent again with
 * the same key to the other target until it is acknowledged. Meanwhile one process is SIGKILLed and
 * brought back `kills` times. Every create sent ends acknowledged, or the run fails.
 */
export async function writeLoad(o: LoadOptions): Promise<LoadResult> {
  const acknowledged = new Map<number, string>();
  const retried = new Set<number>();
  const figures = { kills: 0, sent: 0, acknowledged: 0, retried: 0, retryRequests: 0, replayed: 0, connectionErrors: 0, status5xx: 0, inUse409: 0 };
  let next = 0;
  let done = false;
  let failure: Error | undefined;

  const createOnce = async (i: number) => {
    for (let attempt = 0; ; attempt++) {
      const target = o.targets()[(i + attempt) % 2];
      const headers = { ...o.auth, 'idempotency-key': `${o.prefix}-k-${i}` };
      const res = await call(target, 'POST', '/v1/projects', headers, { name: `${o.prefix}-${i}` }).catch(() => undefined);
      if (res?.status === 201) {
        if (res.body.data.name !== `${o.prefix}-${i}`) throw new Error(`k-${i} answered with ${JSON.stringify(res.body)}`);
        if (attempt > 0 && res.headers['idempotent-replayed'] === 'true') figures.replayed += 1;
        return res.body.data.id as string;
      }
      if (!retryable(res)) throw new Error(`createProject k-${i}: ${res!.status} ${JSON.stringify(res!.body)}`);
      if (res === undefined) figures.connectionErrors += 1;
      else if (res.status >= 500) figures.status5xx += 1;
      else figures.inUse409 += 1;
      if (attempt === 0) retried.add(i);
      figures.retryRequests += 1;
      if (attempt >= 1000) throw new Error(`createProject k-${i}: not acknowledged after ${attempt} retries`);
      // Both targets may be briefly unreachable (a restart, or the only worker left busy): back off a little.
      await sleep(attempt % 2 ? 50 : 5);
    }
  };

  const client = async () => {
    while (!done && !failure) {
      const i = next++;
      figures.sent += 1;
      try {
        acknowledged.set(i, await createOnce(i));
        figures.acknowledged += 1;
      } catch (err) {
        failure ??= err as Error;
      }
    }
  };

  const clients = Array.from({ length: o.clients }, client);
  try {
    for (let kill = 0; kill <= o.kills; kill++) {
      const from = figures.acknowledged;
      await until(() => figures.acknowledged >= from + o.acksBetweenKills, () => failure);
      if (kill === o.kills) break;
      await o.killOne();
      figures.kills += 1;
    }
  } finally {
    done = true;
    await Promise.all(clients);
  }
  if (failure) throw failure;
  figures.retried = retried.size;
  return { acknowledged, retried, figures };
}
