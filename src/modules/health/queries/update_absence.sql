UPDATE health_absences SET status = $2, outcome = $3, diagnosis = COALESCE($4, diagnosis), updated_at = $5,
                           last_seen_on = MAX(last_seen_on, $6)
WHERE id = $1
