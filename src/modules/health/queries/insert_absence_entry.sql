INSERT INTO health_absence_entries (absence_id, day, outcome, diagnosis, clearance, note, recorded_by, recorded_at)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
