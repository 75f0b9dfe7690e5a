SELECT id, day, outcome, diagnosis, clearance, note, recorded_by, recorded_at FROM health_absence_entries
WHERE absence_id = $1 ORDER BY id
