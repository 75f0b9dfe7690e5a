-- Every diagnosis an illness absence has carried: its own, its follow-ups', and those of the
-- student's records in force since it started (a later diagnosis does not undo an earlier one).
SELECT diagnosis FROM health_absences WHERE id = $1 AND diagnosis IS NOT NULL
UNION
SELECT diagnosis FROM health_absence_entries WHERE absence_id = $1 AND diagnosis IS NOT NULL
UNION
SELECT c.diagnosis FROM health_cases c JOIN health_absences a ON a.id = $1
WHERE c.school_code = a.school_code AND c.current = 1 AND c.day >= a.started_on AND c.student_no = a.student_no
  AND c.diagnosis IS NOT NULL
