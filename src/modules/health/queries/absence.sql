SELECT a.id, a.class_id, c.name, a.student_no, a.started_on, a.last_seen_on, a.status, a.outcome, a.diagnosis,
       a.updated_at, a.school_code
FROM health_absences a JOIN health_classes c ON c.id = a.class_id
WHERE a.id = $1 AND a.path >= $2 AND a.path < $3
