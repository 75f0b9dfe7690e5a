SELECT r.id, r.school_code, r.class_id, c.name, r.day, r.session, r.version, r.enrolled, r.present, r.absent_ill,
       r.absent_other, r.late, r.submitted_by, r.submitted_at, r.result
FROM health_reports r JOIN health_classes c ON c.id = r.class_id WHERE r.id = $1
