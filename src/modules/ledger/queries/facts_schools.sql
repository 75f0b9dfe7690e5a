-- By code range alone (the primary key): a filter on level would make SQLite scan every school
-- through the level index. Units that are not schools are skipped by the caller.
SELECT code, path, active, school_type, locality, boarding, day_students, boarding_students, class_count, level
FROM org_units WHERE code BETWEEN $1 AND $2 ORDER BY code
