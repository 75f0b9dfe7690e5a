-- A school's reports in force of one day and session: of each class's versions, the highest.
SELECT r.id, r.school_code, r.class_id, c.name, r.day, r.session, r.version, r.enrolled, r.present, r.absent_ill,
       r.absent_other, r.late, r.submitted_by, r.submitted_at, r.result
FROM health_reports r JOIN health_classes c ON c.id = r.class_id
WHERE r.school_code = $1 AND r.day = $2 AND r.session = $3
  AND NOT EXISTS (SELECT 1 FROM health_reports n
                  WHERE n.school_code = r.school_code AND n.day = r.day AND n.session = r.session
                    AND n.class_id = r.class_id AND n.version > r.version)
ORDER BY c.grade, c.name
