SELECT id, result FROM health_reports WHERE school_code = $1 AND idempotency_key = $2
