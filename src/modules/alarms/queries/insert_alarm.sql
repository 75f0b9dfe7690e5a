INSERT INTO alarm_events (school_code, path, source, source_ref, dedup_key, device_id, kind, priority, pressed_at,
                          received_at, location, description, status, level, escalate_at, raised_by)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'raised', 'county', $13, $14) RETURNING id
