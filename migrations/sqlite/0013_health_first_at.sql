-- When a report's first version was submitted, kept on every version: a correction checks its
-- window (HealthSettings::correction_window_hours) on the version in force, without reading
-- version 1's row as well, which is one more random page for the writer per correction.
ALTER TABLE health_reports ADD COLUMN first_at TEXT;
UPDATE health_reports
SET first_at = (SELECT f.submitted_at FROM health_reports f
                WHERE f.class_id = health_reports.class_id AND f.day = health_reports.day
                  AND f.session = health_reports.session AND f.version = 1);
