-- Request counts per workspace, caller, operation, status class and minute (minutes since the
-- Unix epoch, UTC). Written in batches by the meter; read by GET /v1/usage.
CREATE TABLE usage_counters (
  workspace_id  TEXT NOT NULL,
  minute        INTEGER NOT NULL,
  principal_id  TEXT NOT NULL,
  operation_id  TEXT NOT NULL,
  status_class  TEXT NOT NULL,
  count         INTEGER NOT NULL,
  PRIMARY KEY (workspace_id, minute, principal_id, operation_id, status_class)
) STRICT, WITHOUT ROWID;
