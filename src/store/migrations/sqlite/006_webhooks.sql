-- The event outbox and webhook deliveries. An event is kept as the JSON the API shows and webhooks
-- send (written once, never changed); type and created_at are copied out of it for filters and
-- pages. Deleting an event (retention), an endpoint or a workspace takes the deliveries and their
-- attempts with it.

CREATE TABLE events (
  id            TEXT PRIMARY KEY,
  workspace_id  TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  type          TEXT NOT NULL,
  created_at    TEXT NOT NULL,
  body          TEXT NOT NULL
) STRICT;

CREATE INDEX events_page ON events (workspace_id, created_at DESC, id DESC);
-- Exact types and `family.*` prefixes (a range on type) walk this one newest first.
CREATE INDEX events_by_type ON events (workspace_id, type, created_at DESC, id DESC);
-- Retention deletes across workspaces by age.
CREATE INDEX events_by_age ON events (created_at);

-- Secrets are sealed by the webhooks module; after a rotation the previous one also signs until
-- previous_secret_expires_at.
CREATE TABLE webhook_endpoints (
  id                          TEXT PRIMARY KEY,
  workspace_id                TEXT NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  url                         TEXT NOT NULL,
  description                 TEXT,
  enabled_events              TEXT NOT NULL,  -- JSON array of types or '*'
  status                      TEXT NOT NULL CHECK (status IN ('enabled', 'disabled')),
  disabled_reason             TEXT,
  failing_since               TEXT,
  secret                      BLOB NOT NULL,
  previous_secret             BLOB,
  previous_secret_expires_at  TEXT,
  created_at                  TEXT NOT NULL,
  updated_at                  TEXT NOT NULL
) STRICT;

CREATE INDEX webhook_endpoints_page ON webhook_endpoints (workspace_id, created_at DESC, id DESC);

-- lease_until: a claimer is sending it; nobody else claims it before then.
CREATE TABLE webhook_deliveries (
  id               TEXT PRIMARY KEY,
  workspace_id     TEXT NOT NULL,
  endpoint_id      TEXT NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
  event_id         TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  event_type       TEXT NOT NULL,  -- copied from the event: lists read one table
  status           TEXT NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
  attempt_count    INTEGER NOT NULL DEFAULT 0,
  next_attempt_at  TEXT,
  lease_until      TEXT,
  created_at       TEXT NOT NULL
) STRICT;

CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries_page ON webhook_deliveries (endpoint_id, created_at DESC, id DESC);
-- Purging events deletes their deliveries through this one.
CREATE INDEX webhook_deliveries_by_event ON webhook_deliveries (event_id);

CREATE TABLE webhook_attempts (
  delivery_id      TEXT NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
  attempt          INTEGER NOT NULL,
  attempted_at     TEXT NOT NULL,
  response_status  INTEGER,
  duration_ms      INTEGER NOT NULL,
  response_body    TEXT,
  error            TEXT,
  PRIMARY KEY (delivery_id, attempt)
) STRICT, WITHOUT ROWID;
