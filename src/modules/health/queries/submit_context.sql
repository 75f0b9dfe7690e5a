-- Everything a class report's write reads before it writes, in one statement: the class ($1), the
-- report already stored under this Idempotency-Key at the class's school ($2), and the version in
-- force of the class's slot ($3 day, $4 session): the highest, the last entry of the slot in the
-- index (school, day, session, class, version), read backwards. The school's path is the reporter's
-- own (HealthService::SubmitAsync), so org_units is not read.
SELECT c.id, c.school_code, c.grade, c.name, c.enrolment, c.boarding, c.active,
       k.id, k.request_hash,
       cur.id, cur.version, cur.cases, cur.first_at, cur.submitted_at
FROM health_classes c
LEFT JOIN health_reports k ON k.school_code = c.school_code AND k.idempotency_key = $2
LEFT JOIN health_reports cur ON cur.id = (SELECT r.id FROM health_reports r
                                          WHERE r.school_code = c.school_code AND r.day = $3 AND r.session = $4
                                            AND r.class_id = $1
                                          ORDER BY r.version DESC LIMIT 1)
WHERE c.id = $1
