SELECT id, tested_at, device_id, result, ack_seconds, note, recorded_by FROM ledger_alarm_tests
WHERE school_code = $1 AND idempotency_key = $2
