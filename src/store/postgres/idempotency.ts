import { RecordLocked, type Async, type IdempotencyStore } from '../ports';
import { query, type Queryable } from './db';

const PURGE_BATCH = 100;

export function createPgIdempotencyStore(db: Queryable): Async<IdempotencyStore> {
  return {
    async lock(id) {
      // A transaction-scoped advisory lock on the record's id (its first 8 bytes as a bigint).
      // lock_timeout (55P03) here means the same key's first request is still running.
      await query(db, 'SELECT pg_advisory_xact_lock($1::bigint)', [id.readBigInt64BE(0).toString()]).catch((err: { code?: string }) => {
        throw err?.code === '55P03' ? new RecordLocked() : err;
      });
    },
    async find(id, now) {
      const { rows } = await query(db,
        'SELECT fingerprint, status, headers, body FROM idempotency_records WHERE id = $1 AND expires_at > $2',
        [id, now],
      );
      return rows[0];
    },
    async save(id, record, now, expiresAt) {
      await query(db,
        `DELETE FROM idempotency_records WHERE id IN
           (SELECT id FROM idempotency_records WHERE expires_at <= $1 ORDER BY expires_at LIMIT ${PURGE_BATCH})`,
        [now],
      );
      await query(db,
        `INSERT INTO idempotency_records (id, fingerprint, status, headers, body, created_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7)
         ON CONFLICT (id) DO UPDATE SET fingerprint = excluded.fingerprint, status = excluded.status,
           headers = excluded.headers, body = excluded.body, created_at = excluded.created_at, expires_at = excluded.expires_at`,
        [id, record.fingerprint, record.status, JSON.stringify(record.headers), record.body, now, expiresAt],
      );
    },
  };
}
