SELECT u.code, u.name, t.tested_at, t.device_id, t.result, t.ack_seconds, t.note
FROM ledger_alarm_tests t JOIN org_units u ON u.code = t.school_code
WHERE u.path >= $1 AND u.path < $2 ORDER BY u.path, t.tested_at LIMIT $3
