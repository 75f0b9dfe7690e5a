SELECT id, request_hash FROM inspections WHERE school_code = $1 AND idempotency_key = $2
