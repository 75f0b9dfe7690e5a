UPDATE alarm_sources SET revoked_at = $3 WHERE id = $1 AND school_code = $2 AND revoked_at IS NULL
