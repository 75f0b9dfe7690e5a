INSERT INTO health_reports (school_code, path, class_id, day, session, version, enrolled, present, absent_ill,
                            absent_other, cases, late, submitted_by, submitted_at, idempotency_key, request_hash, result,
                            first_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
