-- Everything a class report's write reads before it writes, in one statement: the class ($1), the
-- report already stored under this Idempotency-Key at the class's school ($2), and the version in
-- force of the class's slot ($3 day, $4 session) from the slot's row. The school's path is the
-- reporter's own (HealthService::SubmitAsync), so org_units is not read.
SELECT c.id, c.school_code, c.grade, c.name, c.enrolment, c.boarding, c.active,
       k.id, k.request_hash,
       s.report_id, s.version, s.cases, s.first_at
FROM health_classes c
LEFT JOIN health_reports k ON k.school_code = c.school_code AND k.idempotency_key = $2
LEFT JOIN health_report_slots s ON s.school_code = c.school_code AND s.day = $3 AND s.session = $4
                               AND s.class_id = c.id
WHERE c.id = $1
