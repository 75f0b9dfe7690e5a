-- The reports in force of one day and session in the schools under a path prefix ($1 <= path < $2),
-- per school: the schools come from org_units' (level, path) index, and each school's slots from
-- its part of health_report_slots. A class that reported has one slot; the slot carries the ill
-- and the cases of its version in force, so no report version is read.
SELECT u.code, COUNT(*), SUM(s.absent_ill), SUM(s.cases)
FROM org_units u
JOIN health_report_slots s ON s.school_code = u.code AND s.day = $3 AND s.session = $4
WHERE u.level = 'school' AND u.path >= $1 AND u.path < $2
GROUP BY u.code
