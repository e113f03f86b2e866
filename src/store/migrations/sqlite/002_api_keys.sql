-- API keys: the key itself is never stored, only peppered hashes of its secrets.
-- A key keeps its id across rotations; each rotation adds a secret and gives the previous
-- ones an expiry (the grace period, possibly zero).

CREATE TABLE api_keys (
  id            TEXT PRIMARY KEY,
  workspace_id  TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  name          TEXT NOT NULL,
  scopes        TEXT NOT NULL,
  prefix        TEXT NOT NULL,
  last4         TEXT NOT NULL,
  created_by    TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  expires_at    TEXT,
  last_used_at  TEXT,
  rotated_at    TEXT,
  revoked_at    TEXT
) STRICT;

CREATE INDEX api_keys_page ON api_keys (workspace_id, created_at DESC, id DESC);

CREATE TABLE api_key_secrets (
  secret_hash  BLOB PRIMARY KEY,
  key_id       TEXT NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
  created_at   TEXT NOT NULL,
  expires_at   TEXT
) STRICT;

CREATE INDEX api_key_secrets_by_key ON api_key_secrets (key_id);
