SELECT id, level, path FROM alarm_events WHERE escalate_at IS NOT NULL AND escalate_at <= $1 AND status = 'raised'
ORDER BY escalate_at LIMIT 500
