-- The audit log's indexes, trimmed to the queries that use them (decision 0014). Every write of the
-- system appends an audit record, and each index on audit_log is one more B-tree page dirtied,
-- written to the WAL and checkpointed per write.
-- audit_log_username served no query: the audit search's filters are all optional, so SQLite scans
-- by id whatever is given (EXPLAIN QUERY PLAN: SCAN audit_log).
DROP INDEX audit_log_username;
-- audit_log_target served only the ledger's history ("ledger/<school code>/..."); other targets
-- (health/..., hazards/..., user:...) are no longer indexed. The history queries repeat this WHERE
-- so that SQLite may use the partial index.
DROP INDEX audit_log_target;
CREATE INDEX audit_log_ledger_target ON audit_log(target, id) WHERE target >= 'ledger/' AND target < 'ledger0';
