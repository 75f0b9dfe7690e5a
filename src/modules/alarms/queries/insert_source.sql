INSERT INTO alarm_sources (school_code, path, name, secret_hash, created_by, created_at)
VALUES ($1, $2, $3, $4, $5, $6) RETURNING id
