-- A school's reports in force for a day and session: one per slot.
SELECT r.id, r.school_code, r.class_id, c.name, r.day, r.session, r.version, r.enrolled, r.present, r.absent_ill,
       r.absent_other, r.late, r.submitted_by, r.submitted_at, r.result
FROM health_report_slots s
JOIN health_reports r ON r.id = s.report_id
JOIN health_classes c ON c.id = s.class_id
WHERE s.school_code = $1 AND s.day = $2 AND s.session = $3
ORDER BY c.grade, c.name
