-- The reports in force of one day and session in the schools under a path prefix ($1 <= path < $2),
-- per school: the schools come from org_units' (level, path) index, and each school's reports from
-- its part of health_reports_slot. A class that reported has exactly one version 1, so counting
-- those counts the classes; the version in force is the highest, so the ill and the cases are
-- summed from versions that no higher one follows. Only a version with someone ill or a case is
-- looked up again in the index: most have neither.
SELECT code, SUM(version = 1), SUM(CASE WHEN in_force THEN absent_ill ELSE 0 END),
       SUM(CASE WHEN in_force THEN cases ELSE 0 END)
FROM (SELECT u.code, r.version, r.absent_ill, r.cases,
             CASE WHEN r.absent_ill > 0 OR r.cases > 0
                  THEN NOT EXISTS (SELECT 1 FROM health_reports n
                                   WHERE n.school_code = r.school_code AND n.day = r.day AND n.session = r.session
                                     AND n.class_id = r.class_id AND n.version > r.version)
             END AS in_force
      FROM org_units u
      JOIN health_reports r ON r.school_code = u.code AND r.day = $3 AND r.session = $4
      WHERE u.level = 'school' AND u.path >= $1 AND u.path < $2)
GROUP BY code
