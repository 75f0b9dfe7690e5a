SELECT id, result, request_hash FROM health_reports WHERE school_code = $1 AND idempotency_key = $2
