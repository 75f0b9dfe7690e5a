SELECT id, tested_at, device_id, result, ack_seconds, note, recorded_by FROM ledger_alarm_tests
WHERE school_code = $1 ORDER BY tested_at DESC, id DESC LIMIT $2 OFFSET $3
