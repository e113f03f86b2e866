-- Shared rate-limit counters, used when RATE_LIMIT_STORE=sqlite so that several processes on one
-- machine share budgets. The shape is the one rate-limiter-flexible's SQLite store expects.
CREATE TABLE rate_limits (
  key     TEXT PRIMARY KEY,
  points  INTEGER NOT NULL DEFAULT 0,
  expire  INTEGER
);
