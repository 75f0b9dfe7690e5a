-- One row per class report slot (school, day, session, class): the version in force (decision 0026).
-- health_reports_slot held every version of every slot side by side, so that the version in force
-- (the highest) was found at the end of its slot. As corrections piled up, the slots of
-- neighbouring classes drifted apart in that index: a commit's reports wrote ever more of its leaves
-- to the WAL (3.5 per commit at first, 9 after 233,000 versions, in bench/health-http-bench).
-- A slot's row is now inserted with its first version and updated in place by each correction,
-- so neighbouring classes' slots stay together however many versions there are. It carries what a
-- correction and the day's views read of the version in force, so they read no older version. The
-- first version's time is kept as Unix seconds: the row stays about as small as the index entry.
-- The report versions stay in health_reports, each under its id, as they were.
CREATE TABLE health_report_slots (
  school_code TEXT NOT NULL,
  day         TEXT NOT NULL,
  session     TEXT NOT NULL,
  class_id    INTEGER NOT NULL,
  report_id   INTEGER NOT NULL REFERENCES health_reports(id),  -- the version in force
  version     INTEGER NOT NULL,
  absent_ill  INTEGER NOT NULL,
  cases       INTEGER NOT NULL,
  first_at    INTEGER NOT NULL,  -- when the slot's first version was submitted, Unix seconds
  PRIMARY KEY (school_code, day, session, class_id)
) WITHOUT ROWID;
INSERT INTO health_report_slots (school_code, day, session, class_id, report_id, version, absent_ill, cases, first_at)
SELECT r.school_code, r.day, r.session, r.class_id, r.id, r.version, r.absent_ill, r.cases,
       unixepoch(COALESCE(r.first_at, r.submitted_at))
FROM health_reports r
WHERE NOT EXISTS (SELECT 1 FROM health_reports n
                  WHERE n.school_code = r.school_code AND n.day = r.day AND n.session = r.session
                    AND n.class_id = r.class_id AND n.version > r.version);
DROP INDEX health_reports_slot;
