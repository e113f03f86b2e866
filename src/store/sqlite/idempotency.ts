import type { IdempotencyRecord, IdempotencyStore } from '../ports';
import type { Db } from './db';

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
