-- The whole schema of SQLite migrations 001-005, for PostgreSQL. Times are timestamptz (the API
-- shows them with milliseconds, which is what the service writes); hashes are bytea.

CREATE TABLE workspaces (
  id          text PRIMARY KEY,
  name        text NOT NULL,
  created_at  timestamptz NOT NULL
);

CREATE TABLE users (
  id             text PRIMARY KEY,
  email          text NOT NULL,
  password_hash  text NOT NULL,
  created_at     timestamptz NOT NULL
);

-- Emails are stored lower-cased; the index makes that the only spelling, as COLLATE NOCASE does.
CREATE UNIQUE INDEX users_email ON users (lower(email));

CREATE TABLE memberships (
  user_id       text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  workspace_id  text NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  role          text NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
  created_at    timestamptz NOT NULL,
  PRIMARY KEY (user_id, workspace_id)
);

CREATE INDEX memberships_by_workspace ON memberships (workspace_id);

-- A session is one login: the family of refresh tokens rotated from it (RFC 9700).
CREATE TABLE sessions (
  id              text PRIMARY KEY,
  user_id         text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  workspace_id    text NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  created_at      timestamptz NOT NULL,
  expires_at      timestamptz NOT NULL,
  revoked_at      timestamptz,
  revoked_reason  text
);

CREATE INDEX sessions_by_user ON sessions (user_id);

CREATE TABLE refresh_tokens (
  token_hash  bytea PRIMARY KEY,
  session_id  text NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  created_at  timestamptz NOT NULL,
  expires_at  timestamptz NOT NULL,
  used_at     timestamptz
);

CREATE INDEX refresh_tokens_by_session ON refresh_tokens (session_id);

CREATE TABLE projects (
  id            text PRIMARY KEY,
  workspace_id  text NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  name          text NOT NULL,
  slug          text NOT NULL,
  description   text,
  created_at    timestamptz NOT NULL,
  updated_at    timestamptz NOT NULL,
  CONSTRAINT projects_slug UNIQUE (workspace_id, slug)
);

-- Keyset pagination walks this index: newest first, id as the tie-breaker.
CREATE INDEX projects_page ON projects (workspace_id, created_at DESC, id DESC);

CREATE TABLE api_keys (
  id            text PRIMARY KEY,
  workspace_id  text NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  name          text NOT NULL,
  scopes        text NOT NULL,
  prefix        text NOT NULL,
  last4         text NOT NULL,
  created_by    text NOT NULL,
  created_at    timestamptz NOT NULL,
  expires_at    timestamptz,
  last_used_at  timestamptz,
  rotated_at    timestamptz,
  revoked_at    timestamptz
);

CREATE INDEX api_keys_page ON api_keys (workspace_id, created_at DESC, id DESC);

CREATE TABLE api_key_secrets (
  secret_hash  bytea PRIMARY KEY,
  key_id       text NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
  created_at   timestamptz NOT NULL,
  expires_at   timestamptz
);

CREATE INDEX api_key_secrets_by_key ON api_key_secrets (key_id);

CREATE TABLE usage_counters (
  workspace_id  text NOT NULL,
  minute        bigint NOT NULL,
  principal_id  text NOT NULL,
  operation_id  text NOT NULL,
  status_class  text NOT NULL,
  count         bigint NOT NULL,
  PRIMARY KEY (workspace_id, minute, principal_id, operation_id, status_class)
);

CREATE TABLE idempotency_records (
  id           bytea PRIMARY KEY,
  fingerprint  bytea NOT NULL,
  status       integer NOT NULL,
  headers      jsonb NOT NULL,
  body         bytea,
  created_at   timestamptz NOT NULL,
  expires_at   timestamptz NOT NULL
);

CREATE INDEX idempotency_records_by_expiry ON idempotency_records (expires_at);

-- Shared rate-limit counters when no Redis is configured; the shape rate-limiter-flexible's
-- PostgreSQL store expects (one atomic upsert per request).
CREATE TABLE rate_limits (
  key     varchar(255) PRIMARY KEY,
  points  integer NOT NULL DEFAULT 0,
  expire  bigint
);
