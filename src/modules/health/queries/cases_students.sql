SELECT id, student_no, current FROM health_cases WHERE id IN (SELECT value FROM json_each($1))
