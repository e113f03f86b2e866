import { createHash, timingSafeEqual } from 'node:crypto';
import { deriveKey, seal, unseal } from '../sealing';
import type { IdempotencyStore, Async } from '../store/ports';

/** Who sent the key, and to what: the same key from another principal or route never collides. */
export interface IdempotencyScope {
  workspaceId: string;
  principalId: string;
  method: string;
  route: string;
  key: string;
}

export interface StoredResponse {
  status: number;
  headers: Record<string, string>;
  /** The JSON text of the body, byte for byte as first sent. */
  body?: string;
}

export type Outcome = { replayed: false; response: StoredResponse } | { replayed: true; response: StoredResponse };

export class IdempotencyKeyReused extends Error {}

export interface Idempotency {
  /**
   * Runs `run` once per scope: a second call with the same request replays the first outcome,
   * with another request throws IdempotencyKeyReused. `records` must be the aggregate of the
   * transaction that holds the change, so the record and the change commit together. `run`
   * throwing leaves no record.
   */
  execute(records: Async<IdempotencyStore>, scope: IdempotencyScope, request: unknown, run: () => Promise<StoredResponse>): Promise<Outcome>;
}

/** JSON with sorted object keys, so `{"a":1,"b":2}` and `{"b":2,"a":1}` are the same request. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export function createIdempotency(opts: {
  pepper: Buffer;
  retentionSeconds: number;
  now?: () => number;
}): Idempotency {
  const now = opts.now ?? Date.now;
  const derive = (label: string, scope: string) => deriveKey(opts.pepper, label, scope);

  return {
    async execute(records, scope, request, run) {
      const scopeText = JSON.stringify([scope.workspaceId, scope.principalId, scope.method, scope.route, scope.key]);
      const id = derive('idempotency-id', scopeText);
      const bodyKey = derive('idempotency-body', scopeText);
      const fingerprint = createHash('sha256').update(canonical(request)).digest();
      const at = new Date(now()).toISOString();
      // Requests with the same key wait here for each other (the engine's lock for this id, held to
      // the end of the transaction), so the second finds the first's record: exactly once.
      await records.lock(id);
      const found = await records.find(id, at);
      if (found) {
        if (!timingSafeEqual(found.fingerprint, fingerprint)) throw new IdempotencyKeyReused();
        return {
          replayed: true,
          response: {
            status: found.status,
            headers: found.headers,
            body: found.body === null ? undefined : unseal(bodyKey, found.body),
          },
        };
      }
      const response = await run();
      await records.save(
        id,
        {
          fingerprint,
          status: response.status,
          headers: response.headers,
          body: response.body === undefined ? null : seal(bodyKey, response.body),
        },
        at,
        new Date(now() + opts.retentionSeconds * 1000).toISOString(),
      );
      return { replayed: false, response };
    },
  };
}
