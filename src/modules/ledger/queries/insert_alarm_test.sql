INSERT INTO ledger_alarm_tests (school_code, tested_at, day, device_id, result, ack_seconds, note, recorded_by,
                                recorded_at, idempotency_key)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id
