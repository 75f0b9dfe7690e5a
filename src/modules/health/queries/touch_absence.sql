UPDATE health_absences SET last_seen_on = MAX(last_seen_on, $2), diagnosis = COALESCE($3, diagnosis), updated_at = $4
WHERE id = $1
