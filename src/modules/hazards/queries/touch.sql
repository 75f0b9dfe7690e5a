UPDATE hazards SET updated_at = $2 WHERE id = $1 AND state = $3
