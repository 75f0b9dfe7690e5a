UPDATE alarm_events SET level = $2, escalate_at = $3 WHERE id = $1 AND status = 'raised' AND level = $4
