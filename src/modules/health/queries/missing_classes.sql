SELECT c.id, c.school_code, c.grade, c.name, c.enrolment, c.boarding, c.active FROM health_classes c
WHERE c.school_code = $1 AND c.active = 1 AND ($3 <> 'evening' OR c.boarding = 1)
  AND NOT EXISTS (SELECT 1 FROM health_report_slots s
                  WHERE s.school_code = c.school_code AND s.day = $2 AND s.session = $3 AND s.class_id = c.id)
ORDER BY c.grade, c.name
