-- A class report's versions are only ever added (decision 0021). The version in force of a slot
-- (school, day, session, class) is its highest version, found at the end of health_reports_slot;
-- `current` said the same thing a second way, and keeping it cost every correction an UPDATE of the
-- retired version's row: one more random table page dirtied per report, written to the WAL and
-- checkpointed. SQLite rewrites each row once to drop the column (about 1 s per million reports).
-- health_cases keeps its own `current`: a correction still retires the cases of the version it
-- replaces, which the outbreak windows read through health_cases_school_day.
ALTER TABLE health_reports DROP COLUMN current;
