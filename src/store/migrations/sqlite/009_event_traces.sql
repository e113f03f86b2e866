-- The W3C traceparent of the traced request that emitted an event (NULL when tracing was off or
-- the request not sampled): a delivery's span links to it (PostgreSQL 005).
ALTER TABLE events ADD COLUMN traceparent TEXT;
