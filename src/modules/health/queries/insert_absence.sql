INSERT INTO health_absences (school_code, path, class_id, student_no, started_on, last_seen_on, status, outcome,
                             diagnosis, updated_at)
VALUES ($1, $2, $3, $4, $5, $5, 'open', 'absent', $6, $7)
