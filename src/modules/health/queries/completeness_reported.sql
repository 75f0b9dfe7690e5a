-- The reports in force of one day and session in the schools under a path prefix ($1 <= path < $2),
-- per school: the schools come from org_units' (level, path) index, and each school's reports from
-- its part of health_reports_slot.
SELECT u.code, COUNT(r.id), SUM(r.absent_ill), SUM(r.cases)
FROM org_units u
JOIN health_reports r ON r.school_code = u.code AND r.day = $3 AND r.session = $4 AND r.current = 1
WHERE u.level = 'school' AND u.path >= $1 AND u.path < $2
GROUP BY u.code
