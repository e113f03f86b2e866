-- Teams: members listed newest first, and invitations (SQLite 008). An invitation's token is
-- never stored, only its peppered hash. `closed_at` is set when it stops being open (accepted,
-- revoked, or found expired when the same email is invited again), so that at most one open
-- invitation per workspace and email exists, whatever the clock says.

CREATE INDEX memberships_page ON memberships (workspace_id, created_at DESC, user_id DESC);

CREATE TABLE invitations (
  id            text PRIMARY KEY,
  workspace_id  text NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  email         text NOT NULL,
  role          text NOT NULL CHECK (role IN ('owner', 'admin', 'member')),
  token_hash    bytea NOT NULL UNIQUE,
  invited_by    text NOT NULL,
  created_at    timestamptz NOT NULL,
  expires_at    timestamptz NOT NULL,
  accepted_at   timestamptz,
  revoked_at    timestamptz,
  closed_at     timestamptz
);

CREATE UNIQUE INDEX invitations_open_email ON invitations (workspace_id, lower(email)) WHERE closed_at IS NULL;
CREATE INDEX invitations_page ON invitations (workspace_id, created_at DESC, id DESC);
