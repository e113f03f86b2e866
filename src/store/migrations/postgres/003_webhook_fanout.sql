-- Deliveries are queued by the delivery worker, not by the request that wrote the event: an event
-- written while its workspace has an enabled endpoint subscribed to its type is marked `fanout`, and
-- the worker's claim turns marked events into deliveries in batches (FOR UPDATE SKIP LOCKED, so
-- instances share the work), then clears the mark (issue #14).
ALTER TABLE events ADD COLUMN fanout boolean CHECK (fanout);
CREATE INDEX events_fanout ON events (created_at, id) WHERE fanout;

-- The claim reads due deliveries endpoint by endpoint, so its cost follows the endpoints with work,
-- not the size of the backlog.
DROP INDEX webhook_deliveries_due;
CREATE INDEX webhook_deliveries_pending ON webhook_deliveries (endpoint_id, next_attempt_at, id) WHERE status = 'pending';
