-- One class of the health replay, loaded in large durable jobs (the service's CreateClass audits
-- each class in its own write; the replay measures reports, not set-up).
INSERT INTO health_classes (school_code, grade, name, enrolment, boarding, active, created_at, updated_at)
VALUES ($1, $2, $3, $4, 0, 1, $5, $5) RETURNING id
