-- Stored outcomes of requests sent with an Idempotency-Key. The key itself is not stored: `id`
-- is a hash of (workspace, principal, method, route, key), and the response body is encrypted
-- with a key derived from the idempotency key, so the table alone replays nothing.
CREATE TABLE idempotency_records (
  id           BLOB PRIMARY KEY,
  fingerprint  BLOB NOT NULL,
  status       INTEGER NOT NULL,
  headers      TEXT NOT NULL,
  body         BLOB,
  created_at   TEXT NOT NULL,
  expires_at   TEXT NOT NULL
) STRICT, WITHOUT ROWID;

CREATE INDEX idempotency_records_by_expiry ON idempotency_records (expires_at);
