-- Deliveries are queued by the delivery worker, not by the request that wrote the event: an event
-- written while its workspace has an enabled endpoint subscribed to its type is marked `fanout = 1`,
-- and the worker's claim turns marked events into deliveries in batches, then clears the mark. The
-- request pays for one partial-index entry instead of a delivery row per endpoint (issue #14).
ALTER TABLE events ADD COLUMN fanout INTEGER CHECK (fanout = 1);
CREATE INDEX events_fanout ON events (created_at, id) WHERE fanout = 1;

-- The claim reads due deliveries endpoint by endpoint (each endpoint's oldest first, as many as it
-- has room for), so the cost follows the endpoints with work, not the size of the backlog: a slow
-- endpoint's thousands of pending deliveries are skipped in one index probe.
DROP INDEX webhook_deliveries_due;
CREATE INDEX webhook_deliveries_pending ON webhook_deliveries (endpoint_id, next_attempt_at, id) WHERE status = 'pending';
