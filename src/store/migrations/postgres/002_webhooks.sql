-- SQLite migration 006 (the event outbox and webhook deliveries), for PostgreSQL.
-- The event body is json, not jsonb: json keeps the text as written, so events keep the
-- contract's key order (jsonb would reorder keys by length) and stay byte-identical across
-- retries. `type` compares bytewise (COLLATE "C") so that `family.*` is an index range.

CREATE TABLE events (
  id            text PRIMARY KEY,
  workspace_id  text NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  type          text COLLATE "C" NOT NULL,
  created_at    timestamptz NOT NULL,
  body          json NOT NULL
);

CREATE INDEX events_page ON events (workspace_id, created_at DESC, id DESC);
CREATE INDEX events_by_type ON events (workspace_id, type, created_at DESC, id DESC);
CREATE INDEX events_by_age ON events (created_at);

CREATE TABLE webhook_endpoints (
  id                          text PRIMARY KEY,
  workspace_id                text NOT NULL REFERENCES workspaces (id) ON DELETE CASCADE,
  url                         text NOT NULL,
  description                 text,
  enabled_events              text[] NOT NULL,
  status                      text NOT NULL CHECK (status IN ('enabled', 'disabled')),
  disabled_reason             text,
  failing_since               timestamptz,
  secret                      bytea NOT NULL,
  previous_secret             bytea,
  previous_secret_expires_at  timestamptz,
  created_at                  timestamptz NOT NULL,
  updated_at                  timestamptz NOT NULL
);

CREATE INDEX webhook_endpoints_page ON webhook_endpoints (workspace_id, created_at DESC, id DESC);

CREATE TABLE webhook_deliveries (
  id               text PRIMARY KEY,
  workspace_id     text NOT NULL,
  endpoint_id      text NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
  event_id         text NOT NULL REFERENCES events (id) ON DELETE CASCADE,
  event_type       text NOT NULL,
  status           text NOT NULL CHECK (status IN ('pending', 'succeeded', 'failed')),
  attempt_count    integer NOT NULL DEFAULT 0,
  next_attempt_at  timestamptz,
  lease_until      timestamptz,
  created_at       timestamptz NOT NULL
);

CREATE INDEX webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at);
CREATE INDEX webhook_deliveries_page ON webhook_deliveries (endpoint_id, created_at DESC, id DESC);
CREATE INDEX webhook_deliveries_by_event ON webhook_deliveries (event_id);

CREATE TABLE webhook_attempts (
  delivery_id      text NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
  attempt          integer NOT NULL,
  attempted_at     timestamptz NOT NULL,
  response_status  integer,
  duration_ms      integer NOT NULL,
  response_body    text,
  error            text,
  PRIMARY KEY (delivery_id, attempt)
);
