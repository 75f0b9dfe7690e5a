-- The version in force is the highest (a correction retires it as it adds the next): read the
-- version index backwards and stop at the first current row, not every version's row.
SELECT r.id, r.version, r.cases, r.first_at, r.submitted_at
FROM health_reports r
WHERE r.class_id = $1 AND r.day = $2 AND r.session = $3 AND r.current = 1
ORDER BY r.version DESC LIMIT 1
