SELECT s.id, s.school_code, s.path, s.secret_hash, s.revoked_at FROM alarm_sources s WHERE s.id = $1
