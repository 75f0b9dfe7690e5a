-- One index on health_reports where there were two (decision 0020). Every class report inserted a
-- row into health_reports_version (class_id, day, session, version) and, while it was the version in
-- force, into health_reports_current (day, session, path): two random B-tree pages dirtied per
-- report, written to the WAL and checkpointed. health_reports_slot leads with the school, so it
-- answers both: a class's slot (the school is known from the class) and a school's day, to which
-- the completeness query comes through org_units' (level, path) index for the jurisdiction.
-- A class belongs to one school, so the slot is unique as (class_id, day, session, version) was.
DROP INDEX health_reports_version;
DROP INDEX health_reports_current;
CREATE UNIQUE INDEX health_reports_slot ON health_reports(school_code, day, session, class_id, version);
