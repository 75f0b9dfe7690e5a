SELECT r.id, r.school_code, r.class_id, c.name, r.day, r.session, r.version, r.enrolled, r.present, r.absent_ill,
       r.absent_other, r.late, r.submitted_by, r.submitted_at, r.result
FROM health_reports r JOIN health_classes c ON c.id = r.class_id
WHERE r.school_code = $1 AND r.day = $2 AND r.session = $3 AND r.current = 1 ORDER BY c.grade, c.name
