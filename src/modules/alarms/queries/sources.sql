SELECT id, school_code, name, created_by, created_at, revoked_at, last_used_at FROM alarm_sources
WHERE school_code = $1 ORDER BY id
