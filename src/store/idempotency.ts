import type { Db } from './db';

export interface IdempotencyRecord {
  fingerprint: Buffer;
  status: number;
  headers: Record<string, string>;
  /** Encrypted response body, or null for a response without one. */
  body: Buffer | null;
}

export interface IdempotencyStore {
  /**
   * Inside a transaction: waits until no other transaction holds `id`, then holds it until this
   * one ends. SQLite's writer lock (BEGIN IMMEDIATE) already serialises writers: nothing to do.
   */
  lock(id: Buffer): void;
  /** The live (unexpired) record, if any. */
  find(id: Buffer, now: string): IdempotencyRecord | undefined;
  /** Saves (or replaces an expired) record, and purges a bounded batch of expired ones. */
  save(id: Buffer, record: IdempotencyRecord, now: string, expiresAt: string): void;
}

const PURGE_BATCH = 100;

export function createIdempotencyStore(db: Db): IdempotencyStore {
  const select = db.prepare(
    'SELECT fingerprint, status, headers, body FROM idempotency_records WHERE id = ? AND expires_at > ?',
  );
  const upsert = db.prepare(`INSERT INTO idempotency_records (id, fingerprint, status, headers, body, created_at, expires_at)
    VALUES (@id, @fingerprint, @status, @headers, @body, @created_at, @expires_at)
    ON CONFLICT (id) DO UPDATE SET fingerprint = excluded.fingerprint, status = excluded.status,
      headers = excluded.headers, body = excluded.body, created_at = excluded.created_at, expires_at = excluded.expires_at`);
  const purge = db.prepare(`DELETE FROM idempotency_records WHERE id IN
    (SELECT id FROM idempotency_records WHERE expires_at <= ? ORDER BY expires_at LIMIT ${PURGE_BATCH})`);
  return {
    lock() {},
    find(id, now) {
      const row = select.get(id, now) as (Omit<IdempotencyRecord, 'headers'> & { headers: string }) | undefined;
      return row && { ...row, headers: JSON.parse(row.headers) };
    },
    save(id, record, now, expiresAt) {
      purge.run(now);
      upsert.run({ id, ...record, headers: JSON.stringify(record.headers), created_at: now, expires_at: expiresAt });
    },
  };
}
