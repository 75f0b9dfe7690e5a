-- The student's cases in force over an illness absence, latest first.
SELECT c.id, c.day FROM health_cases c JOIN health_absences a ON a.id = $1
WHERE c.school_code = a.school_code AND c.current = 1 AND c.day >= a.started_on AND c.day <= a.last_seen_on
  AND c.student_no = a.student_no
ORDER BY c.day DESC, c.id DESC
