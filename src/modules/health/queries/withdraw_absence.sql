-- The open illness absence of a student whom a correction no longer records absent: removed
-- when no record in force since it started holds the student absent and it has no follow-up.
DELETE FROM health_absences
WHERE school_code = $1 AND student_no = $2 AND status = 'open'
  AND NOT EXISTS (SELECT 1 FROM health_absence_entries e WHERE e.absence_id = health_absences.id)
  AND NOT EXISTS (SELECT 1 FROM health_cases c
                  WHERE c.school_code = $1 AND c.current = 1 AND c.day >= health_absences.started_on
                    AND c.student_no = $2 AND c.absent = 1)
