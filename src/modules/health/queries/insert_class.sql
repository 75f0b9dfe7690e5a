INSERT INTO health_classes (school_code, grade, name, enrolment, boarding, active, created_at, updated_at)
VALUES ($1, $2, $3, $4, $5, 1, $6, $6) RETURNING id
