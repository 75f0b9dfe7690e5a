-- Append-only audit log. Each row's hash covers its fields and the previous row's hash.
CREATE TABLE audit_log (
  id          INTEGER PRIMARY KEY,
  at          TEXT NOT NULL,
  user_id     INTEGER,
  username    TEXT NOT NULL,
  role        TEXT NOT NULL,
  org_code    TEXT NOT NULL,
  action      TEXT NOT NULL,
  target      TEXT NOT NULL,
  outcome     TEXT NOT NULL,
  request_id  TEXT NOT NULL,
  summary     TEXT NOT NULL,
  algorithm   TEXT NOT NULL,
  prev_hash   TEXT NOT NULL,
  hash        TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log(at);
CREATE INDEX audit_log_username ON audit_log(username, id);

-- Where the chain starts after retention purges older rows.
CREATE TABLE audit_anchor (
  singleton   INTEGER PRIMARY KEY CHECK (singleton = 1),
  last_id     INTEGER NOT NULL,
  last_hash   TEXT NOT NULL
);
-- A purge may delete rows only while it holds a permit in the same transaction.
CREATE TABLE audit_purge_permit (singleton INTEGER PRIMARY KEY CHECK (singleton = 1));

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
WHEN NOT EXISTS (SELECT 1 FROM audit_purge_permit)
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
