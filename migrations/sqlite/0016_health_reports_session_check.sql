-- health_reports.session's CHECK as three comparisons instead of an IN list (decision 0023).
-- SQLite tests `x IN (three or more constants)` by building a temporary B-tree of the constants,
-- and a CHECK is tested on every row inserted: every class report paid for opening, filling and
-- closing one (about 30,000 instructions, a quarter of a report's work in the writer). The meaning
-- is the same, so every stored row still passes it.
-- A CHECK cannot be altered in place: the table is rebuilt by SQLite's procedure (a new table, the
-- rows copied with their ids, the old one dropped, the new one renamed, its indexes made again).
-- Migrations run with foreign keys off and are committed only if PRAGMA foreign_key_check finds
-- nothing, so health_cases.report_id still finds every report it names.
CREATE TABLE health_reports_rebuilt (
  id               INTEGER PRIMARY KEY,
  school_code      TEXT NOT NULL REFERENCES org_units(code),
  path             TEXT NOT NULL,
  class_id         INTEGER NOT NULL REFERENCES health_classes(id),
  day              TEXT NOT NULL,
  session          TEXT NOT NULL CHECK (session = 'morning' OR session = 'noon' OR session = 'evening'),
  version          INTEGER NOT NULL,
  enrolled         INTEGER NOT NULL,
  present          INTEGER NOT NULL,
  absent_ill       INTEGER NOT NULL,
  absent_other     INTEGER NOT NULL,
  cases            INTEGER NOT NULL,
  late             INTEGER NOT NULL,
  submitted_by     TEXT NOT NULL,
  submitted_at     TEXT NOT NULL,
  idempotency_key  TEXT NOT NULL,
  result           TEXT NOT NULL DEFAULT '{}',
  request_hash     TEXT NOT NULL DEFAULT '',
  first_at         TEXT
);
INSERT INTO health_reports_rebuilt (id, school_code, path, class_id, day, session, version, enrolled, present,
                                    absent_ill, absent_other, cases, late, submitted_by, submitted_at,
                                    idempotency_key, result, request_hash, first_at)
SELECT id, school_code, path, class_id, day, session, version, enrolled, present, absent_ill, absent_other, cases,
       late, submitted_by, submitted_at, idempotency_key, result, request_hash, first_at
FROM health_reports
ORDER BY id;
DROP TABLE health_reports;
ALTER TABLE health_reports_rebuilt RENAME TO health_reports;
CREATE UNIQUE INDEX health_reports_idempotency ON health_reports(school_code, idempotency_key);
CREATE UNIQUE INDEX health_reports_slot ON health_reports(school_code, day, session, class_id, version);
