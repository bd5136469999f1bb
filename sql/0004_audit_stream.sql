-- Audit entries are written by the mutation itself, in the same atomic step
-- in Redis as the change they record (the debate's audit stream, see
-- fcgi/audit/drain.hpp), then drained into this table. The stream id makes
-- a second drain of the same entry harmless; entries from before this
-- migration have none.
ALTER TABLE audit_log ADD COLUMN stream_id TEXT;
CREATE UNIQUE INDEX audit_log_stream ON audit_log (event_id, stream_id);
-- The audit view lists by time: entries are drained in batches, possibly by
-- several workers, so their ids need not follow the order of the actions.
CREATE INDEX audit_log_event_time ON audit_log (event_id, at_ms);
