SELECT a.id, a.class_id, c.name, a.student_no, a.started_on, a.last_seen_on, a.status, a.outcome, a.diagnosis,
       a.updated_at
FROM health_absences a JOIN health_classes c ON c.id = a.class_id
WHERE a.school_code = $1 AND ($2 = 'all' OR a.status = $2) ORDER BY a.status DESC, a.started_on, a.id
LIMIT $3 OFFSET $4
