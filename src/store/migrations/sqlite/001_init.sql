-- Workspaces, users, memberships, login sessions (refresh-token families) and projects.
-- Times are RFC 3339 UTC strings with milliseconds, so text order is time order.

CREATE TABLE workspaces (
  id          TEXT PRIMARY KEY,
  name        TEXT NOT NULL,
  created_at  TEXT NOT NULL
) STRICT;

CREATE TABLE users (
  id             TEXT PRIMARY KEY,
  email          TEXT NOT NULL UNIQUE COLLATE NOCASE,
  password_hash  TEXT NOT NULL,
  created_at     TEXT NOT NULL
) STRICT;

CREATE TABLE memberships (
  user_id       TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  workspace_id  TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  role          TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
  created_at    TEXT NOT NULL,
  PRIMARY KEY (user_id, workspace_id)
) STRICT;

CREATE INDEX memberships_by_workspace ON memberships (workspace_id);

-- A session is one login: the family of refresh tokens rotated from it (RFC 9700).
CREATE TABLE sessions (
  id              TEXT PRIMARY KEY,
  user_id         TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  workspace_id    TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  created_at      TEXT NOT NULL,
  expires_at      TEXT NOT NULL,
  revoked_at      TEXT,
  revoked_reason  TEXT
) STRICT;

CREATE TABLE refresh_tokens (
  token_hash  BLOB PRIMARY KEY,
  session_id  TEXT NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
  created_at  TEXT NOT NULL,
  expires_at  TEXT NOT NULL,
  used_at     TEXT
) STRICT;

CREATE INDEX refresh_tokens_by_session ON refresh_tokens (session_id);

CREATE TABLE projects (
  id            TEXT PRIMARY KEY,
  workspace_id  TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  name          TEXT NOT NULL,
  slug          TEXT NOT NULL,
  description   TEXT,
  created_at    TEXT NOT NULL,
  updated_at    TEXT NOT NULL,
  UNIQUE (workspace_id, slug)
) STRICT;

-- Keyset pagination walks this index: newest first, id as the tie-breaker.
CREATE INDEX projects_page ON projects (workspace_id, created_at DESC, id DESC);
