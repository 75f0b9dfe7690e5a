SELECT c.id, c.school_code, c.grade, c.name, c.enrolment, c.boarding, c.active FROM health_classes c
WHERE c.school_code = $1 AND c.active = 1 AND ($3 <> 'evening' OR c.boarding = 1)
  AND NOT EXISTS (SELECT 1 FROM health_reports r
                  WHERE r.school_code = c.school_code AND r.day = $2 AND r.session = $3 AND r.class_id = c.id)
ORDER BY c.grade, c.name
