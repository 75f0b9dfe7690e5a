SELECT r.id, r.version, r.cases,
       (SELECT f.submitted_at FROM health_reports f
        WHERE f.class_id = r.class_id AND f.day = r.day AND f.session = r.session AND f.version = 1) AS first_at,
       r.submitted_at
FROM health_reports r
WHERE r.class_id = $1 AND r.day = $2 AND r.session = $3 AND r.current = 1
