-- A slot's row: inserted with its first version, moved on by each correction to the next version.
-- A correction moves the row only from the version it replaces, so a version skipped or written
-- twice changes nothing (and the writer refuses the report: HealthService::SubmitAsync).
INSERT INTO health_report_slots (school_code, day, session, class_id, report_id, version, absent_ill, cases, first_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
ON CONFLICT (school_code, day, session, class_id) DO UPDATE
SET report_id = excluded.report_id, version = excluded.version, absent_ill = excluded.absent_ill,
    cases = excluded.cases
WHERE health_report_slots.version = excluded.version - 1
