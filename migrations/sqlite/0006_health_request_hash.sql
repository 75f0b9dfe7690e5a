-- The keyed fingerprint of the request that made a report version: a retry with the same
-- Idempotency-Key but a different body is refused instead of answered with the first result.
ALTER TABLE health_reports ADD COLUMN request_hash TEXT NOT NULL DEFAULT '';
