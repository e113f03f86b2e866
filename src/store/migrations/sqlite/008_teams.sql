-- Teams: members listed newest first, and invitations. An invitation's token is never stored,
-- only its peppered hash. `closed_at` is set when it stops being open (accepted, revoked, or
-- found expired when the same email is invited again), so that at most one open invitation per
-- workspace and email exists, whatever the clock says.

CREATE INDEX memberships_page ON memberships (workspace_id, created_at DESC, user_id DESC);

CREATE TABLE invitations (
  id            TEXT PRIMARY KEY,
  workspace_id  TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  email         TEXT NOT NULL COLLATE NOCASE,
  role          TEXT NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
  token_hash    BLOB NOT NULL UNIQUE,
  invited_by    TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  expires_at    TEXT NOT NULL,
  accepted_at   TEXT,
  revoked_at    TEXT,
  closed_at     TEXT
) STRICT;

CREATE UNIQUE INDEX invitations_open_email ON invitations (workspace_id, email) WHERE closed_at IS NULL;
CREATE INDEX invitations_page ON invitations (workspace_id, created_at DESC, id DESC);
